import type { ConfigDef } from "./config-def.ts";
import type { ConnectRecord } from "./record.ts";

/**
 * A single message transform: changes one record, or drops it by returning null. `apply` must be synchronous and
 * must not mutate its input (return a new record object); it is called for every record, so keep per-record work
 * small and cache what depends only on the schema.
 */
export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  configure(configs: Readonly<Record<string, string>>): void;
  apply(record: R): R | null;
  config(): ConfigDef;
  close(): void;
}

/** Decides whether a transform applies to a record (`transforms.<alias>.predicate`). */
export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(configs: Readonly<Record<string, string>>): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close(): void;
}
