import { DataError } from "../../api/errors.ts";
import type { Schema, SchemaType } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { JsonDecodeOptions } from "./json-decode.ts";
import { decodeJsonValue } from "./json-decode.ts";
import type { JsonEncodeOptions } from "./json-encode.ts";
import { encodeJsonValue, jsonString } from "./json-encode.ts";
import { RawNumber } from "./json-parser.ts";
import { LruCache } from "./lru-cache.ts";

/**
 * Schemas to and from JsonConverter's envelope form (Kafka's JsonSchema / asJsonSchema / asConnectSchema). The JSON
 * of a schema is cached per Schema object, so a record whose schema was seen before costs one lookup; parsed
 * schemas are cached by their JSON text, at most `schemas.cache.size` of them.
 */

const TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  boolean: "boolean",
  int8: "int8",
  int16: "int16",
  int32: "int32",
  int64: "int64",
  float32: "float",
  float64: "double",
  bytes: "bytes",
  string: "string",
  array: "array",
  map: "map",
  struct: "struct",
};

const TYPES_BY_NAME: ReadonlyMap<string, SchemaType> = new Map(
  Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

export class JsonSchemaCodec {
  private readonly jsonBySchema = new WeakMap<Schema, string>();
  private readonly schemaByJson: LruCache<string, Schema>;

  constructor(
    private readonly encodeOptions: JsonEncodeOptions,
    private readonly decodeOptions: Omit<JsonDecodeOptions, "lossless">,
    cacheSize: number,
  ) {
    this.schemaByJson = new LruCache(cacheSize);
  }

  /** The schema's JSON, with keys in Kafka's order: type, items/keys/values/fields, optional, name, ..., default. */
  toJson(schema: Schema): string {
    const cached = this.jsonBySchema.get(schema);
    if (cached !== undefined) return cached;
    let json = `{"type":"${TYPE_NAMES[schema.type]}"`;
    const child = (inner: Schema | undefined, what: string) => {
      if (!inner) throw new DataError(`Couldn't translate unsupported schema: ${schema.type} schema without ${what}.`);
      return this.toJson(inner);
    };
    switch (schema.type) {
      case "array":
        json += `,"items":${child(schema.valueSchema, "an element schema")}`;
        break;
      case "map":
        json += `,"keys":${child(schema.keySchema, "a key schema")},"values":${child(schema.valueSchema, "a value schema")}`;
        break;
      case "struct": {
        // Kafka copies each field's schema and appends "field" to it, so the name comes last.
        const fields = (schema.fields ?? []).map(
          (f) => `${this.toJson(f.schema).slice(0, -1)},"field":${jsonString(f.name)}}`,
        );
        json += `,"fields":[${fields.join(",")}]`;
        break;
      }
    }
    json += `,"optional":${schema.optional}`;
    if (schema.name !== undefined) json += `,"name":${jsonString(schema.name)}`;
    if (schema.version !== undefined) json += `,"version":${schema.version}`;
    if (schema.doc !== undefined) json += `,"doc":${jsonString(schema.doc)}`;
    if (schema.parameters !== undefined) {
      const params = Object.entries(schema.parameters).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`);
      json += `,"parameters":{${params.join(",")}}`;
    }
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      json += `,"default":${encodeJsonValue(schema, schema.defaultValue, this.encodeOptions)}`;
    json += "}";
    this.jsonBySchema.set(schema, json);
    return json;
  }

  /** The Schema a parsed envelope `schema` node describes; null for a JSON null. */
  fromJson(node: unknown, lossless: boolean): Schema | null {
    if (node === null || node === undefined) return null;
    // Trees from the lossless parser hold RawNumbers, whose JSON text would not be a faithful key.
    const key = lossless ? undefined : JSON.stringify(node);
    const cached = key === undefined ? undefined : this.schemaByJson.get(key);
    if (cached) return cached;
    const schema = this.build(node, lossless);
    if (key !== undefined) this.schemaByJson.set(key, schema);
    return schema;
  }

  /**
   * The Schema whose JSON text is `text`, exactly as it stands in the bytes, or undefined if `text` is not one
   * complete JSON object. Lets a reader skip parsing the schema of an envelope it has seen before.
   */
  fromText(text: string): Schema | undefined {
    const cached = this.schemaByJson.get(text);
    if (cached) return cached;
    let node: unknown;
    try {
      node = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof node !== "object" || node === null) return undefined;
    const schema = this.build(node, false);
    this.schemaByJson.set(text, schema);
    return schema;
  }

  /** How many parsed schemas are cached (Kafka's sizeOfToConnectSchemaCache, for tests). */
  get cachedSchemaCount(): number {
    return this.schemaByJson.size;
  }

  private build(node: unknown, lossless: boolean): Schema {
    const object = (typeof node === "object" && node !== null && !Array.isArray(node) ? node : {}) as Record<
      string,
      unknown
    >;
    const get = (key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
    const typeName = get("type");
    if (typeof typeName !== "string") throw new DataError("Schema must contain 'type' field");
    const type = TYPES_BY_NAME.get(typeName);
    if (type === undefined) throw new DataError(`Unknown schema type: ${typeName}`);
    let builder: SchemaBuilder;
    if (type === "array") {
      const items = get("items");
      if (items === undefined || items === null) throw new DataError("Array schema did not specify the element type");
      builder = SchemaBuilder.array(this.build(items, lossless));
    } else if (type === "map") {
      const keys = get("keys");
      if (keys === undefined || keys === null) throw new DataError("Map schema did not specify the key type");
      const values = get("values");
      if (values === undefined || values === null) throw new DataError("Map schema did not specify the value type");
      builder = SchemaBuilder.map(this.build(keys, lossless), this.build(values, lossless));
    } else if (type === "struct") {
      builder = SchemaBuilder.struct();
      const fields = get("fields");
      if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
      for (const field of fields) {
        const name = typeof field === "object" && field !== null ? (field as Record<string, unknown>).field : undefined;
        if (typeof name !== "string") throw new DataError("Struct schema's field name not specified properly");
        try {
          builder.field(name, this.build(field, lossless));
        } catch (cause) {
          if (cause instanceof DataError) throw cause;
          throw new DataError(`Invalid struct schema: ${(cause as Error).message}`, { cause });
        }
      }
    } else {
      builder = new SchemaBuilder(type);
    }
    if (get("optional") === true) builder.optional();
    const name = get("name");
    if (typeof name === "string") builder.name(name);
    const version = get("version");
    if (typeof version === "number" && Number.isInteger(version)) builder.version(version);
    else if (version instanceof RawNumber && version.integral) builder.version(Number(version.text));
    const doc = get("doc");
    if (typeof doc === "string") builder.doc(doc);
    const parameters = get("parameters");
    if (typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)) {
      for (const [key, value] of Object.entries(parameters)) {
        if (typeof value !== "string") throw new DataError("Schema parameters must have string values.");
        builder.parameter(key, value);
      }
    }
    const withoutDefault = builder.build();
    if (!Object.hasOwn(object, "default")) return withoutDefault;
    const defaultValue = decodeJsonValue(withoutDefault, get("default"), { ...this.decodeOptions, lossless });
    if (defaultValue === null) return withoutDefault;
    return builder.defaultValue(defaultValue).build();
  }
}
