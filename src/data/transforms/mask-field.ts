import { ConfigDef, nonEmptyString } from "../../api/config-def.ts";
import { ConnectDate } from "../../api/date.ts";
import { Decimal, isDecimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import { Float32, Float64, javaDouble, javaFloat } from "../../api/java-numbers.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { Time } from "../../api/time.ts";
import { Timestamp } from "../../api/timestamp.ts";
import type { Transformation } from "../../api/transform.ts";
import { parseString } from "../../api/values-parse.ts";
import { setEntry, structValues } from "./record-transform-helpers.ts";
import { nonEmptyList } from "./record-transform-validators.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { nullSafeClassName, requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { structOf } from "./util/struct-access.ts";

export const MASK_FIELD_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: "fields",
      type: "list",
      validator: nonEmptyList,
      importance: "high",
      documentation: "Names of fields to mask.",
    })
    .define({
      name: "replacement",
      type: "string",
      defaultValue: null,
      validator: nonEmptyString,
      importance: "low",
      documentation:
        "A value to put in every masked field instead of its type's empty value; only for numeric and string fields.",
    }),
);

const PURPOSE = "mask fields";

/** The Java class Kafka would see for a value, which decides how MaskField masks it. */
type JavaKind =
  | "Boolean"
  | "Byte"
  | "Short"
  | "Integer"
  | "Long"
  | "Float"
  | "Double"
  | "BigDecimal"
  | "Date"
  | "String"
  | "List"
  | "Map"
  | "Other";

const KIND_BY_TYPE: Readonly<Record<string, JavaKind>> = {
  boolean: "Boolean",
  int8: "Byte",
  int16: "Short",
  int32: "Integer",
  int64: "Long",
  float32: "Float",
  float64: "Double",
  string: "String",
  array: "List",
  map: "Map",
};

const CLASS_BY_KIND: Readonly<Record<JavaKind, string>> = {
  Boolean: "java.lang.Boolean",
  Byte: "java.lang.Byte",
  Short: "java.lang.Short",
  Integer: "java.lang.Integer",
  Long: "java.lang.Long",
  Float: "java.lang.Float",
  Double: "java.lang.Double",
  BigDecimal: "java.math.BigDecimal",
  Date: "java.util.Date",
  String: "java.lang.String",
  List: "java.util.ArrayList",
  Map: "java.util.HashMap",
  Other: "java.lang.Object",
};

function kindOf(value: unknown, schema: Schema | null): JavaKind {
  if (schema !== null) {
    const name = schema.name;
    if (name === Decimal.LOGICAL_NAME) return "BigDecimal";
    if (name === ConnectDate.LOGICAL_NAME || name === Time.LOGICAL_NAME || name === Timestamp.LOGICAL_NAME)
      return "Date";
    return KIND_BY_TYPE[schema.type] ?? "Other";
  }
  switch (typeof value) {
    case "boolean":
      return "Boolean";
    case "string":
      return "String";
    case "bigint":
      return "Long";
    case "number":
      // Schemaless numbers come from the converters as Long (integers) or Double.
      return Number.isInteger(value) ? "Long" : "Double";
    default:
      if (value instanceof Float64) return "Double";
      if (value instanceof Float32) return "Float";
      if (value instanceof Date) return "Date";
      if (isDecimal(value)) return "BigDecimal";
      if (Array.isArray(value)) return "List";
      if (value instanceof Map || nullSafeClassName(value) === "java.util.HashMap") return "Map";
      return "Other";
  }
}

function className(value: unknown, kind: JavaKind): string {
  return `class ${kind === "Other" ? nullSafeClassName(value) : CLASS_BY_KIND[kind]}`;
}

/** Java's `Number.longValue()` of what Values.parseString read: doubles truncate, saturating at the long range. */
function longOf(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (isDecimal(value)) return BigInt.asIntN(64, value.unscaled / 10n ** BigInt(Math.max(0, value.scale)));
  const n = value as number;
  if (n >= 2 ** 63) return 2n ** 63n - 1n;
  if (n <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(n));
}

function doubleOf(value: unknown): number {
  if (typeof value === "bigint") return Number(value);
  if (isDecimal(value)) return value.toNumber();
  return value as number;
}

/** An int64 as the converters hold it: a number when safe, a bigint beyond. */
function int64(value: bigint): number | bigint {
  return value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n ? Number(value) : value;
}

/**
 * The replacement for each Java class, computed once: Kafka's `Values.convertTo<Number>(null, replacement)` (which
 * reads the text with Values.parseString and narrows like Java's casts), `new BigDecimal(replacement)`, or the
 * text itself for strings. A class the replacement cannot become holds the error to throw.
 */
