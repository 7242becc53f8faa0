/**
 * `sluice transform --topic`: a topic's records, here Avro in Confluent's wire format, through a connector's
 * converters and chain, read from the real broker with the schemas from the real registry.
 */
import { beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { SchemaBuilder, Schemas } from "../../src/api/schema.ts";
import { Struct } from "../../src/api/struct.ts";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { runAwaitingPending } from "../../src/runtime/errors/conversion-pending.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../src/runtime/plugins/plugin-registry.ts";
import { BOOTSTRAP, SCHEMA_REGISTRY_URL, uniqueTopic, useSchemaRegistry } from "../harness.ts";
import { tempDir, writeProperties } from "../worker-harness.ts";

setDefaultTimeout(60_000);
useSchemaRegistry();

const CLI = join(import.meta.dir, "..", "..", "src", "cli.ts");
const topic = uniqueTopic("transform-topic");
const schema = SchemaBuilder.struct()
  .name("io.sluice.test.Person")
  .field("name", Schemas.STRING)
  .field("age", Schemas.INT32)
  .build();

function avro() {
  const converter = new PluginRegistry(RUNTIME_MANIFESTS).converter("AvroConverter").create();
  converter.configure({ "schema.registry.url": SCHEMA_REGISTRY_URL }, false);
  return converter;
}

beforeAll(async () => {
  const kafka = await createKafkaClientFactory();
  const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
  await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }]);
  await admin.close();
  const writer = avro();
  const records = [];
  for (let i = 0; i < 6; i++) {
    const value = new Struct(schema).put("name", `p${i}`).put("age", 20 + i);
    const bytes = await runAwaitingPending(() => writer.fromConnectData(topic, [], schema, value));
    records.push({ topic, partition: i % 2, key: new TextEncoder().encode(`k${i}`), value: bytes });
  }
  const producer = await kafka.createProducer({ "bootstrap.servers": BOOTSTRAP });
  expect((await producer.send(records)).every((r) => r.ok)).toBe(true);
  await producer.close();
});

async function transform(args: string[], props: Record<string, string>) {
  const file = writeProperties(join(tempDir(), "connector.properties"), props);
  const proc = Bun.spawn(["bun", CLI, "transform", file, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return {
    code,
    err,
    lines: out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const connector = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "io.confluent.connect.avro.AvroConverter",
  "value.converter.schema.registry.url": SCHEMA_REGISTRY_URL,
  transforms: "drop",
  "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
  "transforms.drop.exclude": "age",
};

test("reads every record of the topic through the converters and the chain, shown as JSON, registering nothing", async () => {
  const { code, err, lines } = await transform(["--topic", topic, "--bootstrap-server", BOOTSTRAP], connector);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(lines).toHaveLength(6);
  const people: string[] = [];
  for (const line of lines) {
    // The chain's output as JsonConverter with schemas writes it: the Avro converter would register its schema.
    const { schema, payload } = JSON.parse(line.value as string) as {
      schema: { name: string; version: number; fields: { field: string }[] };
      payload: { name: string };
    };
    expect(schema.name).toBe("io.sluice.test.Person");
    expect(schema.version).toBe(1);
    expect(schema.fields.map((f) => f.field)).toEqual(["name"]);
    people.push(`${line.key}:${payload.name}`);
  }
  expect(people.sort()).toEqual(["k0:p0", "k1:p1", "k2:p2", "k3:p3", "k4:p4", "k5:p5"]);
  // The changed schema was not registered: the topic's subject still has its one version.
  expect(await (await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${topic}-value/versions`)).json()).toEqual([1]);
});

test("--max-records stops early", async () => {
  const { code, lines } = await transform(
    ["--topic", topic, "--bootstrap-server", BOOTSTRAP, "--max-records", "2"],
    connector,
  );
  expect(code).toBe(0);
  expect(lines).toHaveLength(2);
});

test("a topic that does not exist is an error naming it", async () => {
  const missing = uniqueTopic("no-such-topic");
  const { code, err } = await transform(["--topic", missing, "--bootstrap-server", BOOTSTRAP], connector);
  expect(code).toBe(2);
  expect(err).toContain(`Cannot read topic ${missing} at ${BOOTSTRAP}`);
  // With a progress line, the error still comes last, on its own line.
  const drawn = await transform(
    ["--topic", missing, "--bootstrap-server", BOOTSTRAP, "--progress", "always"],
    connector,
  );
  expect(drawn.code).toBe(2);
  expect(drawn.err.trimEnd().split("\n").at(-1)).toStartWith(`sluice: Cannot read topic ${missing} at ${BOOTSTRAP}`);
});

test("--progress always counts a topic's records and their rate (the total is not known in advance)", async () => {
  const { code, err, lines } = await transform(
    ["--topic", topic, "--bootstrap-server", BOOTSTRAP, "--progress", "always"],
    connector,
  );
  expect(code).toBe(0);
  expect(lines).toHaveLength(6);
  const progress = err.split("\n").filter((line) => line.includes("records/s"));
  expect(progress.at(-1)).toMatch(/^[\d,]+ records\/s \| 6 records$/);
  expect(err).not.toContain("%");
});

test("--max-records must be a count", async () => {
  const { code, err } = await transform(["--topic", topic, "--max-records", "-1"], connector);
  expect(code).not.toBe(0);
  expect(err).toContain("a non-negative integer");
});
