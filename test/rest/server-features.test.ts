import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { RunningStandaloneWorker } from "../../src/commands/worker/start-standalone-worker.ts";
import { effectiveLevel, setLevel } from "../../src/common/logger.ts";
import { freePort } from "../worker-harness.ts";
import { startFailure, startRestWorker } from "./server-worker.ts";

setDefaultTimeout(60_000);

describe("response.http.headers.config", () => {
  test("set, add, setDate and addDate rules apply to every response, quoted rules may hold commas", async () => {
    const worker = await startRestWorker({
      listeners: `http://127.0.0.1:${freePort()}`,
      "response.http.headers.config":
        'set X-Frame-Options: DENY, add Cache-Control: no-store, ADD Cache-Control: no-cache, "set X-List: a,b", setDate Expires: 3600000, addDate X-Checked: 0',
    });
    try {
      for (const path of ["/", "/no-such-route"]) {
        const before = Date.now();
        const response = await fetch(`${worker.url}${path}`);
        expect(response.headers.get("x-frame-options")).toBe("DENY");
        expect(response.headers.get("cache-control")).toBe("no-store, no-cache");
        expect(response.headers.get("x-list")).toBe("a,b");
        const expires = Date.parse(response.headers.get("expires") ?? "");
        expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600000);
        expect(expires).toBeLessThanOrEqual(Date.now() + 3600000);
        expect(Number.isNaN(Date.parse(response.headers.get("x-checked") ?? ""))).toBe(false);
      }
    } finally {
      await worker.stop();
    }
  });

  test("an invalid rule stops the start with Kafka's message, naming the key", async () => {
    const cases: [string, string][] = [
      ["sett X-A: b", "Invalid header config action: 'sett'. Expected one of [set, add, setDate, addDate]"],
      ["set", "Invalid format of header config 'set'. Expected: '[action] [header name]:[header value]'"],
      ["set X-A b", "Invalid format of header name and header value pair ' X-A b'"],
      ["set X-A: b: c", "Expected: '[header name]:[header value]'"],
      ["set X A: b", "Invalid header name 'X A'. The '[header name]' cannot contain whitespace"],
      ["setDate Expires: tomorrow", "Invalid header value 'tomorrow' for setDate"],
    ];
    for (const [rule, message] of cases) {
      const failure = await startFailure({ "response.http.headers.config": rule });
      expect(failure).toContain("worker.properties, key response.http.headers.config");
      expect(failure).toContain(message);
    }
  });
});

