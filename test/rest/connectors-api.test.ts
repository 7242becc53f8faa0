import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { KAFKA_CONNECT_API_VERSION } from "../../src/rest/routes/root.ts";
import { uniqueTopic } from "../harness.ts";
import { tempDir, waitUntil } from "../worker-harness.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

describe("the REST API of a standalone worker", () => {
  let worker: RestWorker;
  let base: string;
  const dir = tempDir();
  const topic = uniqueTopic("rest");

  beforeAll(async () => {
    worker = await startRestWorker();
    base = worker.base;
  });

  afterAll(async () => {
    await worker.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  test("GET / names the Kafka Connect version whose API it serves, the Kafka cluster, then sluice's own version", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    // Kafka's ServerInfo fields first, in its order; a tool gating features on `version` (stop and offsets need 3.5)
    // must see the Kafka Connect release, not sluice's 0.x.
    expect(Object.keys(body)).toEqual(["version", "commit", "kafka_cluster_id", "sluice_version"]);
    expect(body.version).toBe("4.1.1");
    expect(body.version).toBe(KAFKA_CONNECT_API_VERSION);
    expect(body.commit).toBe("");
    expect(body.kafka_cluster_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.sluice_version).toBe("9.9.9");
  });

  test("create, list, inspect, status and delete a connector", async () => {
    const input = join(dir, "in.txt");
    writeFileSync(input, "a\nb\n");
    const created = await post("/connectors", {
      name: "src",
      config: { "connector.class": "FileStreamSource", file: input, topic },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${base}/connectors/src`);
    expect(await created.json()).toEqual({
      name: "src",
      config: { "connector.class": "FileStreamSource", file: input, topic, name: "src" },
      tasks: [{ connector: "src", task: 0 }],
      type: "source",
    });

    expect(await (await fetch(`${base}/connectors`)).json()).toEqual(["src"]);
    const expanded = (await (await fetch(`${base}/connectors?expand=status&expand=info`)).json()) as Record<
      string,
      { status: { name: string }; info: { type: string } }
    >;
    expect(expanded.src?.status.name).toBe("src");
    expect(expanded.src?.info.type).toBe("source");

    let status:
      | { connector: { state: string; worker_id: string }; tasks: { id: number; state: string }[]; type: string }
      | undefined;
    await waitUntil(
      async () => {
        status = (await (await fetch(`${base}/connectors/src/status`)).json()) as typeof status;
        return status?.tasks[0]?.state === "RUNNING";
      },
      10_000,
      () => JSON.stringify(status),
    );
    expect(status?.connector.state).toBe("RUNNING");
    expect(status?.connector.worker_id).toMatch(/:\d+$/);
    expect(status?.type).toBe("source");
    expect(status?.tasks[0]).not.toHaveProperty("trace");

    expect((await fetch(`${base}/connectors/src/config`)).status).toBe(200);
    const deleted = await fetch(`${base}/connectors/src`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(await (await fetch(`${base}/connectors`)).json()).toEqual([]);
  });

  test("create, update and PATCH read a number or boolean as its text, exactly as written, as Kafka's Jackson does", async () => {
    const send = (method: string, path: string, body: string) =>
      fetch(`${base}${path}`, { method, headers: { "content-type": "application/json" }, body });
    const file = JSON.stringify(join(dir, "scalars.txt"));
    // A name is a String in Kafka's CreateConnectorRequest too.
    const created = await send(
      "POST",
      "/connectors",
      `{"name": 42, "config": {"connector.class": "FileStreamSink", "file": ${file}, "topics": "${topic}",
        "tasks.max": 1, "errors.log.enable": false, "errors.retry.delay.max.ms": 60000, "note": 1.50}}`,
    );
    expect(created.status).toBe(201);
    expect(((await created.json()) as { name: string; config: Record<string, string> }).config).toMatchObject({
      name: "42",
      "tasks.max": "1",
      "errors.log.enable": "false",
      "errors.retry.delay.max.ms": "60000",
      note: "1.50",
    });
    const put = await send(
      "PUT",
      "/connectors/42/config",
      `{"connector.class": "FileStreamSink", "file": ${file}, "topics": "${topic}", "note": 12345678901234567890123}`,
    );
    expect(put.status).toBe(200);
    expect(((await put.json()) as { config: Record<string, string> }).config.note).toBe("12345678901234567890123");
    const patched = await send("PATCH", "/connectors/42/config", `{"note": 8.50e1, "errors.log.enable": true}`);
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { config: Record<string, string> }).config).toMatchObject({
      note: "8.50e1",
      "errors.log.enable": "true",
    });
    // `1.0` is not an INT for Kafka's ConfigDef, though JavaScript reads it as 1.
    const notInt = await send(
      "PUT",
      "/connectors/42/config",
      `{"connector.class": "FileStreamSink", "tasks.max": 1.0}`,
    );
    expect(notInt.status).toBe(400);
    expect(((await notInt.json()) as { message: string }).message).toContain(
      "Invalid value 1.0 for configuration tasks.max: Not a number of type INT",
    );
    await fetch(`${base}/connectors/42`, { method: "DELETE" });
  });

  test("create and update: a null value is Kafka's validation error, an object or array value a 400 naming the key", async () => {
    const config = { "connector.class": "FileStreamSink", file: join(dir, "out.txt"), topics: topic };
    const nullValue = "Null value can not be supplied as the configuration value.";
    const withNull = await post("/connectors", { name: "nulls", config: { ...config, "errors.log.enable": null } });
    expect(withNull.status).toBe(400);
    expect(((await withNull.json()) as { message: string }).message).toBe(
      `Connector configuration is invalid and contains the following 1 error(s):\n${nullValue}\n` +
        "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
    );
    const put = await fetch(`${base}/connectors/nulls/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...config, file: null }),
    });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { message: string }).message).toContain(nullValue);
    // A null name in the configuration is no name: the URL's (Kafka's checkAndPutConnectorConfigName).
    const nullName = await post("/connectors", { name: "nulls", config: { ...config, name: null } });
    expect(nullName.status).toBe(201);
    expect(((await nullName.json()) as { config: Record<string, string> }).config.name).toBe("nulls");
    await fetch(`${base}/connectors/nulls`, { method: "DELETE" });

    const nested = await post("/connectors", { name: "nested", config: { ...config, "transforms.x": { a: 1 } } });
    expect(nested.status).toBe(400);
    expect(await nested.json()).toEqual({
      error_code: 400,
      message:
        "Invalid request json at 'config.transforms.x': a configuration value must be a string, number, boolean or null (Kafka reads it as a string)",
    });
    expect(await (await fetch(`${base}/connectors`)).json()).toEqual([]);
  });

  test("a second connector with the same name is a 409", async () => {
    const config = { "connector.class": "FileStreamSink", file: join(dir, "out.txt"), topics: topic };
    expect((await post("/connectors", { name: "dup", config })).status).toBe(201);
    const again = await post("/connectors", { name: "dup", config });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error_code: 409, message: "Connector dup already exists" });
    await fetch(`${base}/connectors/dup`, { method: "DELETE" });
  });

  test("unknown connectors are 404 in Kafka's error body", async () => {
    for (const [method, path] of [
      ["GET", "/connectors/nope"],
      ["GET", "/connectors/nope/status"],
      ["DELETE", "/connectors/nope"],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error_code: number; message: string };
      expect(body.error_code).toBe(404);
      expect(body.message).toContain("nope");
    }
  });

  test("an invalid configuration is a 400 listing each error", async () => {
    const response = await post("/connectors", { name: "bad", config: { "connector.class": "FileStreamSink" } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error_code: number; message: string };
    // As Kafka's SinkConnectorConfig.validate, the topics problem is reported on topics and on topics.regex.
    expect(body.message).toBe(
      "Connector configuration is invalid and contains the following 2 error(s):\n" +
        "Must configure one of topics or topics.regex\nMust configure one of topics or topics.regex\n" +
        "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
    );
  });

  test("an unknown class, a body of the wrong shape, malformed JSON and a name mismatch are 400s that say what is wrong", async () => {
    const unknown = await post("/connectors", { name: "x", config: { "connector.class": "Nope" } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain("Nope");

    const shape = await post("/connectors", { name: "x", config: { "tasks.max": 3 } });
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { message: string }).message).toContain("config");

    const malformed = await fetch(`${base}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(malformed.status).toBe(400);

    const mismatch = await post("/connectors", {
      name: "x",
      config: { name: "y", "connector.class": "FileStreamSink", topics: "t" },
    });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { message: string }).message).toContain("doesn't match");
  });

  test("an unknown route is a 404 in Kafka's error body", async () => {
    const response = await fetch(`${base}/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error_code: number }).error_code).toBe(404);
  });
});

