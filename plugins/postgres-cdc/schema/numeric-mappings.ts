import { DataError, Decimal, SchemaBuilder, Struct } from "../../../src/index.ts";
import {
  parseDecimal,
  parseMoney,
  setScaleHalfUp,
  stripTrailingZerosNonNegative,
  toPlainString,
  twosComplementBytes,
} from "./decimal-text.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/** pgjdbc's display size of an unconstrained numeric, which Debezium reads as "variable scale". */
export const VARIABLE_SCALE_DECIMAL_LENGTH = 131_089;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integer(column: string, min: number, max: number, type: string) {
  return (text: string): number => {
    const value = Number(text);
    // Number("") is 0 where Java's Integer.valueOf refuses the empty text
    if (!Number.isInteger(value) || value < min || value > max || text.length === 0)
      throw new DataError(`Cannot parse ${type} value '${text}' of column ${column}`);
    return value;
  };
}

export const booleanMapping: ValueMapping = {
  schema: () => new SchemaBuilder("boolean"),
  // pgoutput's text for true is `t`; Debezium compares case-insensitively and treats anything else as false
  converter: () => (text) => text === "t" || text === "T",
};

export function int16Mapping(shape: ColumnShape): ValueMapping {
  return { schema: () => new SchemaBuilder("int16"), converter: () => integer(shape.name, -32768, 32767, "smallint") };
}

export function int32Mapping(shape: ColumnShape): ValueMapping {
  return {
    schema: () => new SchemaBuilder("int32"),
    converter: () => integer(shape.name, -2147483648, 2147483647, "integer"),
  };
}

/** int8 and oid: a long, a bigint beyond 2^53. */
export function int64Mapping(shape: ColumnShape): ValueMapping {
  return {
    schema: () => new SchemaBuilder("int64"),
    converter: () => (text) => {
      const value = Number(text);
      if (Number.isSafeInteger(value)) return value;
      let big: bigint;
      try {
        big = BigInt(text);
      } catch (cause) {
        throw new DataError(`Cannot parse bigint value '${text}' of column ${shape.name}`, { cause });
      }
      if (big < INT64_MIN || big > INT64_MAX)
        throw new DataError(`Cannot parse bigint value '${text}' of column ${shape.name}: out of range`);
      return big;
    },
  };
}

function float(column: string, type: string) {
  return (text: string): number => {
    const value = Number(text);
    // Number("") is 0; Java's valueOf refuses it. NaN and the infinities come as NaN, Infinity, -Infinity.
    if (Number.isNaN(value) && text !== "NaN")
      throw new DataError(`Cannot parse ${type} value '${text}' of column ${column}`);
    if (text.length === 0) throw new DataError(`Cannot parse ${type} value '' of column ${column}`);
    return value;
  };
}

export function float32Mapping(shape: ColumnShape): ValueMapping {
  const parse = float(shape.name, "real");
  return { schema: () => new SchemaBuilder("float32"), converter: () => (text) => Math.fround(parse(text)) };
}

export function float64Mapping(shape: ColumnShape): ValueMapping {
  return { schema: () => new SchemaBuilder("float64"), converter: () => float(shape.name, "double precision") };
}

function variableScaleSchema(): SchemaBuilder {
  return SchemaBuilder.struct()
    .name("io.debezium.data.VariableScaleDecimal")
    .version(1)
    .doc("Variable scaled decimal")
    .field("scale", new SchemaBuilder("int32").build())
    .field("value", new SchemaBuilder("bytes").build());
}

/** Debezium's special numeric values: their names in string mode, doubles in double mode, an error in precise. */
const SPECIAL_NAMES: Readonly<Record<string, string>> = {
  NaN: "NAN",
  Infinity: "POSITIVE_INFINITY",
  "-Infinity": "NEGATIVE_INFINITY",
};

export function isVariableScale(shape: ColumnShape): boolean {
  return (shape.length === 0 || shape.length === VARIABLE_SCALE_DECIMAL_LENGTH) && shape.scale === 0;
}

/**
 * numeric/decimal by decimal.handling.mode. Precise: a Decimal with the column's scale and precision parameter,
 * or a VariableScaleDecimal struct (scale and unscaled bytes, trailing zeros stripped) when the column has no
 * precision. NaN and ±Infinity exist only in double (as doubles) and string (as NAN, POSITIVE_INFINITY,
 * NEGATIVE_INFINITY) modes; precise mode refuses them, as Debezium does.
 */
export function numericMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  const mode = options.decimalHandlingMode;
  const variable = isVariableScale(shape);
  // Debezium raises a value's scale to the column's (a default written with fewer digits); the variable-scale
  // length marks "no declared scale"
  const fixedScale = shape.length !== VARIABLE_SCALE_DECIMAL_LENGTH ? shape.scale : undefined;
  const adjust = (value: Decimal): Decimal => {
    let result = value.scale < shape.scale ? setScaleHalfUp(value, shape.scale) : value;
    if (fixedScale !== undefined && result.scale !== fixedScale) {
      const exact = result.withScale(fixedScale);
      if (!exact)
        throw new DataError(`Rounding necessary for value ${value} of column ${shape.name} (scale ${fixedScale})`);
      result = exact;
    }
    return result;
  };
  const special = (text: string): string | undefined => SPECIAL_NAMES[text];
  if (mode === "double")
    return {
      schema: () => new SchemaBuilder("float64"),
      converter: () => (text) => (special(text) ? Number(text) : adjust(parseDecimal(text, shape.name)).toNumber()),
    };
  if (mode === "string")
    return {
      schema: () => new SchemaBuilder("string"),
      converter: () => (text) => special(text) ?? toPlainString(adjust(parseDecimal(text, shape.name))),
    };
  const refuse = (_text: string): never => {
    throw new DataError(
      `Got a special value (NaN/Infinity) for Decimal type in column ${shape.name} but current mode does not handle it. If you need to support it then set decimal handling mode to 'string'.`,
    );
  };
  if (variable)
    return {
      schema: variableScaleSchema,
      converter: (schema) => (text) => {
        if (special(text)) return refuse(text);
        const value = stripTrailingZerosNonNegative(adjust(parseDecimal(text, shape.name)));
        return new Struct(schema).put("scale", value.scale).put("value", twosComplementBytes(value.unscaled));
      },
    };
  return {
    schema: () => Decimal.builder(shape.scale).parameter("connect.decimal.precision", String(shape.length)),
    converter: () => (text) => (special(text) ? refuse(text) : adjust(parseDecimal(text, shape.name))),
  };
}

/** money by decimal.handling.mode: precise values have money.fraction.digits digits (rounded half up). */
export function moneyMapping(shape: ColumnShape, options: TypeMappingOptions): ValueMapping {
  const digits = options.moneyFractionDigits;
  switch (options.decimalHandlingMode) {
    case "double":
      return {
        schema: () => new SchemaBuilder("float64"),
        converter: () => (text) => parseMoney(text, shape.name).toNumber(),
      };
    case "string":
      return {
        schema: () => new SchemaBuilder("string"),
        converter: () => (text) => toPlainString(parseMoney(text, shape.name)),
      };
    default:
      return {
        schema: () => Decimal.builder(digits),
        converter: () => (text) => setScaleHalfUp(parseMoney(text, shape.name), digits),
      };
  }
}
