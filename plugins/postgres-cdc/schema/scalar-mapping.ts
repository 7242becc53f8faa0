import { bitsMapping, byteaMapping, unknownMapping } from "./binary-mappings.ts";
import { hstoreMapping } from "./hstore-mapping.ts";
import { intervalMapping } from "./interval-mapping.ts";
import {
  booleanMapping,
  float32Mapping,
  float64Mapping,
  int16Mapping,
  int32Mapping,
  int64Mapping,
  moneyMapping,
  numericMapping,
  VARIABLE_SCALE_DECIMAL_LENGTH,
} from "./numeric-mappings.ts";
import type { PgType } from "./pg-type-registry.ts";
import {
  dateMapping,
  timeMapping,
  timestampMapping,
  timestampWithZoneMapping,
  timeWithZoneMapping,
} from "./temporal-mappings.ts";
import {
  enumMapping,
  javaGeometricText,
  jsonMapping,
  pointMapping,
  stringMapping,
  tsvectorMapping,
  uuidMapping,
  xmlMapping,
} from "./text-mappings.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/** pgjdbc's "unknown length" (Integer.MAX_VALUE): a varchar or varbit without a declared length. */
const UNKNOWN_LENGTH = 2_147_483_647;

/** Types Debezium passes on as their text under a plain string schema. */
const STRING_TYPES: ReadonlySet<string> = new Set([
  "char",
  "bpchar",
  "varchar",
  "text",
  "name",
  "citext",
  "isbn",
  "inet",
  "cidr",
  "macaddr",
  "macaddr8",
  "int4range",
  "numrange",
  "int8range",
  "tsrange",
  "tstzrange",
  "daterange",
]);

/** Geometric types pgjdbc reads into its own objects; with include.unknown.datatypes their text is re-printed. */
const GEOMETRIC_TYPES: ReadonlySet<string> = new Set(["box", "circle", "line", "lseg", "path", "polygon"]);

/**
 * Debezium's length and scale of a column (pgjdbc's TypeInfoCache.getPrecision and getScale of the type modifier),
 * for the type a column's values have: the element type for arrays, the base type for domains.
 */
export function columnShape(name: string, type: PgType, typeModifier: number): ColumnShape {
  const m = typeModifier;
  switch (type.name) {
    case "numeric":
      // Relation messages and JDBC report an unconstrained numeric as precision 131089, scale 0
      if (m === -1) return { name, length: VARIABLE_SCALE_DECIMAL_LENGTH, scale: 0 };
      return { name, length: ((m - 4) >> 16) & 0xffff, scale: (m - 4) & 0xffff };
    case "time":
    case "timetz":
    case "timestamp":
    case "timestamptz":
      return { name, length: -1, scale: m === -1 ? 6 : m };
    case "interval":
      return { name, length: -1, scale: m === -1 ? 6 : m & 0xffff };
    case "bit":
      return { name, length: m, scale: 0 };
    case "varbit":
      return { name, length: m === -1 ? UNKNOWN_LENGTH : m, scale: 0 };
    case "bpchar":
    case "varchar":
      return { name, length: m === -1 ? UNKNOWN_LENGTH : m - 4, scale: 0 };
    default:
      return { name, length: m, scale: 0 };
  }
}

/**
 * How Debezium receives the value: as pgoutput's text (`stream`), or as the JDBC driver's Java object, which for a
 * few types differs from the text (`snapshot`: BC dates lose their era; `element` of an array: dates as in a
 * snapshot, time and timetz with millisecond precision).
 */
export type ValueSource = "stream" | "snapshot" | "element";

/**
 * The mapping of a non-array type (after domains are resolved), or null when Debezium has none and leaves the
 * column out.
 */
export function scalarMapping(
  type: PgType,
  shape: ColumnShape,
  options: TypeMappingOptions,
  source: ValueSource = "stream",
): ValueMapping | null {
  const inArray = source === "element";
  if (type.enumLabels) return enumMapping(type.enumLabels);
  const name = type.name;
  if (STRING_TYPES.has(name)) return stringMapping;
  switch (name) {
    case "bool":
      return booleanMapping;
    case "int2":
      return int16Mapping(shape);
    case "int4":
      return int32Mapping(shape);
    case "int8":
    case "oid":
      return int64Mapping(shape);
    case "float4":
      return float32Mapping(shape);
    case "float8":
      return float64Mapping(shape);
    case "numeric":
      return numericMapping(shape, options);
    case "money":
      return moneyMapping(shape, options);
    case "json":
    case "jsonb":
      return jsonMapping;
    case "xml":
      return xmlMapping;
    case "uuid":
      return uuidMapping;
    case "tsvector":
      return tsvectorMapping;
    case "bytea":
      return byteaMapping(shape, options);
    case "bit":
    case "varbit":
      return bitsMapping(shape);
    case "date":
      return dateMapping(shape, options, source !== "stream");
    case "time":
      return timeMapping(shape, options, inArray);
    case "timetz":
      return timeWithZoneMapping(shape, inArray);
    case "timestamp":
      return timestampMapping(shape, options);
    case "timestamptz":
      return timestampWithZoneMapping(shape);
    case "interval":
      return intervalMapping(shape, options);
    case "point":
      return pointMapping(shape);
    case "hstore":
      return hstoreMapping(shape, options);
  }
  if (!options.includeUnknownDatatypes) return null;
  return GEOMETRIC_TYPES.has(name) ? unknownMapping(options, javaGeometricText) : unknownMapping(options);
}
