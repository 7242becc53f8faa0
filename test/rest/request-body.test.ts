/**
 * Request bodies are bounded and must be UTF-8. Every route read a body of any size before refusing it (8 concurrent
 * 98 MB bodies took the worker to 1.46 GB), and bytes that are not UTF-8 became U+FFFD without a word (a connector
 * named "caf\xff" was created as "caf�"). A body above the worker's `rest.request.body.max.bytes` (8 MiB by default)
 * is now refused with a 413 before it is read, and one that is not UTF-8 with a 400 naming the byte offset.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { setLogSink } from "../../src/common/logger.ts";
import { rawConnection, rawRequest } from "./raw-http.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

const LIMIT = 64 * 1024;
const DEFAULT_LIMIT = 8 * 1024 * 1024;

const tooLarge = (limit: number) => ({
  error_code: 413,
  message:
    `Request body is larger than ${limit} bytes, the most this worker accepts; ` +
    "raise the worker's rest.request.body.max.bytes to accept larger ones",
});

/** The head of a request whose Content-Length announces `length` bytes; the body is up to the caller. */
const head = (method: string, path: string, length: number) =>
  `${method} ${path} HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe("request bodies above rest.request.body.max.bytes", () => {
  let worker: RestWorker;

  beforeAll(async () => {
    worker = await startRestWorker({ "rest.request.body.max.bytes": String(LIMIT) });
  });
  afterAll(() => worker.stop());

  test("an announced body above the limit is refused with 413 before it is sent", async () => {
    // 98 MB announced, 10 bytes sent: the answer comes without waiting for (or holding) the rest.
    for (const [method, path] of [
      ["POST", "/connectors"],
      ["PUT", "/connectors/big/config"],
      ["PUT", "/connector-plugins/Datagen/config/validate"],
      ["POST", "/connectors/big/tasks"],
      ["PUT", "/connectors/big/offsets"],
      ["POST", "/no-such-route"],
    ]) {
      const answer = await rawRequest(worker.base, `${head(method as string, path as string, 98_000_000)}[{"a":"b"`);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual(tooLarge(LIMIT));
    }
  });

  test("so is one above Bun's own bound (128 MiB), which would answer without Kafka's body", async () => {
    const answer = await rawRequest(worker.base, head("POST", "/connectors", 10 * 1024 ** 3));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(tooLarge(LIMIT));
  });

  test("a chunked body is refused with 413 as soon as it passes the limit, while it is still being sent", async () => {
    const connection = rawConnection(worker.base);
    try {
      connection.write(
        "POST /connectors HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      const chunk = "x".repeat(16 * 1024);
      // Never the last chunk: only a limit enforced while reading answers this.
      for (let i = 0; i < 8; i++) connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      const answer = await connection.answer;
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual(tooLarge(LIMIT));
    } finally {
      connection.close();
    }
  });

  test("a body that breaks off is the client's fault: no server error is logged", async () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      // A chunk size that is not hexadecimal: Bun stops the body (and answers 400 itself).
      const answer = await rawRequest(
        worker.base,
        "POST /connectors HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "5\r\n[1,2]\r\nzz\r\nabc\r\n0\r\n\r\n",
      );
      expect(answer.status).toBe(400);
      await Bun.sleep(100);
    } finally {
      setLogSink((line) => process.stderr.write(line));
    }
    expect(lines.filter((line) => line.includes("ERROR"))).toEqual([]);
  });

  test("a body of exactly the limit is read", async () => {
    const config = { name: "x", "connector.class": "Datagen", quickstart: "orders", topic: "t", padding: "" };
    const bare = JSON.stringify(config).length;
    const body = JSON.stringify({ ...config, padding: "p".repeat(LIMIT - bare) });
    expect(body.length).toBe(LIMIT);
    const response = await fetch(`${worker.base}/connector-plugins/Datagen/config/validate`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { error_count: number; configs: unknown[] };
    expect(result.error_count, JSON.stringify(result.configs)).toBe(0);
  });
});

describe("the default bound", () => {
  let worker: RestWorker;

  beforeAll(async () => {
    worker = await startRestWorker();
  });
  afterAll(() => worker.stop());

  test("is 8 MiB: one byte more is refused, naming the limit and the key", async () => {
    const answer = await rawRequest(worker.base, head("POST", "/connectors", DEFAULT_LIMIT + 1));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(tooLarge(DEFAULT_LIMIT));
  });

  test("a connector configuration of a few MiB is still read", async () => {
    const response = await fetch(`${worker.base}/connector-plugins/Datagen/config/validate`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ "connector.class": "Datagen", quickstart: "orders", note: "n".repeat(4 * 1024 * 1024) }),
    });
    expect(response.status).toBe(200);
  });
});

describe("request bodies that are not UTF-8", () => {
  let worker: RestWorker;

  beforeAll(async () => {
    worker = await startRestWorker();
  });
  afterAll(() => worker.stop());

  /** `{"name":"caf<bytes>","config":{...}}` with the given bytes spliced in raw. */
  const bodyWith = (bytes: number[]) => {
    const before = Buffer.from(`{"name":"caf`);
    const after = Buffer.from(`","config":{"connector.class":"Datagen","quickstart":"orders","topic":"utf8"}}`);
    return { body: Buffer.concat([before, Buffer.from(bytes), after]), offset: before.length };
  };
  const post = (path: string, body: Uint8Array, method = "POST") =>
    fetch(`${worker.base}${path}`, { method, headers: { "content-type": "application/json" }, body });

  const invalidAt = (offset: number, byte: number) => ({
    error_code: 400,
    message: `Request body is not valid UTF-8: the byte at offset ${offset} (0x${byte.toString(16)}) does not begin a valid UTF-8 sequence`,
  });

  test("is refused with 400 naming the first bad byte's offset, and nothing is created", async () => {
    for (const [bytes, at] of [
      [[0xff], 0], // never valid
      [[0xc3], 0], // a lead byte without its continuation
      [[0x80], 0], // a continuation byte alone
      [[0xc0, 0xa9], 0], // an overlong encoding of ©
      [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate (U+D800) encoded
      [[0xf4, 0x90, 0x80, 0x80], 0], // beyond U+10FFFF
      [[0xc3, 0xa9, 0xe2, 0x82], 2], // é, then a cut-off €
    ] as const) {
      const { body, offset } = bodyWith([...bytes]);
      const response = await post("/connectors", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(invalidAt(offset + at, bytes[at] as number));
    }
    expect(await (await fetch(`${worker.base}/connectors`)).json()).toEqual([]);
  });

  test("a body that ends inside a character names where that character starts", async () => {
    const response = await post("/connectors", Buffer.from([0x7b, 0xe2, 0x82]));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(invalidAt(1, 0xe2));
  });

  test("every route that takes a body refuses it, the internal ones too", async () => {
    // Refused before it is parsed: its shape does not matter.
    const body = Buffer.from([...Buffer.from(`["caf`), 0xff, ...Buffer.from(`"]`)]);
    for (const [method, path] of [
      ["PUT", "/connectors/caf/config"],
      ["PUT", "/connector-plugins/Datagen/config/validate"],
      ["POST", "/connectors/caf/tasks"],
      ["PATCH", "/connectors/caf/offsets"],
    ] as const) {
      const response = await post(path, body, method);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toStartWith(
        "Request body is not valid UTF-8: the byte at offset 5 (0xff)",
      );
    }
  });

  test("valid UTF-8 beyond ASCII is read as sent", async () => {
    const name = "café-€-𝄞";
    const response = await post(
      "/connectors",
      Buffer.from(JSON.stringify({ name, config: { "connector.class": "Datagen", quickstart: "orders", topic: "u" } })),
    );
    expect(response.status).toBe(201);
    expect(await (await fetch(`${worker.base}/connectors`)).json()).toEqual([name]);
    expect((await fetch(`${worker.base}/connectors/${encodeURIComponent(name)}`, { method: "DELETE" })).status).toBe(
      204,
    );
  });
});
