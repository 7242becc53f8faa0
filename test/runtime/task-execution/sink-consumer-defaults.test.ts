import { describe, expect, test } from "bun:test";
import {
  SINK_CONSUMER_DEFAULTS,
  sinkConsumerDefaults,
} from "../../../src/runtime/task-execution/create-task-runner.ts";

describe("a sink task's consumer defaults", () => {
  test("one task gets the whole read-ahead", () => {
    expect(sinkConsumerDefaults({})).toEqual({ ...SINK_CONSUMER_DEFAULTS });
    expect(sinkConsumerDefaults({ "tasks.max": "1" })).toEqual({ ...SINK_CONSUMER_DEFAULTS });
  });

  test("a connector's tasks split it, down to a quarter each", () => {
    expect(sinkConsumerDefaults({ "tasks.max": "2" })).toMatchObject({
      "queued.min.messages": "10000",
      "queued.max.messages.kbytes": "16384",
    });
    for (const tasks of ["4", "16", "1000"])
      expect(sinkConsumerDefaults({ "tasks.max": tasks })).toMatchObject({
        "queued.min.messages": "5000",
        "queued.max.messages.kbytes": "8192",
        "partition.assignment.strategy": "range,roundrobin",
      });
  });

  test("a tasks.max that is not a positive number counts as one task (the connector's validation reports it)", () => {
    for (const tasks of ["0", "-3", "many", ""])
      expect(sinkConsumerDefaults({ "tasks.max": tasks })["queued.max.messages.kbytes"]).toBe("32768");
  });
});
