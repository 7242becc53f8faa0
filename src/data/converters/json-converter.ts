import type { ConfigDef } from "../../api/config-def.ts";
import type { Converter, HeaderConverter } from "../../api/converter.ts";
import { Decimal } from "../../api/decimal.ts";
import { DataError } from "../../api/errors.ts";
import type { Headers } from "../../api/headers.ts";
import type { Schema, SchemaAndValue } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import { ByteWriter } from "../byte-writer.ts";
import { ByteArena } from "./byte-arena.ts";
import type { JsonConverterSettings } from "./json-converter-config.ts";
import { JSON_CONVERTER_CONFIG_DEF, parseJsonConverterConfig } from "./json-converter-config.ts";
import { exactNumber, holdsDecimal } from "./json-decimal-literals.ts";
import { decodeJsonValue, InexactDecimal, InexactInteger } from "./json-decode.ts";
import { encodeJsonValue } from "./json-encode.ts";
import { JsonSyntaxError, lineAndColumn, parseJson, RawNumber } from "./json-parser.ts";
import { JsonSchemaCodec } from "./json-schema.ts";
import { StructJsonWriter } from "./json-struct-writer.ts";

/**
 * Kafka's JsonConverter (`org.apache.kafka.connect.json.JsonConverter`), also a HeaderConverter. With
 * `schemas.enable=true` (the default) data travels in a `{"schema": ..., "payload": ...}` envelope; without, as
 * plain JSON. Output is byte-identical to Kafka's for the same data (floats printed as Java 19+ prints them).
 *
 * Numbers: reading uses `JSON.parse` unless the text holds a digit run of 16 or more characters (a number that may
 * not fit a double exactly) or is not strict JSON; then a lossless parser keeps every digit, so an int64 beyond 2^53
 * becomes an exact bigint and a Decimal written as a JSON number keeps all its digits. Schemaless data also takes
 * the lossless parser when it may hold an integral number written with a fraction or exponent (`12.0`, `1e3`):
 * Kafka reads that as a Double and writes it back as `12.0`, so it becomes a Float64 box (api/java-numbers.ts).
 * A Decimal written as a number needs its literal (its scale is the literal's, as in Kafka; json-decimal-literals.ts),
 * which `JSON.parse` loses: the payload is then parsed again keeping every literal, and so are the later payloads of
 * that schema. Decimals written as BASE64 (the default) cost nothing of the kind.
 */

/** The buffer Structs are written into, as ByteArena's chunks: 1 MiB, a fresh one when less than 64 KiB is left. */
const STRUCT_CHUNK = 1 << 20;
const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
const MAYBE_INEXACT_NUMBER = /\d[\d.]{15}/;
/**
 * The end of a number literal that may be a double with an integral value: a fraction of zeros (`12.0`, `-0.00`) or
 * an exponent (`1e3`, `1.5E2`), followed by what may follow a value. Text in strings can match too (`"v 1.0 "`),
 * which only costs the slower parser; a UUID's `0e8` does not, as a letter or `-` follows. Scanning for the end
 * rather than the whole literal is what keeps this cheap (about 0.3 µs for a 350-byte order).
 */
const MAYBE_INTEGRAL_DOUBLE = /\.0+(?:[,}\]\s]|$)|[eE][-+]?\d+(?:[,}\]\s]|$)/;
const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

/**
 * Numbers for the lossless parser: a JS number when it holds the literal exactly and says what it is, else the
 * literal itself. An integral value written with a fraction or exponent (`12.0`) stays a literal, since a number
 * would pass for an integer (Long) and schemaless data must keep it a Double.
 */
function losslessNumber(text: string): unknown {
  if (/^-?\d+$/.test(text)) {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : new RawNumber(text);
  }
  const significant = text
    .replace(/[eE].*$/, "")
    .replace(/[-.]/g, "")
    .replace(/^0+/, "");
  if (significant.length > 15) return new RawNumber(text);
  const value = Number(text);
  return Number.isInteger(value) ? new RawNumber(text) : value;
}

/** Thrown through the decoding of a payload the strict parsers refuse (see readWrittenEnvelope). */
const NOT_STRICT_JSON = new Error("not strict JSON");

