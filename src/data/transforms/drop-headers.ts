import { ConfigDef } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";
import { nonEmptyList } from "./record-transform-validators.ts";

export const DROP_HEADERS_CONFIG_DEF: ConfigDef = new ConfigDef().define({
  name: "headers",
  type: "list",
  validator: nonEmptyList,
  importance: "high",
  documentation: "The names of the headers to remove; every header with one of these names goes.",
});

/** Kafka's DropHeaders: removes every header whose name is listed, keeping the order of the others. */
export class DropHeaders<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private names: ReadonlySet<string> = new Set();

  configure(configs: Readonly<Record<string, string>>): void {
    this.names = new Set(DROP_HEADERS_CONFIG_DEF.parse(configs).headers as string[]);
  }

  apply(record: R): R {
    const headers = record.headers;
    const names = this.names;
    // Most records carry none of the names: find the first one before allocating anything.
    let first = -1;
    for (let i = 0; i < headers.length; i++) {
      if (names.has((headers[i] as { key: string }).key)) {
        first = i;
        break;
      }
    }
    if (first < 0) return record;
    const kept = headers.slice(0, first);
    for (let i = first + 1; i < headers.length; i++) {
      const header = headers[i];
      if (header !== undefined && !names.has(header.key)) kept.push(header);
    }
    return { ...record, headers: kept };
  }

  config(): ConfigDef {
    return DROP_HEADERS_CONFIG_DEF;
  }

  close(): void {}
}
