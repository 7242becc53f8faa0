import { describe, expect, test } from "bun:test";
import { sameConfig, taskConfigsChanged } from "../../../src/runtime/herders/task-configs-changed.ts";

describe("task configurations compared as Kafka's AbstractHerder.taskConfigsChanged does", () => {
  test("the same keys and values in another order are the same (a Java worker writes HashMap order)", () => {
    const sluice = { "task.class": "x.FileStreamSinkTask", topics: "t", file: "/tmp/out" };
    const java = { file: "/tmp/out", topics: "t", "task.class": "x.FileStreamSinkTask" };
    expect(JSON.stringify(sluice)).not.toBe(JSON.stringify(java));
    expect(sameConfig(sluice, java)).toBe(true);
    expect(taskConfigsChanged([java], [sluice])).toBe(false);
  });

  test("a changed, added or removed key, another task count, or nothing stored is a change", () => {
    const base = { a: "1", b: "2" };
    expect(taskConfigsChanged([base], [{ a: "1", b: "3" }])).toBe(true);
    expect(taskConfigsChanged([base], [{ ...base, c: "" }])).toBe(true);
    expect(taskConfigsChanged([base], [{ a: "1" }])).toBe(true);
    expect(taskConfigsChanged([base], [base, base])).toBe(true);
    expect(taskConfigsChanged([base, base], [base])).toBe(true);
    expect(taskConfigsChanged(undefined, [base])).toBe(true);
    expect(taskConfigsChanged([undefined], [base])).toBe(true);
    expect(taskConfigsChanged([], [])).toBe(false);
  });

  test("a key whose value is undefined on one side is not taken for a missing key on the other", () => {
    expect(sameConfig({ a: "1", b: "2" }, { a: "1", c: "2" })).toBe(false);
  });
});
