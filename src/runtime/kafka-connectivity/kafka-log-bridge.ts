import { createLogger, type Logger } from "../../common/logger.ts";
import { RepeatFolder } from "../../common/repeat-folder.ts";
import type { KafkaLogEntry, KafkaLogger } from "../../kafka/index.ts";
import { repeatKey } from "../../kafka/librdkafka-log-text.ts";

const loggers = new Map<string, Logger>();

/**
 * librdkafka repeats its warnings while a broker is down: `1/1 brokers are down` about 20 times a second from a
 * consumer, 4 from a producer (measured against a closed port). Its warnings and errors are folded per interval
 * (RepeatFolder); info and debug lines, which come only when asked for (`debug=...`), are written as they come.
 */
let folder = new RepeatFolder();
/**
 * Who reads every entry before it is written (the worker's reachability watch): a repeat still means something. An
 * observer that answers true has said what the entry says already (Kafka unreachable), and it is written at DEBUG.
 */
export type KafkaLogObserver = (entry: KafkaLogEntry) => boolean;
const observers = new Set<KafkaLogObserver>();

/**
 * librdkafka's log lines through the worker's logger, as `kafka.<client>` (e.g. `kafka.consumer`), so that they share
 * the worker's format and levels instead of interleaving raw lines on stderr. Syslog levels map to ours: 0–3
 * ERROR, 4 WARN, 5–6 INFO, 7 DEBUG.
 */
export const kafkaLogBridge: KafkaLogger = (entry) => {
  let explained = false;
  for (const observer of observers) explained = observer(entry) || explained;
  if (explained) write({ ...entry, level: 7 }, "");
  else if (entry.level > 4) write(entry, "");
  else folder.offer(repeatKey(entry), (note) => write(entry, note));
};

function write({ level, facility, message, client }: KafkaLogEntry, note: string): void {
  const name = `kafka.${client.split(" ")[0] ?? "client"}`;
  let logger = loggers.get(name);
  if (!logger) {
    logger = createLogger(name);
    loggers.set(name, logger);
  }
  const text = `${client} ${facility}: ${message}${note}`;
  if (level <= 3) logger.error(text);
  else if (level === 4) logger.warn(text);
  else if (level <= 6) logger.info(text);
  else logger.debug(text);
}

/** Calls `observer` with every entry that reaches the bridge, from any thread; returns the unsubscribe function. */
export function observeKafkaLogs(observer: KafkaLogObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Writes the repeats counted so far (a stopping worker's last word on them). */
export function flushKafkaLogRepeats(): void {
  folder.flush();
}

/** Another interval for the folding (tests, which cannot wait 30 s); forgets what was counted. */
export function setKafkaLogRepeatInterval(intervalMs: number): void {
  folder.flush();
  folder = new RepeatFolder(intervalMs);
}
