import { ConfigDef, nonEmptyString } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Predicate } from "../../api/transform.ts";

export const HAS_HEADER_KEY_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: "name",
  type: "string",
  validator: nonEmptyString,
  importance: "medium",
  documentation: "The header name.",
});

/** Kafka's HasHeaderKey: true when the record has at least one header with the configured name. */
export class HasHeaderKey<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  private name = "";

  configure(configs: Readonly<Record<string, string>>): void {
    this.name = HAS_HEADER_KEY_CONFIG_DEF.parse(configs).name as string;
  }

  test(record: R): boolean {
    const headers = record.headers;
    if (headers === undefined || headers === null) return false;
    for (const header of headers) if (header.key === this.name) return true;
    return false;
  }

  config(): ConfigDef {
    return HAS_HEADER_KEY_CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `HasHeaderKey{name='${this.name}'}`;
  }
}
