import type { KafkaLogger } from "../kafka/index.ts";
import { createLogger, type Logger } from "./logger.ts";

const loggers = new Map<string, Logger>();

/**
 * librdkafka's log lines through the worker's logger, as `kafka.<client>` (e.g. `kafka.consumer`), so that they share
 * the worker's format and levels instead of interleaving raw lines on stderr. Syslog levels map to ours: 0–3
 * ERROR, 4 WARN, 5–6 INFO, 7 DEBUG.
 */
export const kafkaLogBridge: KafkaLogger = ({ level, facility, message, client }) => {
  const name = `kafka.${client.split(" ")[0] ?? "client"}`;
  let logger = loggers.get(name);
  if (!logger) {
    logger = createLogger(name);
    loggers.set(name, logger);
  }
  const text = `${client} ${facility}: ${message}`;
  if (level <= 3) logger.error(text);
  else if (level === 4) logger.warn(text);
  else if (level <= 6) logger.info(text);
  else logger.debug(text);
};
