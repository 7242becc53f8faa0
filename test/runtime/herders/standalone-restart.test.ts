/**
 * A standalone worker process started again over the connectors it kept (`<offsets>.connectors.json`), through the
 * real CLI: each connector starts once, its REST API says it is starting until they are all back, and a SIGTERM
 * meanwhile stops it cleanly. The slow-plugin fixture's connectors log their starts to a file and start as slowly as
 * asked; FileStreamSource moves real lines to the broker.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../../worker-harness.ts";

setDefaultTimeout(90_000);

const PLUGIN = join(import.meta.dir, "..", "fixtures", "slow-plugin");

interface Stored {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly target_state: "STARTED" | "PAUSED" | "STOPPED";
}

/** A worker.properties in a fresh folder; `store` writes the connectors an earlier run kept. */
function setUp() {
  const dir = tempDir();
  const port = freePort();
  const workerFile = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    // Only a clean stop writes source offsets during these tests.
    "offset.flush.interval.ms": "600000",
    "plugin.path": PLUGIN,
    listeners: `http://127.0.0.1:${port}`,
  });
  const store = (connectors: readonly Stored[]) =>
    writeFileSync(join(dir, "offsets.connectors.json"), JSON.stringify({ format: "sluice-connectors/1", connectors }));
  const events = join(dir, "events.txt");
  const eventLines = () => (existsSync(events) ? readFileSync(events, "utf8").split("\n").filter(Boolean) : []);
  const slow = (name: string, extra: Record<string, string> = {}) => ({
    name,
    "connector.class": "com.example.SlowSource",
    topic: uniqueTopic(name),
    "events.file": events,
    ...extra,
  });
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  return { dir, workerFile, eventLines, slow, get, store };
}

describe("a standalone worker started again over its stored connectors", () => {
  test("starts each connector once; a connector file of the command line replaces its stored namesake, which keeps its target state", async () => {
    const { dir, workerFile, eventLines, slow, get, store } = setUp();
    store([
      { name: "both", config: slow("both", { from: "store" }), target_state: "STARTED" },
      { name: "held", config: slow("held", { from: "store" }), target_state: "PAUSED" },
      { name: "kept", config: slow("kept"), target_state: "STARTED" },
    ]);
    const files = ["both", "held", "new"].map((name) =>
      writeProperties(join(dir, `${name}.properties`), slow(name, { from: "file" })),
    );
    // A create-connector file's initial_state applies to a connector not stored yet, as Kafka's command line does.
    const fresh = join(dir, "fresh.json");
    writeFileSync(fresh, JSON.stringify({ name: "fresh", config: slow("fresh"), initial_state: "PAUSED" }));
    const worker = spawnWorker(["standalone", workerFile, ...files, fresh]);
    try {
      await worker.waitForOutput(/REST API listening/);
      await waitUntil(
        async () => (await get("/health")).status === 200,
        30_000,
        () => worker.output(),
      );
      const starts = eventLines().filter(
        (line) => line.startsWith("connector-start ") || line.startsWith("task-start "),
      );
      expect(starts.sort()).toEqual([
        "connector-start both",
        "connector-start kept",
        "connector-start new",
        "task-start both-0",
        "task-start kept-0",
        "task-start new-0",
      ]);
      // In the order of Kafka's HashMap of connector names.
      expect((await get("/connectors")).body).toEqual(["new", "held", "fresh", "kept", "both"]);
      expect(((await get("/connectors/both/config")).body as Record<string, string>).from).toBe("file");
      expect(((await get("/connectors/held/config")).body as Record<string, string>).from).toBe("file");
      for (const name of ["held", "fresh"]) {
        const status = (await get(`/connectors/${name}/status`)).body as { connector: { state: string } };
        expect(status.connector.state).toBe("PAUSED");
      }
    } finally {
      worker.proc.kill("SIGTERM");
      await worker.exited;
    }
  });

  test("answers 503 (health: starting) until its stored connectors are back, then serves them all", async () => {
    const { workerFile, eventLines, slow, get, store } = setUp();
    store([
      { name: "first", config: slow("first", { "connector.start.ms": "3000" }), target_state: "STARTED" },
      { name: "second", config: slow("second"), target_state: "STARTED" },
    ]);
    const worker = spawnWorker(["standalone", workerFile]);
    try {
      await waitUntil(
        () => eventLines().includes("connector-start first"),
        30_000,
        () => worker.output(),
      );
      const during = await get("/connectors");
      expect(during.status).toBe(503);
      expect(during.body).toEqual({ error_code: 503, message: expect.stringContaining("starting") });
      const health = await get("/health");
      expect(health.status).toBe(503);
      expect((health.body as { status: string }).status).toBe("starting");

      await waitUntil(
        async () => (await get("/health")).status === 200,
        30_000,
        () => worker.output(),
      );
      expect((await get("/connectors")).body).toEqual(["first", "second"]);
    } finally {
      worker.proc.kill("SIGTERM");
      await worker.exited;
    }
  });

  test("a SIGTERM while it restores stops it cleanly: its running tasks stop and commit their offsets", async () => {
    const { dir, workerFile, eventLines, slow, store } = setUp();
    const input = join(dir, "input.txt");
    writeFileSync(input, Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(""));
    store([
      {
        name: "reader",
        config: { name: "reader", "connector.class": "FileStreamSource", file: input, topic: uniqueTopic("reader") },
        target_state: "STARTED",
      },
      { name: "slow", config: slow("slow", { "connector.start.ms": "3000" }), target_state: "STARTED" },
    ]);
    const worker = spawnWorker(["standalone", workerFile]);
    await waitUntil(
      () => eventLines().includes("connector-start slow"),
      30_000,
      () => worker.output(),
    );
    await Bun.sleep(1000); // the reader's lines reach the broker
    worker.proc.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("worker stopped");
    const offsets = JSON.parse(readFileSync(join(dir, "offsets.json"), "utf8")) as {
      offsets: { connector: string; offset: { position: number } }[];
    };
    const reader = offsets.offsets.find((entry) => entry.connector === "reader");
    expect(reader?.offset.position).toBeGreaterThan(0);
  });
});
