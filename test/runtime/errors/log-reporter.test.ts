import { afterEach, describe, expect, test } from "bun:test";
import { DataError } from "../../../src/api/errors.ts";
import { sourceRecord } from "../../../src/api/record.ts";
import { Schemas } from "../../../src/api/schema.ts";
import type { Logger } from "../../../src/common/logger.ts";
import type { KafkaMessage } from "../../../src/kafka/types.ts";
import type { FailedRecord } from "../../../src/runtime/errors/failed-record.ts";
import { LogReporter } from "../../../src/runtime/errors/log-reporter.ts";
import { ErrorMetrics } from "../../../src/runtime/metrics/error-metrics.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

const consumed: KafkaMessage = {
  topic: "orders",
  partition: 3,
  offset: 42,
  key: bytes("k"),
  value: bytes("{not json"),
  timestamp: 1700000000000,
  timestampType: "CreateTime",
  headers: [["trace", bytes("abc")]],
};

const sinkFailure: FailedRecord = {
  stage: "VALUE_CONVERTER",
  executingClass: "org.apache.kafka.connect.json.JsonConverter",
  error: new DataError("Converting byte[] to Kafka Connect data failed due to serialization error"),
  connector: "orders-sink",
  taskId: 0,
  consumed,
};

function capture(): Logger & { lines: [string, unknown][] } {
  const lines: [string, unknown][] = [];
  return {
    lines,
    error: (message, error) => lines.push([message, error]),
    warn: () => {},
    info: () => {},
    debug: () => {},
  };
}

describe("LogReporter", () => {
  test("one ERROR in Kafka's words: task, stage, class, where the record is; the error alongside", async () => {
    const logger = capture();
    const metrics = new ErrorMetrics();
    await new LogReporter({ includeMessages: false, logger, metrics }).report(sinkFailure);
    expect(metrics.values()["total-errors-logged"]).toBe(1);
    expect(logger.lines).toEqual([
      [
        "Error encountered in task orders-sink-0. Executing stage 'VALUE_CONVERTER' with class " +
          "'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', partition=3, offset=42}.",
        sinkFailure.error,
      ],
    ]);
  });

  test("a failure without a record (a whole batch) names none", () => {
    const { consumed: _, ...batchFailure } = sinkFailure;
    expect(new LogReporter({ includeMessages: true }).message({ ...batchFailure, stage: "TASK_PUT" })).toBe(
      "Error encountered in task orders-sink-0. Executing stage 'TASK_PUT' with class " +
        "'org.apache.kafka.connect.json.JsonConverter'.",
    );
  });

  test("sink, errors.log.include.messages: the consumed record's coordinates and timestamp", () => {
    const reporter = new LogReporter({ includeMessages: true });
    expect(reporter.message(sinkFailure)).toBe(
      "Error encountered in task orders-sink-0. Executing stage 'VALUE_CONVERTER' with class " +
        "'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', partition=3, " +
        "offset=42, timestamp=1700000000000, timestampType=CreateTime}.",
    );
    const untimed = { ...consumed, timestamp: null, timestampType: "NoTimestampType" as const };
    expect(reporter.message({ ...sinkFailure, consumed: untimed })).toEndWith(
      ", where consumed record is {topic='orders', partition=3, offset=42}.",
    );
  });

  test("source, errors.log.include.messages: the record as Kafka's SourceRecord.toString prints it", () => {
    const record = sourceRecord({
      topic: "users",
      kafkaPartition: 1,
      key: "u1",
      keySchema: Schemas.STRING,
      value: { name: "Ann", visits: 3n },
      timestamp: 1700000000000,
      headers: [{ key: "origin", schema: Schemas.STRING, value: "db" }],
      sourcePartition: { table: "users" },
      sourceOffset: { position: 17 },
    });
    const failure: FailedRecord = {
      stage: "TRANSFORMATION",
      executingClass: "org.apache.kafka.connect.transforms.Cast$Value",
      error: new DataError("Cast failed"),
      connector: "db-source",
      taskId: 1,
      source: record,
    };
    expect(new LogReporter({ includeMessages: true }).message(failure)).toBe(
      "Error encountered in task db-source-1. Executing stage 'TRANSFORMATION' with class " +
        "'org.apache.kafka.connect.transforms.Cast$Value', where source record is = " +
        "SourceRecord{sourcePartition={table=users}, sourceOffset={position=17}} " +
        "ConnectRecord{topic='users', kafkaPartition=1, key=u1, keySchema=Schema{STRING}, " +
        "value={name=Ann, visits=3}, valueSchema=null, timestamp=1700000000000, " +
        "headers=ConnectHeaders(headers=[ConnectHeader(key=origin, value=db, schema=Schema{STRING})])}.",
    );
    // Without include.messages: where the record is, never its key, value or headers.
    expect(new LogReporter({ includeMessages: false }).message(failure)).toBe(
      "Error encountered in task db-source-1. Executing stage 'TRANSFORMATION' with class " +
        "'org.apache.kafka.connect.transforms.Cast$Value', where source record is {topic='users', kafkaPartition=1, " +
        "sourcePartition={table=users}, sourceOffset={position=17}}.",
    );
  });
});

describe("LogReporter on the default logger", () => {
  const write = process.stderr.write;
  afterEach(() => {
    process.stderr.write = write;
  });

  test("writes one ERROR line on stderr, under the task's logger", async () => {
    const written: string[] = [];
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    await new LogReporter({ includeMessages: false }).report(sinkFailure);
    process.stderr.write = write;
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      /^\S+ ERROR \[task\.orders-sink-0\.errors\] Error encountered in task orders-sink-0\. Executing stage 'VALUE_CONVERTER' with class 'org\.apache\.kafka\.connect\.json\.JsonConverter', where consumed record is \{topic='orders', partition=3, offset=42\}\.: Converting byte\[\] to Kafka Connect data failed due to serialization error\n$/,
    );
  });
});
