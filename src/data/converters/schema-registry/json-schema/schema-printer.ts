import { copiedHashOrder, grownCapacity, hashOrder, presizedCapacity } from "./java-hash-order.ts";
import type { NodeCommon, SchemaNode } from "./schema-node.ts";
import { schemaString } from "./schema-string.ts";

/**
 * The text Confluent registers for a schema it generated: everit's `Schema.toString()` (its ToStringVisitor),
 * read back and written by Jackson (`JsonSchema.canonicalString()`), compact. Keys come in everit's order: the
 * type keyword first, then `title`, `description`, `default`, `id`, the unprocessed keywords (`connect.*`), then the
 * type's own keywords (`items`, `additionalProperties`, `properties`, `oneOf`). Maps and sets print in Java's
 * HashMap order (java-hash-order.ts). The `id` keyword is draft 4's because the document has no `$schema`.
 */
export function printSchema(node: SchemaNode): string {
  switch (node.kind) {
    case "boolean":
      return open(node, '"type":"boolean"');
    case "null":
      return open(node, '"type":"null"');
    case "number":
      return open(node, node.integer ? '"type":"integer"' : node.requiresNumber ? '"type":"number"' : "");
    case "string":
      return open(
        node,
        node.format === undefined ? '"type":"string"' : `"type":"string","format":${schemaString(node.format)}`,
      );
    case "enum": {
      const values = node.values as readonly (string | null)[];
      const printed = hashOrder(values, grownCapacity(values.length)).map((v) =>
        v === null ? "null" : schemaString(v),
      );
      return open(node, `"enum":[${printed.join(",")}]`);
    }
    case "const":
      return open(node, `"const":${JSON.stringify(node.value)}`);
    case "array":
      return open(node, '"type":"array"', node.items === undefined ? "" : `"items":${printSchema(node.items)}`);
    case "object": {
      const head = node.additionalProperties ? '"type":"object"' : '"type":"object","additionalProperties":false';
      let tail =
        node.additionalSchema === undefined ? "" : `"additionalProperties":${printSchema(node.additionalSchema)}`;
      if (node.properties.size > 0) {
        const names = copiedHashOrder([...node.properties.keys()]);
        const printed = names.map(
          (name) => `${schemaString(name)}:${printSchema(node.properties.get(name) as SchemaNode)}`,
        );
        tail += `${tail === "" ? "" : ","}"properties":{${printed.join(",")}}`;
      }
      return open(node, head, tail);
    }
    case "combined":
      return open(node, "", `"${node.criterion}":[${node.subschemas.map(printSchema).join(",")}]`);
    case "ref":
      return open(node, `"$ref":${schemaString(node.ref)}`);
    case "empty":
    case "unsupported":
      return open(node, "");
  }
}

function open(node: NodeCommon, head: string, tail = ""): string {
  const parts: string[] = [];
  if (head !== "") parts.push(head);
  if (node.title !== undefined) parts.push(`"title":${schemaString(node.title)}`);
  if (node.description !== undefined) parts.push(`"description":${schemaString(node.description)}`);
  if (node.defaultValue?.text !== undefined) parts.push(`"default":${node.defaultValue.text}`);
  if (node.id !== undefined) parts.push(`"id":${schemaString(node.id)}`);
  for (const key of copiedHashOrder([...node.unprocessed.keys()]))
    parts.push(`${schemaString(key)}:${printProperty(node.unprocessed.get(key))}`);
  if (tail !== "") parts.push(tail);
  return `{${parts.join(",")}}`;
}

/** An unprocessed keyword's value: a number, a string, or `connect.parameters` (a map printed by org.json). */
function printProperty(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return schemaString(value);
  if (value instanceof Map) {
    const keys = [...value.keys()] as string[];
    // Collectors.toMap fills a HashMap; org.json's `new JSONObject(map)` copies it into a HashMap presized to its size.
    const order = hashOrder(hashOrder(keys, grownCapacity(keys.length)), presizedCapacity(keys.length, keys.length));
    return `{${order.map((key) => `${schemaString(key)}:${schemaString(String(value.get(key)))}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
