import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { freePort, spawnWorker, tempDir, waitUntil, writeProperties } from "../worker-harness.ts";

// These tests start worker processes and move real data through the broker.
setDefaultTimeout(120_000);

function workerProps(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: `http://127.0.0.1:${freePort()}`,
    ...extra,
  };
}

/** Runs the worker to its exit and returns the exit code and everything it printed. */
async function runToExit(args: string[]): Promise<{ code: number; output: string }> {
  const worker = spawnWorker(args);
  const timer = setTimeout(() => worker.proc.kill("SIGKILL"), 60_000);
  const code = await worker.exited;
  clearTimeout(timer);
  return { code, output: worker.output() };
}

describe("the worker refuses bad input with one clear message", () => {
  test("a malformed properties file names the file and line", async () => {
    const dir = tempDir();
    const file = join(dir, "worker.properties");
    writeFileSync(file, "# comment\nkey.converter=org.apache.kafka.connect.storage.StringConverter\nbad=\\u12G4\n");
    const { code, output } = await runToExit(["standalone", file]);
    expect(code).not.toBe(0);
    expect(output).toContain("worker.properties:3");
    expect(output).toMatch(/\\u/);
  });

  test("an invalid worker value names the file, line and key", async () => {
    const dir = tempDir();
    const file = writeProperties(
      join(dir, "worker.properties"),
      workerProps(dir, { "offset.flush.interval.ms": "soon" }),
    );
    const { code, output } = await runToExit(["standalone", file]);
    expect(code).not.toBe(0);
    expect(output).toContain("worker.properties:");
    expect(output).toContain("offset.flush.interval.ms");
    expect(output).toContain("soon");
  });

  test("a missing required worker key is named", async () => {
    const dir = tempDir();
    const props = workerProps(dir);
    delete props["value.converter"];
    const file = writeProperties(join(dir, "worker.properties"), props);
    const { code, output } = await runToExit(["standalone", file]);
    expect(code).not.toBe(0);
    expect(output).toContain('Missing required configuration "value.converter"');
  });

  test("a worker converter class that does not exist stops the worker at start, naming the file, line and key", async () => {
    const dir = tempDir();
    const file = writeProperties(
      join(dir, "worker.properties"),
      workerProps(dir, { "value.converter": "com.example.MissingConverter" }),
    );
    const { code, output } = await runToExit(["standalone", file]);
    expect(code).not.toBe(0);
    expect(output).toMatch(/worker\.properties:\d+, key value\.converter/);
    expect(output).toContain(
      "Invalid value com.example.MissingConverter for configuration value.converter: Class com.example.MissingConverter could not be found.",
    );
    expect(output).not.toContain("REST API listening");
  });

  test("an unknown connector class is named, with the ones available", async () => {
    const dir = tempDir();
    const worker = writeProperties(join(dir, "worker.properties"), workerProps(dir));
    const connector = writeProperties(join(dir, "nope.properties"), {
      name: "nope",
      "connector.class": "com.example.NoSuchConnector",
      topic: "t",
    });
    const { code, output } = await runToExit(["standalone", worker, connector]);
    expect(code).not.toBe(0);
    expect(output).toContain("nope.properties");
    expect(output).toContain("com.example.NoSuchConnector");
    expect(output).toContain("org.apache.kafka.connect.file.FileStreamSourceConnector");
  });

  test("a connector missing a required key is refused, naming the key", async () => {
    const dir = tempDir();
    const worker = writeProperties(join(dir, "worker.properties"), workerProps(dir));
    const connector = writeProperties(join(dir, "source.properties"), {
      name: "src",
      "connector.class": "FileStreamSource",
      file: "/tmp/x",
    });
    const { code, output } = await runToExit(["standalone", worker, connector]);
    expect(code).not.toBe(0);
    expect(output).toContain("source.properties");
    expect(output).toContain("Connector configuration is invalid and contains the following 1 error(s)");
    expect(output).toContain("topic");
  });

  test("an unreachable broker is named, and the worker exits", async () => {
    const dir = tempDir();
    const file = writeProperties(
      join(dir, "worker.properties"),
      workerProps(dir, { "bootstrap.servers": "127.0.0.1:1" }),
    );
    const { code, output } = await runToExit(["standalone", file]);
    expect(code).not.toBe(0);
    expect(output).toContain("127.0.0.1:1");
    expect(output).toMatch(/Kafka/);
    // One line as soon as the first connection is refused, one when the 15 s are up, and nothing from the client's
    // retries in between (about 20 lines a second of `1/1 brokers are down` before, 300 in all).
    const lines = output.trim().split("\n");
    expect(lines.filter((line) => line.includes("[kafka."))).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(
      "WARN  [cli] Cannot reach Kafka at 127.0.0.1:1 (bootstrap.servers) yet: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused. Waiting up to 15 s for it. Check that the broker runs and the address is right",
    );
    expect(lines[1]).toStartWith(
      "sluice: Cannot reach Kafka at 127.0.0.1:1 (bootstrap.servers) within 15 s: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused. Check that",
    );
  });

  test("a task that fails at run time goes FAILED with a trace, and the worker stays up", async () => {
    const dir = tempDir();
    const port = freePort();
    const topic = uniqueTopic("fail");
    const worker = writeProperties(join(dir, "worker.properties"), {
      ...workerProps(dir),
      listeners: `http://127.0.0.1:${port}`,
    });
    const blocked = join(dir, "a-directory");
    mkdirSync(blocked);
    const sink = writeProperties(join(dir, "sink.properties"), {
      name: "broken-sink",
      "connector.class": "FileStreamSink",
      file: blocked,
      topics: topic,
    });
    const proc = spawnWorker(["standalone", worker, sink]);
    try {
      let status: { tasks: { state: string; trace?: string }[] } = { tasks: [] };
      await waitUntil(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/connectors/broken-sink/status`).catch(() => null);
          if (!response?.ok) return false;
          status = (await response.json()) as typeof status;
          return status.tasks[0]?.state === "FAILED";
        },
        30_000,
        () => `status ${JSON.stringify(status)}\n${proc.output()}`,
      );
      expect(status.tasks[0]?.trace).toContain(blocked);
      const root = await fetch(`http://127.0.0.1:${port}/`);
      expect(root.status).toBe(200);
    } finally {
      proc.proc.kill("SIGTERM");
      await proc.exited;
    }
  });
});

test("a bad consumer.max.poll.records fails the sink task with a trace naming the key", async () => {
  const dir = tempDir();
  const port = freePort();
  const worker = writeProperties(join(dir, "worker.properties"), {
    ...workerProps(dir),
    listeners: `http://127.0.0.1:${port}`,
    "consumer.max.poll.records": "zero",
  });
  const sink = writeProperties(join(dir, "sink.properties"), {
    name: "polling-sink",
    "connector.class": "FileStreamSink",
    file: join(dir, "out.txt"),
    topics: uniqueTopic("poll"),
  });
  const proc = spawnWorker(["standalone", worker, sink]);
  try {
    let trace = "";
    await waitUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/connectors/polling-sink/status`).catch(() => null);
        if (!response?.ok) return false;
        const status = (await response.json()) as { tasks: { state: string; trace?: string }[] };
        trace = status.tasks[0]?.trace ?? "";
        return status.tasks[0]?.state === "FAILED";
      },
      30_000,
      () => proc.output(),
    );
    expect(trace).toContain("consumer.max.poll.records");
  } finally {
    proc.proc.kill("SIGTERM");
    await proc.exited;
  }
});
