import { DataError } from "../../../../api/errors.ts";
import { JsonSyntaxError, parseJson, RawNumber } from "../../json-parser.ts";
import { grownCapacity, hashOrder } from "./java-hash-order.ts";
import type { NodeCommon, SchemaNode } from "./schema-node.ts";

/**
 * A JSON Schema document, as the registry holds it, to the model everit's SchemaLoader builds (the classes
 * JsonSchemaData maps): `$ref` alone makes a reference; otherwise `enum`, `allOf`/`anyOf`/`oneOf`, `not`, `const`,
 * `type`, and the type keywords found without a `type` each make a schema, and several together an `allOf` (as
 * everit's "synthetic" allOf, which JsonSchemaData reads by allOfToConnectSchema). Each keyword is consumed by the
 * first that takes it; `title`, `description`, the id and `default` are common; whatever is left (`connect.type`,
 * `connect.index`, ...) is unprocessed. References resolve within the document: `#`, JSON pointers (with
 * `definitions` also reachable as `$defs`, as Confluent bridges them) and `$id`s. Numbers are kept as RawNumber.
 */

const ARRAY_KEYWORDS = ["items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"];
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "dependencies",
  "patternProperties",
  "additionalProperties",
  "propertyNames",
];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern", "format"];
const CONDITIONAL_KEYWORDS = ["if", "then", "else"];
/** everit finds the combining keywords with a HashSet: this is its order. */
const COMBINERS = hashOrder(["allOf", "anyOf", "oneOf"] as const, grownCapacity(3));

type Json = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawNumber);
}

export function parseSchemaDocument(text: string): unknown {
  try {
    return parseJson(text, { number: (literal) => new RawNumber(literal) });
  } catch (cause) {
    const detail = cause instanceof JsonSyntaxError ? cause.message : String(cause);
    throw new DataError(`Invalid JSON Schema: ${detail}`, { cause });
  }
}

/**
 * `references`: the documents a `$ref` may name besides `#...` (registry schema references), by reference name,
 * parsed. A `$ref` of `name` or `name#/pointer` (also `./name`) resolves in them.
 */
export function loadSchema(document: unknown, references: ReadonlyMap<string, unknown> = new Map()): SchemaNode {
  if (typeof document !== "boolean" && !isObject(document))
    throw new DataError("Invalid JSON Schema: expected an object or boolean at the root");
  const root = isObject(document) ? bridgeDefinitions(document) : document;
  return new Loader(root, idKeywordOf(root), new ReferencedDocuments(references)).load(root);
}

function idKeywordOf(root: unknown): string {
  return isObject(root) && typeof root.$schema === "string" && root.$schema.includes("draft-04") ? "id" : "$id";
}

/** The referenced documents, each loaded once by a loader of its own. */
class ReferencedDocuments {
  private readonly loaders = new Map<string, Loader>();

  constructor(private readonly documents: ReadonlyMap<string, unknown>) {}

  resolve(ref: string): SchemaNode | undefined {
    const hash = ref.indexOf("#");
    const name = (hash < 0 ? ref : ref.slice(0, hash)).replace(/^\.\//, "");
    let loader = this.loaders.get(name);
    if (loader === undefined) {
      const document = this.documents.get(name) ?? this.documents.get(`./${name}`);
      if (document === undefined) return undefined;
      const root = isObject(document) ? bridgeDefinitions(document) : document;
      loader = new Loader(root, idKeywordOf(root), this);
      this.loaders.set(name, loader);
    }
    return loader.resolve(hash < 0 ? "#" : ref.slice(hash));
  }
}

/** Confluent copies top-level `definitions` into `$defs` so that `#/$defs/X` finds either. */
function bridgeDefinitions(root: Json): Json {
  const definitions = root.definitions;
  if (!isObject(definitions) || Object.keys(definitions).length === 0) return root;
  const defs = root.$defs;
  if (defs !== undefined && !isObject(defs)) return root;
  return { ...root, $defs: { ...definitions, ...(defs ?? {}) } };
}

class Loader {
  private readonly loaded = new Map<unknown, SchemaNode>();
  private ids: Map<string, Json> | undefined;

  constructor(
    private readonly root: unknown,
    private readonly idKeyword: string,
    private readonly references: ReferencedDocuments,
  ) {}