function serializationError(detail: string, cause: unknown): DataError {
  return new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${detail}`, {
    cause,
  });
}

export class JsonConverter implements Converter, HeaderConverter {
  private settings: JsonConverterSettings = parseJsonConverterConfig({}, false);
  private codec = this.newCodec();
  /** Per Schema object, the envelope's start in UTF-8 (see envelopeStart); renewed with the codec. */
  private envelopeStarts = new WeakMap<Schema, Uint8Array>();
  private readonly arena = new ByteArena();
  /** Structs straight to bytes, per schema (json-struct-writer.ts); renewed with the settings. */
  private structs = new StructJsonWriter(this.settings);
  /** Where Structs are written, a record after another, each handed out as a view (see writeStruct). */
  private readonly structBytes = new ByteWriter();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  /** Schemas whose payloads have carried a Decimal as a JSON number: theirs are parsed exactly from the start. */
  private readonly numericDecimals = new WeakSet<Schema>();

  config(): ConfigDef {
    return JSON_CONVERTER_CONFIG_DEF;
  }

  /** `isKey` is omitted when configured as a header converter. Bad values throw a ConfigError naming the key. */
  configure(configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    this.settings = parseJsonConverterConfig(configs, isKey);
    this.codec = this.newCodec();
    this.envelopeStarts = new WeakMap();
    this.structs = new StructJsonWriter(this.settings);
  }

  private newCodec(): JsonSchemaCodec {
    const { decimalFormat, replaceNullWithDefault, schemaCacheSize } = this.settings;
    return new JsonSchemaCodec({ decimalFormat, replaceNullWithDefault }, { replaceNullWithDefault }, schemaCacheSize);
  }

  /** The JSON text of a value, with the envelope when schemas are enabled; null only for no schema and no value. */
  fromConnectData(_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    if (schema !== null && value instanceof Struct) {
      const bytes = this.writeStruct(schema, value);
      if (bytes !== undefined) return bytes;
    }
    const payload = encodeJsonValue(schema, value, this.settings);
    if (!this.settings.schemasEnabled) return this.encoder.encode(payload);
    if (schema === null) return this.encoder.encode(`{"schema":null,"payload":${payload}}`);
    return this.envelope(this.envelopeStart(schema), payload);
  }

  /**
   * A Struct's JSON (in its envelope when schemas are enabled) written as bytes, or undefined when the writer threw:
   * the text encoder then runs, and fails as it must.
   */
  private writeStruct(schema: Schema, value: Struct): Uint8Array | undefined {
    const out = this.structBytes;
    // A new chunk when this one is nearly full, so that a record rarely moves (as ByteArena's chunks).
    if (out.free < STRUCT_CHUNK >> 4) out.begin(STRUCT_CHUNK);
    out.beginRecord();
    try {
      if (this.settings.schemasEnabled) out.bytes(this.envelopeStart(schema));
      this.structs.write(out, schema, value);
    } catch {
      out.abandonRecord();
      return undefined;
    }
    if (this.settings.schemasEnabled) out.byte(0x7d);
    return out.endRecord();
  }

  /** `{"schema":<the schema's JSON>,"payload":` in UTF-8, made once per Schema object. */
  private envelopeStart(schema: Schema): Uint8Array {
    let start = this.envelopeStarts.get(schema);
    if (start === undefined) {
      start = this.encoder.encode(`{"schema":${this.codec.toJson(schema)},"payload":`);
      this.envelopeStarts.set(schema, start);
    }
    return start;
  }

  /**
   * The envelope's bytes: its cached start, the payload, `}`. Only the payload is encoded per record (the schema is
   * most of an envelope's text), straight into place when it is ASCII, which one `encodeInto` finds out.
   */
  private envelope(start: Uint8Array, payload: string): Uint8Array {
    const length = start.length + payload.length + 1;
    const out = this.arena.take(length);
    out.set(start);
    const { read, written } = this.encoder.encodeInto(payload, out.subarray(start.length, length - 1));
    if (read === payload.length && written === payload.length) {
      out[length - 1] = 0x7d;
      return out;
    }
    // Not ASCII, so longer in UTF-8 than in UTF-16 code units.
    this.arena.shrinkLast(out, 0);
    const body = this.encoder.encode(payload);
    const wide = this.arena.take(start.length + body.length + 1);
    wide.set(start);
    wide.set(body, start.length);
    wide[wide.length - 1] = 0x7d;
    return wide;
  }

  toConnectData(_topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE;
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch (cause) {
      throw serializationError("invalid UTF-8", cause);
    }
    if (this.settings.schemasEnabled) {
      const fast = this.readWrittenEnvelope(text);
      if (fast) return fast;
    }
    const schemasEnabled = this.settings.schemasEnabled;
    // A schema with a Decimal names it; then the numbers are read exactly from the start (the schema's defaults too).
    const exact = schemasEnabled && text.includes(Decimal.LOGICAL_NAME);
    let { tree, lossless } = this.parse(text, !schemasEnabled, exact);
    let schemaNode: unknown = null;
    let payload = tree;
    if (schemasEnabled) {
      const envelope = tree as Record<string, unknown>;
      if (
        typeof tree !== "object" ||
        tree === null ||
        Array.isArray(tree) ||
        tree instanceof RawNumber ||
        !Object.hasOwn(envelope, "schema") ||
        !Object.hasOwn(envelope, "payload") ||
        Object.keys(envelope).length !== 2
      )
        throw new DataError(ENVELOPE_ERROR);
      schemaNode = envelope.schema;
      payload = envelope.payload;
      if (schemaNode === null && !lossless && MAYBE_INTEGRAL_DOUBLE.test(text)) {
        // A schemaless payload after all: read again, keeping the literals of integral doubles.
        ({ tree, lossless } = this.parse(text, true));
        payload = (tree as Record<string, unknown>).payload;
      }
    }
    let schema = this.codec.fromJson(schemaNode, lossless);
    if (!exact && holdsDecimal(schema)) {
      // The name was spelled with escapes: read again, exactly.
      ({ tree, lossless } = this.parse(text, false, true));
      const envelope = tree as Record<string, unknown>;
      payload = envelope.payload;
      schema = this.codec.fromJson(envelope.schema, lossless);
    }
    const value = decodeJsonValue(schema, payload, {
      replaceNullWithDefault: this.settings.replaceNullWithDefault,
      lossless,
    });
    return schema === null && value === null ? NULL_SCHEMA_AND_VALUE : { schema, value };
  }

  /**
   * A payload's value, from the tree `read(exact)` parses: first as cheaply as `JSON.parse` allows, unless the
   * schema's payloads are known to carry Decimals as numbers; when a Decimal meets a number whose literal was lost,
   * parsed again with every literal kept (and so from then on for that schema).
   */
  private decodeExactly(
    schema: Schema,
    read: (exact: boolean) => { tree: unknown; lossless: boolean },
    integerLiteral?: (value: number) => string | undefined,
  ): unknown {
    const replaceNullWithDefault = this.settings.replaceNullWithDefault;
    const known = this.numericDecimals.has(schema);
    const first = read(known);
    const literals = first.lossless ? undefined : integerLiteral;
    try {
      return decodeJsonValue(schema, first.tree, {
        replaceNullWithDefault,
        ...first,
        exactDecimals: known,
        integerLiteral: literals,
      });
    } catch (error) {
      if (!(error instanceof InexactDecimal)) throw error;
    }
    this.numericDecimals.add(schema);
    const { tree, lossless } = read(true);
    return decodeJsonValue(schema, tree, { replaceNullWithDefault, lossless, exactDecimals: true });
  }

  /**
   * The common case, an envelope as JsonConverter writes it (`{"schema":{...},"payload":...}`, no whitespace), read
   * without parsing the schema when its text was seen before. Where the schema ends is found by text: the first
   * `,"payload":` after it. That is right exactly when the text before it is a complete JSON object (a proper
   * prefix of one never is), which holds for every cached schema text and is checked for new ones. Anything else
   * (other layouts, extra fields, errors) returns undefined and takes the general path.
   */
  private readWrittenEnvelope(text: string): SchemaAndValue | undefined {
    if (!text.startsWith('{"schema":{') || text.charCodeAt(text.length - 1) !== 125) return undefined;
    const payloadAt = text.indexOf(',"payload":', 11);
    if (payloadAt < 0) return undefined;
    const schemaText = text.slice(10, payloadAt);
    if (MAYBE_INEXACT_NUMBER.test(schemaText)) return undefined;
    const schema = this.codec.fromText(schemaText);
    if (!schema) return undefined;
    const payloadText = text.slice(payloadAt + 11, -1);
    const inexact = MAYBE_INEXACT_NUMBER.test(payloadText);
    const read = (exact: boolean, integerLiterals: boolean) => {
      try {
        if (exact) return { tree: parseJson(payloadText, { number: exactNumber }), lossless: true };
        if (inexact && !integerLiterals)
          return { tree: parseJson(payloadText, { number: losslessNumber }), lossless: true };
        return { tree: JSON.parse(payloadText) as unknown, lossless: false };
      } catch {
        throw NOT_STRICT_JSON;
      }
    };
    try {
      if (inexact) {
        // Long literals are most often int64s past 2^53 (nanosecond times): JSON.parse, with each such integer's
        // digits taken from the text, costs a fifth of the lossless parser; where the text cannot tell, that parser.
        const integerLiteral = longIntegerLiterals(payloadText);
        try {
          return { schema, value: this.decodeExactly(schema, (exact) => read(exact, true), integerLiteral) };
        } catch (error) {
          if (!(error instanceof InexactInteger)) throw error;
        }
      }
      return { schema, value: this.decodeExactly(schema, (exact) => read(exact, false)) };
    } catch (error) {
      // Text the strict parsers refuse takes the general path, which reads it as Jackson does or says why not.
      if (error === NOT_STRICT_JSON) return undefined;
      throw error;
    }
  }

  /**
   * Parses as Jackson's readTree would: empty input is a missing node (undefined), leading zeros are accepted and
   * anything after the first value is ignored. `schemaless` says the numbers will be read without a schema, where
   * an integral double must keep its literal; `exact` that a Decimal may read them, so every literal with a
   * fraction or an exponent keeps its text.
   */
  private parse(text: string, schemaless: boolean, exact = false): { tree: unknown; lossless: boolean } {
    if (text.trim().length === 0) return { tree: undefined, lossless: false };
    if (!exact && !MAYBE_INEXACT_NUMBER.test(text) && !(schemaless && MAYBE_INTEGRAL_DOUBLE.test(text))) {
      try {
        return { tree: JSON.parse(text), lossless: false };
      } catch {
        // Not strict JSON: the lossless parser knows Jackson's extras and says where the error is.
      }
    }
    try {
      const tree = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
        number: exact ? exactNumber : losslessNumber,
        allowLeadingZeros: true,
        allowTrailingContent: true,
      });
      return { tree, lossless: true };
    } catch (cause) {
      if (!(cause instanceof JsonSyntaxError)) throw cause;
      const { line, column } = lineAndColumn(text, cause.offset);
      throw serializationError(`${cause.message} (line ${line}, column ${column})`, cause);
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  /** The settings this converter was configured with. */
  get configuredSettings(): JsonConverterSettings {
    return this.settings;
  }

  /**
   * The schema of an envelope as this converter writes it, and the length of its start (`{"schema":...,"payload":`)
   * when `bytes` begins with exactly the start it would write for that schema; undefined otherwise (not an envelope,
   * or not in this converter's form). Reads the whole record: meant for the first record of each schema.
   */
  writtenEnvelopeStart(topic: string, bytes: Uint8Array): { schema: Schema; start: Uint8Array } | undefined {
    if (!this.settings.schemasEnabled) return undefined;
    let schema: Schema | null;
    try {
      schema = this.toConnectData(topic, [], bytes).schema;
    } catch {
      return undefined;
    }
    if (schema === null) return undefined;
    const start = this.envelopeStart(schema);
    if (bytes.length <= start.length) return undefined;
    for (let i = 0; i < start.length; i++) if (bytes[i] !== start[i]) return undefined;
    return { schema, start };
  }

  /** A payload's JSON as this converter writes it for a value of `schema`: in its envelope when schemas are enabled. */
  envelopeOf(schema: Schema, payload: Uint8Array): Uint8Array {
    if (!this.settings.schemasEnabled) return payload;
    const start = this.envelopeStart(schema);
    const out = this.arena.take(start.length + payload.length + 1);
    out.set(start);
    out.set(payload, start.length);
    out[out.length - 1] = 0x7d;
    return out;
  }

  /**
   * A payload's value (JSON, without an envelope) with `schema`, as `toConnectData` reads an envelope's payload, or
   * with null as it reads schemaless JSON.
   */
  payloadToConnect(schema: Schema | null, payload: Uint8Array): unknown {
    const text = this.decoder.decode(payload);
    if (schema !== null) return this.decodeExactly(schema, (exact) => this.parse(text, false, exact));
    const { tree, lossless } = this.parse(text, true);
    return decodeJsonValue(null, tree, { replaceNullWithDefault: this.settings.replaceNullWithDefault, lossless });
  }

  /** How many parsed schemas are cached, for tests of `schemas.cache.size`. */
  get cachedSchemaCount(): number {
    return this.codec.cachedSchemaCount;
  }

  close(): void {}
}

/**
 * The integer literals of 16 digits or more in a JSON text, by the number each parses to: the resolver answers the
 * literal of a number JSON.parse could not hold exactly, or undefined when no plain integer literal parses to it or
 * two different ones do (a digit run inside a string counts as a candidate too, so a clash is always noticed).
 */
function longIntegerLiterals(text: string): (value: number) => string | undefined {
  let byValue: Map<number, string | null> | undefined;
  return (value) => {
    if (byValue === undefined) {
      byValue = new Map();
      for (const match of text.matchAll(LONG_INTEGER)) {
        const literal = match[0];
        const after = text.charCodeAt((match.index ?? 0) + literal.length);
        if (after === 0x2e || after === 0x65 || after === 0x45) continue; // a fraction or an exponent follows
        const parsed = Number(literal);
        const known = byValue.get(parsed);
        byValue.set(parsed, known === undefined || known === literal ? literal : null);
      }
    }
    return byValue.get(value) ?? undefined;
  };
}

const LONG_INTEGER = /-?\d{16,}/g;
