/**
 * Runs the fast paths on fixed records and prints what they wrote, as one JSON document: the portability test runs
 * it under Bun, Node.js and Deno and compares the three. Schemaless JSON per record shape; and with schemas, the
 * chain compiled per Struct schema (source side), JsonConverter's Struct writer, and the sink's envelope fast path.
 */
import { sourceRecord } from "../../../src/api/record.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { compileFastPath } from "../../../src/data/fast-paths/schemaless/json-fast-path.ts";
import { compileEnvelopeFastPath } from "../../../src/data/fast-paths/structs/envelope-fast-path.ts";
import { compileStructChainPlan } from "../../../src/data/fast-paths/structs/struct-chain-plan.ts";
import { Cast } from "../../../src/data/transforms/cast.ts";
import { Flatten } from "../../../src/data/transforms/flatten.ts";
import { ReplaceField } from "../../../src/data/transforms/replace-field.ts";
import { VALUE_SIDE } from "../../../src/data/transforms/util/key-or-value.ts";

const T = "org.apache.kafka.connect.transforms.";
const chain = {
  transforms: "flatten,cast,replace",
  "transforms.flatten.type": `${T}Flatten$Value`,
  "transforms.cast.type": `${T}Cast$Value`,
  "transforms.cast.spec": "a.n:string,a.s:int32,f:float32,b:boolean",
  "transforms.replace.type": `${T}ReplaceField$Value`,
  "transforms.replace.exclude": "x",
};
const records = [
  '{"a":{"n":12,"s":"0042","t":"é"},"x":1,"f":0.1,"b":"TRUE","l":[1,2.50,{"k":"v","1":null}]}',
  ' {"a" : {"n":-0.5}, "2":"😀\\u00e9\\/", "1":true, "f":1e21, "b":0}',
  '{"a":{"n":1e3,"s":"x"}}',
  '{"a":007}',
  "[1]",
];
const fast = compileFastPath(chain, { className: "JsonConverter", props: { "schemas.enable": "false" } });
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const outputs = fast?.(records.map((r) => encoder.encode(r))) ?? [];
const schemaless = outputs.map((o) => (o === undefined ? "(general path)" : o === null ? null : decoder.decode(o)));

// With schemas: Flatten, Cast and ReplaceField as instances, the same chain on Structs.
const transforms = () => {
  const flatten = new Flatten(VALUE_SIDE);
  flatten.configure({});
  const cast = new Cast(VALUE_SIDE);
  cast.configure({ spec: "a.n:string,a.s:int32" });
  const replace = new ReplaceField(VALUE_SIDE);
  replace.configure({ exclude: "x" });
  return [flatten, cast, replace];
};
const inner = SchemaBuilder.struct().optional().field("n", Schemas.INT64).field("s", Schemas.STRING).build();
const schema = SchemaBuilder.struct()
  .field("a", inner)
  .field("x", Schemas.INT32)
  .field("f", Schemas.FLOAT64)
  .field("t", Schemas.OPTIONAL_STRING)
  .build();
const structs = [
  new Struct(schema).put("a", new Struct(inner).put("n", 12).put("s", "0042")).put("x", 1).put("f", 0.1).put("t", "é"),
  new Struct(schema).put("a", new Struct(inner).put("n", -5).put("s", "7")).put("x", 2).put("f", 12).put("t", null),
];
const converter = new JsonConverter();
converter.configure({ "schemas.enable": "true" }, false);
const plan = compileStructChainPlan(transforms());
const source = structs.map((value) => {
  const record = sourceRecord({ topic: "t", valueSchema: schema, value });
  const out = plan?.(record);
  return out === undefined
    ? "(general path)"
    : decoder.decode(converter.fromConnectData("t", [], out.valueSchema, out.value) as Uint8Array);
});
const envelopes = structs.map(
  (value) => new Uint8Array(converter.fromConnectData("t", [], schema, value) as Uint8Array),
);
const sink = compileEnvelopeFastPath(converter, transforms());
const sinkOutputs = (sink?.("t", envelopes) ?? []).map((o) =>
  o === undefined ? "(general path)" : o.json === null ? null : decoder.decode(o.json),
);
console.log(JSON.stringify({ schemaless, source, sink: sinkOutputs }));
