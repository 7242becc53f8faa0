/**
 * librdkafka's log lines. sluice sets `log.queue=true` so that librdkafka's threads never print or call back on
 * their own: log lines arrive as RD_KAFKA_EVENT_LOG on the client's main queue and go to a KafkaLogger on the
 * JavaScript thread.
 */
import type { Pointer } from "bun:ffi";
import type { KafkaLogger } from "../kafka-log-entry.ts";
import { rdkafka, readCString } from "./library.ts";

export { type KafkaLogEntry, type KafkaLogger, silentLogger, stderrLogger } from "../kafka-log-entry.ts";

const outFacility = new BigUint64Array(1);
const outText = new BigUint64Array(1);
const outLevel = new Int32Array(1);

export function logEvent(event: Pointer, logger: KafkaLogger, client: string): void {
  if (rdkafka().rd_kafka_event_log(event, outFacility, outText, outLevel) !== 0) return;
  logger({
    level: outLevel[0] ?? 6,
    facility: readCString(Number(outFacility[0])) ?? "",
    message: readCString(Number(outText[0])) ?? "",
    client,
  });
}

/** A non-fatal error event: librdkafka recovers by itself (reconnects, retries); it is reported, not thrown. */
export function logErrorEvent(event: Pointer, logger: KafkaLogger, client: string): void {
  const lib = rdkafka();
  const code = lib.rd_kafka_event_error(event);
  const name = lib.rd_kafka_err2name(code) ?? String(code);
  logger({
    level: 4,
    facility: "ERROR",
    message: `${lib.rd_kafka_event_error_string(event) ?? ""} (${name})`,
    client,
    code: name,
  });
}
