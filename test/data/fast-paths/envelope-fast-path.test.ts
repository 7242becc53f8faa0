import { describe, expect, test } from "bun:test";
import { jsonConverters, messagesOf } from "../../../bench/data/pipeline-sluice.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import type { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { encodeJsonValue } from "../../../src/data/converters/json-encode.ts";
import { PipelineFailure, RecordPipeline, type SinkOutcome } from "../../../src/runtime/pipeline/record-pipeline.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { expectSameStruct } from "./struct-arbitraries.ts";

const plugins = await PluginRegistry.load();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const SCHEMAS = { "schemas.enable": "true" };

const FLATTEN = "org.apache.kafka.connect.transforms.Flatten$Value";
const CAST = "org.apache.kafka.connect.transforms.Cast$Value";
const REPLACE = "org.apache.kafka.connect.transforms.ReplaceField$Value";
const DROP = "io.confluent.connect.transforms.Drop$Value";

const INNER = SchemaBuilder.struct().optional().field("x", Schemas.INT32).build();
const SCHEMA = SchemaBuilder.struct()
  .field("s", Schemas.STRING)
  .field("i", Schemas.INT32)
  .field("d", Schemas.FLOAT64)
  .field("b", Schemas.BOOLEAN)
  .field("n", INNER)
  .build();

const writer = jsonConverters(SCHEMAS).value as JsonConverter;

/** The envelope's start as the converter writes it for SCHEMA, and a payload after it. */
const START = (() => {
  const text = decoder.decode(writer.fromConnectData("t", [], SCHEMA, sample()) as Uint8Array);
  return text.slice(0, text.indexOf(',"payload":') + ',"payload":'.length);
})();

function sample(): Struct {
  return new Struct(SCHEMA)
    .put("s", "héllo")
    .put("i", -42)
    .put("d", 2.5)
    .put("b", true)
    .put("n", new Struct(INNER).put("x", 7));
}

function envelope(payload: string): Uint8Array {
  return encoder.encode(`${START}${payload}}`);
}

/** Both pipelines over the values; the fast one twice (the first batch teaches it the schema). */
function both(config: Record<string, string>, values: readonly Uint8Array[]) {
  const fast = RecordPipeline.create(config, jsonConverters(SCHEMAS), plugins);
  const general = RecordPipeline.create(config, jsonConverters(SCHEMAS), plugins, { fastPath: false });
  const messages = messagesOf(values);
  fast.toSinkRecords(messages);
  return { fast: fast.toSinkRecords(messages), general: general.toSinkRecords(messages), pipeline: fast };
}

function expectSame(mine: SinkOutcome | undefined, theirs: SinkOutcome | undefined): void {
  if (theirs instanceof PipelineFailure) {
    expect(mine).toBeInstanceOf(PipelineFailure);
    expect(((mine as PipelineFailure).error as Error).message).toBe((theirs.error as Error).message);
    return;
  }
  expect(mine).not.toBeInstanceOf(PipelineFailure);
  const [a, b] = [mine as SinkRecord, theirs as SinkRecord];
  expect(Bun.deepEquals(a.valueSchema, b.valueSchema, true)).toBe(true);
  expectSameStruct(a.value, b.value);
  // The JSON is what the converter writes for the general path's value.
  if (a.valueJson !== undefined)
    expect(decoder.decode(a.valueJson)).toBe(encodeJsonValue(b.valueSchema, b.value, writer.configuredSettings));
}

const CANONICAL = '{"s":"héllo","i":-42,"d":2.5,"b":true,"n":{"x":7}}';

