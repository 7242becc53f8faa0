import { ConfigDef } from "../../api/config-def.ts";
import type { Header } from "../../api/headers.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";
import { parseString } from "../../api/values-parse.ts";

export const INSERT_HEADER_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({ name: "header", type: "string", importance: "high", documentation: "The name of the header to add." })
  .define({
    name: "value.literal",
    type: "string",
    importance: "high",
    documentation:
      "The header's value, read as Kafka's Values.parseString reads text: `1` is an int8, `true` a boolean, " +
      "`[1,2]` an array, anything else a string.",
  });

/**
 * Kafka's InsertHeader: appends one header with a literal value to every record, after any header of the same name
 * (headers may repeat). The literal is parsed once, in configure, and the same Header object is shared by all
 * records, which is safe because headers are immutable.
 */
export class InsertHeader<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private header: Header | null = null;

  configure(configs: Readonly<Record<string, string>>): void {
    const values = INSERT_HEADER_CONFIG_DEF.parse(configs);
    const { schema, value } = parseString(values["value.literal"] as string);
    this.header = Object.freeze({ key: values.header as string, schema, value });
  }

  apply(record: R): R {
    const header = this.header;
    if (header === null) return record;
    return { ...record, headers: [...record.headers, header] };
  }

  config(): ConfigDef {
    return INSERT_HEADER_CONFIG_DEF;
  }

  close(): void {}
}
