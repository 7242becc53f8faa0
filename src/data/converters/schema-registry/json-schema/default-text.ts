import { Decimal } from "../../../../api/decimal.ts";
import type { Schema } from "../../../../api/schema.ts";
import { parseJson, RawNumber } from "../../json-parser.ts";
import { grownCapacity, hashOrder } from "./java-hash-order.ts";
import { toDataError } from "./path-failure.ts";
import { schemaString } from "./schema-string.ts";
import type { ValueWriterOptions } from "./value-writer.ts";
import { writeValue } from "./value-writer.ts";

/**
 * A Connect default as the `default` keyword of Confluent's generated document. JsonSchemaData turns the default's
 * JSON node into org.json values (a struct or map into a JSONObject, a HashMap), everit prints those with org.json
 * (`numberToString` drops a fraction's trailing zeros: `12.0` becomes `12`, `1.50` becomes `1.5`), and Jackson reads
 * the text back and writes it (a fraction or exponent as a BigDecimal: `1.0E10` becomes `1.0E+10`). This does the
 * same to the default's JSON text.
 */
export function defaultText(schema: Schema, value: unknown, options: ValueWriterOptions): string {
  let json: string | undefined;
  try {
    json = writeValue(schema, value, options);
  } catch (error) {
    throw toDataError(error, "Invalid default value");
  }
  return reprint(parseJson(json ?? "null", { number: (text) => new RawNumber(text) }));
}

function reprint(node: unknown): string {
  if (node instanceof RawNumber) return number(node.text);
  if (typeof node === "string") return schemaString(node);
  if (node === null || typeof node === "boolean") return String(node);
  if (Array.isArray(node)) return `[${node.map(reprint).join(",")}]`;
  const object = node as Record<string, unknown>;
  const keys = hashOrder(Object.keys(object), grownCapacity(Object.keys(object).length));
  return `{${keys.map((key) => `${schemaString(key)}:${reprint(object[key])}`).join(",")}}`;
}

function number(text: string): string {
  let printed = text;
  if (printed.includes(".") && !/[eE]/.test(printed)) printed = printed.replace(/0+$/, "").replace(/\.$/, "");
  if (/^-?\d+$/.test(printed)) return BigInt(printed).toString();
  return Decimal.parse(printed).toString();
}
