/**
 * The registry converters against the real development Schema Registry (Apicurio with Confluent's API): framing,
 * registration and lookup, subject name strategies, use.latest.version and use.schema.id, the schema version on
 * read, and the errors a user meets.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import type { Converter } from "../../../../src/api/converter.ts";
import { ConfigError, type ConnectError, ConversionPending, DataError } from "../../../../src/api/errors.ts";
import { type Schema, SchemaBuilder, Schemas } from "../../../../src/api/schema.ts";
import { Struct } from "../../../../src/api/struct.ts";
import { createAvroFormat } from "../../../../src/data/converters/schema-registry/avro/avro-format.ts";
import { runAwaitingPending } from "../../../../src/runtime/errors/conversion-pending.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../../../src/runtime/plugins/plugin-registry.ts";
import { SCHEMA_REGISTRY_URL, uniqueTopic, useSchemaRegistry } from "../../../harness.ts";

useSchemaRegistry();

const plugins = new PluginRegistry(RUNTIME_MANIFESTS);

/** The converters under test, by class name, with what their registry calls the schema type. */
export const REGISTRY_CONVERTERS = [
  {
    className: "io.confluent.connect.avro.AvroConverter",
    alias: "AvroConverter",
    schemaType: "AVRO",
    primitiveRecordName: null,
    addFieldCompatibility: "BACKWARD",
  },
  // A primitive at the root is written as a message of protobuf's wrappers.proto (StringValue for a string), whose
  // name the record strategies take, as Confluent's do.
  {
    className: "io.confluent.connect.protobuf.ProtobufConverter",
    alias: "ProtobufConverter",
    schemaType: "PROTOBUF",
    primitiveRecordName: "google.protobuf.StringValue",
    // The compatibility under which adding an optional field is allowed (Apicurio's check, BACKWARD by default).
    addFieldCompatibility: "BACKWARD",
  },
  // A record's name is the document's title; a string schema has none.
  {
    className: "io.confluent.connect.json.JsonSchemaConverter",
    alias: "JsonSchemaConverter",
    schemaType: "JSON",
    primitiveRecordName: null,
    // JSON Schema calls a new property on an open object BACKWARD-incompatible (it narrows what the object allows).
    addFieldCompatibility: "FORWARD",
  },
] as const;

function converter(className: string, configs: Record<string, string> = {}, isKey = false): Converter {
  const instance = plugins.converter(className).create();
  instance.configure({ "schema.registry.url": SCHEMA_REGISTRY_URL, ...configs }, isKey);
  return instance;
}

const write = (c: Converter, topic: string, schema: Schema | null, value: unknown) =>
  runAwaitingPending(() => c.fromConnectData(topic, [], schema, value));
const read = (c: Converter, topic: string, bytes: Uint8Array | null) =>
  runAwaitingPending(() => c.toConnectData(topic, [], bytes));

async function registry<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(`${SCHEMA_REGISTRY_URL}${path}`, init);
  return { status: response.status, body: (await response.json()) as T };
}

const idOf = (bytes: Uint8Array | null) =>
  new DataView((bytes as Uint8Array).buffer, (bytes as Uint8Array).byteOffset).getInt32(1);

function person(namespace: string, extra?: (b: SchemaBuilder) => SchemaBuilder) {
  let builder = SchemaBuilder.struct()
    .name(`${namespace}.Person`)
    .field("name", Schemas.STRING)
    .field("age", Schemas.INT32);
  if (extra) builder = extra(builder);
  return builder.build();
}

let namespaceCount = 0;
const namespace = () => `io.sluice.test${Date.now().toString(36)}n${namespaceCount++}`;

