import { beforeAll, describe, expect, test } from "bun:test";
import { Decimal } from "../../../../src/index.ts";
import { mapTable, useTestDatabase } from "./pg-test-database.ts";

/**
 * Schema defaults from DEFAULT expressions, as Debezium's PostgresDefaultValueConverter derives them (cases from
 * its PostgresDefaultValueConverterIT and RecordsStreamProducerIT).
 */

const db = useTestDatabase("pgtypes_default");

beforeAll(async () => {
  await db.sql().unsafe(`CREATE TYPE "Status" AS ENUM ('DRAFT', 'DONE')`);
  await db.sql().unsafe(`
    CREATE EXTENSION IF NOT EXISTS hstore;
    CREATE DOMAIN posint AS integer DEFAULT 5;
    CREATE TABLE defaults (pk SERIAL PRIMARY KEY,
      dint INTEGER DEFAULT NULL::integer, i4 INTEGER DEFAULT 42, neg INTEGER DEFAULT -7, i2 SMALLINT DEFAULT 3,
      i8 BIGINT DEFAULT 9223372036854775807, i8_small BIGINT DEFAULT 12,
      dvc1 VARCHAR(64) DEFAULT NULL::character varying, dvc2 VARCHAR(64) DEFAULT 'NULL',
      dvc3 VARCHAR(64) DEFAULT 'MYVALUE', dvc4 VARCHAR(64) DEFAULT 'NULL'::character varying,
      dvc5 VARCHAR(64) DEFAULT 'NULL::character varying', dvc6 VARCHAR(64) DEFAULT NULL,
      quoted TEXT DEFAULT 'it''s', ch CHAR(3) DEFAULT 'ab',
      dt1 TIMESTAMP DEFAULT CURRENT_TIMESTAMP, dt2 DATE DEFAULT CURRENT_DATE, dt3 TIME DEFAULT CURRENT_TIME,
      tz_now TIMESTAMPTZ DEFAULT now(), tz_lit TIMESTAMPTZ(3) DEFAULT '2024-03-01 10:00:00.5+02',
      ts_lit TIMESTAMP DEFAULT '2024-03-01 10:00:00', d_lit DATE DEFAULT '2024-03-01', t_lit TIME DEFAULT '10:30',
      it INTERVAL DEFAULT '1 day', it_fn INTERVAL DEFAULT make_interval(days => 1),
      b_true BOOLEAN DEFAULT true, b_false BOOLEAN NOT NULL DEFAULT false, b_null BOOLEAN DEFAULT NULL::boolean,
      n_fixed NUMERIC(10,2) DEFAULT 1.5, n_fn NUMERIC(12,0) DEFAULT floor(random() * 10), n_var NUMERIC DEFAULT 1.5,
      n_nan NUMERIC(10,2) DEFAULT 'NaN', f4 REAL DEFAULT 1.25, f8 DOUBLE PRECISION DEFAULT -2.5,
      u UUID DEFAULT gen_random_uuid(), u_lit UUID DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      j JSONB DEFAULT '{}'::jsonb, x XML DEFAULT '<a/>', status "Status" NOT NULL DEFAULT 'DRAFT',
      h HSTORE DEFAULT ''::hstore, by BYTEA DEFAULT '\\x01', m MONEY DEFAULT 1, arr INT[] DEFAULT '{1}',
      dom posint, dom_own posint DEFAULT 9, bits BIT(3) DEFAULT B'101', bit1 BIT(1) DEFAULT B'1',
      vb VARBIT DEFAULT B'11', expr INTEGER DEFAULT (1 + 2));
    INSERT INTO defaults DEFAULT VALUES;
  `);
});

describe("column defaults", () => {
  test("literals become values of the column's type", async () => {
    const c = await mapTable(db.sql(), "defaults");
    const expected: Record<string, unknown> = {
      i4: 42,
      neg: -7,
      i2: 3,
      i8: 9223372036854775807n,
      i8_small: 12,
      dvc2: "NULL",
      dvc3: "MYVALUE",
      dvc4: "NULL",
      dvc5: "NULL::character varying",
      ch: "ab",
      tz_lit: "2024-03-01T08:00:00.500Z",
      ts_lit: Date.UTC(2024, 2, 1, 10) * 1000,
      d_lit: Date.UTC(2024, 2, 1) / 86_400_000,
      t_lit: (10 * 3600 + 30 * 60) * 1_000_000,
      it: 86_400_000_000,
      b_true: true,
      b_false: false,
      n_fixed: new Decimal(150n, 2),
      f4: 1.25,
      f8: -2.5,
      u_lit: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      j: "{}",
      x: "<a/>",
      status: "DRAFT",
      bits: new Uint8Array([5]),
      bit1: true,
      vb: new Uint8Array([3]),
    };
    for (const [name, value] of Object.entries(expected))
      expect({ name, default: c[name]?.mapping?.schema.defaultValue }).toEqual({ name, default: value });
  });

  test("Debezium's first-quotes extraction cuts a literal with an escaped quote", async () => {
    const c = await mapTable(db.sql(), "defaults");
    expect(c.quoted?.mapping?.schema.defaultValue).toBe("it");
  });

  test("function calls and CURRENT_* stand for the type's placeholder", async () => {
    const c = await mapTable(db.sql(), "defaults");
    const expected: Record<string, unknown> = {
      pk: 0,
      dt1: 0,
      dt2: 0,
      dt3: 0,
      tz_now: "1970-01-01T00:00:00.000000Z",
      it_fn: 0,
      n_fn: new Decimal(0n, 0),
      u: "00000000-0000-0000-0000-000000000000",
    };
    for (const [name, value] of Object.entries(expected))
      expect({ name, default: c[name]?.mapping?.schema.defaultValue }).toEqual({ name, default: value });
  });

  test("NULL, unparseable values, structs and types without a default mapper give no default", async () => {
    const c = await mapTable(db.sql(), "defaults");
    for (const name of [
      "dint",
      "dvc1",
      "dvc6",
      "b_null",
      "n_var", // a VariableScaleDecimal struct, which Kafka cannot hold as a default
      "n_nan",
      "h",
      "by",
      "m",
      "arr",
      "dom",
      "dom_own",
      "expr",
    ])
      expect({ name, default: c[name]?.mapping?.schema.defaultValue }).toEqual({ name, default: undefined });
  });

  test("defaults follow the handling modes", async () => {
    const c = await mapTable(db.sql(), "defaults", {
      decimalHandlingMode: "string",
      intervalHandlingMode: "string",
      timePrecisionMode: "connect",
    });
    expect(c.n_fixed?.mapping?.schema.defaultValue).toBe("1.50");
    expect(c.n_var?.mapping?.schema.defaultValue).toBe("1.5");
    expect(c.it?.mapping?.schema.defaultValue).toBe("P0Y0M1DT0H0M0S");
    expect(c.d_lit?.mapping?.schema.defaultValue).toEqual(new Date(Date.UTC(2024, 2, 1)));
  });
});
