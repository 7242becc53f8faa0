/**
 * `GET /connectors/{c}/topics` and `PUT /connectors/{c}/topics/reset` over real HTTP: a file source and a file
 * sink report the topic they write to and read from, a reset forgets it until the next record, and the worker
 * keys topic.tracking.enable / topic.tracking.allow.reset turn the routes into Kafka's 403s.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { uniqueTopic } from "../harness.ts";
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

async function topicsOf(rest: RestWorker, name: string): Promise<unknown> {
  const { status, body } = await call(rest, "GET", `/connectors/${name}/topics`);
  expect(status).toBe(200);
  return body;
}

async function awaitTopics(rest: RestWorker, name: string, topics: string[]): Promise<void> {
  let last: unknown;
  await waitUntil(
    async () => {
      last = await topicsOf(rest, name);
      return JSON.stringify(last) === JSON.stringify({ [name]: { topics } });
    },
    20_000,
    () => `topics of ${name}: ${JSON.stringify(last)}, expected ${JSON.stringify(topics)}`,
  );
}

describe("connector topics with tracking enabled (the default)", () => {
  let rest: RestWorker;
  const topic = uniqueTopic("rest-topics");

  beforeAll(async () => {
    rest = await startRestWorker();
  });

  afterAll(async () => {
    await rest.stop();
  });

  test("a file source and a file sink show their topic; a reset forgets it until the next record", async () => {
    const input = join(rest.dir, "in.txt");
    writeFileSync(input, "a\nb\n");
    const source = await call(rest, "POST", "/connectors", {
      name: "topics-src",
      config: { "connector.class": "FileStreamSource", file: input, topic },
    });
    expect(source.status).toBe(201);
    const sink = await call(rest, "POST", "/connectors", {
      name: "topics-snk",
      config: { "connector.class": "FileStreamSink", file: join(rest.dir, "out.txt"), topics: topic },
    });
    expect(sink.status).toBe(201);

    await awaitTopics(rest, "topics-src", [topic]);
    await awaitTopics(rest, "topics-snk", [topic]);

    const reset = await call(rest, "PUT", "/connectors/topics-src/topics/reset");
    expect(reset).toEqual({ status: 202, body: null });
    expect(await topicsOf(rest, "topics-src")).toEqual({ "topics-src": { topics: [] } });
    // The sink's topics are its own: resetting the source's leaves them.
    expect(await topicsOf(rest, "topics-snk")).toEqual({ "topics-snk": { topics: [topic] } });

    appendFileSync(input, "c\n");
    await awaitTopics(rest, "topics-src", [topic]);

    expect((await call(rest, "DELETE", "/connectors/topics-src")).status).toBe(204);
    expect((await call(rest, "DELETE", "/connectors/topics-snk")).status).toBe(204);
  });

  test("a connector that used no topic, or does not exist, has none (as in Kafka, not a 404)", async () => {
    expect(await topicsOf(rest, "no-such-connector")).toEqual({ "no-such-connector": { topics: [] } });
    expect(await call(rest, "PUT", "/connectors/no-such-connector/topics/reset")).toEqual({ status: 202, body: null });
  });
});

describe("connector topics with the tracking keys off", () => {
  test("topic.tracking.allow.reset=false: listing works, a reset is a 403", async () => {
    const rest = await startRestWorker({ "topic.tracking.allow.reset": "false" });
    try {
      expect(await topicsOf(rest, "c")).toEqual({ c: { topics: [] } });
      expect(await call(rest, "PUT", "/connectors/c/topics/reset")).toEqual({
        status: 403,
        body: { error_code: 403, message: "Topic tracking reset is disabled." },
      });
    } finally {
      await rest.stop();
    }
  });

  test("topic.tracking.enable=false: listing and reset are 403s", async () => {
    const rest = await startRestWorker({ "topic.tracking.enable": "false" });
    try {
      const forbidden = { status: 403, body: { error_code: 403, message: "Topic tracking is disabled." } };
      expect(await call(rest, "GET", "/connectors/c/topics")).toEqual(forbidden);
      expect(await call(rest, "PUT", "/connectors/c/topics/reset")).toEqual(forbidden);
    } finally {
      await rest.stop();
    }
  });

  test("a tracking key that is not a boolean stops the worker from starting, naming the key", async () => {
    await expect(startRestWorker({ "topic.tracking.enable": "sometimes" })).rejects.toThrow("topic.tracking.enable");
  });
});