function replacementsFor(replacement: string): ReadonlyMap<JavaKind, unknown> {
  const parsed = parseString(replacement).value;
  const numeric = typeof parsed === "number" || typeof parsed === "bigint" || isDecimal(parsed);
  const notANumber = new DataError(`Unable to convert ${replacement} (class java.lang.String) to a number`);
  const map = new Map<JavaKind, unknown>([["String", replacement]]);
  if (numeric) {
    const long = longOf(parsed);
    map.set("Byte", Number(BigInt.asIntN(8, long)));
    map.set("Short", Number(BigInt.asIntN(16, long)));
    map.set("Integer", Number(BigInt.asIntN(32, long)));
    map.set("Long", int64(long));
    map.set("Float", Math.fround(doubleOf(parsed)));
    map.set("Double", doubleOf(parsed));
  } else {
    for (const kind of ["Byte", "Short", "Integer", "Long", "Float", "Double"] as const) map.set(kind, notANumber);
  }
  try {
    map.set("BigDecimal", Decimal.parse(replacement));
  } catch (error) {
    map.set(
      "BigDecimal",
      new DataError(`Unable to convert ${replacement} (class java.lang.String) to number`, { cause: error }),
    );
  }
  return map;
}

/**
 * Kafka's MaskField: replaces the listed fields with their type's empty value (0, false, "", epoch, empty list or
 * map) or with `replacement` (numbers and strings only). Works on a Struct (fields of its schema) or a schemaless
 * map (where a listed field that is absent is added as null, as Kafka does).
 */
export class MaskField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private masked: ReadonlySet<string> = new Set();
  private fields: readonly string[] = [];
  private replacements: ReadonlyMap<JavaKind, unknown> | null = null;
  private replaceNullWithDefault = true;
  private readonly plans = new SchemaCache<readonly Field[]>();

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const values = MASK_FIELD_CONFIG_DEF.parse(configs);
    this.fields = [...new Set(values.fields as string[])];
    this.masked = new Set(this.fields);
    const replacement = values.replacement as string | null;
    this.replacements = replacement === null ? null : replacementsFor(replacement);
    this.replaceNullWithDefault = values[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.plans.clear();
  }

  apply(record: R): R {
    return this.side.schema(record) === null ? this.applySchemaless(record) : this.applyWithSchema(record);
  }

  private applySchemaless(record: R): R {
    const value = requireMap(this.side.value(record), PURPOSE);
    const updated = { ...value };
    for (const field of this.fields)
      setEntry(updated, field, this.mask(Object.hasOwn(value, field) ? value[field] : null, null));
    return this.side.update(record, null, updated);
  }

  private applyWithSchema(record: R): R {
    const struct = requireStruct(this.side.value(record), PURPOSE);
    const schema = struct.schema;
    const maskedFields = this.plans.getOrCompute(schema, (s) =>
      (s.fields ?? []).filter((f) => this.masked.has(f.name)),
    );
    const values = structValues(struct, this.replaceNullWithDefault);
    for (const field of maskedFields) values[field.index] = this.mask(values[field.index], field.schema);
    return this.side.update(record, this.side.schema(record), structOf(schema, values));
  }

  private mask(value: unknown, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    const kind = kindOf(value, schema);
    const masked = this.maskAs(kind, value, schema);
    if (schema !== null) return masked;
    // A schemaless Double or Float stays one (Kafka masks them with 0.0 and 0.0f): see api/java-numbers.ts.
    if (kind === "Double") return javaDouble(masked as number);
    if (kind === "Float") return javaFloat(masked as number);
    return masked;
  }

  private maskAs(kind: JavaKind, value: unknown, schema: Schema | null): unknown {
    if (this.replacements !== null) {
      const replacement = this.replacements.get(kind);
      if (replacement === undefined)
        throw new DataError(`Cannot mask value of type ${className(value, kind)} with custom replacement.`);
      if (replacement instanceof Error) throw replacement;
      return replacement;
    }
    switch (kind) {
      case "Boolean":
        return false;
      case "Byte":
      case "Short":
      case "Integer":
      case "Long":
      case "Float":
      case "Double":
        return 0;
      case "BigDecimal":
        // Kafka puts BigDecimal.ZERO (scale 0), which a Decimal schema of another scale then refuses; keep its scale.
        return new Decimal(0n, schema === null ? 0 : Decimal.scaleOf(schema));
      case "Date":
        return new Date(0);
      case "String":
        return "";
      case "List":
        return [];
      case "Map":
        return value instanceof Map ? new Map() : {};
      default:
        throw new DataError(`Cannot mask value of type: ${className(value, kind)}`);
    }
  }

  config(): ConfigDef {
    return MASK_FIELD_CONFIG_DEF;
  }

  close(): void {
    this.plans.clear();
  }
}
