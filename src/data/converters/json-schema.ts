import { Decimal } from "../../api/decimal.ts";
import type { Schema } from "../../api/schema.ts";
import { schemaFromNode, schemaToNode } from "./envelope-schema.ts";
import { exactNumber } from "./json-decimal-literals.ts";
import type { JsonDecodeOptions } from "./json-decode.ts";
import { decodeJsonValue } from "./json-decode.ts";
import type { JsonEncodeOptions } from "./json-encode.ts";
import { encodeJsonValue, jsonString } from "./json-encode.ts";
import { parseJson } from "./json-parser.ts";
import { LruCache } from "./lru-cache.ts";

/**
 * Schemas to and from JsonConverter's envelope form (Kafka's JsonSchema / asJsonSchema / asConnectSchema). The JSON
 * of a schema is cached per Schema object, so a record whose schema was seen before costs one lookup; parsed
 * schemas are cached by their JSON text, at most `schemas.cache.size` of them.
 */

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
    const json = nodeJson(
      schemaToNode(schema, (inner, value) => new JsonText(encodeJsonValue(inner, value, this.encodeOptions))),
    );
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
    // A Decimal default keeps the scale of its literal (json-decimal-literals.ts).
    const exact = text.includes(Decimal.LOGICAL_NAME);
    let node: unknown;
    try {
      node = exact ? parseJson(text, { number: exactNumber }) : JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof node !== "object" || node === null) return undefined;
    const schema = this.build(node, exact);
    this.schemaByJson.set(text, schema);
    return schema;
  }

  /** How many parsed schemas are cached (Kafka's sizeOfToConnectSchemaCache, for tests). */
  get cachedSchemaCount(): number {
    return this.schemaByJson.size;
  }

  private build(node: unknown, lossless: boolean): Schema {
    const options = { ...this.decodeOptions, lossless };
    return schemaFromNode(node, (schema, fallback) => decodeJsonValue(schema, fallback, options) ?? undefined);
  }
}

/** JSON text already written, placed in a schema tree as it is. */
class JsonText {
  constructor(readonly text: string) {}
}

function nodeJson(node: unknown): string {
  if (node instanceof JsonText) return node.text;
  if (typeof node === "string") return jsonString(node);
  if (Array.isArray(node)) return `[${node.map(nodeJson).join(",")}]`;
  if (typeof node === "object" && node !== null)
    return `{${Object.entries(node)
      .map(([key, value]) => `${jsonString(key)}:${nodeJson(value)}`)
      .join(",")}}`;
  return String(node);
}
