import { describe, expect, test } from "bun:test";
import { parseExactJson, stringifyExactJson } from "./exact-json.ts";
import { FIXTURE_CASES } from "./fixture-cases.ts";
import { compactRecords, expandFixture, fixtureNames, loadFixture } from "./fixture-file.ts";

describe("exact JSON", () => {
  test("keeps integers past 2^53 digit for digit, both ways", () => {
    const text = '{"max":9223372036854775807,"min":-9223372036854775808,"small":42,"float":1.5e300}';
    const value = parseExactJson(text) as Record<string, unknown>;
    expect(value.max).toBe(9223372036854775807n);
    expect(value.min).toBe(-9223372036854775808n);
    expect(value.small).toBe(42);
    expect(stringifyExactJson(value)).toBe(text.replace("1.5e300", "1.5e+300"));
  });
});

describe("fixture files", () => {
  test("store each schema once and give the envelopes back whole", () => {
    const schema = { type: "struct", name: "k" };
    const records = [1, 2].map((id) => ({
      topic: "t",
      partition: 0,
      offset: id,
      key: { schema, payload: { id } },
      value: null,
      headers: {},
    }));
    const stored = compactRecords(records);
    expect(stored.schemas).toEqual([schema]);
    const file = { ...stored, name: "x" } as unknown as Parameters<typeof expandFixture>[0];
    expect(expandFixture(file).records).toEqual(records);
  });

  test("every case has its captured fixture, with the SQL, the connector config and Debezium's records", () => {
    expect(fixtureNames()).toEqual(FIXTURE_CASES.map((c) => c.name).sort());
    for (const name of fixtureNames()) {
      const fixture = loadFixture(name);
      expect(fixture.debezium).toBe("3.6.1.Final");
      expect(fixture.setup.length).toBeGreaterThan(0);
      expect(fixture.connector["connector.class"]).toBe("io.debezium.connector.postgresql.PostgresConnector");
      expect(fixture.records.length).toBeGreaterThan(0);
      for (const record of fixture.records) {
        if (record.value !== null) expect(record.value.schema).toBeDefined();
      }
    }
    const allTypes = loadFixture("all-types");
    const first = allTypes.records[0]?.value?.payload as { after: Record<string, unknown> };
    expect(first.after.c_int8).toBe(9223372036854775807n);
  });
});
