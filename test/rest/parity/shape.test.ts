import { describe, expect, test } from "bun:test";
import { NonJsonBody, type ShapeOptions, shapeDifferences } from "./shape.ts";
import type { Step } from "./steps.ts";
import { expand, normalizer } from "./variables.ts";
import { verdictOf } from "./verdict.ts";

const options: ShapeOptions = { lengths: true, maps: [], normalizeKey: (k) => k, allowed: () => undefined };
const paths = (java: unknown, sluice: unknown, o: Partial<ShapeOptions> = {}) =>
  shapeDifferences(java, sluice, { ...options, ...o }).map((d) => `${d.path}: ${d.what}`);

describe("JSON shape comparison", () => {
  test("same keys and types pass whatever the values", () => {
    expect(paths({ a: "x", b: [1, 2], c: null }, { a: "y", b: [3, 4], c: null })).toEqual([]);
  });

  test("missing and extra keys, type changes and list lengths are reported with their paths", () => {
    expect(
      paths(
        { connector: { state: "RUNNING", version: "4.1.1" }, tasks: [{ id: 0 }] },
        { connector: { state: 1 }, tasks: [], x: 1 },
      ),
    ).toEqual([
      "$.connector.state: java string, sluice number",
      "$.connector.version: only java has this key",
      "$.tasks: java 1 items, sluice 0",
      "$.x: only sluice has this key",
    ]);
  });

  test("lengths off: only item shapes count; maps: keys are data, each value is compared with java's first", () => {
    expect(paths([{ a: 1 }], [{ a: 2 }, { a: 3 }], { lengths: false })).toEqual([]);
    const java = { "org.x": { level: "INFO", last_modified: null } };
    expect(paths(java, { root: { level: "INFO", last_modified: null } }, { maps: ["$"], lengths: false })).toEqual([]);
    expect(paths(java, { root: { level: 1 } }, { maps: ["$"], lengths: false })).toEqual([
      "$.root.level: java string, sluice number",
      "$.root.last_modified: only java has this key",
    ]);
  });

  test("bodies that are not JSON, or empty, are their own types", () => {
    expect(paths(new NonJsonBody(""), { error_code: 404 })).toEqual(["$: java empty, sluice object"]);
    expect(paths(new NonJsonBody("<html>"), new NonJsonBody(""))).toEqual(["$: java text, sluice empty"]);
  });

  test("run-specific names in keys are normalised on both sides", () => {
    const java = normalizer({ source: "parity-java-1-source" });
    const sluice = normalizer({ source: "parity-sluice-1-source" });
    const normalizeKey = (k: string) => sluice(java(k));
    expect(
      paths({ "parity-java-1-source": { topics: [] } }, { "parity-sluice-1-source": { topics: [] } }, { normalizeKey }),
    ).toEqual([]);
    expect(expand({ name: "{source}", n: 1, raw: "{nope}" }, { source: "s" })).toEqual({
      name: "s",
      n: 1,
      raw: "{nope}",
    });
  });
});

describe("verdicts", () => {
  const step: Step = { id: "create-bad-json", method: "POST", path: "/connectors", rawBody: "{", status: 500 };
  const same = { java: (k: string) => k, sluice: (k: string) => k };
  const error = (code: number) => ({ status: code, body: { error_code: code, message: "m" } });

  test("an allow-listed status is 'allowed'; any other status difference 'differs'", () => {
    expect(verdictOf(step, error(500), error(400), same).outcome).toBe("allowed");
    expect(verdictOf(step, error(500), error(404), same).outcome).toBe("differs");
    expect(verdictOf(step, error(500), error(500), same).outcome).toBe("pass");
  });

  test("a step Kafka answers otherwise is reported as a wrong step, not as sluice's fault", () => {
    const verdict = verdictOf({ ...step, status: 201 }, error(500), error(500), same);
    expect(verdict.outcome).toBe("step-wrong");
    expect(verdict.notes).toEqual(["Kafka answered 500, the step says 201"]);
  });
});