describe.each(REGISTRY_CONVERTERS)(
  "$className",
  ({ className, alias, schemaType, primitiveRecordName, addFieldCompatibility }) => {
    test("writes the magic byte and the registered id, and reads back equal data with the subject's version", async () => {
      const topic = uniqueTopic("rc");
      const schema = person(namespace());
      const value = new Struct(schema).put("name", "alice").put("age", 42);
      const bytes = await write(converter(className), topic, schema, value);
      expect(bytes?.[0]).toBe(0);
      const subject = await registry<{ schemaType?: string; id: number; version: number }>(
        `/subjects/${topic}-value/versions/latest`,
      );
      expect(subject.body.id).toBe(idOf(bytes));
      expect(subject.body.schemaType ?? "AVRO").toBe(schemaType);
      // A fresh converter (another worker) knows nothing yet: everything it needs comes from the registry.
      const back = await read(converter(alias), topic, bytes);
      expect(back.schema?.version).toBe(subject.body.version);
      expect(String(back.value)).toBe(String(value));
    });

    test("a schema seen once converts without waiting; equal schemas built anew find it by text", async () => {
      const topic = uniqueTopic("rc");
      const c = converter(className);
      const ns = namespace();
      await write(c, topic, person(ns), new Struct(person(ns)).put("name", "a").put("age", 1));
      const again = person(ns);
      expect(c.fromConnectData(topic, [], again, new Struct(again).put("name", "b").put("age", 2))?.[0]).toBe(0);
    });

    test("null is a null record both ways", async () => {
      const c = converter(className);
      expect(c.fromConnectData("t", [], person(namespace()), null)).toBeNull();
      expect(c.toConnectData("t", [], null)).toEqual({ schema: null, value: null });
    });

    test("bytes not in Confluent's wire format are a DataError naming the magic byte", () => {
      const c = converter(className);
      expect(() => c.toConnectData("t", [], new Uint8Array([1, 0, 0, 0, 1, 2]))).toThrow(
        /Unknown magic byte! Expected 0, found 1/,
      );
      expect(() => c.toConnectData("t", [], new Uint8Array([0, 0]))).toThrow(/too short/);
    });

    test("an id the registry does not know fails the record, naming the topic and id", async () => {
      const error = (await read(converter(className), "t", new Uint8Array([0, 0x7f, 0, 0, 1, 0])).catch(
        (e: unknown) => e,
      )) as ConnectError;
      expect(error).toBeInstanceOf(DataError);
      expect(error.retriable).toBe(false);
      expect(error.message).toContain(`Failed to deserialize data for topic t to`);
      expect(error.message).toContain("/schemas/ids/2130706433");
    });

    test("auto.register.schemas=false looks the schema up, and a schema not registered is an error", async () => {
      const topic = uniqueTopic("rc");
      const schema = person(namespace());
      const value = new Struct(schema).put("name", "x").put("age", 3);
      const lookup = converter(className, { "auto.register.schemas": "false" });
      const error = (await write(lookup, topic, schema, value).catch((e: unknown) => e)) as ConnectError;
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toContain(`Failed to serialize`);
      expect(error.message).toContain(`${topic}-value`);
      const registered = await write(converter(className), topic, schema, value);
      expect(idOf(await write(converter(className, { "auto.register.schemas": "false" }), topic, schema, value))).toBe(
        idOf(registered),
      );
    });

    test("subject name strategies: topic, record, topic and record; keys get -key", async () => {
      const topic = uniqueTopic("rc");
      const ns = namespace();
      const schema = person(ns);
      const value = new Struct(schema).put("name", "s").put("age", 5);
      const strategy = (name: string, isKey = false) =>
        converter(className, { [isKey ? "key.subject.name.strategy" : "value.subject.name.strategy"]: name }, isKey);
      await write(strategy("io.confluent.kafka.serializers.subject.TopicNameStrategy"), topic, schema, value);
      await write(strategy("TopicNameStrategy", true), topic, schema, value);
      await write(strategy("io.confluent.kafka.serializers.subject.RecordNameStrategy"), topic, schema, value);
      await write(strategy("TopicRecordNameStrategy"), topic, schema, value);
      // Each subject asked for by name: a registry that has served many runs lists only the first of its subjects.
      for (const subject of [`${topic}-value`, `${topic}-key`, `${ns}.Person`, `${topic}-${ns}.Person`]) {
        const versions = await registry<number[]>(`/subjects/${encodeURIComponent(subject)}/versions`);
        expect({ subject, status: versions.status }).toEqual({ subject, status: 200 });
      }
      // Reading with the record strategy asks the version in the record's subject.
      const bytes = await write(strategy("RecordNameStrategy"), topic, schema, value);
      const back = await read(strategy("RecordNameStrategy"), topic, bytes);
      expect(back.schema?.version).toBe(1);
    });

    test("a record name strategy on a string value: Confluent's message, or the name its format gives it", async () => {
      const c = converter(className, { "value.subject.name.strategy": "RecordNameStrategy" });
      const written = await write(c, "t", Schemas.STRING, "x").catch((e: unknown) => e);
      if (primitiveRecordName === null) {
        expect((written as Error).message).toBe(
          "In configuration value.subject.name.strategy = io.confluent.kafka.serializers.subject.RecordNameStrategy, the message value must only be a record schema",
        );
      } else {
        const id = idOf(written as Uint8Array);
        const versions = await registry<{ id: number }>(`/subjects/${primitiveRecordName}/versions/latest`);
        expect(versions.body.id).toBe(id);
        // Read back under the same strategy: the subject comes from the message the body holds, not the file's first.
        const reader = converter(className, { "value.subject.name.strategy": "RecordNameStrategy" });
        expect((await read(reader, "t", written as Uint8Array)).value).toBe("x");
      }
    });

    test("an unknown strategy is a ConfigError naming the key", () => {
      expect(() => converter(className, { "value.subject.name.strategy": "com.example.Mine" })).toThrow(ConfigError);
      expect(() => converter(className, { "value.subject.name.strategy": "com.example.Mine" })).toThrow(
        /value.subject.name.strategy: Class com.example.Mine could not be found/,
      );
    });

    test("use.latest.version writes with the subject's latest schema id; use.schema.id with the one given", async () => {
      const topic = uniqueTopic("rc");
      const ns = namespace();
      const v1 = person(ns);
      const v2 = person(ns, (b) => b.field("email", Schemas.OPTIONAL_STRING));
      const first = await write(converter(className), topic, v1, new Struct(v1).put("name", "a").put("age", 1));
      // Apicurio configures a subject once it exists (and reads a subject's NONE as "the global level").
      await fetch(`${SCHEMA_REGISTRY_URL}/config/${topic}-value`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ compatibility: addFieldCompatibility }),
      });
      const second = await write(
        converter(className),
        topic,
        v2,
        new Struct(v2).put("name", "b").put("age", 2).put("email", "b@x"),
      );
      expect(idOf(second)).not.toBe(idOf(first));
      const latest = await write(
        converter(className, { "use.latest.version": "true", "auto.register.schemas": "false" }),
        topic,
        v1,
        new Struct(v1).put("name", "c").put("age", 3),
      );
      expect(idOf(latest)).toBe(idOf(second));
      const back = await read(converter(className), topic, latest);
      expect(back.schema?.version).toBe(2);
      expect((back.value as Struct).get("name")).toBe("c");
      const fixed = await write(
        converter(className, { "use.schema.id": String(idOf(first)) }),
        topic,
        v1,
        new Struct(v1).put("name", "d").put("age", 4),
      );
      expect(idOf(fixed)).toBe(idOf(first));
    });

    test("a converter waits on the registry by throwing ConversionPending, never by blocking", () => {
      const c = converter(className);
      const schema = person(namespace());
      let thrown: unknown;
      try {
        c.fromConnectData(uniqueTopic("rc"), [], schema, new Struct(schema).put("name", "p").put("age", 1));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConversionPending);
      return (thrown as ConversionPending).ready;
    });

    test("it is not a header converter, as Confluent's is not", () => {
      expect(() => plugins.headerConverter(className)).toThrow(/is a Converter but not a HeaderConverter/);
    });
  },
);

