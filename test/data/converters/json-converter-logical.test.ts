import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../src/api/date.ts";
import { Decimal } from "../../../src/api/decimal.ts";
import { DataError } from "../../../src/api/errors.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import { Time } from "../../../src/api/time.ts";
import { Timestamp } from "../../../src/api/timestamp.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}
const write = (c: JsonConverter, schema: Schema, value: unknown) =>
  decoder.decode(c.fromConnectData("topic", [], schema, value) as Uint8Array);
const read = (c: JsonConverter, text: string) => c.toConnectData("topic", [], encoder.encode(text));

function dataError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error("expected a DataError");
}

const DECIMAL_2 =
  '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}';

describe("JsonConverter Decimal", () => {
  test("written as base64 of the two's complement unscaled value (decimal.format=BASE64, the default)", () => {
    expect(write(converter(), Decimal.schema(2), new Decimal(156n, 2))).toBe(
      `{"schema":${DECIMAL_2},"payload":"AJw="}`,
    );
    expect(write(converter(), Decimal.schema(2), new Decimal(-156n, 2))).toEndWith('"payload":"/2Q="}');
  });

  test("written as a JSON number with decimal.format=NUMERIC, trailing zeros kept", () => {
    const c = converter({ "decimal.format": "NUMERIC" });
    expect(write(c, Decimal.schema(2), new Decimal(156n, 2))).toBe(`{"schema":${DECIMAL_2},"payload":1.56}`);
    expect(write(c, Decimal.schema(4), new Decimal(15600n, 4))).toEndWith('"payload":1.5600}');
    expect(write(c, Decimal.schema(9), new Decimal(1n, 9))).toEndWith('"payload":1E-9}');
  });

  test("a plain { unscaled, scale } object is a Decimal too", () => {
    expect(write(converter(), Decimal.schema(2), { unscaled: 156n, scale: 2 })).toEndWith('"payload":"AJw="}');
  });

  test("read from base64 or from a number, with every digit", () => {
    const c = converter();
    expect(read(c, `{"schema":${DECIMAL_2},"payload":"AJw="}`).value).toEqual(new Decimal(156n, 2));
    const d17 = DECIMAL_2.replace('"scale":"2"', '"scale":"17"');
    expect(read(c, `{"schema":${d17},"payload":1.23456789123456789}`).value).toEqual(
      new Decimal(123456789123456789n, 17),
    );
    expect(read(c, `{"schema":${DECIMAL_2},"payload":1.56}`).value).toEqual(new Decimal(156n, 2));
  });

  /**
   * Kafka 4.1.1 reads a JSON number into a Decimal as Jackson's BigDecimal of its text (USE_BIG_DECIMAL_FOR_FLOATS,
   * exact node factory): the scale is the literal's, never the schema's. Seen with Kafka's JsonConverter from the
   * 4.1.1 jars, schema scale 2, each payload read and written back with decimal.format=NUMERIC and BASE64:
   *   1.5 -> 1.5 (scale 1), NUMERIC 1.5, BASE64 fails "... Schema has scale 2, value has scale 1."
   *   1.50 -> 1.50 (scale 2), NUMERIC 1.50, BASE64 "AJY="
   *   1.500 -> scale 3; 15 -> scale 0; 1e3 -> 1E+3 (scale -3); 1.5e1 -> 15 (scale 0); -0.0 -> 0.0 (scale 1);
   *   0 -> scale 0; 0.00000012 -> 1.2E-7 (scale 8); 12345678901234567890 -> scale 0; "AJY=" -> 1.50 (scale 2)
   */
  const KAFKA_READS: [string, Decimal, string][] = [
    ["1.5", new Decimal(15n, 1), "1.5"],
    ["1.50", new Decimal(150n, 2), "1.50"],
    ["1.500", new Decimal(1500n, 3), "1.500"],
    ["15", new Decimal(15n, 0), "15"],
    ["1e3", new Decimal(1n, -3), "1E+3"],
    ["1E+3", new Decimal(1n, -3), "1E+3"],
    ["1.5e1", new Decimal(15n, 0), "15"],
    ["-0.0", new Decimal(0n, 1), "0.0"],
    ["0", new Decimal(0n, 0), "0"],
    ["1E-7", new Decimal(1n, 7), "1E-7"],
    ["0.00000012", new Decimal(12n, 8), "1.2E-7"],
    ["12345678901234567890", new Decimal(12345678901234567890n, 0), "12345678901234567890"],
    ['"AJY="', new Decimal(150n, 2), "1.50"],
  ];

  test("a number keeps the scale it is written with, as Kafka's does: never rescaled to the schema's", () => {
    const c = converter();
    for (const [payload, value] of KAFKA_READS) {
      // As JsonConverter writes an envelope (the cached-schema path), and with blanks (the general path).
      expect([payload, read(c, `{"schema":${DECIMAL_2},"payload":${payload}}`).value]).toEqual([payload, value]);
      expect([payload, read(c, `{ "schema": ${DECIMAL_2}, "payload": ${payload} }`).value]).toEqual([payload, value]);
    }
  });

  test("NUMERIC writes a value as it is, so a number read goes out as Kafka writes it", () => {
    const c = converter({ "decimal.format": "NUMERIC" });
    for (const [payload, , written] of KAFKA_READS) {
      const { schema, value } = read(c, `{"schema":${DECIMAL_2},"payload":${payload}}`);
      expect([payload, write(c, schema as Schema, value)]).toEqual([
        payload,
        `{"schema":${DECIMAL_2},"payload":${written}}`,
      ]);
    }
    expect(write(c, Decimal.schema(2), new Decimal(15n, 1))).toEndWith('"payload":1.5}');
  });

  test("BASE64 refuses a value whose scale is not the schema's (Decimal.fromLogical), also one read as a number", () => {
    const c = converter();
    for (const [payload, value] of KAFKA_READS) {
      const read2 = read(c, `{"schema":${DECIMAL_2},"payload":${payload}}`);
      if (value.scale === 2) expect(write(c, read2.schema as Schema, read2.value)).toEndWith('"payload":"AJY="}');
      else
        expect([payload, dataError(() => write(c, read2.schema as Schema, read2.value))]).toEqual([
          payload,
          `Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale ${value.scale}.`,
        ]);
    }
  });

  test("a payload read alone (the sink fast path's payloadToConnect) keeps the literal's scale too", () => {
    const c = converter();
    const schema = Decimal.schema(2);
    for (const [payload, value] of KAFKA_READS)
      expect([payload, c.payloadToConnect(schema, encoder.encode(payload))]).toEqual([payload, value]);
  });

  test("in structs, arrays and maps alike", () => {
    // Kafka 4.1.1, NUMERIC in and out: {"a":1.5,"l":[1.50,2,3e1,-0.0],"d":1.50} -> {"a":1.5,"l":[1.50,2,3E+1,0.0],"d":1.5};
    // with BASE64 out: "Decimal value has mismatching scale ... Schema has scale 2, value has scale 1."
    const decimal = (scale: number) => DECIMAL_2.replace('"scale":"2"', `"scale":"${scale}"`).slice(0, -1);
    const schema = `{"type":"struct","optional":false,"fields":[${decimal(2)},"field":"a"},{"type":"array","items":${decimal(1)}},"optional":false,"field":"l"},{"type":"map","keys":{"type":"string","optional":false},"values":${decimal(0)}},"optional":false,"field":"m"},{"type":"double","optional":false,"field":"d"}]}`;
    const text = `{"schema":${schema},"payload":{"a":1.5,"l":[1.50,2,3e1,-0.0],"m":{"k":7.0},"d":1.50}}`;
    const c = converter({ "decimal.format": "NUMERIC" });
    const { schema: read2, value } = read(c, text);
    expect(write(c, read2 as Schema, value)).toEndWith(
      '"payload":{"a":1.5,"l":[1.50,2,3E+1,0.0],"m":{"k":7.0},"d":1.5}}',
    );
    expect(dataError(() => write(converter(), read2 as Schema, value))).toBe(
      "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.",
    );
  });

  test("a default is read as a Decimal, with the scale it is written with", () => {
    const text =
      '{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"default":"AJw=","parameters":{"scale":"2"}},"payload":null}';
    expect(read(converter(), text).value).toEqual(new Decimal(156n, 2));
    // Kafka 4.1.1: a default 1.50 stays 1.50 and writes as "AJY=" with BASE64; a default 1.5 reads as 1.5, and then
    // the schema cannot be written with BASE64 (its default has scale 1).
    const numeric = (fallback: string) =>
      `{"schema":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"default":${fallback}},"payload":null}`;
    const exact = read(converter(), numeric("1.50"));
    expect(exact.value).toEqual(new Decimal(150n, 2));
    expect(write(converter(), exact.schema as Schema, exact.value)).toEndWith('"default":"AJY="},"payload":"AJY="}');
    const short = read(converter(), numeric("1.5"));
    expect(short.value).toEqual(new Decimal(15n, 1));
    expect(dataError(() => write(converter(), short.schema as Schema, short.value))).toBe(
      "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.",
    );
  });

  test("errors", () => {
    const c = converter();
    expect(dataError(() => write(c, Decimal.schema(2), 1.56))).toBe(
      "Invalid type for Decimal, expected Decimal but was number",
    );
    expect(dataError(() => write(c, Decimal.schema(2), new Decimal(156n, 3)))).toBe(
      "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3.",
    );
    expect(dataError(() => c.fromConnectData("topic", [], null, new Decimal(1n, 0)))).toBe(
      "Java class Decimal does not have corresponding schema type.",
    );
    expect(dataError(() => read(c, `{"schema":${DECIMAL_2},"payload":true}`))).toBe(
      "Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN",
    );
    expect(dataError(() => read(c, `{"schema":${DECIMAL_2},"payload":"%%"}`))).toBe("Invalid bytes for Decimal field");
    const noScale = DECIMAL_2.replace('"parameters":{"scale":"2"}', '"parameters":{}');
    expect(dataError(() => read(c, `{"schema":${noScale},"payload":"AJw="}`))).toBe("Invalid bytes for Decimal field");
  });
});

