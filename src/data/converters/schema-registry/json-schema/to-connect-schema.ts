import { DataError } from "../../../../api/errors.ts";
import type { Schema, SchemaType } from "../../../../api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../../api/schema.ts";
import { RawNumber } from "../../json-parser.ts";
import {
  CONNECT_INDEX,
  CONNECT_PARAMETERS,
  CONNECT_TYPE,
  CONNECT_VERSION,
  GENERALIZED_TYPE_ENUM,
  GENERALIZED_TYPE_UNION,
  GENERALIZED_TYPE_UNION_FIELD_PREFIX,
  GENERALIZED_TYPE_UNION_PREFIX,
  JSON_TYPE_ENUM,
  JSON_TYPE_ONE_OF,
  NULL_MARKER,
} from "./connect-names.ts";
import { copiedHashOrder } from "./java-hash-order.ts";
import { toDataError } from "./path-failure.ts";
import type { SchemaNode } from "./schema-node.ts";
import { readValue } from "./value-reader.ts";

/**
 * A JSON Schema (as schema-loader.ts models it) to the Connect schema Confluent's JsonSchemaData.toConnectSchema
 * derives, for documents Confluent generated and for those other producers wrote: `connect.type` picks the Connect
 * type (a number without one is int64 for `integer`, float64 otherwise), `title` names the schema, a oneOf or anyOf of
 * `null` and one schema is that schema made optional, other oneOf/anyOf become union structs, allOf is merged as
 * JsonSchemaData merges it, enums and consts become strings with Enum parameters, and object properties become fields
 * ordered by `connect.index` (without one, in the order Java's HashMap gives them). `$ref`s within the document are
 * followed; a schema that refers to itself has no Connect equivalent here and is refused.
 */

export interface ToConnectOptions {
  readonly generalizedSumTypeSupport: boolean;
  readonly flattenSingletonUnions: boolean;
  readonly useOptionalForNonRequired: boolean;
}

type Node<K extends SchemaNode["kind"]> = Extract<SchemaNode, { kind: K }>;

/**
 * `version` is the registry's version of the schema, which Confluent's deserializer hands over: the root schema
 * (and what it stands for through a nullable oneOf, a $ref or an allOf) takes it when it has no `connect.version`.
 */
export function toConnectSchema(node: SchemaNode, options: ToConnectOptions, version?: number): Schema {
  return new ToConnect(options).convert(node, false, version);
}

function intOf(value: unknown): number | undefined {
  if (value instanceof RawNumber) return Number(value.text);
  return typeof value === "number" ? value : undefined;
}

class ToConnect {
  private unionIndex = 0;
  private readonly building = new Set<SchemaNode>();

  constructor(private readonly options: ToConnectOptions) {}

  convert(node: SchemaNode, forceOptional: boolean, version?: number): Schema {
    let builder: SchemaBuilder | undefined;
    switch (node.kind) {
      case "boolean":
        builder = new SchemaBuilder("boolean");
        break;
      case "number":
        builder = this.number(node);
        break;
      case "string":
        builder = new SchemaBuilder(node.unprocessed.get(CONNECT_TYPE) === "bytes" ? "bytes" : "string");
        break;
      case "const":
        builder = this.enums([node.value]);
        break;
      case "enum":
        builder = this.enums(node.values);
        break;
      case "combined": {
        if (node.subschemas.length === 1 && this.options.flattenSingletonUnions)
          return this.convert(node.subschemas[0] as SchemaNode, false);
        if (node.criterion === "allOf") return this.allOf(node, forceOptional, version);
        if (node.subschemas.length === 2) {
          const nonNull = node.subschemas.filter((s) => s.kind !== "null");
          if (nonNull.length === 1) return this.convert(nonNull[0] as SchemaNode, true, version);
        }
        const name = this.options.generalizedSumTypeSupport
          ? `${GENERALIZED_TYPE_UNION_PREFIX}${this.unionIndex++}`
          : JSON_TYPE_ONE_OF;
        builder = SchemaBuilder.struct().name(name);
        if (this.options.generalizedSumTypeSupport) builder.parameter(GENERALIZED_TYPE_UNION, name);
        let index = 0;
        for (const sub of node.subschemas) {
          if (sub.kind === "null") builder.optional();
          else {
            const fieldName = this.options.generalizedSumTypeSupport
              ? `${GENERALIZED_TYPE_UNION_FIELD_PREFIX}${index}`
              : `${name}.field.${index}`;
            builder.field(fieldName, this.convert(sub, true));
            index++;
          }
        }
        break;
      }
      case "array": {
        const items = node.items;
        if (items === undefined) throw new DataError("Array schema did not specify the items type");
        if (node.unprocessed.get(CONNECT_TYPE) === "map" && items.kind === "object") {
          const key = items.properties.get("key");
          const value = items.properties.get("value");
          if (key === undefined || value === undefined)
            throw new DataError("A map schema's entries need both a key and a value property");
          builder = SchemaBuilder.map(this.convert(key, false), this.convert(value, false));
        } else builder = SchemaBuilder.array(this.convert(items, false));
        break;
      }
      case "object":
        builder = this.object(node);
        break;
      case "ref": {
        const target = node.target();
        if (target === undefined) throw new DataError(`Unresolvable $ref: ${node.ref}`);
        if (this.building.has(target))
          throw new DataError(`Recursive schemas are not supported: ${node.ref} refers to a schema that contains it`);
        return this.convert(target, forceOptional, version);
      }
      case "empty":
        throw new DataError(
          "Unsupported schema: an empty schema ({} or true) maps to Confluent's Variant, which sluice lacks",
        );
      case "unsupported":
        throw new DataError(`Unsupported schema type: ${node.keyword}`);
    }
    return this.finish(builder as SchemaBuilder, node, forceOptional, version);
  }

