import { DataError, formatDouble, SchemaBuilder, Struct } from "../../../src/index.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/** Types Debezium passes on as their text, some under a semantic schema name, and point. */

const identity = (text: string): string => text;

export const stringMapping: ValueMapping = { schema: () => new SchemaBuilder("string"), converter: () => identity };

function namedString(name: string): ValueMapping {
  return { schema: () => new SchemaBuilder("string").name(name).version(1), converter: () => identity };
}

export const jsonMapping = namedString("io.debezium.data.Json");
export const xmlMapping = namedString("io.debezium.data.Xml");
export const uuidMapping = namedString("io.debezium.data.Uuid");
export const tsvectorMapping = namedString("io.debezium.data.Tsvector");

/** An enum: io.debezium.data.Enum with its labels, in sort order, as the `allowed` parameter. */
export function enumMapping(labels: readonly string[]): ValueMapping {
  const allowed = labels.join(",");
  return {
    schema: () => new SchemaBuilder("string").name("io.debezium.data.Enum").version(1).parameter("allowed", allowed),
    converter: () => identity,
  };
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|-?Infinity|NaN/g;

/**
 * box, circle, line, lseg, path and polygon reach Debezium (include.unknown.datatypes) as pgjdbc objects whose text
 * prints every coordinate as a Java double (`(1.0,2.0)`); the punctuation is PostgreSQL's own.
 */
export function javaGeometricText(text: string): string {
  return text.replace(NUMBER, (n) => formatDouble(Number(n)));
}

function pointSchema(): SchemaBuilder {
  return SchemaBuilder.struct()
    .name("io.debezium.data.geometry.Point")
    .version(1)
    .doc("Geometry (POINT)")
    .field("x", new SchemaBuilder("float64").build())
    .field("y", new SchemaBuilder("float64").build())
    .field("wkb", new SchemaBuilder("bytes").optional().build())
    .field("srid", new SchemaBuilder("int32").optional().build());
}

const POINT = /^\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$/;

/** point: io.debezium.data.geometry.Point, x and y and the point's 2D WKB (little-endian), no SRID. */
export function pointMapping(shape: ColumnShape): ValueMapping {
  return {
    schema: pointSchema,
    converter: (schema) => (text) => {
      const m = POINT.exec(text);
      const x = Number(m?.[1]);
      const y = Number(m?.[2]);
      if (!m || (Number.isNaN(x) && m[1] !== "NaN") || (Number.isNaN(y) && m[2] !== "NaN"))
        throw new DataError(`Cannot parse point value '${text}' of column ${shape.name}`);
      const wkb = new Uint8Array(21);
      const view = new DataView(wkb.buffer);
      wkb[0] = 1;
      view.setInt32(1, 1, true);
      view.setFloat64(5, x, true);
      view.setFloat64(13, y, true);
      return new Struct(schema).put("x", x).put("y", y).put("wkb", wkb);
    },
  };
}
