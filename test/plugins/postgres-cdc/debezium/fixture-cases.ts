/**
 * What capture-fixtures.ts runs against the real Debezium: per case, the SQL before and after the connector starts
 * and the connector settings over the runner's defaults. Every case runs in a fresh database of its own, so the same
 * DDL (a table `all_types` in `public`) serves all of them and a test can replay a case as it stands.
 */

export interface FixtureCase {
  readonly name: string;
  readonly description: string;
  readonly setup: readonly string[];
  readonly changes: readonly string[];
  readonly config: Record<string, string>;
  /** Reading ends after this many records (else after a quiet period). */
  readonly expected?: number;
}

const ALL_TYPES_DDL = [
  "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
  `CREATE TABLE all_types (
  id int4 PRIMARY KEY,
  c_bool bool, c_int2 int2, c_int4 int4, c_int8 int8, c_float4 float4, c_float8 float8,
  c_numeric numeric(10,2), c_numeric_var numeric, c_money money,
  c_char char(5), c_varchar varchar(20), c_text text, c_bytea bytea,
  c_date date, c_time time, c_time3 time(3), c_timetz timetz,
  c_timestamp timestamp, c_timestamp3 timestamp(3), c_timestamptz timestamptz, c_interval interval,
  c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml, c_enum mood,
  c_int4_array int4[], c_text_array text[], c_bit bit(3), c_varbit varbit,
  c_inet inet, c_cidr cidr, c_macaddr macaddr, c_oid oid, c_point point
)`,
];

const COLUMNS =
  "id, c_bool, c_int2, c_int4, c_int8, c_float4, c_float8, c_numeric, c_numeric_var, c_money, c_char, c_varchar, " +
  "c_text, c_bytea, c_date, c_time, c_time3, c_timetz, c_timestamp, c_timestamp3, c_timestamptz, c_interval, c_uuid, " +
  "c_json, c_jsonb, c_xml, c_enum, c_int4_array, c_text_array, c_bit, c_varbit, c_inet, c_cidr, c_macaddr, c_oid, c_point";

/** Everyday values: fractional seconds, a time zone offset, unicode, quotes. */
const TYPICAL = `true, 12345, -2147483648, 9223372036854775807, 3.14, 2.718281828459045,
  12345678.91, 3.14159265358979323846, 1234.56,
  'ab', 'héllo ☃ wörld', 'it''s "quoted" \\ back\\slash 𝄞 日本', '\\x00ff10'::bytea,
  '2024-02-29', '13:45:30.123456', '13:45:30.123456', '13:45:30.5+05:30',
  '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123456+01', '1 year 2 mons 3 days 04:05:06.789',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.5, null], "b": "ü"}', '{"b": {"c": true}, "a": 1}', '<a b="1">x &amp; y</a>', 'happy',
  '{1,NULL,3}', '{"a b","c,d",NULL,"q\\"uote"}', B'101', B'1101001',
  '192.168.1.10/24', '10.0.0.0/8', '08:00:2b:01:02:03', 4294967295, '(1.5,-2.25)'`;

/** Edge values: infinities, BC dates, extremes, empty strings and arrays, NaN, midnight at 24:00. */
const EDGES = `false, -32768, 2147483647, -9223372036854775808, 'NaN', '-Infinity',
  -99999999.99, 'NaN', -92233720368547758.08,
  '', '', '', ''::bytea,
  '0044-03-15 BC', '24:00:00', '00:00:00', '00:00:00-14:59',
  'infinity', '-infinity', '0001-01-01 00:00:00 BC', '-1 year -2 days 03:00:00.000001',
  '00000000-0000-0000-0000-000000000000', '[]', '"just a string"', '<empty/>', 'sad',
  '{}', '{}', B'000', B'',
  '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', 0, '(0,0)'`;

const NULLS = new Array(35).fill("NULL").join(", ");

const insert = (id: number, values: string) => `INSERT INTO all_types (${COLUMNS}) VALUES (${id}, ${values})`;

const SNAPSHOT_ROWS = [insert(1, TYPICAL), insert(2, EDGES), insert(3, NULLS)];
/** The same three rows again, written after the connector started: streamed, decoded from pgoutput's text. */
const STREAMED_ROWS = [insert(11, TYPICAL), insert(12, EDGES), insert(13, NULLS)];

const ALL_TYPES_TABLE = { "table.include.list": "public.all_types" };

function modeCase(name: string, description: string, config: Record<string, string>): FixtureCase {
  return {
    name,
    description,
    setup: [...ALL_TYPES_DDL, ...SNAPSHOT_ROWS],
    changes: STREAMED_ROWS,
    config: { ...ALL_TYPES_TABLE, "snapshot.mode": "initial", ...config },
    expected: 6,
  };
}

