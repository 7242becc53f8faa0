import type avsc from "avsc";
import { ConnectDate } from "../../../../api/date.ts";
import { Decimal, isDecimal } from "../../../../api/decimal.ts";
import { DataError } from "../../../../api/errors.ts";
import { isJavaFloat } from "../../../../api/java-numbers.ts";
import type { Schema } from "../../../../api/schema.ts";
import { setOwn } from "../../../../api/schemaless-map.ts";
import { Struct } from "../../../../api/struct.ts";
import { Time } from "../../../../api/time.ts";
import { Timestamp } from "../../../../api/timestamp.ts";
import { structSlots } from "../../../transforms/util/struct-access.ts";
import type { AvroDataConfig } from "./avro-data-config.ts";
import { KEY_FIELD, scrubName, VALUE_FIELD } from "./avro-names.ts";
import { schemaKey } from "./avro-schema-key.ts";
import type { AvroNode } from "./avro-schema-tree.ts";
import { AvroValueError, describe } from "./avro-value-error.ts";
import { isUnionSchema, nonOptional } from "./connect-schema-kinds.ts";
import { chooseBranch } from "./union-branch.ts";

/** A compiled conversion of one Connect value to the value avsc writes (records as objects, wrapped unions). */
export type ToAvro = (value: unknown) => unknown;

interface RecordType extends avsc.Type {
  readonly fields: { readonly name: string; readonly type: avsc.Type; defaultValue(): unknown }[];
}

function fail(schema: Schema, value: unknown): never {
  throw new AvroValueError(`Invalid type for ${schema.type.toUpperCase()}: ${describe(value)}`);
}

