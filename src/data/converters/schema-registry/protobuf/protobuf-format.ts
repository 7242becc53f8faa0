/**
 * The Protobuf half of Confluent's ProtobufConverter: ProtobufData's mapping between Connect data and Protobuf, and
 * the body after the schema id (message indexes, then the message).
 *
 * Library: protobufjs. Measured with bench/data/protobuf-libraries.ts (encode + decode of a 10-field message,
 * 1e5 records, best of 5, Bun 1.4 on the 2-core dev machine): protobufjs 8.8 97 ms (975 ns a record),
 * @bufbuild/protobuf 2.17 287 ms (2,874 ns a record). protobufjs also parses .proto text at run time, which the
 * registry serves, where @bufbuild/protobuf needs descriptors and so a parser of its own. Its generated codecs are
 * made once per message type, on first use. Through this format (Connect Struct to body and back, same message,
 * values converted by plans compiled per Connect schema) a record costs about 1.1-1.4 µs to serialize and
 * 1.1-2.1 µs to deserialize.
 *
 * Where it differs from Confluent's ProtobufData: a logical type at the root is written as its encoded primitive in the wrapper, not
 * as a logical message; confluent.type.Variant is not mapped; dates use the proleptic Gregorian calendar (Java's
 * Calendar switches to Julian before 1582); imports beyond google/protobuf/*, google/type/date|timeofday and
 * confluent/meta|type/decimal need their text passed to `parse`. The wrappers.proto text registered for a
 * primitive at the root is printed from protobuf-java's options as this code writes them down, so its text can
 * lag a protobuf-java release that changes them.
 */
import protobuf from "protobufjs";
import type { ConfigDef } from "../../../../api/config-def.ts";
import { DataError } from "../../../../api/errors.ts";
import type { Schema, SchemaAndValue } from "../../../../api/schema.ts";
import { LruCache } from "../../lru-cache.ts";
import type { RegistrySchema, SchemaFormat } from "../schema-format.ts";
import { protoFromConnectSchema, splitName } from "./from-connect-schema.ts";
import { readMessageIndexes } from "./message-indexes.ts";
import type { ProtobufParsedSchema } from "./parsed-protobuf-schema.ts";
import { findMessage, fullNameOf, indexesOf, messageAt, parseProtobufSchema } from "./parsed-protobuf-schema.ts";
import { printProtoFile } from "./proto-file.ts";
import { protobufDataConfigDef as configDef, parseProtobufDataConfig } from "./protobuf-data-config.ts";
import { ConnectSchemaDeriver } from "./to-connect-schema.ts";
import { ValueReader } from "./value-reader.ts";
import { ValueWriter } from "./value-writer.ts";

export const protobufDataConfigDef: ConfigDef = configDef;
export type { ProtobufParsedSchema } from "./parsed-protobuf-schema.ts";

/** The full message name ProtobufData gives a Connect schema (ConnectDefault1 when it has none). */
function connectMessageName(schema: Schema, scrub: boolean): string {
  const [namespace, name] = splitName(schema.name || "ConnectDefault1", scrub);
  return namespace === null ? name : `${namespace}.${name}`;
}

interface WritePlan {
  readonly type: protobuf.Type;
  readonly indexes: readonly number[];
  readonly convert: (value: unknown) => unknown;
}

/** The Protobuf SchemaFormat; `parse` also takes the files a schema imports (the registry's references). */
export interface ProtobufFormat extends SchemaFormat<ProtobufParsedSchema> {
  parse(schema: RegistrySchema, references?: ReadonlyMap<string, string>): ProtobufParsedSchema;
}

