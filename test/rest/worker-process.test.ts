import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { BOOTSTRAP } from "../harness.ts";
import { freePort, spawnWorker, tempDir, writeProperties } from "../worker-harness.ts";

// Worker processes started through the CLI, as a user starts them.
setDefaultTimeout(90_000);

function workerFile(extra: Record<string, string>): string {
  const dir = tempDir();
  return writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    ...extra,
  });
}

describe("the REST server of a worker process", () => {
  test("serves every listener from worker.properties and logs each request with its id", async () => {
    const [a, b] = [freePort(), freePort()];
    const worker = spawnWorker([
      "standalone",
      workerFile({
        listeners: `http://127.0.0.1:${a},http://127.0.0.1:${b}`,
        "rest.advertised.host.name": "worker-7",
        "response.http.headers.config": "set X-Served-By: sluice",
      }),
    ]);
    try {
      await worker.waitForOutput(/REST API listening on http:\/\/127\.0\.0\.1:\d+ \(worker id worker-7:\d+\)/);
      for (const port of [a, b]) {
        const response = await fetch(`http://127.0.0.1:${port}/connectors`, {
          headers: { "x-request-id": `r${port}` },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("x-served-by")).toBe("sluice");
        await worker.waitForOutput(new RegExp(`\\[rest\\] GET /connectors 200 [\\d.]+ ms id=r${port}`), 5_000);
      }
      expect(worker.output()).toContain(`worker id worker-7:${a}`);
    } finally {
      worker.proc.kill("SIGTERM");
      await worker.exited;
    }
  });

  test("a bad response.http.headers.config stops the worker, naming the file, line and key", async () => {
    const worker = spawnWorker(["standalone", workerFile({ "response.http.headers.config": "remove X-Powered-By" })]);
    const code = await worker.exited;
    expect(code).not.toBe(0);
    expect(worker.output()).toMatch(
      /worker\.properties:5, key response\.http\.headers\.config: .*Invalid header config action: 'remove'/,
    );
  });
});