  load(json: unknown): SchemaNode {
    const known = this.loaded.get(json);
    if (known !== undefined) return known;
    if (json === true) return { kind: "empty", unprocessed: new Map() };
    if (json === false) return { kind: "unsupported", keyword: "false", unprocessed: new Map() };
    if (!isObject(json))
      throw new DataError(`Invalid JSON Schema: a schema must be an object or boolean, found ${JSON.stringify(json)}`);
    const consumed = new Set<string>();
    const has = (key: string) => !consumed.has(key) && Object.hasOwn(json, key);
    const take = (key: string) => {
      consumed.add(key);
      return json[key];
    };
    const extracted: Mutable<SchemaNode>[] = [];
    if (Object.hasOwn(json, "$ref")) {
      const ref = String(take("$ref"));
      extracted.push({ kind: "ref", ref, target: () => this.resolve(ref), unprocessed: new Map() });
    } else {
      if (has("enum")) {
        const values = take("enum");
        if (!Array.isArray(values)) throw new DataError("Invalid JSON Schema: enum must be an array");
        extracted.push({ kind: "enum", values, unprocessed: new Map() });
      }
      for (const criterion of COMBINERS.filter(has)) {
        const list = take(criterion);
        if (!Array.isArray(list)) throw new DataError(`Invalid JSON Schema: ${criterion} must be an array`);
        extracted.push({
          kind: "combined",
          criterion,
          subschemas: list.map((s) => this.load(s)),
          unprocessed: new Map(),
        });
      }
      if (has("not")) {
        take("not");
        extracted.push({ kind: "unsupported", keyword: "not", unprocessed: new Map() });
      }
      if (this.idKeyword !== "id" && has("const"))
        extracted.push({ kind: "const", value: take("const"), unprocessed: new Map() });
      if (has("type")) {
        const type = take("type");
        if (Array.isArray(type)) {
          const subschemas = type.map((t) => this.typed(String(t), json, take));
          extracted.push({ kind: "combined", criterion: "anyOf", subschemas, unprocessed: new Map() });
        } else extracted.push(this.typed(String(type), json, take));
      }
      if (ARRAY_KEYWORDS.some(has)) extracted.push(this.typed("array", json, take));
      if (OBJECT_KEYWORDS.some(has)) extracted.push(this.typed("object", json, take));
      if (NUMBER_KEYWORDS.some(has))
        extracted.push({
          ...(this.typed("number", json, take) as Extract<SchemaNode, { kind: "number" }>),
          requiresNumber: false,
        });
      if (STRING_KEYWORDS.some(has)) extracted.push(this.typed("string", json, take));
      if (this.idKeyword !== "id" && CONDITIONAL_KEYWORDS.some(has)) {
        for (const key of CONDITIONAL_KEYWORDS) if (has(key)) take(key);
        extracted.push({ kind: "unsupported", keyword: "if", unprocessed: new Map() });
      }
    }
    let node: Mutable<SchemaNode>;
    if (extracted.length === 0) node = { kind: "empty", unprocessed: new Map() };
    else if (extracted.length === 1) node = extracted[0] as Mutable<SchemaNode>;
    else node = { kind: "combined", criterion: "allOf", subschemas: extracted as SchemaNode[], unprocessed: new Map() };
    const common = node as Mutable<NodeCommon>;
    for (const [key, field] of [
      [this.idKeyword, "id"],
      ["title", "title"],
      ["description", "description"],
    ] as const) {
      if (Object.hasOwn(json, key) && !consumed.has(key)) {
        const value = take(key);
        if (typeof value !== "string") throw new DataError(`Invalid JSON Schema: ${key} must be a string`);
        common[field] = value;
      }
    }
    if (Object.hasOwn(json, "default") && !consumed.has("default")) common.defaultValue = { json: take("default") };
    const unprocessed = new Map<string, unknown>();
    for (const key of Object.keys(json)) if (!consumed.has(key)) unprocessed.set(key, json[key]);
    common.unprocessed = unprocessed;
    this.loaded.set(json, node as SchemaNode);
    return node as SchemaNode;
  }

  private typed(type: string, json: Json, take: (key: string) => unknown): Mutable<SchemaNode> {
    const unprocessed = new Map<string, unknown>();
    const consume = (keys: readonly string[]) => {
      for (const key of keys) if (Object.hasOwn(json, key)) take(key);
    };
    switch (type) {
      case "string":
        consume(STRING_KEYWORDS);
        return typeof json.format === "string"
          ? { kind: "string", format: json.format, unprocessed }
          : { kind: "string", unprocessed };
      case "integer":
      case "number":
        consume(NUMBER_KEYWORDS);
        return { kind: "number", integer: type === "integer", requiresNumber: true, unprocessed };
      case "boolean":
        return { kind: "boolean", unprocessed };
      case "null":
        return { kind: "null", unprocessed };
      case "array": {
        consume(ARRAY_KEYWORDS);
        const items = json.items;
        return isObject(items) || typeof items === "boolean"
          ? { kind: "array", items: this.load(items), unprocessed }
          : { kind: "array", unprocessed };
      }
      case "object": {
        consume(OBJECT_KEYWORDS);
        const properties = new Map<string, SchemaNode>();
        const definitions = json.properties;
        if (isObject(definitions))
          for (const [name, s] of Object.entries(definitions)) properties.set(name, this.load(s));
        const required = Array.isArray(json.required) ? json.required.map(String) : [];
        const extra = json.additionalProperties;
        const object = {
          kind: "object" as const,
          properties,
          required,
          additionalProperties: extra !== false,
          unprocessed,
        };
        return isObject(extra) ? { ...object, additionalSchema: this.load(extra) } : object;
      }
      default:
        throw new DataError(`Invalid JSON Schema: unknown type: [${type}]`);
    }
  }

  resolve(ref: string): SchemaNode | undefined {
    if (ref === "#" || ref === "") return this.load(this.root);
    if (ref.startsWith("#/")) {
      let target: unknown = this.root;
      for (const raw of ref.slice(2).split("/")) {
        const step = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
        target = isObject(target) || Array.isArray(target) ? (target as Json)[step] : undefined;
      }
      return target === undefined ? undefined : this.load(target);
    }
    this.ids ??= this.collectIds(this.root, new Map());
    const target = this.ids.get(ref) ?? this.ids.get(ref.replace(/^#/, ""));
    if (target !== undefined) return this.load(target);
    return ref.startsWith("#") ? undefined : this.references.resolve(ref);
  }

  private collectIds(json: unknown, ids: Map<string, Json>): Map<string, Json> {
    if (Array.isArray(json)) for (const item of json) this.collectIds(item, ids);
    else if (isObject(json)) {
      // Confluent's own documents name their ids with draft 4's `id` whatever the draft; take either keyword.
      for (const keyword of [this.idKeyword, "id", "$id"]) {
        const id = json[keyword];
        if (typeof id === "string" && !ids.has(id)) ids.set(id, json);
      }
      for (const value of Object.values(json)) this.collectIds(value, ids);
    }
    return ids;
  }
}