function mismatch(schema: Schema, node: AvroNode): never {
  throw new DataError(`Cannot write Connect ${schema.name ?? schema.type} as Avro ${node.fullName ?? node.type}`);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * AvroData's fromConnectData, compiled once per Connect schema and writer schema: all decisions that depend only on
 * the schemas (union branches, field positions, logical types) are taken here, so that a record costs only its
 * values. The writer may be a schema other than the one derived from `schema` (`use.latest.version`): fields are
 * matched by (scrubbed) name, a writer field the Connect schema lacks is written with its default, a Connect field
 * the writer lacks is left out, an optional value may go to a required writer type (a null then fails) and an int
 * to a long, a float to a double. What it cannot write is a DataError: a writer field with neither a value nor a
 * default, a type the writer cannot hold (string for int, ...), a union whose branch for the value cannot be told
 * (no branch of the Avro type or record name AvroData would make, and more than one non-null branch). Java's
 * GenericDatumWriter would take the fields by position instead (so a reordered latest schema writes wrong data
 * there); by name is what the schemas mean.
 */
export function compileToAvro(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToAvro {
  if (node.type === "union") return compileUnion(schema, node, type as avsc.types.WrappedUnionType, config);
  const write = compileBare(schema, node, type, config);
  return (value) => {
    if (value === null || value === undefined) {
      throw new AvroValueError(
        schema.optional
          ? `Null value, but the writer schema's ${node.fullName ?? node.type} has no null branch`
          : "Found null value for non-optional schema",
      );
    }
    return write(value);
  };
}

function compileUnion(
  schema: Schema,
  node: AvroNode,
  type: avsc.types.WrappedUnionType,
  config: AvroDataConfig,
): ToAvro {
  const branches = node.branches ?? [];
  const hasNull = branches.some((b) => b.type === "null");
  const onNull = () => {
    if (!hasNull) throw new AvroValueError("Found null value for a union without a null branch");
    return null;
  };
  if (schema.type === "struct" && isUnionSchema(schema)) {
    const members = (schema.fields ?? []).map((field, i) => {
      const member = nonOptional(field.schema);
      const index = chooseBranch(member, node, i, config);
      const branch = type.types[index] as avsc.Type;
      return {
        name: field.name,
        field,
        write: compileBare(field.schema, branches[index] as AvroNode, branch, config),
        branch,
      };
    });
    return (value) => {
      if (value === null || value === undefined) return onNull();
      if (!(value instanceof Struct)) fail(schema, value);
      for (const member of members) {
        const item = config.ignoreDefaultForNullables ? value.getWithoutDefault(member.name) : value.get(member.name);
        if (item !== null && item !== undefined) {
          try {
            return member.branch.wrap(member.write(item));
          } catch (error) {
            throw AvroValueError.at(error, `.${member.name}`);
          }
        }
      }
      return onNull();
    };
  }
  const index = chooseBranch(nonOptional(schema), node, -1, config);
  const branch = type.types[index] as avsc.Type;
  const write = compileBare(schema, branches[index] as AvroNode, branch, config);
  return (value) => (value === null || value === undefined ? onNull() : branch.wrap(write(value)));
}

/** The conversion of a non-null value of `schema` written as `node` (not a union). */
function compileBare(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToAvro {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return decimalWriter(schema, node);
    case ConnectDate.LOGICAL_NAME:
      if (node.type !== "int") mismatch(schema, node);
      return (value) => (value instanceof Date ? ConnectDate.fromLogical(schema, value) : fail(schema, value));
    case Time.LOGICAL_NAME:
      if (node.type !== "int") mismatch(schema, node);
      return (value) => (value instanceof Date ? Time.fromLogical(schema, value) : fail(schema, value));
    case Timestamp.LOGICAL_NAME:
      if (node.type !== "long") mismatch(schema, node);
      return (value) => (value instanceof Date ? Timestamp.fromLogical(schema, value) : fail(schema, value));
  }
  switch (schema.type) {
    case "int8":
      return intWriter(schema, node, 127);
    case "int16":
      return intWriter(schema, node, 32767);
    case "int32":
      return intWriter(schema, node, 2147483647);
    case "int64":
      if (node.type !== "long") mismatch(schema, node);
      return (value) =>
        (typeof value === "number" && Number.isSafeInteger(value)) || typeof value === "bigint"
          ? value
          : fail(schema, value);
    case "float32":
    case "float64":
      if (node.type !== "float" && node.type !== "double") mismatch(schema, node);
      return (value) => (typeof value === "number" ? value : isJavaFloat(value) ? value.value : fail(schema, value));
    case "boolean":
      if (node.type !== "boolean") mismatch(schema, node);
      return (value) => (typeof value === "boolean" ? value : fail(schema, value));
    case "string":
      return stringWriter(schema, node);
    case "bytes":
      if (node.type === "bytes")
        return (value) => (value instanceof Uint8Array ? toBuffer(value) : fail(schema, value));
      if (node.type !== "fixed") mismatch(schema, node);
      return (value) => {
        if (!(value instanceof Uint8Array)) fail(schema, value);
        if (value.length !== node.size)
          throw new AvroValueError(`Fixed ${node.fullName} needs ${node.size} bytes, got ${value.length}`);
        return toBuffer(value);
      };
    case "array":
      if (node.type !== "array") mismatch(schema, node);
      return arrayWriter(
        schema,
        compileToAvro(
          schema.valueSchema as Schema,
          node.items as AvroNode,
          (type as avsc.types.ArrayType).itemsType,
          config,
        ),
      );
    case "map":
      return mapWriter(schema, node, type, config);
    case "struct":
      return structWriter(schema, node, type as RecordType, config);
  }
}

function intWriter(schema: Schema, node: AvroNode, max: number): ToAvro {
  if (node.type !== "int" && node.type !== "long") mismatch(schema, node);
  return (value) =>
    typeof value === "number" && Number.isInteger(value) && value <= max && value >= -max - 1
      ? value
      : fail(schema, value);
}

function stringWriter(schema: Schema, node: AvroNode): ToAvro {
  if (node.type === "string") return (value) => (typeof value === "string" ? value : fail(schema, value));
  if (node.type !== "enum") mismatch(schema, node);
  const symbols = new Set(node.symbols);
  return (value) => {
    if (typeof value !== "string") fail(schema, value);
    if (!symbols.has(value)) throw new AvroValueError(`"${value}" is not a symbol of enum ${node.fullName}`);
    return value;
  };
}

function decimalWriter(schema: Schema, node: AvroNode): ToAvro {
  if (node.type === "bytes")
    return (value) => (isDecimal(value) ? toBuffer(Decimal.fromLogical(schema, value)) : fail(schema, value));
  if (node.type !== "fixed") mismatch(schema, node);
  const size = node.size as number;
  return (value) => {
    if (!isDecimal(value)) fail(schema, value);
    const bytes = Decimal.fromLogical(schema, value);
    if (bytes.length > size)
      throw new AvroValueError(`Unscaled value byte array length ${bytes.length} is greater than fixed size ${size}`);
    // Sign-extended to the fixed size, as AvroData pads.
    const padded = Buffer.alloc(size, ((bytes[0] as number) & 0x80) !== 0 ? 0xff : 0);
    padded.set(bytes, size - bytes.length);
    return padded;
  };
}

function arrayWriter(schema: Schema, write: ToAvro): ToAvro {
  return (value) => {
    if (!Array.isArray(value)) fail(schema, value);
    const out = new Array(value.length);
    let i = 0;
    try {
      for (; i < value.length; i++) out[i] = write(value[i]);
    } catch (error) {
      throw AvroValueError.at(error, `[${i}]`);
    }
    return out;
  };
}

function entriesOf(schema: Schema, value: unknown): Iterable<[unknown, unknown]> {
  if (value instanceof Map) return value.entries();
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Struct))
    return Object.entries(value);
  return fail(schema, value);
}

