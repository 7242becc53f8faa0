import { beforeAll, describe, expect, test } from "bun:test";
import { readTable } from "../../../../plugins/postgres-cdc/schema/catalog.ts";
import {
  DEFAULT_TYPE_MAPPING_OPTIONS,
  type TypeMappingOptions,
} from "../../../../plugins/postgres-cdc/schema/type-mapping-options.ts";
import {
  unavailableValuePlaceholder,
  unchangedToastValue,
} from "../../../../plugins/postgres-cdc/schema/unchanged-toast.ts";
import { ConfigError, DataError } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/** Placeholders for unchanged TOASTed values, as Debezium's RecordsStreamProducerIT expects them. */

const db = useTestDatabase("pgtypes_toast");
const PLACEHOLDER = "__debezium_unavailable_value";

beforeAll(async () => {
  await db.sql().unsafe(`
    CREATE EXTENSION IF NOT EXISTS hstore;
    CREATE TABLE toasty (pk INT PRIMARY KEY, t TEXT, j JSONB, by BYTEA, ta TEXT[], va VARCHAR(10)[], ia INT[],
      ba BIGINT[], da DATE[], ua UUID[], bya BYTEA[], h HSTORE, n NUMERIC(10,2), na NUMERIC[]);
    INSERT INTO toasty (pk) VALUES (1);
  `);
});

async function toastValues(options: Partial<TypeMappingOptions> = {}, placeholder = PLACEHOLDER) {
  const full = { ...DEFAULT_TYPE_MAPPING_OPTIONS, ...options };
  const mapped = await mapTable(db.sql(), "toasty", full);
  const info = await readTable(db.sql(), { schema: "public", table: "toasty" });
  const bytes = unavailableValuePlaceholder({ "unavailable.value.placeholder": placeholder });
  const values: Record<string, unknown> = {};
  for (const column of info?.columns ?? []) {
    const mapping = mapped[column.name]?.mapping;
    if (!mapping) continue;
    try {
      values[column.name] = unchangedToastValue(column, mapping, full, bytes);
    } catch (error) {
      values[column.name] = error instanceof DataError ? "DataError" : error;
    }
  }
  return values;
}

describe("unchanged TOASTed values", () => {
  test("strings, arrays, bytes and hstore get the placeholder in their own shape", async () => {
    const bytes = new TextEncoder().encode(PLACEHOLDER);
    const values = await toastValues();
    expect(values.t).toBe(PLACEHOLDER);
    expect(values.j).toBe(PLACEHOLDER);
    expect(values.by).toEqual(bytes);
    expect(values.ta).toEqual([PLACEHOLDER]);
    expect(values.va).toEqual([PLACEHOLDER]);
    // the placeholder's bytes as ints: "_" is 95, "d" 100, ...
    expect(values.ia).toEqual([...bytes]);
    expect(values.ba).toEqual([...bytes]);
    expect(values.da).toEqual([...bytes]);
    // DecoderDifferences.TOASTED_VALUE_UUID_STRING in Debezium's tests
    expect(values.ua).toEqual(["b68a35a7-17ad-35b3-af2a-ae46edb4545a"]);
    expect(values.bya).toEqual([bytes]);
    expect(values.h).toBe(`{"${PLACEHOLDER}":"${PLACEHOLDER}"}`);
  });

  test("a placeholder that does not fit the field is a DataError (null under Debezium's warn mode)", async () => {
    const values = await toastValues();
    expect(values.n).toBe("DataError");
    expect(values.na).toBe("DataError");
    const strings = await toastValues({ decimalHandlingMode: "string" });
    expect(strings.n).toBe(PLACEHOLDER);
  });

  test("binary and hstore modes shape it too; base64 encoders do not know it", async () => {
    const hex = await toastValues({ binaryHandlingMode: "hex" });
    expect(hex.by).toBe(PLACEHOLDER);
    const base64 = await toastValues({ binaryHandlingMode: "base64" });
    expect(base64.by).toBeNull();
    expect(base64.bya).toBe("DataError");
    const map = await toastValues({ hstoreHandlingMode: "map" });
    expect(map.h).toEqual(new Map([[PLACEHOLDER, PLACEHOLDER]]));
  });

  test("unavailable.value.placeholder may be hex bytes, signed in int arrays as Java's bytes are", async () => {
    const values = await toastValues({}, "hex:ff01");
    expect(values.by).toEqual(new Uint8Array([255, 1]));
    expect(values.ia).toEqual([-1, 1]);
    expect(() => unavailableValuePlaceholder({ "unavailable.value.placeholder": "hex:xyz" })).toThrow(ConfigError);
  });
});
