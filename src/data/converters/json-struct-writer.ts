import { ConnectDate } from "../../api/date.ts";
import { Decimal } from "../../api/decimal.ts";
import type { Schema } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import type { ByteWriter } from "../byte-writer.ts";
import { structSlots } from "../transforms/util/struct-access.ts";
import { formatDouble, formatFloat } from "./java-format.ts";
import { encodeJsonValue, type JsonEncodeOptions, jsonString } from "./json-encode.ts";

/**
 * A Struct's JSON as JsonConverter writes it (json-encode.ts), straight into UTF-8 bytes, with a writer compiled
 * once per schema object: field names are constant bytes, strings and numbers are written where they go, and no
 * JSON text is built and then encoded. Connect's records are mostly Structs of a few schemas, so this is where a
 * source with schemas spends its conversion time; the text encoder took three times as long for an order (most of
 * it joining strings and encoding the joined text).
 *
 * Only what is plain is written here: strings, integers, floats and booleans in range, nested Structs of their
 * field's very schema, arrays of those. Anything else (a null, a logical type, bytes, a map, a value of the wrong
 * kind) is written from json-encode's text for that one value, so the output is its output. A value it throws for
 * throws here too; the caller then runs json-encode on the whole value, which fails the same way.
 */

type ValueWriter = (out: ByteWriter, value: unknown) => void;

const LOGICAL_NAMES: ReadonlySet<string> = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  Time.LOGICAL_NAME,
  Timestamp.LOGICAL_NAME,
]);
const INT_LIMITS: Readonly<Record<string, number>> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 };

/** A string as a JSON string literal: printable ASCII is copied as it is; anything else takes jsonString. */
function writeString(out: ByteWriter, text: string): void {
  out.room(text.length + 2);
  const buffer = out.buffer;
  let pos = out.pos;
  buffer[pos++] = 0x22;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      // Nothing of it is counted yet (`out.pos` is where the literal starts).
      out.utf8(jsonString(text));
      return;
    }
    buffer[pos++] = c;
  }
  buffer[pos++] = 0x22;
  out.pos = pos;
}

/** Writers per schema object for one converter's options; renewed when the converter is configured again. */
export class StructJsonWriter {
  private readonly writers = new WeakMap<Schema, ValueWriter>();

  constructor(private readonly options: JsonEncodeOptions) {}

  /** Appends the JSON of `value` (a Struct of `schema`) to `out`. Throws where json-encode throws, or may. */
  write(out: ByteWriter, schema: Schema, value: Struct): void {
    this.writerOf(schema)(out, value);
  }

  private writerOf(schema: Schema): ValueWriter {
    let writer = this.writers.get(schema);
    if (writer === undefined) {
      writer = this.compile(schema);
      this.writers.set(schema, writer);
    }
    return writer;
  }

  /** The writer of one schema's values, null and wrong kinds included (through json-encode's text for them). */
  private compile(schema: Schema): ValueWriter {
    const options = this.options;
    const text: ValueWriter = (out, value) => out.utf8(encodeJsonValue(schema, value, options));
    if (schema.name !== undefined && LOGICAL_NAMES.has(schema.name)) return text;
    const plain = this.plain(schema, text);
    if (plain === null) return text;
    return (out, value) => {
      if (value === null || value === undefined) text(out, value);
      else plain(out, value);
    };
  }

  /** The writer of a schema's non-null values, or null where json-encode writes them all. */
  private plain(schema: Schema, text: ValueWriter): ValueWriter | null {
    switch (schema.type) {
      case "int8":
      case "int16":
      case "int32": {
        const limit = INT_LIMITS[schema.type] as number;
        return (out, value) => {
          if (typeof value === "number" && Number.isInteger(value) && value >= -limit && value < limit)
            out.ascii(String(value));
          else text(out, value);
        };
      }
      case "int64":
        return (out, value) => {
          if (typeof value === "number" && Number.isSafeInteger(value)) out.ascii(String(value));
          else text(out, value);
        };
      case "float64":
        return (out, value) => {
          if (typeof value === "number" && Number.isFinite(value)) out.ascii(formatDouble(value));
          else text(out, value);
        };
      case "float32":
        return (out, value) => {
          if (typeof value === "number" && Number.isFinite(value)) out.ascii(formatFloat(value));
          else text(out, value);
        };
      case "boolean":
        return (out, value) => {
          if (value === true) out.ascii("true");
          else if (value === false) out.ascii("false");
          else text(out, value);
        };
      case "string":
        return (out, value) => {
          if (typeof value === "string") writeString(out, value);
          else text(out, value);
        };
      case "array": {
        const items = schema.valueSchema;
        if (items === undefined) return null;
        const item = this.writerOf(items);
        return (out, value) => {
          if (!Array.isArray(value)) return text(out, value);
          out.byte(0x5b);
          for (let i = 0; i < value.length; i++) {
            if (i > 0) out.byte(0x2c);
            item(out, value[i]);
          }
          out.byte(0x5d);
        };
      }
      case "struct":
        return this.struct(schema, text);
      default:
        return null;
    }
  }

  private struct(schema: Schema, text: ValueWriter): ValueWriter {
    const fields = schema.fields ?? [];
    // `{"name":` for the first field, `,"name":` for the others, as json-encode writes them.
    const encoder = new TextEncoder();
    const names = fields.map((field, i) => encoder.encode(`${i === 0 ? "{" : ","}${jsonString(field.name)}:`));
    // Compiled on first use: a schema may hold itself (through a default value) no deeper than its values go.
    let writers: ValueWriter[] | null = null;
    return (out, value) => {
      // A Struct of another (if equal) schema object is read by name in json-encode.
      const slots = value instanceof Struct && value.schema === schema ? structSlots(value) : undefined;
      if (slots === undefined) return text(out, value);
      if (fields.length === 0) {
        out.byte(0x7b);
        out.byte(0x7d);
        return;
      }
      writers ??= fields.map((field) => this.writerOf(field.schema));
      for (let i = 0; i < fields.length; i++) {
        out.bytes(names[i] as Uint8Array);
        (writers[i] as ValueWriter)(out, slots[i] ?? null);
      }
      out.byte(0x7d);
    };
  }
}
