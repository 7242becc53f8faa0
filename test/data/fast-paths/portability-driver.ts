/**
 * Runs the fast path on fixed records and prints what it wrote, as one JSON document: the portability test runs it
 * under Bun, Node.js and Deno and compares the three.
 */
import { compileFastPath } from "../../../src/data/fast-paths/schemaless/json-fast-path.ts";

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
console.log(
  JSON.stringify(outputs.map((o) => (o === undefined ? "(general path)" : o === null ? null : decoder.decode(o)))),
);
