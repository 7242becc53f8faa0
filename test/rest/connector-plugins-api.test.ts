import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { ConfigInfos, ConfigKeyInfo } from "../../src/runtime/herders/config-infos.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

describe("the /connector-plugins routes", () => {
  let worker: RestWorker;
  let base: string;

  beforeAll(async () => {
    worker = await startRestWorker();
    base = worker.base;
  });

  afterAll(async () => {
    await worker.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const validate = async (plugin: string, body: unknown) => {
    const response = await fetch(`${base}/connector-plugins/${plugin}/config/validate`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ConfigInfos & { message: string } };
  };
  const valueNamed = (infos: ConfigInfos, name: string) => infos.configs.find((c) => c.value?.name === name)?.value;
  const definitionOf = (infos: ConfigInfos, name: string) =>
    infos.configs.find((c) => c.definition?.name === name)?.definition;

  test("lists the connectors by default, sinks first, each sorted by class, as Kafka does", async () => {
    const { status, body } = await get("/connector-plugins");
    expect(status).toBe(200);
    const plugins = body as { class: string; type: string; version?: string }[];
    expect(plugins.map((p) => `${p.type} ${p.class}`)).toEqual([
      "sink io.debezium.connector.jdbc.JdbcSinkConnector",
      "sink org.apache.kafka.connect.file.FileStreamSinkConnector",
      "source io.debezium.connector.postgresql.PostgresConnector",
      "source io.sluice.connect.datagen.DatagenConnector",
      "source org.apache.kafka.connect.file.FileStreamSourceConnector",
    ]);
    expect(Object.keys(plugins[0] ?? {})).toEqual(["class", "type", "version"]);
    expect(await get("/connector-plugins?connectorsOnly=TRUE")).toEqual({ status, body });
  });

  test("connectorsOnly=false adds transformations, predicates, converters and header converters, in that order", async () => {
    const { body } = await get("/connector-plugins?connectorsOnly=false");
    const plugins = body as { class: string; type: string }[];
    const types = plugins.map((p) => p.type);
    expect([...new Set(types)]).toEqual([
      "sink",
      "source",
      "transformation",
      "predicate",
      "converter",
      "header_converter",
    ]);
    const transforms = plugins.filter((p) => p.type === "transformation").map((p) => p.class);
    expect(transforms).toEqual([...transforms].sort());
    expect(transforms).toContain("org.apache.kafka.connect.transforms.Cast$Value");
    // A converter that is also a HeaderConverter is listed under both types, as Kafka's plugin scan finds it.
    const json = plugins.filter((p) => p.class === "org.apache.kafka.connect.json.JsonConverter").map((p) => p.type);
    expect(json).toEqual(["converter", "header_converter"]);
    const headerOnly = plugins.filter((p) => p.class === "org.apache.kafka.connect.storage.SimpleHeaderConverter");
    expect(headerOnly.map((p) => p.type)).toEqual(["header_converter"]);
  });

  test("a repeated connectorsOnly is a 400 naming the parameter", async () => {
    const response = await fetch(`${base}/connector-plugins?connectorsOnly=a&connectorsOnly=b`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error_code: number; message: string };
    expect(body.error_code).toBe(400);
    expect(body.message).toContain("connectorsOnly");
  });

  test("GET /{plugin}/config lists a connector's own keys, then Connect's sink keys, in Kafka's shape", async () => {
    const { status, body } = await get("/connector-plugins/FileStreamSink/config");
    expect(status).toBe(200);
    const keys = body as ConfigKeyInfo[];
    expect(keys[0]?.name).toBe("file");
    expect(Object.keys(keys[0] ?? {})).toEqual([
      "name",
      "type",
      "required",
      "default_value",
      "importance",
      "documentation",
      "group",
      "width",
      "display_name",
      "dependents",
      "order",
    ]);
    expect(keys.find((k) => k.name === "tasks.max")).toMatchObject({
      type: "INT",
      required: false,
      default_value: "1",
      importance: "HIGH",
      group: "Common",
      width: "SHORT",
      display_name: "Tasks max",
      dependents: [],
      order: 4,
    });
    expect(keys.find((k) => k.name === "name")).toMatchObject({ required: true, default_value: null });
    expect(keys.find((k) => k.name === "topics")).toMatchObject({ type: "LIST", default_value: "" });
    const { body: byClass } = await get(
      "/connector-plugins/org.apache.kafka.connect.file.FileStreamSinkConnector/config",
    );
    expect(byClass).toEqual(body);
  });

  test("GET /{plugin}/config works for transformations, predicates and converters too", async () => {
    const cast = (await get("/connector-plugins/org.apache.kafka.connect.transforms.Cast$Value/config"))
      .body as ConfigKeyInfo[];
    expect(cast.find((k) => k.name === "spec")).toMatchObject({ type: "LIST", required: true, order: -1, group: null });
    const predicate = (await get("/connector-plugins/TopicNameMatches/config")).body as ConfigKeyInfo[];
    expect(predicate.map((k) => k.name)).toEqual(["pattern"]);
    const json = (await get("/connector-plugins/JsonConverter/config")).body as ConfigKeyInfo[];
    expect(json.find((k) => k.name === "schemas.enable")).toMatchObject({ type: "BOOLEAN", default_value: "true" });
    expect((await get("/connector-plugins/SimpleHeaderConverter/config")).body).toEqual([]);
  });

  test("GET /{plugin}/config of an unknown plugin is Kafka's 404", async () => {
    expect(await get("/connector-plugins/Nope/config")).toEqual({
      status: 404,
      body: { error_code: 404, message: "Unknown plugin Nope." },
    });
  });

  test("validate: a valid sink configuration has no errors; keys, values and groups as Kafka reports them", async () => {
    const { status, body } = await validate("FileStreamSinkConnector", {
      "connector.class": "FileStreamSink",
      name: "ok",
      topics: "t",
      transforms: "c",
      "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value",
      "transforms.c.spec": "a:int32",
      "transforms.c.predicate": "p",
      predicates: "p",
      "predicates.p.type": "TopicNameMatches",
      "predicates.p.pattern": "t.*",
    });
    expect(status).toBe(200);
    expect(body.name).toBe("FileStreamSink");
    expect(body.error_count).toBe(0);
    expect(body.groups).toEqual([
      "Common",
      "Transforms",
      "Predicates",
      "Error Handling",
      "Transforms: c",
      "Predicates: p",
    ]);
    expect(body.configs.slice(0, 3).map((c) => c.definition?.name)).toEqual(["name", "connector.class", "tasks.max"]);
    expect(valueNamed(body, "tasks.max")).toEqual({
      name: "tasks.max",
      value: "1",
      recommended_values: [],
      errors: [],
      visible: true,
    });
    // The worker's converter is the default of the connector's converter key, as in Kafka 4.1.
    expect(definitionOf(body, "key.converter")?.default_value).toBe(STRING_CONVERTER);
    expect(valueNamed(body, "key.converter")?.recommended_values).toContain(
      "org.apache.kafka.connect.json.JsonConverter",
    );
    expect(definitionOf(body, "transforms.c.type")).toMatchObject({
      type: "CLASS",
      required: true,
      group: "Transforms: c",
      order: 0,
      width: "LONG",
      display_name: "Transformation type for c",
    });
    // The transform's keys are embedded in ConfigDef.sortedConfigs order: required first, then by importance and name.
    const order = (name: string) => definitionOf(body, name)?.order ?? Number.NaN;
    expect(order("transforms.c.spec")).toBe(2);
    expect(order("transforms.c.negate")).toBeGreaterThan(order("transforms.c.spec"));
    expect(order("transforms.c.predicate")).toBe(order("transforms.c.negate") + 1);
    expect(valueNamed(body, "predicates.p.pattern")?.value).toBe("t.*");
    expect(definitionOf(body, "file")?.group).toBeNull();
  });

  test("validate: every error is reported on its key and counted", async () => {
    const { status, body } = await validate("FileStreamSink", {
      "connector.class": "FileStreamSink",
      name: "bad",
      "tasks.max": "0",
      transforms: "a",
      "transforms.a.type": "Nope",
      "key.converter": "AlsoNope",
      "errors.tolerance": "some",
    });
    expect(status).toBe(200);
    expect(valueNamed(body, "tasks.max")?.errors).toEqual([
      "Invalid value 0 for configuration tasks.max: Value must be at least 1",
    ]);
    expect(valueNamed(body, "topics")?.errors).toEqual(["Must configure one of topics or topics.regex"]);
    expect(valueNamed(body, "topics.regex")?.errors).toEqual(["Must configure one of topics or topics.regex"]);
    expect(valueNamed(body, "transforms.a.type")?.errors).toEqual([
      "Invalid value Nope for configuration transforms.a.type: Class Nope could not be found.",
    ]);
    expect(valueNamed(body, "key.converter")?.errors).toEqual([
      "Invalid value AlsoNope for configuration key.converter: Class AlsoNope could not be found.",
    ]);
    expect(valueNamed(body, "errors.tolerance")?.errors[0]).toContain("String must be one of: none, all");
    expect(body.error_count).toBe(6);
  });

  test("validate: a value that does not parse is null, its validator still runs, and a refused one keeps its parsed form, as in Kafka 4.1.1", async () => {
    // Seen against Kafka Connect 4.1.1 through kafka-connect-py's and lsst kafkaconnect's validate.
    const { status, body } = await validate("FileStreamSink", {
      "connector.class": "FileStreamSink",
      topics: "t",
      "tasks.max": "x",
      "errors.log.enable": "yes",
      "errors.retry.timeout": " 7 ",
      "errors.tolerance": "maybe",
      "config.action.reload": "RESTART",
      transforms: "b",
      "transforms.b.type": "Nope",
      "value.converter": "AlsoNope",
    });
    expect(status).toBe(200);
    expect(valueNamed(body, "tasks.max")).toMatchObject({
      value: null,
      errors: [
        "Invalid value x for configuration tasks.max: Not a number of type INT",
        "Invalid value null for configuration tasks.max: Value must be non-null",
      ],
    });
    expect(valueNamed(body, "errors.log.enable")).toMatchObject({
      value: null,
      errors: ["Invalid value yes for configuration errors.log.enable: Expected value to be either true or false"],
    });
    expect(valueNamed(body, "errors.retry.timeout")).toMatchObject({ value: "7", errors: [] });
    expect(valueNamed(body, "errors.tolerance")?.value).toBe("maybe");
    // Kafka's ValidString.in is case-sensitive.
    expect(valueNamed(body, "config.action.reload")).toMatchObject({
      value: "RESTART",
      errors: ["Invalid value RESTART for configuration config.action.reload: String must be one of: none, restart"],
    });
    expect(valueNamed(body, "transforms.b.type")).toMatchObject({
      value: null,
      errors: ["Invalid value Nope for configuration transforms.b.type: Class Nope could not be found."],
    });
    expect(valueNamed(body, "value.converter")?.value).toBeNull();
    // A missing name is only missing: its validator lets null through.
    expect(valueNamed(body, "name")?.errors).toEqual([
      'Missing required configuration "name" which has no default value.',
    ]);
    expect(body.error_count).toBe(8);
  });

  test("validate: FileStreamSource's batch.size that does not parse has Kafka's one error (Kafka has no validator there)", async () => {
    const { body } = await validate("FileStreamSource", {
      "connector.class": "FileStreamSource",
      name: "n",
      topic: "t",
      "batch.size": "x",
    });
    expect(valueNamed(body, "batch.size")).toMatchObject({
      value: null,
      errors: ["Invalid value x for configuration batch.size: Not a number of type INT"],
    });
    expect(body.error_count).toBe(1);
  });

  test("validate: keys are documented in Kafka Connect 4.1.1's words", async () => {
    const sink = (await validate("FileStreamSink", { "connector.class": "FileStreamSink", name: "n", topics: "t" }))
      .body;
    expect(definitionOf(sink, "connector.class")?.documentation).toBe(
      "Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. " +
        'If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
    );
    expect(definitionOf(sink, "topics")?.documentation).toBe("List of topics to consume, separated by commas");
    expect(definitionOf(sink, "transforms")?.documentation).toBe(
      "Aliases for the transformations to be applied to records.",
    );
    expect(definitionOf(sink, "file")?.documentation).toBe(
      "Destination filename. If not specified, the standard output will be used",
    );
    const source = (
      await validate("FileStreamSource", { "connector.class": "FileStreamSource", name: "n", topic: "t" })
    ).body;
    expect(definitionOf(source, "file")?.documentation).toBe(
      "Source filename. If not specified, the standard input will be used",
    );
    expect(definitionOf(source, "topic")?.documentation).toBe("The topic to publish data to");
    expect(definitionOf(source, "transaction.boundary.interval.ms")?.documentation).toBe(
      "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. " +
        "If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
    );
  });

  test("validate: a sink's dead-letter-queue keys come after topics and topics.regex, as in SinkConnectorConfig", async () => {
    const { body } = await validate("FileStreamSink", { "connector.class": "FileStreamSink", name: "n", topics: "t" });
    const names = body.configs.map((c) => c.definition?.name);
    const at = (name: string) => names.indexOf(name);
    expect(at("topics.regex")).toBe(at("topics") + 1);
    expect(at("errors.deadletterqueue.topic.name")).toBe(at("topics.regex") + 1);
    expect(names.slice(at("errors.deadletterqueue.topic.name"), at("errors.deadletterqueue.topic.name") + 3)).toEqual([
      "errors.deadletterqueue.topic.name",
      "errors.deadletterqueue.topic.replication.factor",
      "errors.deadletterqueue.context.headers.enable",
    ]);
  });

  test("validate: negate without a predicate, duplicate aliases, a null value and an unknown predicate alias", async () => {
    const { body } = await validate("FileStreamSource", {
      "connector.class": "FileStreamSource",
      name: "x",
      topic: "t",
      transforms: "a",
      "transforms.a.type": "Filter",
      "transforms.a.negate": "true",
      predicates: "p,p",
      file: null,
    });
    expect(valueNamed(body, "transforms.a.type")?.errors).toEqual([
      "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.",
    ]);
    expect(valueNamed(body, "predicates")?.errors).toEqual([
      "Invalid value p,p for configuration predicates: Duplicate alias provided.",
    ]);
    expect(valueNamed(body, "file")?.errors).toEqual(["Null value can not be supplied as the configuration value."]);
    expect(valueNamed(body, "predicates.p.type")?.errors).toEqual([
      'Missing required configuration "predicates.p.type" which has no default value.',
    ]);
    expect(body.error_count).toBe(4);

    // What only configuring the chain finds (Kafka would find it when the task starts) is reported on its key.
    const unknownPredicate = await validate("FileStreamSource", {
      "connector.class": "FileStreamSource",
      name: "x",
      topic: "t",
      transforms: "a",
      "transforms.a.type": "Filter",
      "transforms.a.predicate": "missing",
    });
    expect(unknownPredicate.body.error_count).toBe(1);
    expect(valueNamed(unknownPredicate.body, "transforms.a.predicate")?.errors[0]).toContain(
      "not listed in predicates",
    );
  });

  test("validate: a converter named by the connector is validated with its own keys, prefixed", async () => {
    const { body } = await validate("FileStreamSource", {
      "connector.class": "FileStreamSource",
      name: "x",
      topic: "t",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "maybe",
    });
    expect(body.error_count).toBe(1);
    expect(body.groups).toContain("Schemas");
    expect(definitionOf(body, "value.converter.schemas.enable")).toMatchObject({ group: "Schemas", type: "BOOLEAN" });
    expect(valueNamed(body, "value.converter.schemas.enable")?.errors[0]).toContain(
      "Expected value to be either true or false",
    );
    expect(valueNamed(body, "value.converter.converter.type")?.value).toBe("value");
  });

  test("validate: the body's connector.class must match the plugin in the path (a Connector suffix aside)", async () => {
    expect(await validate("FileStreamSink", { "connector.class": "FileStreamSource", name: "x" })).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message: "Included connector type FileStreamSource does not match request type FileStreamSink",
      } as never,
    });
    expect(
      (await validate("FileStreamSinkConnector", { "connector.class": "FileStreamSink", topics: "t" })).status,
    ).toBe(200);
  });

  test("validate: numbers and booleans are read as their text, exactly as written, as Kafka's Jackson reads them", async () => {
    // What kafka-connect-py or lsst's kafkaconnect send when a configuration is built in Python or read from YAML.
    const { status, body } = await validate(
      "FileStreamSink",
      `{"connector.class": "FileStreamSink", "name": "v", "topics": "t", "tasks.max": 1, "errors.log.enable": false,
        "errors.retry.timeout": 1.5, "errors.retry.delay.max.ms": 1.0, "file": 12345678901234567890123}`,
    );
    expect(status).toBe(200);
    expect(valueNamed(body, "tasks.max")).toMatchObject({ value: "1", errors: [] });
    expect(valueNamed(body, "errors.log.enable")).toMatchObject({ value: "false", errors: [] });
    expect(valueNamed(body, "file")).toMatchObject({ value: "12345678901234567890123", errors: [] });
    // Kafka's ConfigDef sees the text the client wrote: `1.0` is not a LONG there, though JavaScript reads it as 1.
    expect(valueNamed(body, "errors.retry.timeout")?.errors).toEqual([
      "Invalid value 1.5 for configuration errors.retry.timeout: Not a number of type LONG",
    ]);
    expect(valueNamed(body, "errors.retry.delay.max.ms")?.errors).toEqual([
      "Invalid value 1.0 for configuration errors.retry.delay.max.ms: Not a number of type LONG",
    ]);
    expect(body.error_count).toBe(2);
  });

  test("validate: an object or array value, or a body that is not an object, is a 400 naming the key", async () => {
    // Kafka's Jackson cannot read these into its Map<String, String> either; it answers 500, sluice 400.
    const nested = await validate("FileStreamSink", { "connector.class": "FileStreamSink", x: { a: 1 } });
    expect(nested).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message:
          "Invalid request json at 'x': a configuration value must be a string, number, boolean or null (Kafka reads it as a string)",
      } as never,
    });
    const list = await validate("FileStreamSink", { "connector.class": "FileStreamSink", topics: ["a", "b"] });
    expect(list.status).toBe(400);
    expect(list.body.message).toStartWith("Invalid request json at 'topics': a configuration value must be");
    for (const notAnObject of ["[]", "1", "null", '"FileStreamSink"']) {
      const answer = await validate("FileStreamSink", notAnObject);
      expect({ notAnObject, status: answer.status, message: answer.body.message }).toEqual({
        notAnObject,
        status: 400,
        message: "Invalid request json at 'json': must be a JSON object",
      });
    }
  });

  test("validate: no connector class, an unknown class and malformed JSON are 400s", async () => {
    const missing = await validate("FileStreamSink", { name: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('"connector.class"');
    const unknown = await validate("Nope", { "connector.class": "Nope" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain(
      "Failed to find any class that implements Connector and which name matches Nope",
    );
    const malformed = await validate("FileStreamSink", "{not json");
    expect(malformed.status).toBe(400);
    expect((malformed.body as unknown as { error_code: number }).error_code).toBe(400);
  });
});
