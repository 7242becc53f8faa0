/**
 * `GET / PATCH / DELETE /connectors/{c}/offsets` over real HTTP with a real worker and broker: a file source's
 * offsets (the offsets file) and a file sink's (its consumer group `connect-<name>`), Kafka's 400s (not stopped,
 * no offsets, bad sink partitions and offsets, bad body shapes), and connectors that resume from altered offsets.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { BOOTSTRAP, uniqueTopic } from "../harness.ts";
import { waitUntil } from "../worker-harness.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

/** A request's status and body (the headers left out, so answers compare whole). */
async function call(
  rest: RestWorker,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const { status, body: answer } = await rest.call(method, path, body);
  return { status, body: answer };
}

setDefaultTimeout(60_000);

const NOT_STOPPED = (name: string) => ({
  status: 400,
  body: {
    error_code: 400,
    message: `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
  },
});
const ALTERED = { status: 200, body: { message: "The offsets for this connector have been altered successfully" } };
const RESET = { status: 200, body: { message: "The offsets for this connector have been reset successfully" } };

describe("connector offsets", () => {
  let rest: RestWorker;
  const topic = uniqueTopic("rest-offsets");
  let input: string;
  let output: string;

  const offsetsOf = async (name: string) => {
    const { status, body } = await call(rest, "GET", `/connectors/${name}/offsets`);
    expect(status).toBe(200);
    return body;
  };

  const awaitOffsets = async (name: string, expected: unknown) => {
    let last: unknown;
    await waitUntil(
      async () => {
        last = await offsetsOf(name);
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      20_000,
      () => `offsets of ${name}: ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`,
    );
  };

  const outputLines = () => (existsSync(output) ? readFileSync(output, "utf8").split("\n").filter(Boolean) : []);

  const awaitOutput = async (lines: string[]) => {
    await waitUntil(
      () => JSON.stringify(outputLines()) === JSON.stringify(lines),
      20_000,
      () => `sink output ${JSON.stringify(outputLines())}, expected ${JSON.stringify(lines)}`,
    );
  };

  const stop = async (name: string) => {
    expect((await call(rest, "PUT", `/connectors/${name}/stop`)).status).toBe(204);
  };
  const resume = async (name: string) => {
    expect((await call(rest, "PUT", `/connectors/${name}/resume`)).status).toBe(202);
  };

  // In Kafka's order: its SinkUtils fills a HashMap, which Jackson writes kafka_partition first.
  const sinkOffset = (partition: unknown, offset: unknown) => ({
    offsets: [{ partition: { kafka_partition: partition, kafka_topic: topic }, offset: { kafka_offset: offset } }],
  });

  beforeAll(async () => {
    const kafka = await createKafkaClientFactory();
    const admin = await kafka.createAdmin({ "bootstrap.servers": BOOTSTRAP });
    await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.close();
    rest = await startRestWorker();
    input = join(rest.dir, "in.txt");
    output = join(rest.dir, "out.txt");
    writeFileSync(input, "a\nb\n");
  });

  afterAll(async () => {
    await rest.stop();
  });

  test("a running file source shows its position in the file; a running sink its consumer group's offset", async () => {
    const source = await call(rest, "POST", "/connectors", {
      name: "off-src",
      config: { "connector.class": "FileStreamSource", file: input, topic },
    });
    expect(source.status).toBe(201);
    const sink = await call(rest, "POST", "/connectors", {
      name: "off-snk",
      config: { "connector.class": "FileStreamSink", file: output, topics: topic },
    });
    expect(sink.status).toBe(201);

    await awaitOffsets("off-src", { offsets: [{ partition: { filename: input }, offset: { position: 4 } }] });
    await awaitOutput(["a", "b"]);
    await awaitOffsets("off-snk", sinkOffset(0, 2));
  });

  test("PATCH and DELETE are 400s until the connector is stopped", async () => {
    for (const name of ["off-src", "off-snk"]) {
      expect(await call(rest, "PATCH", `/connectors/${name}/offsets`, sinkOffset(0, 0))).toEqual(NOT_STOPPED(name));
      expect(await call(rest, "DELETE", `/connectors/${name}/offsets`)).toEqual(NOT_STOPPED(name));
    }
    // Paused is not stopped either.
    expect((await call(rest, "PUT", "/connectors/off-snk/pause")).status).toBe(202);
    expect(await call(rest, "DELETE", "/connectors/off-snk/offsets")).toEqual(NOT_STOPPED("off-snk"));
    await resume("off-snk");
  });

  test("unknown connectors are 404s", async () => {
    const notFound = { status: 404, body: { error_code: 404, message: "Connector nope not found" } };
    expect(await call(rest, "GET", "/connectors/nope/offsets")).toEqual(notFound);
    expect(await call(rest, "PATCH", "/connectors/nope/offsets", sinkOffset(0, 0))).toEqual(notFound);
    expect(await call(rest, "DELETE", "/connectors/nope/offsets")).toEqual(notFound);
  });

  test("a PATCH without offsets, or with offsets of the wrong shape, is a 400 saying what is wrong", async () => {
    await stop("off-src");
    const none = {
      status: 400,
      body: { error_code: 400, message: "Partitions / offsets need to be provided for an alter offsets request" },
    };
    expect(await call(rest, "PATCH", "/connectors/off-src/offsets", { offsets: [] })).toEqual(none);
    expect(await call(rest, "PATCH", "/connectors/off-src/offsets", {})).toEqual(none);

    const partitionNotMap = await call(rest, "PATCH", "/connectors/off-src/offsets", {
      offsets: [{ partition: "in.txt", offset: { position: 1 } }],
    });
    expect(partitionNotMap.status).toBe(400);
    expect((partitionNotMap.body as { message: string }).message).toContain("'offsets.0.partition'");
    const offsetList = await call(rest, "PATCH", "/connectors/off-src/offsets", {
      offsets: [{ partition: { filename: input }, offset: [1] }],
    });
    expect(offsetList.status).toBe(400);
    expect((offsetList.body as { message: string }).message).toContain("'offsets.0.offset'");
    const malformed = await fetch(`${rest.base}/connectors/off-src/offsets`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(malformed.status).toBe(400);

    const noPartition = await call(rest, "PATCH", "/connectors/off-src/offsets", { offsets: [{ offset: null }] });
    expect(noPartition).toEqual({
      status: 400,
      body: { error_code: 400, message: "The partition for a source connector offset cannot be null or missing" },
    });
  });

  test("source offsets that are not primitive, or that the file connector refuses, fail as in Kafka (500) and change nothing", async () => {
    const nested = await call(rest, "PATCH", "/connectors/off-src/offsets", {
      offsets: [{ partition: { filename: input }, offset: { position: { at: 1 } } }],
    });
    expect(nested).toEqual({
      status: 500,
      body: {
        error_code: 500,
        message: "Offsets may only contain primitive types as values, but field position contains MAP",
      },
    });
    const negative = await call(rest, "PATCH", "/connectors/off-src/offsets", {
      offsets: [{ partition: { filename: input }, offset: { position: -1 } }],
    });
    expect(negative).toEqual({
      status: 500,
      body: {
        error_code: 500,
        message: "The value for the 'position' key in the offset should be a non-negative value",
      },
    });
    expect(await offsetsOf("off-src")).toEqual({
      offsets: [{ partition: { filename: input }, offset: { position: 4 } }],
    });
  });

  test("a stopped source's offsets are altered, and it resumes from them", async () => {
    expect(
      await call(rest, "PATCH", "/connectors/off-src/offsets", {
        offsets: [{ partition: { filename: input }, offset: { position: 2 } }],
      }),
    ).toEqual(ALTERED);
    expect(await offsetsOf("off-src")).toEqual({
      offsets: [{ partition: { filename: input }, offset: { position: 2 } }],
    });
    await resume("off-src");
    // "b" is read again from position 2, and reaches the sink's file a second time.
    await awaitOutput(["a", "b", "b"]);
    await awaitOffsets("off-src", { offsets: [{ partition: { filename: input }, offset: { position: 4 } }] });
  });

  test("a stopped source's offsets are reset (idempotently), and it reads its file from the start", async () => {
    await stop("off-src");
    expect(await call(rest, "DELETE", "/connectors/off-src/offsets")).toEqual(RESET);
    expect(await offsetsOf("off-src")).toEqual({ offsets: [] });
    expect(await call(rest, "DELETE", "/connectors/off-src/offsets")).toEqual(RESET);
    await resume("off-src");
    await awaitOutput(["a", "b", "b", "a", "b"]);
  });

  test("a stopped sink's bad partitions and offsets are 400s with Kafka's messages", async () => {
    await stop("off-snk");
    const cases: [unknown, string][] = [
      [
        { offsets: [{ offset: { kafka_offset: 1 } }] },
        "The partition for a sink connector offset cannot be null or missing",
      ],
      [
        { offsets: [{ partition: { kafka_topic: topic }, offset: { kafka_offset: 1 } }] },
        "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
      ],
      [
        sinkOffset("zero", 1),
        "Failed to parse the following Kafka partition value in the provided offsets: 'zero'. Partition values for sink connectors need to be integers.",
      ],
      [
        sinkOffset(1.5, 1),
        "Failed to parse the following Kafka partition value in the provided offsets: '1.5'. Partition values for sink connectors need to be integers.",
      ],
      [
        { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { offset: 1 } }] },
        "The offset for a sink connector should either be null or contain the key 'kafka_offset'",
      ],
      [
        sinkOffset(0, "ten"),
        "Failed to parse the following Kafka offset value in the provided offsets: 'ten'. Offset values for sink connectors need to be integers.",
      ],
    ];
    for (const [body, message] of cases) {
      expect(await call(rest, "PATCH", "/connectors/off-snk/offsets", body)).toEqual({
        status: 400,
        body: { error_code: 400, message },
      });
    }
  });

  test("a stopped sink's offset is altered (a string number is fine), and it resumes from it", async () => {
    const before = outputLines().length;
    expect(await call(rest, "PATCH", "/connectors/off-snk/offsets", sinkOffset("0", "3"))).toEqual(ALTERED);
    expect(await offsetsOf("off-snk")).toEqual(sinkOffset(0, 3));
    await resume("off-snk");
    // The topic holds a, b, b, a, b: from offset 3 the sink writes "a" and "b" again.
    await awaitOutput([...outputLines().slice(0, before), "a", "b"]);
    await awaitOffsets("off-snk", sinkOffset(0, 5));
  });

  test("a stopped sink's offsets are removed by a null offset, and reset by DELETE (idempotently)", async () => {
    await stop("off-snk");
    const tombstone = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: null }] };
    expect(await call(rest, "PATCH", "/connectors/off-snk/offsets", tombstone)).toEqual(ALTERED);
    expect(await offsetsOf("off-snk")).toEqual({ offsets: [] });

    expect(await call(rest, "PATCH", "/connectors/off-snk/offsets", sinkOffset(0, 4))).toEqual(ALTERED);
    expect(await call(rest, "DELETE", "/connectors/off-snk/offsets")).toEqual(RESET);
    expect(await offsetsOf("off-snk")).toEqual({ offsets: [] });
    expect(await call(rest, "DELETE", "/connectors/off-snk/offsets")).toEqual(RESET);
  });

  test("a connector without its own alterOffsets gets Kafka's framework-managed message", async () => {
    const created = await call(rest, "POST", "/connectors", {
      name: "off-datagen",
      config: { "connector.class": "Datagen", topic: uniqueTopic("rest-offsets-datagen") },
      initial_state: "STOPPED",
    });
    expect(created.status).toBe(201);
    expect(await offsetsOf("off-datagen")).toEqual({ offsets: [] });
    const altered = await call(rest, "PATCH", "/connectors/off-datagen/offsets", {
      offsets: [{ partition: { task: 0 }, offset: { count: 10 } }],
    });
    expect(altered).toEqual({
      status: 200,
      body: {
        message:
          "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.",
      },
    });
    expect(await offsetsOf("off-datagen")).toEqual({ offsets: [{ partition: { task: 0 }, offset: { count: 10 } }] });
    expect((await call(rest, "DELETE", "/connectors/off-datagen/offsets")).body).toEqual({
      message:
        "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.",
    });
    expect(await offsetsOf("off-datagen")).toEqual({ offsets: [] });
  });
});
