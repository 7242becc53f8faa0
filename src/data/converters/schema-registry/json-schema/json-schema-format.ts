/**
 * The JSON Schema format of Confluent's JsonSchemaConverter (`io.confluent.connect.json.JsonSchemaConverter`): the
 * body after the schema id is the value's JSON text, and schemas map as Confluent's JsonSchemaData maps them.
 *
 * Per record there is no schema work: the document derived for a Connect schema is cached per Schema object, the
 * Connect schema derived for a registry schema per schema text (both LRU, `schemas.cache.config` entries), and the
 * validator per parsed schema. Writing produces the text directly (value-writer.ts), laid out as Jackson's pretty
 * printer with `json.indent.output`; reading uses `JSON.parse` unless the schema needs number literals (a Decimal, a
 * union, bytes) or a digit run may not fit a double.
 *
 * Validation (`json.fail.invalid.schema`, off by default as in Confluent) uses Ajv 8: the most used and best kept
 * JSON Schema validator for JS (drafts 7, 2019-09 and 2020-12), and it compiles a schema into a function once, so the
 * per-record check is cheap. Measured with bench/data/json-schema-format.ts (Bun, datagen orders of about 300 bytes:
 * 7 fields, a nested customer and address, 3 item structs): serialize 2.9 µs per record (JSON.stringify + encode of
 * the same data: 0.6-1.0 µs), serialize and validate 4.3-4.5 µs, of which the compiled check is 0.05 µs and parsing
 * the written text again for it 1.1 µs; deserialize 2.9 µs (decode + JSON.parse: 1.3 µs), deserialize and validate
 * 3.0-3.1 µs (the tree JSON.parse made is checked as it is). Compiling costs 20-40 ms for the first document (Ajv
 * warming up) and about 9 ms for each further one, once per schema, on first use. Without the key, nothing of Ajv
 * runs beyond loading the module.
 */
import { ConfigError, DataError } from "../../../../api/errors.ts";
import type { Schema, SchemaAndValue } from "../../../../api/schema.ts";
import { JsonSyntaxError, parseJson, RawNumber } from "../../json-parser.ts";
import { LruCache } from "../../lru-cache.ts";
import type { ParsedSchema, RegistrySchema, SchemaFormat } from "../schema-format.ts";
import { isUnionSchema } from "./connect-names.ts";
import { fromConnectSchema } from "./from-connect-schema.ts";
import type { JsonSchemaDataSettings } from "./json-schema-data-config.ts";
import { parseJsonSchemaDataConfig } from "./json-schema-data-config.ts";
import { toDataError } from "./path-failure.ts";
import { prettyJson } from "./pretty-json.ts";
import { loadSchema, parseSchemaDocument } from "./schema-loader.ts";
import { printSchema } from "./schema-printer.ts";
import { toConnectSchema } from "./to-connect-schema.ts";
import { readValue } from "./value-reader.ts";
import { compileValidator } from "./value-validator.ts";
import { writeValue } from "./value-writer.ts";

export { jsonSchemaDataConfigDef } from "./json-schema-data-config.ts";

/** A JSON Schema from the registry or derived from a Connect schema, with what reading and writing need. */
export interface JsonSchemaParsedSchema extends ParsedSchema {
  /**
   * The Connect schema Confluent reads this schema's data with (JsonSchemaData.toConnectSchema), derived once per
   * registry version (the root takes it when the document has no `connect.version`).
   */
  readonly connectSchema: (version?: number | null) => Schema;
  /** Throws a DataError when a JSON value does not match the schema; compiled on first use. */
  readonly validate: (value: unknown) => void;
}

export interface JsonSchemaFormat extends SchemaFormat<JsonSchemaParsedSchema> {
  /**
   * As `serialize`, but null where Confluent's converter writes no bytes at all (a null value of a required schema
   * without default: JsonSchemaData gives Java's null, and the serializer returns null, a null record value), which
   * `serialize` refuses with a DataError.
   */
  serializeOrNull(writer: JsonSchemaParsedSchema, schema: Schema | null, value: unknown): Uint8Array | null;
}