export const FIXTURE_CASES: readonly FixtureCase[] = [
  {
    name: "all-types",
    description:
      "Every column type Debezium maps, default modes (decimal.handling.mode=precise, time.precision.mode=adaptive): " +
      "three rows snapshotted (op r), the same three streamed (op c), an update, a primary key update (delete, " +
      "tombstone, create, with __debezium.oldkey/newkey headers), a delete with its tombstone, a truncate " +
      "(skipped.operations=none; Debezium skips truncates by default).",
    setup: [...ALL_TYPES_DDL, ...SNAPSHOT_ROWS],
    changes: [
      ...STREAMED_ROWS,
      "UPDATE all_types SET c_text = 'updated', c_int4 = c_int4 + 1, c_timestamp = '2025-01-01 00:00:00' WHERE id = 1",
      "UPDATE all_types SET id = 21 WHERE id = 11",
      "DELETE FROM all_types WHERE id = 2",
      "TRUNCATE all_types",
    ],
    config: { ...ALL_TYPES_TABLE, "snapshot.mode": "initial", "skipped.operations": "none" },
    expected: 3 + 3 + 1 + 3 + 2 + 1,
  },
  modeCase("all-types-decimal-double", "all_types with decimal.handling.mode=double.", {
    "decimal.handling.mode": "double",
  }),
  modeCase("all-types-decimal-string", "all_types with decimal.handling.mode=string.", {
    "decimal.handling.mode": "string",
  }),
  modeCase(
    "all-types-time-adaptive-time-microseconds",
    "all_types with time.precision.mode=adaptive_time_microseconds.",
    { "time.precision.mode": "adaptive_time_microseconds" },
  ),
  modeCase("all-types-time-connect", "all_types with time.precision.mode=connect (Connect's logical types).", {
    "time.precision.mode": "connect",
  }),
  {
    name: "replica-identity",
    description:
      "Keys and before images: a table without a primary key (key null; default replica identity, so only inserts " +
      "are allowed once a publication publishes updates), one without a primary key with REPLICA IDENTITY FULL, and " +
      "one with a primary key and REPLICA IDENTITY FULL (whole before images on update and delete). A delete from " +
      "the keyless table is followed by a tombstone too, with a null key.",
    setup: [
      "CREATE TABLE no_pk (a int4, b text)",
      "CREATE TABLE no_pk_full (a int4, b text)",
      "ALTER TABLE no_pk_full REPLICA IDENTITY FULL",
      "CREATE TABLE pk_full (id int4 PRIMARY KEY, b text, n numeric(5,1))",
      "ALTER TABLE pk_full REPLICA IDENTITY FULL",
      "INSERT INTO no_pk VALUES (1, 'snap')",
      "INSERT INTO pk_full VALUES (1, 'snap', 1.5)",
    ],
    changes: [
      "INSERT INTO no_pk VALUES (2, 'two'), (2, 'two')",
      "INSERT INTO no_pk_full VALUES (1, 'one')",
      "UPDATE no_pk_full SET b = 'uno' WHERE a = 1",
      "DELETE FROM no_pk_full WHERE a = 1",
      "INSERT INTO pk_full VALUES (2, 'two', 2.0)",
      "UPDATE pk_full SET b = 'deux' WHERE id = 2",
      "DELETE FROM pk_full WHERE id = 2",
    ],
    config: {
      "table.include.list": "public.no_pk,public.no_pk_full,public.pk_full",
      "snapshot.mode": "initial",
    },
    expected: 2 + 2 + 4 + 4,
  },
  {
    name: "heartbeat-transactions",
    description:
      "heartbeat.interval.ms=1000 (records on __debezium-heartbeat.<prefix>) and provide.transaction.metadata=true " +
      "(BEGIN/END records on <prefix>.transaction, a transaction block in each change): a two-insert transaction " +
      "and a single insert. Reading stops after a quiet-less fixed wait, so the number of heartbeats varies.",
    setup: ["CREATE TABLE beat (id int4 PRIMARY KEY, v text)", "INSERT INTO beat VALUES (1, 'snap')"],
    changes: [
      "BEGIN; INSERT INTO beat VALUES (2, 'a'); INSERT INTO beat VALUES (3, 'b'); COMMIT",
      "INSERT INTO beat VALUES (4, 'c')",
    ],
    config: {
      "table.include.list": "public.beat",
      "snapshot.mode": "initial",
      "heartbeat.interval.ms": "1000",
      "provide.transaction.metadata": "true",
    },
  },
];
