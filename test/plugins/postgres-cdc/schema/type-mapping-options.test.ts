import { describe, expect, test } from "bun:test";
import {
  DEFAULT_TYPE_MAPPING_OPTIONS,
  typeMappingConfigDef,
  typeMappingOptionsFrom,
} from "../../../../plugins/postgres-cdc/schema/type-mapping-options.ts";
import { ConfigError } from "../../../../src/index.ts";

describe("typeMappingOptionsFrom", () => {
  test("Debezium's defaults when nothing is set", () => {
    expect(typeMappingOptionsFrom({})).toEqual({
      decimalHandlingMode: "precise",
      timePrecisionMode: "adaptive",
      hstoreHandlingMode: "json",
      intervalHandlingMode: "numeric",
      binaryHandlingMode: "bytes",
      moneyFractionDigits: 2,
      includeUnknownDatatypes: false,
    });
    expect(typeMappingOptionsFrom({})).toEqual(DEFAULT_TYPE_MAPPING_OPTIONS);
  });

  test("reads Debezium's keys, case-insensitively and trimmed", () => {
    expect(
      typeMappingOptionsFrom({
        "decimal.handling.mode": " STRING ",
        "time.precision.mode": "Connect",
        "hstore.handling.mode": "map",
        "interval.handling.mode": "string",
        "binary.handling.mode": "base64-url-safe",
        "money.fraction.digits": "4",
        "include.unknown.datatypes": "TRUE",
      }),
    ).toEqual({
      decimalHandlingMode: "string",
      timePrecisionMode: "connect",
      hstoreHandlingMode: "map",
      intervalHandlingMode: "string",
      binaryHandlingMode: "base64-url-safe",
      moneyFractionDigits: 4,
      includeUnknownDatatypes: true,
    });
  });

  test("an unknown mode or a bad number is a ConfigError naming the key", () => {
    for (const [key, value] of [
      ["decimal.handling.mode", "exact"],
      ["time.precision.mode", "millis"],
      ["hstore.handling.mode", "text"],
      ["interval.handling.mode", "iso"],
      ["binary.handling.mode", "base32"],
      ["money.fraction.digits", "-1"],
      ["money.fraction.digits", "two"],
      ["include.unknown.datatypes", "yes"],
    ] as const) {
      let error: unknown;
      try {
        typeMappingOptionsFrom({ [key]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect({ key, errorKey: (error as ConfigError).key }).toEqual({ key, errorKey: key });
    }
  });
});

describe("typeMappingConfigDef", () => {
  test("documents and validates the same keys with the same defaults", () => {
    const def = typeMappingConfigDef();
    expect(def.names().sort()).toEqual([
      "binary.handling.mode",
      "decimal.handling.mode",
      "hstore.handling.mode",
      "include.unknown.datatypes",
      "interval.handling.mode",
      "money.fraction.digits",
      "time.precision.mode",
    ]);
    expect(def.parse({})).toMatchObject({ "decimal.handling.mode": "precise", "money.fraction.digits": 2 });
    const errors = def.validate({ "binary.handling.mode": "base32" }).find((v) => v.name === "binary.handling.mode");
    expect(errors?.errors.length).toBe(1);
  });
});