beforeAll(() => {
  expect(REGISTRY_CONVERTERS.length).toBeGreaterThan(0);
});

describe("schema evolution through the registry (Avro, BACKWARD)", () => {
  const className = "io.confluent.connect.avro.AvroConverter";

  test("a field added with a default, then a field removed: each a new version, old records still read", async () => {
    const topic = uniqueTopic("evolve");
    const ns = namespace();
    const v1 = person(ns);
    const v2 = person(ns, (b) =>
      b.field("country", SchemaBuilder.struct().name(`${ns}.Country`).field("code", Schemas.STRING).optional().build()),
    );
    const v3 = SchemaBuilder.struct()
      .name(`${ns}.Person`)
      .field("name", Schemas.STRING)
      .field("country", v2.fields?.[2]?.schema as Schema)
      .build();
    const writer = converter(className);
    const first = await write(writer, topic, v1, new Struct(v1).put("name", "a").put("age", 1));
    const second = await write(writer, topic, v2, new Struct(v2).put("name", "b").put("age", 2).put("country", null));
    const third = await write(writer, topic, v3, new Struct(v3).put("name", "c").put("country", null));
    const versions = (await registry<number[]>(`/subjects/${topic}-value/versions`)).body;
    expect(versions).toEqual([1, 2, 3]);
    const reader = converter(className);
    const read = async (bytes: Uint8Array | null) =>
      await runAwaitingPending(() => reader.toConnectData(topic, [], bytes));
    const [r1, r2, r3] = [await read(first), await read(second), await read(third)];
    expect([r1.schema?.version, r2.schema?.version, r3.schema?.version]).toEqual([1, 2, 3]);
    expect(r1.schema?.fields?.map((f) => f.name)).toEqual(["name", "age"]);
    expect(r2.schema?.fields?.map((f) => f.name)).toEqual(["name", "age", "country"]);
    expect(r3.schema?.fields?.map((f) => f.name)).toEqual(["name", "country"]);
    expect((r1.value as Struct).get("age")).toBe(1);
  });

  test("an incompatible change is refused with the registry's message, and is not retried", async () => {
    const topic = uniqueTopic("evolve");
    const ns = namespace();
    const v1 = person(ns);
    const changed = SchemaBuilder.struct()
      .name(`${ns}.Person`)
      .field("name", Schemas.INT64)
      .field("age", Schemas.INT32)
      .build();
    await write(converter(className), topic, v1, new Struct(v1).put("name", "a").put("age", 1));
    const error = (await write(
      converter(className),
      topic,
      changed,
      new Struct(changed).put("name", 7).put("age", 1),
    ).catch((e: unknown) => e)) as ConnectError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain(`Failed to serialize Avro data for topic ${topic}`);
    expect(error.message).toContain("Incompatible");
    expect(error.message).toContain("(HTTP 409)");
  });

  test("use.latest.version checks that the latest version reads the record's schema, unless not strict", async () => {
    const topic = uniqueTopic("evolve");
    const ns = namespace();
    const measure = (type: Schema) =>
      SchemaBuilder.struct().name(`${ns}.Measure`).field("name", Schemas.STRING).field("value", type).build();
    const latest = measure(Schemas.FLOAT32);
    // A double: the latest version's float cannot read it (Avro promotes float to double, not back).
    const wider = measure(Schemas.FLOAT64);
    await write(converter(className), topic, latest, new Struct(latest).put("name", "a").put("value", 1.5));
    const useLatest = { "use.latest.version": "true", "auto.register.schemas": "false" };
    const error = (await write(
      converter(className, useLatest),
      topic,
      wider,
      new Struct(wider).put("name", "b").put("value", 2.5),
    ).catch((e: unknown) => e)) as ConnectError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(`the latest version 1 of subject ${topic}-value cannot read the record's schema`);
    const loose = converter(className, { ...useLatest, "latest.compatibility.strict": "false" });
    const bytes = await write(loose, topic, wider, new Struct(wider).put("name", "c").put("value", 3.5));
    const back = await read(converter(className), topic, bytes);
    expect(back.schema?.fields?.map((f) => f.schema.type)).toEqual(["string", "float32"]);
    expect((back.value as Struct).get("value")).toBe(3.5);
  });
});

