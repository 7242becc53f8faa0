import { AbstractConfig, type ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { DataError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import { numberOf } from "../../api/java-numbers.ts";
import { type Schema, type SchemaAndValue, Schemas } from "../../api/schema.ts";
import { typeName } from "../../api/type-name.ts";
import { newConverterConfigDef, withConverterType } from "./converter-config.ts";

/**
 * Kafka's numeric converters (`org.apache.kafka.connect.converters.{Short,Integer,Long,Float,Double}Converter`), each
 * also a HeaderConverter: one number in the fixed-width big-endian form of Kafka's Short/Integer/Long/Float/Double
 * serializers, read back with an optional schema of the matching type. Like Kafka, they ignore the schema they are
 * given and accept a null value (written as null). Kafka rejects a value of another Java class; JS has one number
 * type, so an integer converter rejects fractions, values outside its range and the Float64 / Float32 boxes
 * (a Double or Float) instead, FloatConverter and DoubleConverter take any number or box (FloatConverter rounding
 * it to float32 as Java's `(float)` would), and LongConverter also takes a bigint.
 */

export const NUMBER_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef();

/** How one Java number type travels: its width, its serializer's writing and its deserializer's reading. */
interface FixedWidthCodec {
  /** Kafka's display name of the type, as in its error messages. */
  readonly name: string;
  /** The class Kafka's size check names in its message ("Deserializer" for float and double, as Kafka prints). */
  readonly deserializer: string;
  readonly width: number;
  readonly schema: Schema;
  /** Writes the value, or returns an error message when it is not a value of this type. */
  write(view: DataView, value: unknown): string | undefined;
  read(view: DataView): unknown;
}

const TWO_POW_32 = 2 ** 32;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integerCheck(value: unknown, min: number, max: number, name: string): string | undefined {
  if (typeof value !== "number") return `(was ${typeName(value)})`;
  if (!Number.isInteger(value)) return `${value} is not a whole number`;
  if (value < min || value > max) return `${value} is out of range for a ${name}`;
  return undefined;
}

const SHORT: FixedWidthCodec = {
  name: "short",
  deserializer: "ShortDeserializer",
  width: 2,
  schema: Schemas.OPTIONAL_INT16,
  write(view, value) {
    const problem = integerCheck(value, -32768, 32767, "short");
    if (problem === undefined) view.setInt16(0, value as number);
    return problem;
  },
  read: (view) => view.getInt16(0),
};

const INTEGER: FixedWidthCodec = {
  name: "integer",
  deserializer: "IntegerDeserializer",
  width: 4,
  schema: Schemas.OPTIONAL_INT32,
  write(view, value) {
    const problem = integerCheck(value, -(2 ** 31), 2 ** 31 - 1, "integer");
    if (problem === undefined) view.setInt32(0, value as number);
    return problem;
  },
  read: (view) => view.getInt32(0),
};

const LONG: FixedWidthCodec = {
  name: "long",
  deserializer: "LongDeserializer",
  width: 8,
  schema: Schemas.OPTIONAL_INT64,
  write(view, value) {
    if (typeof value === "number" && Number.isSafeInteger(value)) {
      // Two 32-bit halves avoid a BigInt per record for the common, safe values.
      const high = Math.floor(value / TWO_POW_32);
      view.setInt32(0, high);
      view.setUint32(4, value - high * TWO_POW_32);
      return undefined;
    }
    const big = typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
    if (typeof big !== "bigint") {
      return typeof value === "number" ? `${value} is not a whole number` : `(was ${typeName(value)})`;
    }
    if (big < INT64_MIN || big > INT64_MAX) return `${big} is out of range for a long`;
    view.setBigInt64(0, big);
    return undefined;
  },
  read(view) {
    // int64 values are numbers within ±(2^53-1) and bigints beyond, as everywhere in sluice's data model.
    const value = view.getInt32(0) * TWO_POW_32 + view.getUint32(4);
    return Number.isSafeInteger(value) ? value : view.getBigInt64(0);
  },
};

const FLOAT: FixedWidthCodec = {
  name: "float",
  deserializer: "Deserializer",
  width: 4,
  schema: Schemas.OPTIONAL_FLOAT32,
  write(view, value) {
    const float = numberOf(value);
    if (typeof float !== "number") return `(was ${typeName(value)})`;
    view.setFloat32(0, float);
    return undefined;
  },
  read: (view) => view.getFloat32(0),
};

const DOUBLE: FixedWidthCodec = {
  name: "double",
  deserializer: "Deserializer",
  width: 8,
  schema: Schemas.OPTIONAL_FLOAT64,
  write(view, value) {
    const float = numberOf(value);
    if (typeof float !== "number") return `(was ${typeName(value)})`;
    view.setFloat64(0, float);
    return undefined;
  },
  read: (view) => view.getFloat64(0),
};

/** Kafka's NumberConverter: the shared behaviour of the five numeric converters. */
abstract class NumberConverter implements Converter, HeaderConverter {
  constructor(private readonly codec: FixedWidthCodec) {}

  config(): ConfigDef {
    return NUMBER_CONVERTER_CONFIG_DEF;
  }

  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    new AbstractConfig(NUMBER_CONVERTER_CONFIG_DEF, withConverterType(configs, isKey));
  }

  fromConnectData(_topic: string, _headers: Headers, _schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const bytes = new Uint8Array(this.codec.width);
    const problem = this.codec.write(new DataView(bytes.buffer), value);
    if (problem === undefined) return bytes;
    // Kafka words it "(was <class>)" for a value of another class, and adds the serializer's reason otherwise.
    const separator = problem.startsWith("(") ? " " : ": ";
    throw new DataError(`Failed to serialize to ${this.codec.name}${separator}${problem}`);
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    const { codec } = this;
    if (bytes === null) return { schema: codec.schema, value: null };
    if (bytes.length !== codec.width) {
      throw new DataError(
        `Failed to deserialize ${codec.name}: Size of data received by ${codec.deserializer} is not ${codec.width}`,
      );
    }
    return { schema: codec.schema, value: codec.read(new DataView(bytes.buffer, bytes.byteOffset, codec.width)) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}

/** `org.apache.kafka.connect.converters.ShortConverter`: 2 bytes, schema optional int16. */
export class ShortConverter extends NumberConverter {
  constructor() {
    super(SHORT);
  }
}

/** `org.apache.kafka.connect.converters.IntegerConverter`: 4 bytes, schema optional int32. */
export class IntegerConverter extends NumberConverter {
  constructor() {
    super(INTEGER);
  }
}

/** `org.apache.kafka.connect.converters.LongConverter`: 8 bytes, schema optional int64. */
export class LongConverter extends NumberConverter {
  constructor() {
    super(LONG);
  }
}

/** `org.apache.kafka.connect.converters.FloatConverter`: 4 bytes (IEEE 754 single), schema optional float32. */
export class FloatConverter extends NumberConverter {
  constructor() {
    super(FLOAT);
  }
}

/** `org.apache.kafka.connect.converters.DoubleConverter`: 8 bytes (IEEE 754 double), schema optional float64. */
export class DoubleConverter extends NumberConverter {
  constructor() {
    super(DOUBLE);
  }
}
