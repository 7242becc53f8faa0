import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import { workerConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { ActiveTopics } from "../../../src/runtime/tasks/active-topics.ts";

const config = (props: Record<string, string> = {}) =>
  new AbstractConfig(workerConfigDef, { "key.converter": "x", "value.converter": "x", ...props });

describe("ActiveTopics", () => {
  test("a task's recorder keeps each topic once, first discovery first, and skips rejected records", () => {
    const topics = new ActiveTopics(config());
    const recorder = topics.recorder({ connector: "c", task: 0 });
    recorder?.record([{ topic: "b" }, { topic: "b" }, { topic: "a", ok: false }, { topic: "c", ok: true }]);
    topics.recorder({ connector: "c", task: 1 })?.record([{ topic: "b" }, { topic: "a" }]);
    expect(topics.topics("c").map((t) => [t.topic, t.task.task])).toEqual([
      ["b", 0],
      ["c", 0],
      ["a", 1],
    ]);
    expect(topics.topics("other")).toEqual([]);
  });

  test("a reset forgets one connector's topics; the recorder records them again", () => {
    const topics = new ActiveTopics(config());
    const recorder = topics.recorder({ connector: "c", task: 0 });
    topics.recorder({ connector: "d", task: 0 })?.record([{ topic: "x" }]);
    recorder?.record([{ topic: "t" }]);
    topics.reset("c");
    expect(topics.topics("c")).toEqual([]);
    expect(topics.topics("d").map((t) => t.topic)).toEqual(["x"]);
    recorder?.record([{ topic: "t" }]);
    expect(topics.topics("c").map((t) => t.topic)).toEqual(["t"]);
  });

  test("topic.tracking.enable=false gives tasks no recorder; the flags follow the worker keys", () => {
    const disabled = new ActiveTopics(config({ "topic.tracking.enable": "false" }));
    expect(disabled.recorder({ connector: "c", task: 0 })).toBeNull();
    expect(disabled.enabled).toBe(false);
    const noReset = new ActiveTopics(config({ "topic.tracking.allow.reset": "false" }));
    expect([noReset.enabled, noReset.allowReset]).toEqual([true, false]);
  });
});
