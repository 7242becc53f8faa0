import { Packr } from "msgpackr";
import type { ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { DataError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import type { Schema, SchemaAndValue } from "../../api/schema.ts";
import { LruCache } from "./lru-cache.ts";
import type { MessagePackConverterSettings } from "./msgpack-converter-config.ts";
import { MESSAGE_PACK_CONVERTER_CONFIG_DEF, parseMessagePackConverterConfig } from "./msgpack-converter-config.ts";
import { registerDecimalExtension } from "./msgpack-decimal-extension.ts";
import { MessagePackDecoder } from "./msgpack-decode.ts";
import { MessagePackEncoder } from "./msgpack-encode.ts";
import { registerJavaFloatExtensions, unpackWithJavaFloats } from "./msgpack-java-floats.ts";
import {
  ENVELOPE_HEAD,
  type EnvelopeExtent,
  envelopeExtent,
  MessagePackScanError,
  PAYLOAD_KEY_BYTES,
  writtenEnvelopePayloadStart,
} from "./msgpack-scan.ts";
import { schemaFromNode, schemaToNode } from "./msgpack-schema.ts";

/**
 * `io.sluice.connect.converters.MessagePackConverter`: Connect data as MessagePack (msgpackr underneath), also a
 * HeaderConverter. Configured like JsonConverter (`schemas.enable`=true, `schemas.cache.size`=1000,
 * `replace.null.with.default`=true).
 *
 * With `schemas.enable=true` a record is a MessagePack map `{"schema": <schema>, "payload": <value>}`, the schema
 * being JsonConverter's envelope schema as a MessagePack map (msgpack-schema.ts), or nil for schemaless data.
 * Reading requires exactly those two keys. With `schemas.enable=false` a record is the payload alone.
 *
 * The payload of a value with a schema:
 * - int8, int16, int32: integer; int64: integer, as int64 beyond 32 bits, so values past 2^53 are exact;
 * - float32, float64: float 64 (whole values as integers: msgpackr's smallest form); float32 rounded to float32;
 * - boolean, string: themselves; bytes: bin;
 * - array: array; map with string keys: map; map with other keys: array of [key, value] pairs (as JsonConverter);
 * - struct: map of field name to value, in schema order;
 * - Decimal: bin, the unscaled value in two's complement (Kafka's Decimal bytes; the scale is in the schema);
 *   Date: integer days; Time: integer ms of the day; Timestamp: integer ms since the epoch.
 * Readers accept any integer width and floats for float fields. Without a schema, values are written as they
 * are (maps with non-string keys as pairs) and read back as plain values: string-keyed maps become objects,
 * integers within ±(2^53-1) numbers and bigints beyond; a Float32 box travels as a float 32 and a Float64 box as a
 * float 64, read back as the same boxes (msgpack-java-floats.ts); a Date travels as the MessagePack timestamp
 * extension and a Decimal as extension 0x44 (msgpack-decimal-extension.ts), so both survive too.
 */

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const NIL = Uint8Array.of(0xc0);
const ENVELOPE_ERROR =
  'MessagePackConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain MessagePack data, set schemas.enable=false in your converter configuration.';

function serializationError(cause: unknown): DataError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${detail}`, {
    cause,
  });
}

/**
 * msgpackr copies bin values with the input's own class: from a Node/Bun Buffer they would be Buffers. Reading from a
 * plain Uint8Array view makes bytes values plain Uint8Arrays on every runtime (no copy of the input).
 */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class MessagePackConverter implements Converter, HeaderConverter {
  private settings: MessagePackConverterSettings = parseMessagePackConverterConfig({}, false);
  private encoder = new MessagePackEncoder(this.settings);
  private decoder = new MessagePackDecoder(this.settings);
  /** Each schema's envelope bytes, made once per Schema object. */
  private schemaBytes = new WeakMap<Schema, Uint8Array>();
  /** Schemas read, by their envelope bytes (as latin1 text, which maps every byte to its own character). */
  private schemasByBytes = new LruCache<string, Schema>(this.settings.schemaCacheSize);
  /**
   * The schema of the last envelope read through the cache, with its bytes: the next record most likely has the
   * same, and comparing bytes is several times cheaper than finding the schema's end and making a key of it.
   */
  private lastSchema: { readonly bytes: Uint8Array; readonly schema: Schema } | undefined;
  private readonly latin1 = new TextDecoder("latin1");
  private readonly packr = new Packr({
    useRecords: false,
    mapsAsObjects: true,
    variableMapSize: true,
    copyBuffers: true,
    encodeUndefinedAsNil: true,
  });

  constructor() {
    registerDecimalExtension();
    registerJavaFloatExtensions();
  }

  config(): ConfigDef {
    return MESSAGE_PACK_CONVERTER_CONFIG_DEF;
  }

  /** `isKey` is omitted when configured as a header converter. Bad values throw a ConfigError naming the key. */
  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    this.settings = parseMessagePackConverterConfig(configs, isKey);
    this.encoder = new MessagePackEncoder(this.settings);
    this.decoder = new MessagePackDecoder(this.settings);
    this.schemaBytes = new WeakMap();
    this.schemasByBytes = new LruCache(this.settings.schemaCacheSize);
    this.lastSchema = undefined;
  }

  fromConnectData(_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const payload = this.pack(this.encoder.encode(schema, value));
    if (!this.settings.schemasEnabled) return payload;
    const schemaBytes = schema === null ? NIL : this.schemaBytesOf(schema);
    const payloadAt = ENVELOPE_HEAD.length + schemaBytes.length + PAYLOAD_KEY_BYTES.length;
    const out = new Uint8Array(payloadAt + payload.length);
    out.set(ENVELOPE_HEAD, 0);
    out.set(schemaBytes, ENVELOPE_HEAD.length);
    out.set(PAYLOAD_KEY_BYTES, ENVELOPE_HEAD.length + schemaBytes.length);
    out.set(payload, payloadAt);
    return out;
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE;
    const source = plain(bytes);
    let schema: Schema | null = null;
    let node: unknown;
    if (!this.settings.schemasEnabled) node = this.unpackSchemaless(source, 0, source.length);
    else {
      const last = this.lastSchema;
      const payloadStart = last ? writtenEnvelopePayloadStart(source, last.bytes) : -1;
      const extent = payloadStart < 0 ? this.envelopeOf(source) : undefined;
      if (last && payloadStart >= 0) {
        schema = last.schema;
        node = this.unpack(source, payloadStart);
      } else if (extent) {
        schema = this.schemaAt(source, extent);
        node =
          schema === null
            ? this.unpackSchemaless(source, extent.payloadStart, extent.payloadEnd)
            : this.unpack(source, extent.payloadStart, extent.payloadEnd);
      } else {
        const envelope = this.unpack(source);
        if (
          typeof envelope !== "object" ||
          envelope === null ||
          Object.getPrototypeOf(envelope) !== Object.prototype ||
          !Object.hasOwn(envelope, "schema") ||
          !Object.hasOwn(envelope, "payload") ||
          Object.keys(envelope).length !== 2
        )
          throw new DataError(ENVELOPE_ERROR);
        const { schema: schemaNode, payload } = envelope as { schema: unknown; payload: unknown };
        schema = schemaFromNode(schemaNode, this.decoder);
        // Schemaless after all: read again, for the float widths that tell a Float or a whole Double.
        node =
          schema === null ? (this.unpackSchemaless(source, 0, source.length) as { payload: unknown }).payload : payload;
      }
    }
    const value = this.decoder.decode(schema, node);
    return schema === null && value === null ? NULL_SCHEMA_AND_VALUE : { schema, value };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}

  private pack(tree: unknown): Uint8Array {
    try {
      return this.packr.pack(tree);
    } catch (cause) {
      throw new DataError(`Converting Kafka Connect data to MessagePack failed: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  private unpack(source: Uint8Array, start = 0, end = source.length): unknown {
    if (start === end) throw serializationError("no MessagePack data");
    try {
      return this.packr.unpack(source, { start, end });
    } catch (cause) {
      throw serializationError(cause);
    }
  }

  /** A schemaless value: float 32s and whole float 64s come back as Float32 and Float64 boxes. */
  private unpackSchemaless(source: Uint8Array, start: number, end: number): unknown {
    return unpackWithJavaFloats(source, start, end, (bytes, from, to) => this.unpack(bytes, from, to));
  }

  private envelopeOf(source: Uint8Array): EnvelopeExtent | undefined {
    try {
      return envelopeExtent(source);
    } catch (error) {
      // Not an envelope the scanner can lay out; the general path reads it or says what is wrong.
      if (error instanceof MessagePackScanError) return undefined;
      throw error;
    }
  }

  private schemaBytesOf(schema: Schema): Uint8Array {
    let bytes = this.schemaBytes.get(schema);
    if (bytes === undefined) {
      // A copy: msgpackr's result is a view into its (reused, growing) output buffer.
      bytes = this.pack(schemaToNode(schema, this.encoder)).slice();
      this.schemaBytes.set(schema, bytes);
    }
    return bytes;
  }

  /** The envelope's schema, unpacked and built only the first time its bytes are seen. */
  private schemaAt(source: Uint8Array, extent: EnvelopeExtent): Schema | null {
    const { schemaStart, schemaEnd } = extent;
    if (schemaEnd - schemaStart === 1 && source[schemaStart] === 0xc0) return null;
    const key = this.latin1.decode(source.subarray(schemaStart, schemaEnd));
    let schema = this.schemasByBytes.get(key) ?? null;
    if (schema === null) {
      schema = schemaFromNode(this.unpack(source, schemaStart, schemaEnd), this.decoder);
      if (schema === null) return null;
      this.schemasByBytes.set(key, schema);
    }
    // With schemas.cache.size=0 nothing is kept, this one either.
    if (this.schemasByBytes.capacity > 0) this.lastSchema = { bytes: source.slice(schemaStart, schemaEnd), schema };
    return schema;
  }
}
