import { describe, expect, test } from "bun:test";
import { OrdersShape } from "../../../plugins/datagen/shapes/orders-shape.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import type { FastPath, FastPathConverter } from "../../../src/data/fast-paths/schemaless/json-fast-path.ts";
import { compileFastPath } from "../../../src/data/fast-paths/schemaless/json-fast-path.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { generalPath, SCHEMALESS, show } from "./general-path.ts";

const plugins = await PluginRegistry.load();
const JSON_CONVERTER: FastPathConverter = {
  className: "org.apache.kafka.connect.json.JsonConverter",
  props: SCHEMALESS,
};
const encoder = new TextEncoder();
const T = "org.apache.kafka.connect.transforms.";

/** Flatten + Cast + ReplaceField, as the benchmarks' source and sink workloads run them. */
const ORDERS_CHAIN = {
  transforms: "flatten,cast,replace",
  "transforms.flatten.type": `${T}Flatten$Value`,
  "transforms.cast.type": `${T}Cast$Value`,
  "transforms.cast.spec": "customer.id:string,total:string,customer.address.zip:int32",
  "transforms.replace.type": `${T}ReplaceField$Value`,
  "transforms.replace.exclude": "customer.email",
};

function fastPathOf(config: Record<string, string>): FastPath {
  const fast = compileFastPath(config, JSON_CONVERTER);
  if (fast === null) throw new Error("no fast path");
  return fast;
}

/** The fast path's output for one JSON text, checked against the general path's. */
function run(config: Record<string, string>, text: string | null): string {
  const bytes = text === null ? null : encoder.encode(text);
  const [output] = fastPathOf(config)([bytes]);
  const expected = generalPath(plugins, config)(bytes);
  if (output !== undefined) {
    expect(expected.ok).toBe(true);
    if (expected.ok) expect(show(output)).toBe(show(expected.value));
  }
  return show(output);
}

describe("compileFastPath", () => {
  test("covers schemaless JsonConverter with Flatten, Cast, ReplaceField and Drop on the value, by class name or alias", () => {
    expect(compileFastPath(ORDERS_CHAIN, JSON_CONVERTER)).not.toBeNull();
    expect(compileFastPath({}, { className: "JsonConverter", props: SCHEMALESS })).not.toBeNull();
    const aliases = {
      transforms: "f, c ,d",
      "transforms.f.type": "Flatten$Value",
      "transforms.c.type": "Cast$Value",
      "transforms.c.spec": "a:int8",
      "transforms.d.type": "Drop$Value",
    };
    expect(compileFastPath(aliases, JSON_CONVERTER)).not.toBeNull();
  });

  test("declines what it does not cover, so the general path runs", () => {
    const declined = (config: Record<string, string>, converter = JSON_CONVERTER) =>
      expect(compileFastPath(config, converter)).toBeNull();
    declined({}, { className: "org.apache.kafka.connect.storage.StringConverter", props: {} });
    declined({}, { className: "JsonConverter", props: {} }); // schemas.enable defaults to true
    declined({}, { className: "JsonConverter", props: { "schemas.enable": "maybe" } });
    declined({ transforms: "f", "transforms.f.type": `${T}Flatten$Key` });
    declined({ transforms: "f", "transforms.f.type": `${T}Flatten$Value`, "transforms.f.flatten.arrays": "true" });
    declined({ transforms: "c", "transforms.c.type": `${T}Cast$Value`, "transforms.c.spec": "string" });
    declined({ transforms: "c", "transforms.c.type": `${T}Cast$Value`, "transforms.c.spec": "a:map" });
    declined({ transforms: "r", "transforms.r.type": `${T}RegexRouter`, "transforms.r.regex": ".*" });
    declined({ transforms: "f,f", "transforms.f.type": `${T}Flatten$Value` });
    declined({
      transforms: "f",
      "transforms.f.type": `${T}Flatten$Value`,
      "transforms.f.predicate": "p",
      predicates: "p",
      "predicates.p.type": "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
    });
  });
});

