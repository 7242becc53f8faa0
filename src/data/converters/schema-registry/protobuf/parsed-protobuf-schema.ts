import protobuf from "protobufjs";
import { DataError } from "../../../../api/errors.ts";
import type { Schema } from "../../../../api/schema.ts";
import type { ParsedSchema, RegistrySchema } from "../schema-format.ts";
import { addImport } from "./bundled-protos.ts";

/**
 * A registry .proto file compiled once by protobufjs (which generates each message's codec on first use): its
 * top-level messages in declaration order, for message indexes, and per message the Connect schema derived from it.
 * Kept per schema id by the converter, so no record repeats any of this work.
 */
export interface ProtobufParsedSchema extends ParsedSchema {
  readonly root: protobuf.Root;
  /** The file's own top-level messages, in declaration order (what message index 0, 1, ... name). */
  readonly messages: readonly protobuf.Type[];
  readonly syntax: "proto2" | "proto3";
  /** Imports of the file, for the converter to register as references where it wants to. */
  readonly imports: readonly string[];
  /** Connect schemas derived from this file's messages, per message (filled on first use). */
  /** Connect schemas derived so far, by message and registry version. */
  readonly connectSchemas: Map<protobuf.Type, Map<number | null, Schema>>;
}

/**
 * Compiles a .proto text; throws a DataError naming what could not be parsed or resolved. `references` holds the
 * text of files it imports by their import name (the registry's references, resolved by the converter); the
 * well-known and Confluent types need none.
 */
export function parseProtobufSchema(
  registry: RegistrySchema,
  references: ReadonlyMap<string, string> = new Map(),
): ProtobufParsedSchema {
  const root = new protobuf.Root();
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(registry.schema, root, { keepCase: true });
  } catch (cause) {
    throw new DataError(`Invalid Protobuf schema: ${(cause as Error).message}`, { cause });
  }
  const home = parsed.package ? root.lookup(parsed.package) : root;
  const messages = ((home as protobuf.Namespace | null)?.nestedArray ?? []).filter(
    (n): n is protobuf.Type => n instanceof protobuf.Type,
  );
  const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
  const added = new Set<string>();
  const resolve = (name: string): void => {
    if (added.has(name)) return;
    added.add(name);
    const text = references.get(name);
    if (text === undefined) {
      addImport(root, name);
      return;
    }
    try {
      const imported = protobuf.parse(text, root, { keepCase: true });
      for (const next of [...(imported.imports ?? []), ...(imported.weakImports ?? [])]) resolve(next);
    } catch (cause) {
      if (cause instanceof DataError) throw cause;
      throw new DataError(`Invalid Protobuf schema ${name}: ${(cause as Error).message}`, { cause });
    }
  };
  for (const name of imports) resolve(name);
  try {
    root.resolveAll();
  } catch (cause) {
    throw new DataError(`Invalid Protobuf schema: ${(cause as Error).message}`, { cause });
  }
  const syntax =
    /^\s*syntax\s*=\s*["']proto2["']/m.test(registry.schema) || !/^\s*(syntax|edition)\s*=/m.test(registry.schema)
      ? "proto2"
      : "proto3";
  const first = messages[0];
  return {
    registry,
    recordName: first ? fullNameOf(first) : null,
    root,
    messages,
    syntax,
    imports,
    connectSchemas: new Map(),
  };
}

/** A type's full name without protobufjs' leading dot. */
export function fullNameOf(type: protobuf.ReflectionObject): string {
  return type.fullName.startsWith(".") ? type.fullName.slice(1) : type.fullName;
}

/** The message a path of message indexes names (Confluent's toMessageName); a DataError when there is none. */
export function messageAt(parsed: ProtobufParsedSchema, indexes: readonly number[]): protobuf.Type {
  let candidates: readonly protobuf.Type[] = parsed.messages;
  let type: protobuf.Type | undefined;
  for (const index of indexes) {
    type = candidates[index];
    if (type === undefined) throw new DataError(`Invalid message indexes: [${indexes.join(", ")}]`);
    candidates = type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  if (type === undefined) throw new DataError("Invalid message indexes: []");
  return type;
}

/** The path of message indexes of a message of this file (Confluent's toMessageIndexes). */
export function indexesOf(parsed: ProtobufParsedSchema, type: protobuf.Type): number[] {
  const path: number[] = [];
  let current: protobuf.ReflectionObject = type;
  while (!parsed.messages.includes(current as protobuf.Type)) {
    const parent = current.parent;
    if (!(parent instanceof protobuf.Type)) throw new DataError(`${fullNameOf(type)} is not a message of the schema`);
    path.unshift(parent.nestedArray.filter((n) => n instanceof protobuf.Type).indexOf(current as protobuf.Type));
    current = parent;
  }
  path.unshift(parsed.messages.indexOf(current as protobuf.Type));
  return path;
}

/**
 * A message of the file by name, as Confluent's toMessageIndexes walks it: the name's parts (after the file's
 * package, when it starts with it) matched against the top-level messages, then their nested ones. Null if none.
 */
export function findMessage(parsed: ProtobufParsedSchema, name: string): protobuf.Type | null {
  const packageName = parsed.messages[0]?.parent ? fullNameOf(parsed.messages[0].parent) : "";
  const relative = packageName && name.startsWith(`${packageName}.`) ? name.slice(packageName.length + 1) : name;
  let candidates: readonly protobuf.Type[] = parsed.messages;
  let found: protobuf.Type | null = null;
  for (const part of relative.split(".")) {
    found = candidates.find((type) => type.name === part) ?? null;
    if (found === null) return null;
    candidates = found.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  return found;
}