describe("schema references", () => {
  test("an Avro record whose schema refers to a named type in another subject reads with that type", async () => {
    const topic = uniqueTopic("refs");
    const ns = namespace();
    const post = (path: string, body: unknown) =>
      registry<{ id: number }>(path, {
        method: "POST",
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
        body: JSON.stringify(body),
      });
    const address = { type: "record", name: "Address", namespace: ns, fields: [{ name: "city", type: "string" }] };
    const addressSubject = `${topic}-address`;
    await post(`/subjects/${addressSubject}/versions`, { schema: JSON.stringify(address) });
    const person = {
      type: "record",
      name: "Person",
      namespace: ns,
      fields: [
        { name: "name", type: "string" },
        { name: "home", type: `${ns}.Address` },
      ],
    };
    const registered = await post(`/subjects/${topic}-value/versions`, {
      schema: JSON.stringify(person),
      references: [{ name: `${ns}.Address`, subject: addressSubject, version: 1 }],
    });
    expect(registered.status).toBe(200);
    // The body as any Avro writer makes it: the record, its nested record inline.
    const avsc = (await import("avsc")).default;
    const registryOfTypes = {};
    avsc.Type.forSchema(address as never, { registry: registryOfTypes });
    const body = avsc.Type.forSchema(person as never, { registry: registryOfTypes }).toBuffer({
      name: "ann",
      home: { city: "Oslo" },
    });
    const bytes = new Uint8Array(5 + body.length);
    new DataView(bytes.buffer).setInt32(1, registered.body.id);
    bytes.set(body, 5);
    const back = await read(converter("AvroConverter"), topic, bytes);
    expect(back.schema?.fields?.map((f) => [f.name, f.schema.name ?? f.schema.type])).toEqual([
      ["name", "string"],
      ["home", `${ns}.Address`],
    ]);
    expect(String(back.value)).toBe("Struct{name=ann,home=Struct{city=Oslo}}");
  });

  test("an Avro schema whose references were not resolved is refused naming them", () => {
    const format = createAvroFormat({});
    expect(() =>
      format.parse({
        schemaType: "AVRO",
        schema: JSON.stringify({ type: "record", name: "P", fields: [{ name: "home", type: "x.Address" }] }),
        references: [{ name: "x.Address", subject: "addresses", version: 3 }],
      }),
    ).toThrow("The Avro schema refers to schemas that were not given: x.Address (subject addresses version 3)");
  });
});