describe("the sink's fast path for envelopes", () => {
  test("an empty chain: the payload is the value's JSON, the value read from it on demand", () => {
    const { fast, general } = both({}, [envelope(CANONICAL)]);
    const record = fast[0] as SinkRecord;
    expect(decoder.decode(record.valueJson)).toBe(CANONICAL);
    expectSame(record, general[0]);
  });

  test("Flatten, Cast and ReplaceField: the output's JSON from the payload's bytes, casts to string quoted", () => {
    const config = {
      transforms: "f,c,r",
      "transforms.f.type": FLATTEN,
      "transforms.c.type": CAST,
      "transforms.c.spec": "i:string,d:string,b:string,n.x:int64",
      "transforms.r.type": REPLACE,
      "transforms.r.exclude": "s",
    };
    const { fast, general, pipeline } = both(config, [envelope(CANONICAL)]);
    const record = fast[0] as SinkRecord;
    expect(decoder.decode(record.valueJson)).toBe('{"i":"-42","d":"2.5","b":"true","n.x":7}');
    expectSame(record, general[0]);
    // The dry run's bytes: the envelope of the output schema around that JSON, as the converter writes it.
    const where = () => "a test record";
    const general2 = RecordPipeline.create(config, jsonConverters(SCHEMAS), plugins, { fastPath: false });
    expect(decoder.decode(pipeline.encode(record, where).value as Uint8Array)).toBe(
      decoder.decode(general2.encode(general[0] as SinkRecord, where).value as Uint8Array),
    );
  });

  test("payloads not exactly as the converter writes them take the general path, and read the same", () => {
    const variants = [
      '{"s":"héllo","i":-42,"d":2.50,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":1.0E10,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":-0.0,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":3,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":0.10000000000000001,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":1e3,"d":2.5,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-0,"d":2.5,"b":true,"n":{"x":7}}',
      '{"s":"h\\u00e9llo","i":-42,"d":2.5,"b":true,"n":{"x":7}}',
      '{"s": "héllo","i":-42,"d":2.5,"b":true,"n":{"x":7}}',
      '{"i":-42,"s":"héllo","d":2.5,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":2.5,"b":true}',
      '{"s":"héllo","i":-42,"d":2.5,"b":true,"n":{"x":7},"z":1}',
      '{"s":"héllo","i":2147483648,"d":2.5,"b":true,"n":{"x":7}}',
      '{"s":null,"i":-42,"d":2.5,"b":true,"n":{"x":7}}',
      '{"s":"héllo","i":-42,"d":2.5,"b":true,"n":{"x":null}}',
    ];
    const { fast, general } = both({}, variants.map(envelope));
    variants.forEach((_, i) => {
      const mine = fast[i];
      if (!(mine instanceof PipelineFailure)) expect((mine as SinkRecord).valueJson).toBeUndefined();
      expectSame(mine, general[i]);
    });
  });

  test("a cast whose field a later stage drops still runs, and fails the record as the transforms do", () => {
    const failing = '{"s":"not a number","i":-42,"d":2.5,"b":true,"n":{"x":7}}';
    const dropped = {
      transforms: "c,r",
      "transforms.c.type": CAST,
      "transforms.c.spec": "s:int32",
      "transforms.r.type": REPLACE,
      "transforms.r.exclude": "s",
    };
    const nulled = { ...dropped, "transforms.r.type": DROP };
    for (const config of [dropped, nulled]) {
      const { fast, general } = both(config, [envelope(failing), envelope(CANONICAL)]);
      expect(general[0]).toBeInstanceOf(PipelineFailure);
      expectSame(fast[0], general[0]);
      expect(general[1]).toBeInstanceOf(PipelineFailure);
      expectSame(fast[1], general[1]);
    }
    const { fast, general } = both(nulled, [envelope(CANONICAL.replace('"héllo"', '"12"'))]);
    expect(fast[0]).toMatchObject({ valueSchema: null, value: null });
    expectSame(fast[0], general[0]);
  });

  test("Flatten under a null struct leaves fields unset: the general path makes that record", () => {
    const config = { transforms: "f", "transforms.f.type": FLATTEN };
    const { fast, general } = both(config, [envelope('{"s":"a","i":1,"d":2.5,"b":false,"n":null}')]);
    expect((fast[0] as SinkRecord).valueJson).toBeUndefined();
    expectSame(fast[0], general[0]);
    expect(structSlotsOf(fast[0])[4]).toBeUndefined();
  });

  test("a second schema is learned from its first record, then both take the fast path", () => {
    const other = SchemaBuilder.struct().field("k", Schemas.STRING).build();
    const otherBytes = writer.fromConnectData("t", [], other, new Struct(other).put("k", "v")) as Uint8Array;
    const values = [envelope(CANONICAL), new Uint8Array(otherBytes), envelope(CANONICAL)];
    const { fast, general } = both({}, values);
    for (let i = 0; i < values.length; i++) {
      expect((fast[i] as SinkRecord).valueJson).toBeDefined();
      expectSame(fast[i], general[i]);
    }
  });
});

function structSlotsOf(outcome: SinkOutcome | undefined): unknown[] {
  return (outcome as SinkRecord).value === null ? [] : ((outcome as SinkRecord).value as { values: unknown[] }).values;
}