describe("JsonConverter Date, Time and Timestamp", () => {
  const date = new Date(Date.UTC(1997, 4, 19)); // 10000 days after the epoch
  const dateJson = '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1}';

  test("Date is days since the epoch", () => {
    const c = converter();
    expect(write(c, ConnectDate.SCHEMA, date)).toBe(`{"schema":${dateJson},"payload":10000}`);
    expect(read(c, `{"schema":${dateJson},"payload":10000}`)).toEqual({ schema: ConnectDate.SCHEMA, value: date });
  });

  test("Time is milliseconds of the day", () => {
    const c = converter();
    const time = new Date(14400000);
    expect(write(c, Time.SCHEMA, time)).toEndWith('"version":1},"payload":14400000}');
    expect(read(c, write(c, Time.SCHEMA, time)).value).toEqual(time);
  });

  test("Timestamp is milliseconds since the epoch", () => {
    const c = converter();
    const timestamp = new Date(4000000000);
    expect(write(c, Timestamp.SCHEMA, timestamp)).toBe(
      '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}',
    );
    expect(read(c, write(c, Timestamp.SCHEMA, timestamp)).value).toEqual(timestamp);
  });

  test("defaults are read as Dates", () => {
    const text =
      '{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp","version":1,"default":42},"payload":null}';
    expect(read(converter(), text).value).toEqual(new Date(42));
  });

  test("a struct of logical values validates against its schema", () => {
    const schema = SchemaBuilder.struct()
      .field("d", ConnectDate.SCHEMA)
      .field("t", Timestamp.SCHEMA)
      .field("n", Decimal.schema(2))
      .build();
    const c = converter();
    const struct = new Struct(schema).put("d", date).put("t", new Date(5)).put("n", new Decimal(1n, 2));
    const back = read(c, write(c, schema, struct)).value as Struct;
    expect(() => back.validate()).not.toThrow();
    expect(back.get("d")).toEqual(date);
    expect(back.get("n")).toEqual(new Decimal(1n, 2));
  });

  test("errors", () => {
    const c = converter();
    expect(dataError(() => write(c, ConnectDate.SCHEMA, 10000))).toBe(
      "Invalid type for Date, expected Date but was number",
    );
    expect(dataError(() => write(c, ConnectDate.SCHEMA, new Date(1)))).toBe(
      "Kafka Connect Date type should not have any time fields set to non-zero values.",
    );
    expect(dataError(() => write(c, Time.SCHEMA, new Date(Date.UTC(2000, 0, 1))))).toBe(
      "Kafka Connect Time type should not have any date fields set to non-zero values.",
    );
    expect(dataError(() => write(c, Timestamp.SCHEMA, new Date(Number.NaN)))).toBe(
      "Invalid Timestamp: the Date is invalid",
    );
    expect(dataError(() => read(c, `{"schema":${dateJson},"payload":1.5}`))).toBe(
      "Invalid type for Date, underlying representation should be integer but was NUMBER",
    );
    const timeJson = dateJson.replace("data.Date", "data.Time");
    expect(dataError(() => read(c, `{"schema":${timeJson},"payload":"x"}`))).toBe(
      "Invalid type for Time, underlying representation should be integer but was STRING",
    );
    expect(dataError(() => read(c, `{"schema":${timeJson},"payload":86400001}`))).toBe(
      "Time values must use number of milliseconds greater than 0 and less than 86400000",
    );
    const timestampJson = dateJson.replace("data.Date", "data.Timestamp").replace("int32", "int64");
    expect(dataError(() => read(c, `{"schema":${timestampJson},"payload":1.5}`))).toBe(
      "Invalid type for Timestamp, underlying representation should be integral but was NUMBER",
    );
  });
});
