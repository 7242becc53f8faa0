/**
 * Which Protobuf library the Protobuf schema format uses: encode + decode of a 10-field message, 1e5 records, with
 * protobufjs (types compiled from .proto text at run time) and @bufbuild/protobuf v2 (types from a descriptor).
 * Run: `bun bench/data/protobuf-libraries.ts`. The result is written down at the top of
 * src/data/converters/schema-registry/protobuf/protobuf-format.ts.
 */

import type { DescMessage } from "@bufbuild/protobuf";
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import protobuf from "protobufjs";

const RECORDS = 100_000;
const ROUNDS = 5;

const PROTO = `syntax = "proto3";
message Bench {
  int32 id = 1;
  int64 count = 2;
  string name = 3;
  bool active = 4;
  double score = 5;
  float ratio = 6;
  bytes blob = 7;
  string city = 8;
  int32 age = 9;
  int64 created = 10;
}`;

const FIELDS: [string, FieldDescriptorProto_Type][] = [
  ["id", FieldDescriptorProto_Type.INT32],
  ["count", FieldDescriptorProto_Type.INT64],
  ["name", FieldDescriptorProto_Type.STRING],
  ["active", FieldDescriptorProto_Type.BOOL],
  ["score", FieldDescriptorProto_Type.DOUBLE],
  ["ratio", FieldDescriptorProto_Type.FLOAT],
  ["blob", FieldDescriptorProto_Type.BYTES],
  ["city", FieldDescriptorProto_Type.STRING],
  ["age", FieldDescriptorProto_Type.INT32],
  ["created", FieldDescriptorProto_Type.INT64],
];

function record(i: number) {
  return {
    id: i,
    count: BigInt(i) * 1_000_003n,
    name: `name-${i}`,
    active: i % 2 === 0,
    score: i / 7,
    ratio: Math.fround(i / 3),
    blob: new Uint8Array([i & 0xff, 1, 2, 3]),
    city: "Amsterdam",
    age: i % 100,
    created: 1_700_000_000_000n + BigInt(i),
  };
}

function time(label: string, run: () => number): void {
  let best = Number.POSITIVE_INFINITY;
  let check = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    check += run();
    best = Math.min(best, performance.now() - start);
  }
  console.log(
    `${label}: ${best.toFixed(1)} ms per ${RECORDS} (${((best * 1e6) / RECORDS).toFixed(0)} ns/record) [${check}]`,
  );
}

const records = Array.from({ length: RECORDS }, (_, i) => record(i));

// protobufjs: int64 as JS numbers where they fit (util.Long unset), as a converter would configure it.
const type = protobuf.parse(PROTO, { keepCase: true }).root.lookupType("Bench");
const pjsRecords = records.map((r) => ({ ...r, count: Number(r.count), created: Number(r.created) }));
time("protobufjs encode+decode", () => {
  let bytes = 0;
  for (const r of pjsRecords) {
    const buf = type.encode(r).finish();
    const back = type.decode(buf) as unknown as { id: number };
    bytes += buf.length + (back.id & 0);
  }
  return bytes;
});

const file = create(FileDescriptorProtoSchema, {
  name: "bench.proto",
  syntax: "proto3",
  messageType: [
    {
      name: "Bench",
      field: FIELDS.map(([name, t], i) => ({
        name,
        jsonName: name,
        number: i + 1,
        type: t,
        label: FieldDescriptorProto_Label.OPTIONAL,
      })),
    },
  ],
});
const desc = createFileRegistry(file, () => undefined).getMessage("Bench") as DescMessage;
time("@bufbuild/protobuf encode+decode", () => {
  let bytes = 0;
  for (const r of records) {
    const buf = toBinary(desc, create(desc, r as never));
    const back = fromBinary(desc, buf) as unknown as { id: number };
    bytes += buf.length + (back.id & 0);
  }
  return bytes;
});
