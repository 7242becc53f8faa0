import { describe, expect, test } from "bun:test";
import type { Logger } from "../../../src/common/logger.ts";
import { ConnectError, RetriableError, type SourceRecord, SourceTask, sourceRecord } from "../../../src/index.ts";
import { pollSourceTask } from "../../../src/runtime/tasks/poll-source-task.ts";

class ScriptedTask extends SourceTask {
  constructor(private readonly steps: (() => SourceRecord[] | null)[]) {
    super();
  }
  version(): string {
    return "1";
  }
  start(): void {}
  stop(): void {}
  poll(): SourceRecord[] | null {
    const step = this.steps.shift();
    if (step === undefined) return null;
    return step();
  }
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  return {
    warnings,
    warn: (message: string) => warnings.push(message),
    info: ignore,
    error: ignore,
    debug: ignore,
    trace: ignore,
  } as unknown as Logger & { warnings: string[] };
}

describe("polling a source task as Kafka's AbstractWorkerSourceTask does", () => {
  test("a retriable error is logged and counts as an empty poll; the next poll goes on", async () => {
    const records = [sourceRecord({ topic: "t", value: 1 })];
    const task = new ScriptedTask([
      () => {
        throw new RetriableError("the database went away");
      },
      () => records,
    ]);
    const log = recordingLog();
    expect(await pollSourceTask(task, log)).toBeNull();
    expect(log.warnings).toEqual(["failed to poll records from the source task; will poll again"]);
    expect(await pollSourceTask(task, log)).toBe(records);
  });

  test("any other error fails the task", async () => {
    const task = new ScriptedTask([
      () => {
        throw new ConnectError("the table was dropped");
      },
    ]);
    await expect(pollSourceTask(task, recordingLog())).rejects.toThrow("the table was dropped");
  });
});
