import { SchemaBuilder } from "../../../src/index.ts";
import { type ArrayElement, parseArrayLiteral } from "./array-literal.ts";
import type { PgType } from "./pg-type-registry.ts";
import { scalarMapping } from "./scalar-mapping.ts";
import type { TypeMappingOptions } from "./type-mapping-options.ts";
import type { ColumnShape, ValueMapping } from "./value-mapping.ts";

/**
 * Arrays, as Debezium's PostgresValueConverter maps them: an array schema of the element's mapping, each element
 * converted as a value of the element type would be (null elements stay null).
 */

/** Element types Debezium maps explicitly, with optional element schemas. */
const LISTED_ELEMENTS: ReadonlySet<string> = new Set([
  "int2",
  "int4",
  "int8",
  "oid",
  "char",
  "varchar",
  "text",
  "bpchar",
  "inet",
  "cidr",
  "macaddr",
  "macaddr8",
  "tsrange",
  "tstzrange",
  "daterange",
  "int4range",
  "numrange",
  "int8range",
  "numeric",
  "float4",
  "float8",
  "bool",
  "date",
  "uuid",
  "json",
  "jsonb",
  "time",
  "timetz",
  "timestamp",
  "timestamptz",
  "bytea",
  "citext",
  "hstore",
]);

/**
 * Element types whose arrays Debezium leaves out (money[], name[], interval[], varbit[], xml[], point[],
 * refcursor[] are "still to be implemented"; bit[] gets a scalar schema its array values cannot fit).
 */
const UNSUPPORTED_ELEMENTS: ReadonlySet<string> = new Set([
  "money",
  "name",
  "interval",
  "varbit",
  "xml",
  "point",
  "refcursor",
  "bit",
]);

/**
 * The mapping of an array column whose elements are `element` (with the column's shape, which Debezium gives its
 * element column too), or null when Debezium leaves the column out. Elements of a multidimensional array are
 * themselves arrays, which Debezium's element converters do not recognise: they become null.
 */
export function arrayMapping(element: PgType, shape: ColumnShape, options: TypeMappingOptions): ValueMapping | null {
  if (UNSUPPORTED_ELEMENTS.has(element.name) || element.baseOid !== 0) return null;
  const elementMapping = scalarMapping(element, shape, options, "element");
  if (!elementMapping) return null;
  // Debezium declares listed element types optional; enums and the rest keep their required schema
  const optional = LISTED_ELEMENTS.has(element.name) && !element.enumLabels;
  const elementSchema = () => {
    const builder = elementMapping.schema();
    return (optional ? builder.optional() : builder).build();
  };
  const column = shape.name;
  return {
    schema: () => SchemaBuilder.array(elementSchema()),
    converter: (schema) => {
      const convert = elementMapping.converter(schema.valueSchema ?? elementSchema());
      return (text) => {
        const elements = parseArrayLiteral(text, column);
        const values = new Array<unknown>(elements.length);
        for (let i = 0; i < elements.length; i++) {
          const e: ArrayElement = elements[i] as ArrayElement;
          values[i] = typeof e === "string" ? convert(e) : null;
        }
        return values;
      };
    },
  };
}
