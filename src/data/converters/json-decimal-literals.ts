import { Decimal } from "../../api/decimal.ts";
import type { Schema } from "../../api/schema.ts";
import { RawNumber } from "./json-parser.ts";

/**
 * Kafka's JsonConverter reads a Decimal written as a JSON number as the BigDecimal of its literal (Jackson with
 * USE_BIG_DECIMAL_FOR_FLOATS and an exact node factory), so its scale is the text's: `1.5` has scale 1 and `1.50`
 * scale 2 whatever the schema says, and a value of another scale than the schema's then fails to be written as
 * BASE64. `JSON.parse` keeps only the double (`1.50` and `1.5` are both 1.5), so where a Decimal is written as a
 * number the text is parsed with `exactNumber`, which keeps every literal that is not a plain integer as text (the
 * converter tries `JSON.parse` first: a Decimal written as BASE64, the default, is a string either way).
 */

/** Number literals for the lossless parser when a Decimal may read them: only a safe integer becomes a number. */
export function exactNumber(text: string): unknown {
  if (!INTEGER.test(text)) return new RawNumber(text);
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : new RawNumber(text);
}

const INTEGER = /^-?\d+$/;

const holding = new WeakMap<Schema, boolean>();

/** Whether a Decimal is in the schema, at any depth (fields, array items, map keys and values); cached per schema. */
export function holdsDecimal(schema: Schema | null | undefined): boolean {
  if (schema === null || schema === undefined) return false;
  let holds = holding.get(schema);
  if (holds === undefined) {
    holds =
      schema.name === Decimal.LOGICAL_NAME ||
      holdsDecimal(schema.keySchema) ||
      holdsDecimal(schema.valueSchema) ||
      (schema.fields ?? []).some((field) => holdsDecimal(field.schema));
    holding.set(schema, holds);
  }
  return holds;
}
