/**
 * Issue 11, finding 1: `POST /connectors` with `"tasks.max":"1000000000"` never answered, blocked every other
 * request and grew the worker until the kernel killed it (the connector was asked for a billion task configs). A
 * worker now bounds `tasks.max` by its `tasks.max.limit` (default 1000; 4 here): such a configuration is refused with a 400
 * that names the key and validation reports it on the key. A standalone worker does not restore a stored connector
 * above its limit (and keeps it stored); a configuration that reaches a worker otherwise (from a cluster's config
 * topic) fails the connector with the reason instead of generating its tasks.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "../../src/runtime/worker.ts";
import { tempDir } from "../worker-harness.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

const LIMIT_MESSAGE =
  "Invalid value 1000000000 for configuration tasks.max: Value must be at most 4 (the worker's tasks.max.limit)";

describe("tasks.max is bounded by the worker's tasks.max.limit", () => {
  let worker: RestWorker;

  beforeAll(async () => {
    worker = await startRestWorker({ "tasks.max.limit": "4" });
  });

  afterAll(async () => {
    await worker.stop();
  });

  const datagen = (tasksMax: string) => ({
    "connector.class": "Datagen",
    quickstart: "orders",
    topic: "tasks-max-limit",
    "tasks.max": tasksMax,
  });

  test("a connector asking for a billion tasks is refused at once with a 400 naming the key", async () => {
    const started = Date.now();
    const created = await worker.call("POST", "/connectors", { name: "huge", config: datagen("1000000000") });
    expect(created.status).toBe(400);
    expect((created.body as { message: string }).message).toContain(LIMIT_MESSAGE);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Nothing was stored, and the worker answers other requests.
    expect((await worker.call("GET", "/connectors")).body).toEqual([]);
    expect((await worker.call("GET", "/connectors/huge")).status).toBe(404);
    // The same through PUT .../config.
    const put = await worker.call("PUT", "/connectors/huge/config", datagen("1000000000"));
    expect(put.status).toBe(400);
  });

  test("validation reports it on tasks.max", async () => {
    const validated = await worker.call("PUT", "/connector-plugins/Datagen/config/validate", {
      name: "huge",
      ...datagen("1000000000"),
    });
    expect(validated.status).toBe(200);
    const body = validated.body as { error_count: number; configs: { value: { name: string; errors: string[] } }[] };
    expect(body.error_count).toBe(1);
    const tasksMax = body.configs.find((c) => c.value.name === "tasks.max");
    expect(tasksMax?.value.errors).toEqual([LIMIT_MESSAGE]);
  });

  test("up to the limit is accepted", async () => {
    const created = await worker.call("POST", "/connectors", { name: "many", config: datagen("4") });
    expect(created.status).toBe(201);
    await worker.call("DELETE", "/connectors/many");
  });
});

describe("a stored connector above the limit", () => {
  test("is not restored by a worker with a lower limit, stays stored, and comes back when the limit allows", async () => {
    const dir = tempDir();
    const input = join(dir, "in.txt");
    writeFileSync(input, "a\n");
    const config = {
      "connector.class": "FileStreamSource",
      file: input,
      topic: "tasks-max-limit-stored",
      "tasks.max": "5",
    };
    const first = await startRestWorker({ "tasks.max.limit": "5" }, dir);
    expect((await first.call("POST", "/connectors", { name: "stored", config })).status).toBe(201);
    await first.stop();

    const lower = await startRestWorker({ "tasks.max.limit": "2" }, dir);
    try {
      expect((await lower.call("GET", "/connectors")).body).toEqual([]);
      // Another change rewrites the store: the connector not restored is still in it.
      const other = { ...config, "tasks.max": "1" };
      expect((await lower.call("POST", "/connectors", { name: "other", config: other })).status).toBe(201);
      const stored = JSON.parse(readFileSync(join(dir, "offsets.connectors.json"), "utf8")) as {
        connectors: { name: string }[];
      };
      expect(stored.connectors.map((c) => c.name).sort()).toEqual(["other", "stored"]);
    } finally {
      await lower.stop();
    }

    const higher = await startRestWorker({ "tasks.max.limit": "5" }, dir);
    try {
      expect(((await higher.call("GET", "/connectors")).body as string[]).sort()).toEqual(["other", "stored"]);
    } finally {
      await higher.stop();
    }
  });

  test("a configuration above the limit that reaches a worker (another worker's, in a cluster) fails the connector instead of generating its tasks", async () => {
    const worker = await startRestWorker({ "tasks.max.limit": "2" });
    try {
      const input = join(worker.dir, "in.txt");
      writeFileSync(input, "a\n");
      const config = { "connector.class": "FileStreamSource", file: input, topic: "tasks-max-limit-guard" };
      expect((await worker.call("POST", "/connectors", { name: "guarded", config })).status).toBe(201);
      // As a distributed herder asks when a configuration read from the config topic says so.
      const runtime = (worker.worker.herder as unknown as { worker: Worker }).worker;
      await expect(runtime.taskConfigs("guarded", 5)).rejects.toThrow(
        "Connector guarded has tasks.max 5, which is above the worker's tasks.max.limit 2: its tasks are not generated.",
      );
    } finally {
      await worker.stop();
    }
  });
});
