/**
 * A JSON Schema as everit-json-schema models it, the model Confluent's JsonSchemaData maps to and from Connect
 * schemas: one node per everit class (BooleanSchema, NumberSchema, ...), so that the mapping can follow
 * JsonSchemaData case by case, and a schema read from the registry is classified as everit's loader classifies it
 * (schema-loader.ts). Only what the mapping reads is kept.
 */

export interface NodeCommon {
  readonly title?: string;
  readonly description?: string;
  readonly id?: string;
  /** Present when the schema has a `default`: the JSON value (numbers as RawNumber), or its printed text. */
  readonly defaultValue?: { readonly json?: unknown; readonly text?: string };
  /** Keywords the loader did not consume, `connect.type`, `connect.index`, ..., in insertion order. */
  readonly unprocessed: ReadonlyMap<string, unknown>;
}

export type SchemaNode =
  | (NodeCommon & { readonly kind: "boolean" })
  | (NodeCommon & { readonly kind: "null" })
  | (NodeCommon & { readonly kind: "number"; readonly integer: boolean; readonly requiresNumber: boolean })
  | (NodeCommon & { readonly kind: "string"; readonly format?: string })
  | (NodeCommon & { readonly kind: "enum"; readonly values: readonly unknown[] })
  | (NodeCommon & { readonly kind: "const"; readonly value: unknown })
  | (NodeCommon & {
      readonly kind: "object";
      /** In the order given: the loader's (text order) or field order; the printer applies HashMap order. */
      readonly properties: ReadonlyMap<string, SchemaNode>;
      readonly required: readonly string[];
      readonly additionalProperties: boolean;
      readonly additionalSchema?: SchemaNode;
    })
  | (NodeCommon & { readonly kind: "array"; readonly items?: SchemaNode })
  | (NodeCommon & {
      readonly kind: "combined";
      readonly criterion: "allOf" | "anyOf" | "oneOf";
      readonly subschemas: readonly SchemaNode[];
    })
  | (NodeCommon & { readonly kind: "ref"; readonly ref: string; readonly target: () => SchemaNode | undefined })
  /** `{}` or `true`: anything (everit's EmptySchema). */
  | (NodeCommon & { readonly kind: "empty" })
  /** `false`, `not`, `if`/`then`/`else`: kinds JsonSchemaData has no Connect type for. */
  | (NodeCommon & { readonly kind: "unsupported"; readonly keyword: string });

export type SchemaNodeKind = SchemaNode["kind"];

export const NO_PROPERTIES: ReadonlyMap<string, unknown> = new Map();