describe("the fast path", () => {
  test("writes every datagen order as the general path does, none left to it", () => {
    const shape = new OrdersShape(7);
    const converter = new JsonConverter();
    converter.configure(SCHEMALESS, false);
    const values = Array.from(
      { length: 500 },
      (_, seq) => converter.fromConnectData("t", [], shape.valueSchema, shape.generate(0, seq).value) as Uint8Array,
    );
    const general = generalPath(plugins, ORDERS_CHAIN);
    const outputs = fastPathOf(ORDERS_CHAIN)(values);
    outputs.forEach((output, i) => {
      expect(output).toBeInstanceOf(Uint8Array);
      const expected = general(values[i] as Uint8Array);
      expect(expected.ok && show(expected.value)).toBe(show(output));
    });
  });

  test("flattens with Kafka's names and JS's key order: array indexes first, duplicates at their first place", () => {
    const flatten = { transforms: "f", "transforms.f.type": `${T}Flatten$Value` };
    expect(run(flatten, '{"b":{"x":1,"y":[1,{"k":2}]},"1":null,"a.b":true}')).toBe(
      '{"1":null,"b.x":1,"b.y":[1,{"k":2}],"a.b":true}',
    );
    expect(run(flatten, '{"a":{"b":1},"a.b":2}')).toBe('{"a.b":2}');
    expect(run(flatten, '{"a":{"b":1},"a":3}')).toBe('{"a":3}');
    expect(run(flatten, '{"":{"x":1},"e":{}}')).toBe('{"x":1}');
  });

  test("casts as Cast does, sets absent fields to null, and leaves a failing record to the general path", () => {
    const cast = (spec: string) => ({
      transforms: "c",
      "transforms.c.type": `${T}Cast$Value`,
      "transforms.c.spec": spec,
    });
    expect(run(cast("n:string,s:int16,m:boolean"), '{"n":-12.5,"s":"+0042","t":1}')).toBe(
      '{"n":"-12.5","s":42,"t":1,"m":null}',
    );
    expect(run(cast("n:int8"), '{"n":300}')).toBe('{"n":44}');
    expect(run(cast("s:int32"), '{"s":"12a"}')).toBe("(general path)");
    expect(run(cast("o:string"), '{"o":{"x":1}}')).toBe("(general path)");
    expect(run(cast("a:string"), '{"a":[1]}')).toBe("(general path)");
  });

  test("ReplaceField excludes, includes and renames; Drop writes null but still fails on a failing cast", () => {
    const replace = {
      transforms: "r",
      "transforms.r.type": "ReplaceField$Value",
      "transforms.r.include": "a,b,c",
      "transforms.r.exclude": "b",
      "transforms.r.renames": "a:z,c:a",
    };
    expect(run(replace, '{"a":1,"b":2,"c":3,"d":4}')).toBe('{"z":1,"a":3}');
    const drop = {
      transforms: "c,d",
      "transforms.c.type": `${T}Cast$Value`,
      "transforms.c.spec": "s:int32",
      "transforms.d.type": "io.confluent.connect.transforms.Drop$Value",
    };
    expect(run(drop, '{"s":"1"}')).toBe("null");
    expect(run(drop, '{"s":"x"}')).toBe("(general path)");
  });

  test("writes values as JsonConverter does: whitespace dropped, strings and numbers in Jackson's form", () => {
    const none = {};
    expect(run(none, ' {\n "a" : [ 1 , {"b" : "c"} ] ,"d":"\\u00e9\\/"} ')).toBe('{"a":[1,{"b":"c"}],"d":"é/"}');
    expect(run(none, '{"e":"😀","u":"\\ud83d"}')).toBe('{"e":"\\uD83D\\uDE00","u":"\\uD83D"}');
    // Number spellings the converter rewrites take its own path: whatever it writes, the fast path writes.
    for (const n of ["-0", "12.0", "1e3", "0.0001", "12345678.5", "1.50", "1e400"]) run(none, `{"n":${n},"a":[${n}]}`);
  });

  test("leaves to the general path what only it reads: invalid bytes, lenient JSON, exact big integers, non-objects", () => {
    const none = {};
    expect(fastPathOf(none)([new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])])).toEqual([undefined]);
    for (const text of [
      '{"a":007}',
      '{"a":12345678901234567}',
      '{"a":1} x',
      "[1]",
      '"a"',
      "",
      "\ufeff{}",
      '{"a":"\t"}',
    ])
      expect(run(none, text)).toBe("(general path)");
  });

  test("leaves to the general path records beyond its limits: deep nesting, many values, very long keys", () => {
    const flatten = { transforms: "f", "transforms.f.type": `${T}Flatten$Value` };
    const deep = (n: number, open: string, close: string) => `{"a":${open.repeat(n)}1${close.repeat(n)}}`;
    expect(run(flatten, deep(70, '{"a":', "}"))).toBe("(general path)");
    expect(run(flatten, deep(70, "[", "]"))).toBe("(general path)");
    expect(run(flatten, deep(20, '{"a":', "}"))).toBe(`{"${Array(21).fill("a").join(".")}":1}`);
    const many = `{${Array.from({ length: 1100 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    expect(run(flatten, many)).toBe("(general path)");
    expect(run(flatten, `{"${"k".repeat(300)}":1}`)).toBe("(general path)");
  });

  test("passes null values through", () => {
    expect(run(ORDERS_CHAIN, null)).toBe("null");
  });

  test("hands out views that stay valid after the next batch", () => {
    const fast = fastPathOf(ORDERS_CHAIN);
    const [first] = fast([encoder.encode('{"customer":{"id":1}}')]);
    const copy = show(first);
    fast([encoder.encode('{"customer":{"id":2}}')]);
    expect(show(first)).toBe(copy);
  });

  test("keeps working, through the general path, past the number of shapes it remembers", () => {
    const fast = fastPathOf({ transforms: "f", "transforms.f.type": `${T}Flatten$Value` });
    const values = Array.from({ length: 600 }, (_, i) => encoder.encode(`{"k${i}":{"v":${i}}}`));
    const outputs = fast(values);
    expect(show(outputs[0])).toBe('{"k0.v":0}');
    expect(outputs.filter((o) => o === undefined).length).toBeGreaterThan(0);
    expect(show(fast([values[0] as Uint8Array])[0])).toBe('{"k0.v":0}');
  });
});
