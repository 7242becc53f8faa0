/**
 * The comparison rules of the differential test, on hand-made outputs: a comparison that let a real difference
 * through would make every chain pass for nothing.
 */
import { describe, expect, test } from "bun:test";
import { canonicalJson } from "./canonical-json.ts";
import type { Chain } from "./chains.ts";
import { compareRuns, sameBytes } from "./compare.ts";
import type { InputLine } from "./inputs.ts";

describe("differential comparison", () => {
  test("numbers keep their text: 12.0 is not 12, 1.0E300 is not 1e300", () => {
    for (const order of ["ordered", "unordered", "envelope"] as const) {
      expect(sameBytes('{"a":12.0}', '{"a":12}', order)).toBe(false);
      expect(sameBytes("[1.0E300]", "[1e300]", order)).toBe(false);
    }
  });

  test("without schemas member order is free, anything else is not (escapes, whitespace, values)", () => {
    expect(sameBytes('{"a":1,"b":{"c":2,"d":[3]}}', '{"b":{"d":[3],"c":2},"a":1}', "unordered")).toBe(true);
    expect(sameBytes('{"a":[1,2]}', '{"a":[2,1]}', "unordered")).toBe(false);
    expect(sameBytes('{"a":"é"}', '{"a":"\\u00e9"}', "unordered")).toBe(false);
    expect(sameBytes('{"a":1,"b":2}', '{"b":2, "a":1}', "unordered")).toBe(false);
    expect(sameBytes('{"a":null}', "{}", "unordered")).toBe(false);
  });

  test("with schemas struct order is fixed and only Connect maps may be reordered", () => {
    const schema =
      '{"type":"struct","fields":[{"type":"int32","field":"a"},{"type":"map","keys":{"type":"string"},"values":{"type":"int32"},"field":"m"}]}';
    const envelope = (payload: string) => `{"schema":${schema},"payload":${payload}}`;
    expect(sameBytes(envelope('{"a":1,"m":{"x":1,"y":2}}'), envelope('{"a":1,"m":{"y":2,"x":1}}'), "envelope")).toBe(
      true,
    );
    expect(sameBytes(envelope('{"a":1,"m":{"x":1}}'), envelope('{"m":{"x":1},"a":1}'), "envelope")).toBe(false);
    expect(canonicalJson('{"payload":1,"schema":{"type":"int8"}}', "envelope")).toBe(
      '{"payload":1,"schema":{"type":"int8"}}',
    );
  });

  test("records are matched by offset: a dropped record, a different error stage and an exit code all count", () => {
    const chain: Chain = {
      name: "t",
      path: "t.properties",
      input: "orders",
      about: "",
      keyOrder: "ordered",
      valueOrder: "unordered",
      transforms: [],
      predicates: [],
    };
    const input = (offset: number): InputLine => ({
      topic: "t",
      partition: 0,
      offset,
      timestamp: null,
      key: null,
      value: "{}",
      headers: {},
    });
    const record = (offset: number, value: string, headers: Record<string, string> = {}) =>
      JSON.stringify({ ...input(offset), value, headers });
    const error = (offset: number, stage: string) => JSON.stringify({ error: "x", stage, offset });
    const java = [
      record(0, '{"a":1}', { h: "1" }),
      record(1, "{}"),
      error(2, "TRANSFORMATION"),
      error(3, "TRANSFORMATION"),
    ];
    const sluice = [record(0, '{"a":1}', { h: "2" }), error(2, "TRANSFORMATION"), error(3, "VALUE_CONVERTER")];
    const mismatches = compareRuns(
      chain,
      [0, 1, 2, 3].map(input),
      { exitCode: 0, stdout: java.join("\n"), stderr: "" },
      { exitCode: 1, stdout: sluice.join("\n"), stderr: "" },
    );
    expect(mismatches.map((m) => `${m.offset} ${m.field}`)).toEqual([
      "null exit code",
      "0 headers",
      "1 record",
      "3 error",
    ]);
  });
});