function mapWriter(schema: Schema, node: AvroNode, type: avsc.Type, config: AvroDataConfig): ToAvro {
  const valueSchema = schema.valueSchema as Schema;
  if (node.type === "map") {
    if (schema.keySchema?.type !== "string") mismatch(schema, node);
    const write = compileToAvro(valueSchema, node.values as AvroNode, (type as avsc.types.MapType).valuesType, config);
    return (value) => {
      const out: Record<string, unknown> = {};
      for (const [key, item] of entriesOf(schema, value)) {
        if (typeof key !== "string") throw new AvroValueError(`Invalid map key: ${describe(key)}`);
        try {
          setOwn(out, key, write(item));
        } catch (error) {
          throw AvroValueError.at(error, `.${key}`);
        }
      }
      return out;
    };
  }
  // Non-string keys: an array of key/value records.
  const entry = node.items;
  if (node.type !== "array" || entry?.type !== "record") mismatch(schema, node);
  const entryType = (type as avsc.types.ArrayType).itemsType as RecordType;
  const slot = (name: string) => {
    const i = (entry.fields ?? []).findIndex((f) => f.name === name);
    if (i < 0) mismatch(schema, node);
    return { node: entry.fields?.[i]?.type as AvroNode, type: entryType.fields[i]?.type as avsc.Type };
  };
  const [key, val] = [slot(KEY_FIELD), slot(VALUE_FIELD)];
  const writeKey = compileToAvro(schema.keySchema as Schema, key.node, key.type, config);
  const writeValue = compileToAvro(valueSchema, val.node, val.type, config);
  return (value) => {
    const out: unknown[] = [];
    for (const [k, item] of entriesOf(schema, value)) {
      try {
        out.push({ key: writeKey(k), value: writeValue(item) });
      } catch (error) {
        throw AvroValueError.at(error, `[${String(k)}]`);
      }
    }
    return out;
  };
}

interface Step {
  readonly index: number;
  readonly name: string;
  readonly avroName: string;
  readonly defaultValue: unknown;
  readonly write: ToAvro;
}

function structWriter(schema: Schema, node: AvroNode, type: RecordType, config: AvroDataConfig): ToAvro {
  if (node.type !== "record") mismatch(schema, node);
  const avroFields = node.fields ?? [];
  const plan: Step[] = [];
  const covered = new Set<string>();
  for (const field of schema.fields ?? []) {
    const avroName = config.scrubInvalidNames ? scrubName(field.name) : field.name;
    const at = avroFields.findIndex((f) => f.name === avroName);
    // A field the writer schema does not have is left out, as Avro's schema resolution would.
    if (at < 0) continue;
    covered.add(avroName);
    const write = compileToAvro(
      field.schema,
      avroFields[at]?.type as AvroNode,
      type.fields[at]?.type as avsc.Type,
      config,
    );
    plan.push({
      index: field.index,
      name: field.name,
      avroName,
      defaultValue: field.schema.defaultValue ?? null,
      write,
    });
  }
  const missing = avroFields.filter((f) => !covered.has(f.name) && !f.hasDefault).map((f) => f.name);
  const useDefaults = !config.ignoreDefaultForNullables;
  return (value) => {
    if (missing.length > 0)
      throw new AvroValueError(
        `The writer schema's field ${missing[0]} has no value in the Connect data and no default`,
      );
    if (!(value instanceof Struct)) fail(schema, value);
    if (value.schema !== schema && schemaKey(value.schema) !== schemaKey(schema))
      throw new AvroValueError("Mismatching struct schema");
    const slots = value.schema === schema ? structSlots(value) : undefined;
    const out: Record<string, unknown> = {};
    // One try for the whole record (a try per field costs more); the failing field is the current index.
    let i = 0;
    try {
      for (; i < plan.length; i++) {
        const step = plan[i] as Step;
        let item = slots === undefined ? value.getWithoutDefault(step.name) : slots[step.index];
        if ((item === null || item === undefined) && useDefaults) item = step.defaultValue;
        out[step.avroName] = step.write(item ?? null);
      }
    } catch (error) {
      throw AvroValueError.at(error, `.${plan[i]?.name}`);
    }
    return out;
  };
}