/** A Protobuf SchemaFormat configured as ProtobufData is, from a converter's configuration. */
export function createProtobufFormat(configs: Readonly<Record<string, string>>): ProtobufFormat {
  const settings = parseProtobufDataConfig(configs);
  const derived = new LruCache<Schema, ProtobufParsedSchema>(settings.schemaCacheSize);
  const messageNames = new WeakMap<ProtobufParsedSchema, string>();
  const writers = new WeakMap<ProtobufParsedSchema, WeakMap<Schema, WritePlan>>();
  const valueWriter = new ValueWriter(settings);
  const readers = new WeakMap<ProtobufParsedSchema, { deriver: ConnectSchemaDeriver; reader: ValueReader }>();

  function writePlan(writer: ProtobufParsedSchema, schema: Schema): WritePlan {
    let plans = writers.get(writer);
    if (plans === undefined) {
      plans = new WeakMap();
      writers.set(writer, plans);
    }
    const cached = plans.get(schema);
    if (cached) return cached;
    // The message the value is: the one its Connect schema names (Confluent looks it up by name in a registry's
    // latest schema too), else the file's first.
    const named = findMessage(
      writer,
      messageNames.get(writer) ?? connectMessageName(schema, settings.scrubInvalidNames),
    );
    const type = named ?? writer.messages[0];
    if (type === undefined) throw new DataError("The Protobuf schema has no message");
    const plan = { type, indexes: indexesOf(writer, type), convert: valueWriter.root(schema, type) };
    plans.set(schema, plan);
    return plan;
  }

  function readerOf(parsed: ProtobufParsedSchema) {
    let entry = readers.get(parsed);
    if (entry === undefined) {
      entry = {
        deriver: new ConnectSchemaDeriver(settings, parsed.syntax),
        reader: new ValueReader(settings, parsed.syntax),
      };
      readers.set(parsed, entry);
    }
    return entry;
  }

  return {
    schemaType: "PROTOBUF",

    fromConnectSchema(schema: Schema | null): ProtobufParsedSchema {
      if (schema === null) throw new DataError("Protobuf needs a schema: a value without one cannot be written");
      const cached = derived.get(schema);
      if (cached) return cached;
      const proto = protoFromConnectSchema(schema, settings);
      const registry: RegistrySchema = { schemaType: "PROTOBUF", schema: printProtoFile(proto.file), references: [] };
      const parsed = parseProtobufSchema(registry);
      const result = { ...parsed, recordName: proto.messageName };
      messageNames.set(result, proto.messageName);
      derived.set(schema, result);
      return result;
    },

    parse(schema: RegistrySchema, references?: ReadonlyMap<string, string>): ProtobufParsedSchema {
      if (schema.schemaType !== "PROTOBUF") throw new DataError(`Not a Protobuf schema: ${schema.schemaType}`);
      return parseProtobufSchema(schema, references);
    },

    serialize(writer: ProtobufParsedSchema, schema: Schema | null, value: unknown): Uint8Array {
      if (schema === null) throw new DataError("Protobuf needs a schema: a value without one cannot be written");
      if (value === null || value === undefined)
        throw new DataError("A null value has no Protobuf body (the converter writes a null record)");
      const plan = writePlan(writer, schema);
      const message = plan.convert(value) as Record<string, unknown>;
      // Message indexes are Kafka zig-zag varints, which protobufjs' sint32 writes; [0] is the single byte 0.
      const out = protobuf.Writer.create();
      if (plan.indexes.length === 1 && plan.indexes[0] === 0) out.sint32(0);
      else {
        out.sint32(plan.indexes.length);
        for (const index of plan.indexes) out.sint32(index);
      }
      return plan.type.encode(message, out).finish();
    },

    /** The message the body's indexes point at, as Confluent's deserializer names the schema it read. */
    recordNameOf(writer: ProtobufParsedSchema, body: Uint8Array): string | null {
      const { indexes } = readMessageIndexes(body);
      return fullNameOf(messageAt(writer, indexes));
    },

    deserialize(writer: ProtobufParsedSchema, body: Uint8Array, version: number | null = null): SchemaAndValue {
      const { indexes, offset } = readMessageIndexes(body);
      const type = messageAt(writer, indexes);
      let decoded: protobuf.Message;
      try {
        decoded = type.decode(body.subarray(offset));
      } catch (cause) {
        throw new DataError(`Invalid Protobuf ${type.name} message: ${(cause as Error).message}`, { cause });
      }
      const { deriver, reader } = readerOf(writer);
      let byVersion = writer.connectSchemas.get(type);
      if (byVersion === undefined) {
        byVersion = new Map();
        writer.connectSchemas.set(type, byVersion);
      }
      let schema = byVersion.get(version);
      if (schema === undefined) {
        schema = deriver.root(type, version);
        byVersion.set(version, schema);
      }
      return { schema, value: reader.root(schema, type)(decoded) };
    },
  };
}
