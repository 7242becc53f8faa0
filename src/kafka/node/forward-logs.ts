/**
 * librdkafka's log lines and non-fatal errors from the binding, to the same KafkaLogger the FFI client uses. The
 * binding turns them into `event.log` / `event.error` events and prints nothing itself, so without this they
 * would be lost (a refused connection, for one, would go unseen).
 */
import type { KafkaLogger } from "../kafka-log-entry.ts";
import type { BindingLogEvent, LibrdKafkaError } from "./binding.ts";
import { errorName } from "./errors.ts";

interface LogSource {
  on(event: "event.log", listener: (entry: BindingLogEvent) => void): unknown;
  on(event: "event.error", listener: (error: LibrdKafkaError) => void): unknown;
}

/** Forwards log events and non-fatal error events (fatal ones are the client's own business). */
export function forwardLogs(source: LogSource, logger: KafkaLogger, client: string): void {
  source.on("event.log", ({ severity, fac, message }) => logger({ level: severity, facility: fac, message, client }));
  source.on("event.error", (error) => {
    if (error.isFatal) return;
    const code = errorName(error.code);
    logger({ level: 4, facility: "ERROR", message: `${error.message} (${code})`, client, code });
  });
}
