import { expect, setDefaultTimeout, test } from "bun:test";
import { spawnWorker, tempDir } from "../worker-harness.ts";

setDefaultTimeout(60_000);

test("`worker` with no arguments starts with defaults, says where its state is, answers on :8083 and stops on SIGTERM", async () => {
  const state = tempDir();
  const worker = spawnWorker([], { XDG_STATE_HOME: state });
  try {
    await worker.waitForOutput(/REST API listening/);
    expect(worker.output()).toContain(`using defaults (JSON converters, offsets in ${state}/sluice)`);
    const response = await fetch("http://127.0.0.1:8083/");
    expect(response.status).toBe(200);
    expect(await (await fetch("http://127.0.0.1:8083/connectors")).json()).toEqual([]);
  } finally {
    worker.proc.kill("SIGTERM");
  }
  expect(await worker.exited).toBe(0);
  expect(worker.output()).toContain("worker stopped");
});