  private finish(builder: SchemaBuilder, node: SchemaNode, forceOptional: boolean, registryVersion?: number): Schema {
    if (node.title !== undefined && builder.build().name === undefined) builder.name(node.title);
    const version = intOf(node.unprocessed.get(CONNECT_VERSION)) ?? registryVersion;
    if (version !== undefined) builder.version(version);
    if (node.description !== undefined) builder.doc(node.description);
    const parameters = node.unprocessed.get(CONNECT_PARAMETERS);
    if (typeof parameters === "object" && parameters !== null && !(parameters instanceof RawNumber))
      for (const [key, value] of Object.entries(parameters))
        builder.parameter(key, value instanceof RawNumber ? value.text : String(value));
    if (node.defaultValue !== undefined) {
      try {
        builder.defaultValue(readValue(builder.build(), node.defaultValue.json ?? null));
      } catch (error) {
        throw toDataError(error, "Invalid default value");
      }
    }
    if (forceOptional) builder.optional();
    return builder.build();
  }

  private number(node: Node<"number">): SchemaBuilder {
    const type = node.unprocessed.get(CONNECT_TYPE);
    if (type === undefined) return new SchemaBuilder(node.integer ? "int64" : "float64");
    switch (type) {
      case "int8":
      case "int16":
      case "int32":
      case "int64":
      case "float32":
      case "float64":
      case "bytes":
        return new SchemaBuilder(type as SchemaType);
      default:
        throw new DataError(`Unsupported type ${String(type)}`);
    }
  }

  private enums(values: readonly unknown[]): SchemaBuilder {
    const generalized = this.options.generalizedSumTypeSupport;
    const param = generalized ? GENERALIZED_TYPE_ENUM : JSON_TYPE_ENUM;
    const builder = new SchemaBuilder("string").parameter(param, "");
    values.forEach((value, i) => {
      const symbol =
        value === null
          ? NULL_MARKER
          : value instanceof RawNumber
            ? value.text
            : typeof value === "object"
              ? JSON.stringify(value)
              : String(value);
      builder.parameter(`${param}.${symbol}`, generalized ? String(i) : symbol);
    });
    return builder;
  }

  private object(node: Node<"object">): SchemaBuilder {
    if (node.unprocessed.get(CONNECT_TYPE) === "map") {
      if (node.additionalSchema === undefined) throw new DataError("A map schema needs additionalProperties");
      return SchemaBuilder.map(Schemas.STRING, this.convert(node.additionalSchema, false));
    }
    this.building.add(node);
    try {
      // Confluent files properties by connect.index in a TreeMap; one without an index takes the map's size then.
      const sorted = new Map<number, string>();
      for (const name of copiedHashOrder([...node.properties.keys()])) {
        const index = intOf((node.properties.get(name) as SchemaNode).unprocessed.get(CONNECT_INDEX)) ?? sorted.size;
        sorted.set(index, name);
      }
      const builder = SchemaBuilder.struct();
      for (const index of [...sorted.keys()].sort((a, b) => a - b)) {
        const name = sorted.get(index) as string;
        const optional = this.options.useOptionalForNonRequired && !node.required.includes(name);
        builder.field(name, this.convert(node.properties.get(name) as SchemaNode, optional));
      }
      return builder;
    } finally {
      this.building.delete(node);
    }
  }

  private allOf(node: Node<"combined">, forceOptional: boolean, version?: number): Schema {
    const found: Partial<Record<SchemaNode["kind"], SchemaNode>> = {};
    const properties = new Map<string, SchemaNode>();
    const required = new Map<string, boolean>();
    for (const sub of node.subschemas) {
      found[sub.kind] = sub;
      this.collectProperties(sub, properties, required, new Set());
    }
    if (properties.size > 0) {
      this.building.add(node);
      try {
        const builder = SchemaBuilder.struct();
        for (const [name, sub] of properties) {
          const optional = this.options.useOptionalForNonRequired && !required.get(name);
          builder.field(name, this.convert(sub, optional));
        }
        if (forceOptional) builder.optional();
        return builder.build();
      } finally {
        this.building.delete(node);
      }
    }
    const { combined, const: constant, enum: enumeration, number, string, ref } = found;
    if (combined) return this.convert(combined, forceOptional, version);
    if (constant) {
      if (string) return this.convert(string, forceOptional, version);
      if (number) return this.convert(number, forceOptional, version);
    } else if (enumeration) {
      if (string) return this.convert(enumeration, forceOptional, version);
      if (number) return this.convert(number, forceOptional, version);
    } else if (string) {
      return this.convert(number ?? string, forceOptional, version);
    } else if (ref) return this.convert(ref, forceOptional, version);
    throw new DataError("Unsupported criterion allOf for this schema");
  }

  private collectProperties(
    node: SchemaNode,
    properties: Map<string, SchemaNode>,
    required: Map<string, boolean>,
    visited: Set<SchemaNode>,
  ): void {
    if (visited.has(node)) return;
    visited.add(node);
    if (node.kind === "combined" && node.criterion === "allOf")
      for (const sub of node.subschemas) this.collectProperties(sub, properties, required, visited);
    else if (node.kind === "object")
      for (const name of copiedHashOrder([...node.properties.keys()])) {
        properties.set(name, node.properties.get(name) as SchemaNode);
        required.set(name, node.required.includes(name));
      }
    else if (node.kind === "ref") {
      const target = node.target();
      if (target !== undefined) this.collectProperties(target, properties, required, visited);
    }
  }
}
