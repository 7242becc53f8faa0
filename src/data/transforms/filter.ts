import { ConfigDef } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";

export const FILTER_CONFIG_DEF: ConfigDef = new ConfigDef();

/**
 * Kafka's Filter: drops every record. It is meant to run under a predicate (`transforms.<a>.predicate`, optionally
 * `negate`), which the runtime evaluates before calling `apply`.
 */
export class Filter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  configure(_configs: Readonly<Record<string, string>>): void {}

  apply(_record: R): R | null {
    return null;
  }

  config(): ConfigDef {
    return FILTER_CONFIG_DEF;
  }

  close(): void {}
}