/**
 * A registry schema with what Confluent's deserializer also knows of it, for the converter to add when it has it:
 * - `version`: the version the registry gives it under its subject (`GET /subjects/{s}/versions/{v}`); the root
 *   Connect schema takes it when the document has no `connect.version`. Without it, no version is set.
 * - `resolvedReferences`: the text of each referenced schema by reference name (Confluent's resolvedReferences),
 *   which a `$ref` to another document resolves in. Needed when `references` is not empty.
 */
export type ResolvedRegistrySchema = RegistrySchema & {
  readonly version?: number;
  readonly resolvedReferences?: Readonly<Record<string, string>>;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
/** A digit run a double may not hold exactly (an int64 beyond 2^53): then the lossless parser reads the text. */
const MAYBE_INEXACT_NUMBER = /\d[\d.]{15}/;

/** Number literals a union or a Decimal must see as written: integers as numbers (when safe), the rest as text. */
function literalNumber(text: string): unknown {
  if (/^-?\d+$/.test(text)) {
    const value = Number(text);
    if (Number.isSafeInteger(value)) return value;
  }
  return new RawNumber(text);
}

const literalNeeds = new WeakMap<Schema, boolean>();

/** Whether reading data of this schema needs number literals: it holds a Decimal, bytes or a union somewhere. */
function needsLiterals(schema: Schema | undefined): boolean {
  if (schema === undefined) return false;
  let needs = literalNeeds.get(schema);
  if (needs === undefined) {
    literalNeeds.set(schema, false);
    needs =
      schema.type === "bytes" ||
      (schema.type === "struct" && isUnionSchema(schema)) ||
      needsLiterals(schema.keySchema) ||
      needsLiterals(schema.valueSchema) ||
      (schema.fields ?? []).some((field) => needsLiterals(field.schema));
    literalNeeds.set(schema, needs);
  }
  return needs;
}

export function createJsonSchemaFormat(configs: Readonly<Record<string, string>>): JsonSchemaFormat {
  const settings = parseJsonSchemaDataConfig(configs);
  if (settings.preserveAdditionalProperties)
    throw new ConfigError(
      "preserve.additional.properties=true is not supported: Confluent keeps the extra properties as Variant values (Parquet's variant encoding), which sluice does not have",
      { key: "preserve.additional.properties" },
    );
  const writeOptions = {
    decimalNumeric: settings.decimalFormat === "NUMERIC",
    ignoreDefaultForNullables: settings.ignoreDefaultForNullables,
  };
  const fromConnect = new LruCache<Schema, JsonSchemaParsedSchema>(settings.schemaCacheSize);
  const parsed = new LruCache<string, JsonSchemaParsedSchema>(settings.schemaCacheSize);

  const make = (registry: RegistrySchema, recordName: string | null): JsonSchemaParsedSchema => {
    let connectSchema: Schema | undefined;
    const versioned = new Map<number, Schema>();
    let validate: ((value: unknown) => void) | undefined;
    return {
      registry,
      recordName,
      connectSchema: (version?: number | null) => {
        if (version === undefined || version === null) {
          connectSchema ??= readSchemaOf(registry as ResolvedRegistrySchema, settings);
          return connectSchema;
        }
        let schema = versioned.get(version);
        if (schema === undefined) {
          schema = readSchemaOf({ ...(registry as ResolvedRegistrySchema), version }, settings);
          versioned.set(version, schema);
        }
        return schema;
      },
      validate: (value) => {
        validate ??= compileValidator(registry.schema, (registry as ResolvedRegistrySchema).resolvedReferences);
        validate(value);
      },
    };
  };

  const toText = (writer: JsonSchemaParsedSchema, schema: Schema | null, value: unknown): string | undefined => {
    if (schema === null)
      throw new DataError(
        "JsonSchemaConverter needs a schema: Confluent's JsonSchemaData derives no JSON Schema for schemaless data",
      );
    let json: string | undefined;
    try {
      json = writeValue(schema, value, writeOptions);
    } catch (error) {
      throw toDataError(error, "Converting Kafka Connect data to JSON failed");
    }
    if (json === undefined) return undefined;
    if (settings.failInvalidSchema) writer.validate(JSON.parse(json));
    return settings.indentOutput ? prettyJson(json) : json;
  };

  const format: JsonSchemaFormat = {
    schemaType: "JSON",
    fromConnectSchema(schema) {
      if (schema === null)
        throw new DataError(
          "JsonSchemaConverter needs a schema: Confluent's JsonSchemaData derives no JSON Schema for schemaless data",
        );
      let result = fromConnect.get(schema);
      if (result === undefined) {
        const node = fromConnectSchema(schema, { ...writeOptions, ...settings });
        result = make({ schemaType: "JSON", schema: printSchema(node), references: [] }, node.title ?? null);
        fromConnect.set(schema, result);
      }
      return result;
    },
    parse(given, references) {
      // References come resolved from the converter, or with the schema (ResolvedRegistrySchema).
      const registry: ResolvedRegistrySchema =
        references === undefined ? given : { ...given, resolvedReferences: Object.fromEntries(references) };
      const { version, resolvedReferences } = registry;
      const missing = registry.references.filter((reference) => resolvedReferences?.[reference.name] === undefined);
      if (missing.length > 0)
        throw new DataError(
          `JSON Schema references need their documents (resolvedReferences): missing ${missing.map((r) => `${r.name} (${r.subject} version ${r.version})`).join(", ")}`,
        );
      const names = registry.references.map((reference) => reference.name).sort();
      const key = `${version ?? ""}\u0000${names.map((name) => `${name}\u0001${resolvedReferences?.[name]}`).join("\u0000")}\u0000${registry.schema}`;
      let result = parsed.get(key);
      if (result === undefined) {
        const document = parseSchemaDocument(registry.schema);
        const title =
          typeof document === "object" && document !== null ? (document as { title?: unknown }).title : undefined;
        result = make(registry, typeof title === "string" ? title : null);
        parsed.set(key, result);
      }
      return result;
    },
    serialize(writer, schema, value) {
      const json = toText(writer, schema, value);
      if (json === undefined)
        throw new DataError(
          "A null value for a required schema without default has no JSON Schema body (Confluent writes a null record value)",
        );
      return encoder.encode(json);
    },
    serializeOrNull(writer, schema, value) {
      const json = toText(writer, schema, value);
      return json === undefined ? null : encoder.encode(json);
    },
    deserialize(writer, body, version) {
      const schema = writer.connectSchema(version);
      let text: string;
      try {
        text = decoder.decode(body);
      } catch (cause) {
        throw new DataError("Converting byte[] to Kafka Connect data failed: the body is not UTF-8", { cause });
      }
      const { tree, strict } = parseBody(text, needsLiterals(schema));
      if (settings.failInvalidSchema) writer.validate(strict ? tree : JSON.parse(text));
      try {
        return { schema, value: readValue(schema, tree) } satisfies SchemaAndValue;
      } catch (error) {
        throw toDataError(error, "Converting byte[] to Kafka Connect data failed");
      }
    },
  };
  return format;
}

function readSchemaOf(registry: ResolvedRegistrySchema, settings: JsonSchemaDataSettings): Schema {
  const references = new Map(
    registry.references.map((reference) => [
      reference.name,
      parseSchemaDocument(registry.resolvedReferences?.[reference.name] ?? "{}"),
    ]),
  );
  return toConnectSchema(loadSchema(parseSchemaDocument(registry.schema), references), settings, registry.version);
}

/** The body's JSON tree; `strict` when it came from JSON.parse (plain numbers, fit for the validator as it is). */
function parseBody(text: string, literals: boolean): { tree: unknown; strict: boolean } {
  if (!literals && !MAYBE_INEXACT_NUMBER.test(text)) {
    try {
      return { tree: JSON.parse(text), strict: true };
    } catch {
      // Not strict JSON (content after the value, say, which Jackson ignores): the lossless parser says where.
    }
  }
  try {
    if (text.trim() === "") throw new JsonSyntaxError("No content to map due to end-of-input", 0);
    const tree = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
      number: literalNumber,
      allowTrailingContent: true,
    });
    return { tree, strict: false };
  } catch (cause) {
    throw new DataError(`Converting byte[] to Kafka Connect data failed: invalid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}
