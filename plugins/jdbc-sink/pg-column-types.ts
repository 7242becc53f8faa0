import { DataError, Decimal, type Schema } from "../../src/index.ts";

/**
 * The PostgreSQL column type for a field's schema, as Debezium's PostgreSQL dialect resolves it (its registered
 * JdbcTypes on Hibernate's PostgreSQL type names): the logical or semantic schema name first, then the Connect type.
 * Throws a DataError, as Debezium does, for a schema no type is registered for (a nested struct).
 */
export function columnTypeOf(schema: Schema): string {
  switch (schema.name) {
    case "org.apache.kafka.connect.data.Decimal":
      return decimalType(schema);
    case "org.apache.kafka.connect.data.Date":
    case "io.debezium.time.Date":
      return "date";
    case "org.apache.kafka.connect.data.Time":
    case "io.debezium.time.Time":
    case "io.debezium.time.MicroTime":
    case "io.debezium.time.NanoTime":
      return `time(${precisionOf(schema)})`;
    case "org.apache.kafka.connect.data.Timestamp":
    case "io.debezium.time.Timestamp":
    case "io.debezium.time.MicroTimestamp":
    case "io.debezium.time.NanoTimestamp":
      return `timestamp(${precisionOf(schema)})`;
    case "io.debezium.time.ZonedTime":
      return `time(${precisionOf(schema)}) with time zone`;
    case "io.debezium.time.ZonedTimestamp":
      return `timestamp(${precisionOf(schema)}) with time zone`;
    case "io.debezium.time.MicroDuration":
      return "interval";
    case "io.debezium.data.VariableScaleDecimal":
      // Its values carry their own scale, so no numeric(p,s) fits them all: Debezium uses the widest double.
      return "double precision";
    case "io.debezium.data.Json":
      return jsonType(schema);
    case "io.debezium.data.Uuid":
      return "uuid";
    case "io.debezium.data.Xml":
      return "xml";
    case "io.debezium.data.Ltree":
      return "ltree";
    case "io.debezium.data.Enum":
      return "text";
  }
  switch (schema.type) {
    case "boolean":
      return "boolean";
    case "int8":
    case "int16":
      return "smallint";
    case "int32":
      return "integer";
    case "int64":
      return "bigint";
    case "float32":
      return "real";
    case "float64":
      return "double precision";
    case "string":
      return "text";
    case "bytes":
      return "bytea";
    case "map":
      // Debezium's PostgreSQL dialect registers MapToHstoreType for MAP: the hstore extension must be installed.
      return "hstore";
    case "array":
      return `${columnTypeOf(schema.valueSchema as Schema)}[]`;
    case "struct":
      throw new DataError(`Failed to resolve column type for schema: STRUCT (${schema.name ?? "null"})`);
  }
}

const SOURCE_COLUMN_TYPE = "__debezium.source.column.type";
const SOURCE_COLUMN_LENGTH = "__debezium.source.column.length";
const SOURCE_COLUMN_SCALE = "__debezium.source.column.scale";

function decimalType(schema: Schema): string {
  // Oracle's negative scales round; PostgreSQL's numeric takes none, so Debezium uses scale 0.
  const scale = Math.max(0, Number(schema.parameters?.scale ?? "0"));
  const precision = Number(schema.parameters?.["connect.decimal.precision"] ?? "0");
  if (precision > 0) return `numeric(${Math.min(precision, 1000)},${scale})`;
  // Without a declared precision an unconstrained numeric keeps every value's digits (see the README).
  return "numeric";
}

/** A time's fractional digits: the source column's scale (or length, as MySQL sends it) when given, else 6. */
function precisionOf(schema: Schema): number {
  const declared = schema.parameters?.[SOURCE_COLUMN_SCALE] ?? schema.parameters?.[SOURCE_COLUMN_LENGTH];
  const precision = declared === undefined ? 6 : Number(declared);
  return Number.isInteger(precision) && precision >= 0 && precision <= 6 ? precision : 6;
}

function jsonType(schema: Schema): string {
  // Debezium emits json and jsonb alike; only the propagated source column type tells them apart.
  const source = schema.parameters?.[SOURCE_COLUMN_TYPE]?.toUpperCase();
  return source === "JSONB" ? "jsonb" : "json";
}

/** Whether a schema may carry a column DEFAULT (Debezium binds none for maps and arrays). */
export function takesDefault(schema: Schema): boolean {
  return schema.type !== "map" && schema.type !== "array" && schema.type !== "struct";
}

export function decimalText(unscaled: bigint, scale: number): string {
  return new Decimal(unscaled, scale).toString();
}