describe("cross-origin requests", () => {
  let worker: RunningStandaloneWorker;
  beforeAll(async () => {
    worker = await startRestWorker({
      listeners: `http://127.0.0.1:${freePort()}`,
      "access.control.allow.origin": "http://ui.example.com, https://*.example.org",
      "access.control.allow.methods": "GET,PUT,DELETE",
    });
  });
  afterAll(() => worker.stop());

  const preflight = (origin: string, method: string) =>
    fetch(`${worker.url}/connectors`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": "content-type" },
    });

  test("a preflight from an allowed origin for an allowed method gets Jetty's CORS headers", async () => {
    for (const origin of ["http://ui.example.com", "https://admin.example.org"]) {
      const response = await preflight(origin, "PUT");
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-methods")).toBe("GET,PUT,DELETE");
      expect(response.headers.get("access-control-allow-credentials")).toBe("true");
      expect(response.headers.get("access-control-max-age")).toBe("1800");
      expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    }
  });

  test("another origin, or a method not allowed, gets no CORS headers", async () => {
    const other = await preflight("http://evil.example.net", "GET");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const post = await preflight("http://ui.example.com", "POST");
    expect(post.headers.get("access-control-allow-origin")).toBeNull();
    const simple = await fetch(`${worker.url}/connectors`, { headers: { origin: "http://evil.example.net" } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a simple request from an allowed origin is answered with the origin echoed", async () => {
    const response = await fetch(`${worker.url}/connectors`, { headers: { origin: "http://ui.example.com" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://ui.example.com");
    expect(response.headers.get("vary")).toContain("Origin");
  });

  test("without access.control.allow.origin there are no CORS headers, and methods default to GET,POST,HEAD", async () => {
    const plain = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` });
    const defaults = await startRestWorker({
      listeners: `http://127.0.0.1:${freePort()}`,
      "access.control.allow.origin": "*",
    });
    try {
      const headers = { origin: "http://anywhere.example", "access-control-request-method": "POST" };
      const none = await fetch(`${plain.url}/connectors`, { method: "OPTIONS", headers });
      expect(none.headers.get("access-control-allow-origin")).toBeNull();
      const any = await fetch(`${defaults.url}/connectors`, { method: "OPTIONS", headers });
      expect(any.headers.get("access-control-allow-origin")).toBe("http://anywhere.example");
      expect(any.headers.get("access-control-allow-methods")).toBe("GET,POST,HEAD");
    } finally {
      await plain.stop();
      await defaults.stop();
    }
  });
});

describe("request ids and the request log", () => {
  test("each response carries X-Request-Id (the client's when given) and one log line names it", async () => {
    const worker = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` });
    const lines: string[] = [];
    // Tests log at WARN (test/preload.ts); the request log is INFO, as Kafka's.
    const level = effectiveLevel("rest");
    setLevel("rest", "INFO");
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      const given = await fetch(`${worker.url}/connectors?expand=status`, { headers: { "x-request-id": "abc-123" } });
      expect(given.headers.get("x-request-id")).toBe("abc-123");
      const made = await fetch(`${worker.url}/connectors/missing`);
      const id = made.headers.get("x-request-id") ?? "";
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const rejected = await fetch(`${worker.url}/`, { headers: { "x-request-id": "has spaces" } });
      expect(rejected.headers.get("x-request-id")).not.toBe("has spaces");
    } finally {
      process.stderr.write = write;
      setLevel("rest", level);
      await worker.stop();
    }
    const log = lines.filter((line) => line.includes("[rest]"));
    expect(log.filter((line) => line.includes("id=abc-123"))).toHaveLength(1);
    expect(log.find((line) => line.includes("id=abc-123"))).toMatch(
      /INFO {2}\[rest\] GET \/connectors\?expand=status 200 \d+\.\d ms id=abc-123/,
    );
    expect(log.some((line) => /GET \/connectors\/missing 404 \d+\.\d ms id=[0-9a-f-]{36}/.test(line))).toBe(true);
  });
});

describe("/openapi.json and /docs", () => {
  test("the OpenAPI document lists the routes, with the request body the validator checks", async () => {
    const worker = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` });
    try {
      const response = await fetch(`${worker.url}/openapi.json`);
      expect(response.status).toBe(200);
      const spec = (await response.json()) as {
        openapi: string;
        info: { version: string };
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
      };
      expect(spec.openapi).toStartWith("3.");
      expect(spec.info.version).toBe("9.9.9");
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining(["/", "/connectors", "/connectors/{connector}", "/connectors/{connector}/status"]),
      );
      expect(Object.keys(spec.paths["/connectors"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
      expect(spec.paths["/connectors/{connector}"]).toHaveProperty("delete");
      expect(spec.paths).not.toHaveProperty("/openapi.json");
      const body = JSON.stringify(spec.paths["/connectors"]?.post?.requestBody);
      for (const field of ["name", "config", "initial_state", "STOPPED"]) expect(body).toContain(field);
      // A validation failure is documented with Kafka's error body.
      expect(JSON.stringify(spec.paths["/connectors"]?.post)).toContain('"error_code"');

      const docs = await fetch(`${worker.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get("content-type")).toContain("text/html");
      expect(await docs.text()).toContain("/openapi.json");
    } finally {
      await worker.stop();
    }
  });
});