describe("the order of the REST API's lists", () => {
  let worker: RestWorker;
  let base: string;
  const dir = tempDir();
  const topic = uniqueTopic("rest-order");

  beforeAll(async () => {
    worker = await startRestWorker();
    base = worker.base;
  });

  afterAll(async () => {
    await worker.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  test("connectors, their expansions and a task's configuration are listed in the order of Kafka's HashMaps", async () => {
    // Kafka Connect 4.1.1 answered these, to kafka-connect-py's `kc list` and `kc list-tasks`, in exactly this order.
    const input = join(dir, "order.txt");
    writeFileSync(input, "a\n");
    const config = { "connector.class": "FileStreamSource", "tasks.max": "1", file: input, topic };
    for (const name of ["loc", "sink", "src", "new1"]) {
      expect((await post("/connectors", { name, config })).status).toBe(201);
    }
    const names = (await (await fetch(`${base}/connectors`)).json()) as string[];
    const expected = ["loc", "new1", "src", "sink"];
    expect(names).toEqual(expected);
    const expanded = (await (await fetch(`${base}/connectors?expand=status`)).json()) as Record<string, unknown>;
    expect(Object.keys(expanded)).toEqual(expected);
    const tasks = (await (await fetch(`${base}/connectors/src/tasks`)).json()) as { config: object }[];
    expect(Object.keys(tasks[0]?.config ?? {})).toEqual([
      "connector.class",
      "file",
      "task.class",
      "tasks.max",
      "name",
      "topic",
    ]);
    for (const name of ["loc", "sink", "src", "new1"]) {
      expect((await fetch(`${base}/connectors/${name}`, { method: "DELETE" })).status).toBe(204);
    }
  });
});
