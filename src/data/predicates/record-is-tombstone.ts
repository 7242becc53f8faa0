import { ConfigDef } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Predicate } from "../../api/transform.ts";

export const RECORD_IS_TOMBSTONE_CONFIG_DEF: ConfigDef = new ConfigDef();

/** Kafka's RecordIsTombstone: true when the record's value is null, whatever its key or value schema. */
export class RecordIsTombstone<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  configure(_configs: Readonly<Record<string, string>>): void {}

  test(record: R): boolean {
    return record.value === null || record.value === undefined;
  }

  config(): ConfigDef {
    return RECORD_IS_TOMBSTONE_CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return "RecordIsTombstone{}";
  }
}
