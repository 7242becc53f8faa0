import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { uniqueTopic } from "../harness.ts";
import { waitUntil } from "../worker-harness.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

interface StateInfo {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string }[];
  type: string;
}

describe("a connector's life through the REST API", () => {
  let w: RestWorker;
  const topic = uniqueTopic("lifecycle");
  let input: string;
  let output: string;

  const lines = () => (existsSync(output) ? readFileSync(output, "utf8").split("\n").filter(Boolean) : []);
  const status = async (name: string) => (await w.call("GET", `/connectors/${name}/status`)).body as StateInfo;
  const states = async (name: string) => {
    const s = await status(name);
    return [s.connector.state, ...s.tasks.map((t) => t.state)].join(",");
  };
  const waitForStates = (name: string, expected: string) =>
    waitUntil(
      async () => (await states(name)) === expected,
      15_000,
      () => `${name} never reached ${expected}`,
    );
  const waitForLines = (expected: string[]) =>
    waitUntil(
      () => lines().join(",") === expected.join(","),
      20_000,
      () => `output holds ${JSON.stringify(lines())}, expected ${JSON.stringify(expected)}`,
    );
  /** Nothing new reaches the output for a while (a paused or stopped side holds the data back). */
  const staysAt = async (expected: string[]) => {
    await Bun.sleep(1500);
    expect(lines()).toEqual(expected);
  };

  beforeAll(async () => {
    w = await startRestWorker();
    input = join(w.dir, "in.txt");
    output = join(w.dir, "out.txt");
    writeFileSync(input, "a\nb\nc\n");
  });

  afterAll(async () => {
    await w.stop();
  });

  test("create: both connectors run and the lines go through", async () => {
    const source = await w.call("POST", "/connectors", {
      name: "src",
      config: { "connector.class": "FileStreamSource", file: input, topic, "tasks.max": 1 },
    });
    expect(source.status).toBe(201);
    expect(source.headers.get("location")).toBe(`${w.base}/connectors/src`);
    const sink = await w.call("POST", "/connectors", {
      name: "snk",
      config: { "connector.class": "FileStreamSink", file: output, topics: topic },
    });
    expect(sink.status).toBe(201);
    await waitForStates("src", "RUNNING,RUNNING");
    await waitForStates("snk", "RUNNING,RUNNING");
    await waitForLines(["a", "b", "c"]);
  });

  test("pause: connector and task PAUSED, new lines wait; resume: they come", async () => {
    const paused = await w.call("PUT", "/connectors/src/pause");
    expect(paused.status).toBe(202);
    expect(paused.body).toBeNull();
    await waitForStates("src", "PAUSED,PAUSED");
    expect((await w.call("PUT", "/connectors/src/pause")).status).toBe(202); // idempotent
    appendFileSync(input, "d\n");
    await staysAt(["a", "b", "c"]);
    expect((await w.call("GET", "/connectors/src")).body).toMatchObject({ tasks: [{ connector: "src", task: 0 }] });

    expect((await w.call("PUT", "/connectors/src/resume")).status).toBe(202);
    await waitForStates("src", "RUNNING,RUNNING");
    await waitForLines(["a", "b", "c", "d"]);
  });

  test("a paused sink holds records back until it resumes", async () => {
    expect((await w.call("PUT", "/connectors/snk/pause")).status).toBe(202);
    await waitForStates("snk", "PAUSED,PAUSED");
    appendFileSync(input, "e\n");
    await staysAt(["a", "b", "c", "d"]);
    expect((await w.call("PUT", "/connectors/snk/resume")).status).toBe(202);
    await waitForStates("snk", "RUNNING,RUNNING");
    await waitForLines(["a", "b", "c", "d", "e"]);
  });

  test("stop: STOPPED with no tasks; resume starts tasks again from the committed offsets", async () => {
    const stopped = await w.call("PUT", "/connectors/src/stop");
    expect(stopped.status).toBe(204);
    await waitForStates("src", "STOPPED");
    expect((await w.call("GET", "/connectors/src")).body).toMatchObject({ tasks: [] });
    expect((await w.call("GET", "/connectors/src/tasks")).body).toEqual([]);
    expect((await w.call("PUT", "/connectors/src/stop")).status).toBe(204); // idempotent
    appendFileSync(input, "f\n");
    await staysAt(["a", "b", "c", "d", "e"]);

    expect((await w.call("PUT", "/connectors/src/resume")).status).toBe(202);
    await waitForStates("src", "RUNNING,RUNNING");
    await waitForLines(["a", "b", "c", "d", "e", "f"]);
  });

  test("restart with includeTasks answers 202 with what restarts marked RESTARTING", async () => {
    const restarted = await w.call("POST", "/connectors/src/restart?includeTasks=true");
    expect(restarted.status).toBe(202);
    const plan = restarted.body as StateInfo;
    expect(plan.name).toBe("src");
    expect(plan.type).toBe("source");
    expect(plan.connector.state).toBe("RESTARTING");
    expect(plan.tasks.map((t) => [t.id, t.state])).toEqual([[0, "RESTARTING"]]);
    await waitForStates("src", "RUNNING,RUNNING");
    appendFileSync(input, "g\n");
    await waitForLines(["a", "b", "c", "d", "e", "f", "g"]);
  });

  test("restart with onlyFailed restarts nothing that runs", async () => {
    const restarted = await w.call("POST", "/connectors/src/restart?includeTasks=true&onlyFailed=true");
    expect(restarted.status).toBe(202);
    const plan = restarted.body as StateInfo;
    expect(plan.connector.state).toBe("RUNNING");
    expect(plan.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
  });

  test("restart without options restarts the connector instance only: 204", async () => {
    const restarted = await w.call("POST", "/connectors/src/restart");
    expect(restarted.status).toBe(204);
    await waitForStates("src", "RUNNING,RUNNING");
  });

  test("tasks: configurations, one task's status, restarting one task", async () => {
    const tasks = (await w.call("GET", "/connectors/src/tasks")).body as {
      id: unknown;
      config: Record<string, string>;
    }[];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.id).toEqual({ connector: "src", task: 0 });
    expect(tasks[0]?.config).toMatchObject({ file: input, topic });

    const task = await w.call("GET", "/connectors/src/tasks/0/status");
    expect(task.status).toBe(200);
    expect(task.body).toEqual({ id: 0, state: "RUNNING", worker_id: expect.any(String), version: expect.any(String) });

    expect((await w.call("POST", "/connectors/src/tasks/0/restart")).status).toBe(204);
    await waitForStates("src", "RUNNING,RUNNING");
    appendFileSync(input, "h\n");
    await waitForLines(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  test("unknown tasks and connectors are 404 with Kafka's messages", async () => {
    const cases: [string, string, string][] = [
      ["GET", "/connectors/src/tasks/7/status", "No status found for task src-7"],
      ["POST", "/connectors/src/tasks/7/restart", "Task src-7 not found"],
      ["GET", "/connectors/nope/tasks", "Connector nope not found"],
      ["POST", "/connectors/nope/tasks/0/restart", "Connector nope not found"],
      ["PUT", "/connectors/nope/pause", "Unknown connector nope"],
      ["PUT", "/connectors/nope/resume", "Unknown connector nope"],
      ["PUT", "/connectors/nope/stop", "Connector nope not found"],
      ["POST", "/connectors/nope/restart", "Connector nope not found"],
      ["POST", "/connectors/nope/restart?includeTasks=true", "Unknown connector: nope"],
      ["PATCH", "/connectors/nope/config", "Connector nope not found"],
      ["GET", "/connectors/nope/status", "No status found for connector nope"],
      ["DELETE", "/connectors/nope", "Connector nope not found"],
    ];
    for (const [method, path, message] of cases) {
      const response = await w.call(method, path, method === "PATCH" ? { "tasks.max": "2" } : undefined);
      expect({ method, path, status: response.status, body: response.body }).toEqual({
        method,
        path,
        status: 404,
        body: { error_code: 404, message },
      });
    }
    const notNumber = await w.call("GET", "/connectors/src/tasks/abc/status");
    expect(notNumber.status).toBe(404);
    expect(notNumber.body).toMatchObject({ error_code: 404 });
  });

  test("PUT /config replaces (200) or creates (201); a name that differs from the URL is 400", async () => {
    const replaced = await w.call("PUT", "/connectors/src/config", {
      "connector.class": "FileStreamSource",
      file: input,
      topic,
      "batch.size": 100,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get("location")).toBeNull();
    expect(replaced.body).toMatchObject({ name: "src", config: { "batch.size": "100", name: "src" }, type: "source" });
    await waitForStates("src", "RUNNING,RUNNING");

    const other = join(w.dir, "other.txt");
    writeFileSync(other, "");
    const created = await w.call("PUT", "/connectors/put-made/config", {
      "connector.class": "FileStreamSource",
      file: other,
      topic: uniqueTopic("put-made"),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${w.base}/connectors/put-made`);

    const mismatch = await w.call("PUT", "/connectors/put-made/config", { name: "elsewhere" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({
      error_code: 400,
      message: "Connector name configuration (elsewhere) doesn't match connector name in the URL (put-made)",
    });

    const invalid = await w.call("PUT", "/connectors/put-made/config", { "connector.class": "FileStreamSource" });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { message: string }).message).toStartWith(
      "Connector configuration is invalid and contains the following",
    );

    const wrongShape = await w.call("PUT", "/connectors/put-made/config", { file: { nested: true } });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body).toMatchObject({ error_code: 400 });
  });

  test("PATCH /config changes and removes keys (null removes)", async () => {
    const patched = await w.call("PATCH", "/connectors/src/config", { "batch.size": "50", "tasks.max": null });
    expect(patched.status).toBe(200);
    const config = (patched.body as { config: Record<string, string> }).config;
    expect(config["batch.size"]).toBe("50");
    expect(config["tasks.max"]).toBeUndefined();
    expect((await w.call("GET", "/connectors/src/config")).body).toEqual(config);
    await waitForStates("src", "RUNNING,RUNNING");
  });

  test("a paused connector stays paused when its configuration changes", async () => {
    expect((await w.call("PUT", "/connectors/put-made/pause")).status).toBe(202);
    await waitForStates("put-made", "PAUSED,PAUSED");
    expect((await w.call("PATCH", "/connectors/put-made/config", { "batch.size": "10" })).status).toBe(200);
    await waitForStates("put-made", "PAUSED");
    expect((await w.call("PUT", "/connectors/put-made/resume")).status).toBe(202);
    await waitForStates("put-made", "RUNNING,RUNNING");
  });

  test("initial_state PAUSED and STOPPED: no tasks until resumed", async () => {
    const file = join(w.dir, "initial.txt");
    writeFileSync(file, "");
    // Kafka reads the state case-insensitively.
    for (const [name, state] of [
      ["born-paused", "PAUSED"],
      ["born-stopped", "stopped"],
    ] as const) {
      const created = await w.call("POST", "/connectors", {
        name,
        config: { "connector.class": "FileStreamSource", file, topic: uniqueTopic(name) },
        initial_state: state,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, tasks: [] });
      expect(await states(name)).toBe(state.toUpperCase());
      expect((await w.call("PUT", `/connectors/${name}/resume`)).status).toBe(202);
      await waitForStates(name, "RUNNING,RUNNING");
      expect((await w.call("DELETE", `/connectors/${name}`)).status).toBe(204);
    }
    // A Kafka Connect worker forwards a create request to the leader with `"initial_state": null` when none was given.
    const forwarded = await w.call("POST", "/connectors", {
      name: "born-running",
      config: { "connector.class": "FileStreamSource", file, topic: uniqueTopic("born-running") },
      initial_state: null,
    });
    expect(forwarded.status).toBe(201);
    await waitForStates("born-running", "RUNNING,RUNNING");
    expect((await w.call("DELETE", "/connectors/born-running")).status).toBe(204);
    const bad = await w.call("POST", "/connectors", {
      name: "x",
      config: { "connector.class": "FileStreamSource" },
      initial_state: "SLEEPING",
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toContain("initial_state");
  });

  test("delete stops the connector: 204, then 404", async () => {
    expect((await w.call("DELETE", "/connectors/put-made")).status).toBe(204);
    expect((await w.call("GET", "/connectors/put-made")).status).toBe(404);
    expect((await w.call("GET", "/connectors")).body).toEqual(["snk", "src"]);
  });
});

describe("a standalone worker keeps connectors created through the API", () => {
  test("across a restart, with their target states; deleted ones stay deleted", async () => {
    const first = await startRestWorker();
    const file = join(first.dir, "in.txt");
    writeFileSync(file, "");
    const config = (name: string) => ({ "connector.class": "FileStreamSource", file, topic: uniqueTopic(name) });
    try {
      expect((await first.call("POST", "/connectors", { name: "kept", config: config("kept") })).status).toBe(201);
      expect((await first.call("POST", "/connectors", { name: "held", config: config("held") })).status).toBe(201);
      expect((await first.call("PUT", "/connectors/held/pause")).status).toBe(202);
      expect((await first.call("POST", "/connectors", { name: "gone", config: config("gone") })).status).toBe(201);
      expect((await first.call("DELETE", "/connectors/gone")).status).toBe(204);
    } finally {
      await first.stop();
    }
    const stored = JSON.parse(readFileSync(join(first.dir, "offsets.connectors.json"), "utf8"));
    expect(stored.format).toBe("sluice-connectors/1");

    const second = await startRestWorker({}, first.dir);
    try {
      expect((await second.call("GET", "/connectors")).body).toEqual(["held", "kept"]);
      const kept = (await second.call("GET", "/connectors/kept/status")).body as StateInfo;
      expect(kept.connector.state).toBe("RUNNING");
      const held = (await second.call("GET", "/connectors/held/status")).body as StateInfo;
      expect(held.connector.state).toBe("PAUSED");
      expect((await second.call("GET", "/connectors/kept/config")).body).toEqual({
        ...config("kept"),
        name: "kept",
        topic: expect.any(String),
      });
    } finally {
      await second.stop();
    }
  });

  test("a corrupt connectors file stops the worker with a message naming the file", async () => {
    const { tempDir } = await import("../worker-harness.ts");
    const dir = tempDir();
    writeFileSync(join(dir, "offsets.connectors.json"), "{not json");
    await expect(startRestWorker({}, dir)).rejects.toThrow(/offsets\.connectors\.json is not valid JSON/);
    writeFileSync(
      join(dir, "offsets.connectors.json"),
      JSON.stringify({ format: "sluice-connectors/1", connectors: [{ name: 1 }] }),
    );
    await expect(startRestWorker({}, dir)).rejects.toThrow(/invalid entry at connectors\[0\]/);
  });
});
