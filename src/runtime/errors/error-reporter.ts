import type { FailedRecord } from "./failed-record.ts";

/**
 * Somewhere a failed record is written (Kafka's ErrorReporter): the log, the dead-letter queue. `report` resolves
 * once the failure is durable where the reporter writes it, and rejects when it could not be written: the caller
 * must then not skip the record (a record must never vanish).
 */
export interface ErrorReporter {
  report(failure: FailedRecord): Promise<void>;
  /** Frees the reporter's clients. Call it once every `report` has settled; idempotent. */
  close(): Promise<void>;
}
