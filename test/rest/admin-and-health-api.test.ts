import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Hono } from "hono";
import { createLogger, effectiveLevel } from "../../src/common/logger.ts";
import type { RestContext } from "../../src/rest/rest-context.ts";
import { healthRoutes } from "../../src/rest/routes/health.ts";
import { serve } from "../../src/rest/serve.ts";
import { type RestWorker, startRestWorker } from "./rest-worker.ts";

setDefaultTimeout(60_000);

describe("the /admin/loggers and /health routes of a standalone worker", () => {
  let worker: RestWorker;
  let base: string;

  beforeAll(async () => {
    worker = await startRestWorker();
    base = worker.base;
  });

  afterAll(async () => {
    await worker.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
  };

  test("GET /admin/loggers lists every known logger, sorted, root included, with its level", async () => {
    createLogger("test.admin.listed");
    const { status, body } = await call("GET", "/admin/loggers");
    expect(status).toBe(200);
    const loggers = body as Record<string, { level: string; last_modified: number | null }>;
    const names = Object.keys(loggers);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("root");
    expect(names).toContain("herder");
    expect(loggers["test.admin.listed"]).toEqual({ level: effectiveLevel("root"), last_modified: null });
  });

  test("GET /admin/loggers/{logger} gives a level; an unknown logger is Kafka's 404", async () => {
    expect(await call("GET", "/admin/loggers/root")).toMatchObject({
      status: 200,
      body: { level: expect.any(String) },
    });
    expect(await call("GET", "/admin/loggers/test.admin.nobody")).toEqual({
      status: 404,
      body: { error_code: 404, message: "Logger test.admin.nobody not found." },
    });
  });

  test("PUT sets a namespace and the known loggers below it, returning those that changed", async () => {
    createLogger("test.admin.ns.child");
    createLogger("test.admin.nsother");
    const before = Date.now();
    const set = await call("PUT", "/admin/loggers/test.admin.ns", { level: "debug" });
    expect(set).toEqual({ status: 200, body: ["test.admin.ns", "test.admin.ns.child"] });
    expect(effectiveLevel("test.admin.ns.child")).toBe("DEBUG");
    expect(effectiveLevel("test.admin.nsother")).not.toBe("DEBUG");
    const read = (await call("GET", "/admin/loggers/test.admin.ns.child")).body as {
      level: string;
      last_modified: number;
    };
    expect(read.level).toBe("DEBUG");
    expect(read.last_modified).toBeGreaterThanOrEqual(before);
    // The same level again changes nothing.
    expect(await call("PUT", "/admin/loggers/test.admin.ns", { level: "DEBUG" })).toEqual({ status: 200, body: [] });
    // An unknown scope is taken as the worker scope.
    expect(await call("PUT", "/admin/loggers/test.admin.ns?scope=galaxy", { level: "WARN" })).toEqual({
      status: 200,
      body: ["test.admin.ns", "test.admin.ns.child"],
    });
  });

  test("PUT with scope=cluster applies the level here (standalone is the whole cluster) and answers 204", async () => {
    createLogger("test.admin.cluster");
    const response = await call("PUT", "/admin/loggers/test.admin.cluster?scope=cluster", { level: "TRACE" });
    expect(response).toEqual({ status: 204, body: null });
    expect(effectiveLevel("test.admin.cluster")).toBe("TRACE");
  });

  test("PUT takes log4j's other levels too (OFF, FATAL, ALL), in any case", async () => {
    createLogger("test.admin.quiet");
    expect(await call("PUT", "/admin/loggers/test.admin.quiet", { level: "off" })).toEqual({
      status: 200,
      body: ["test.admin.quiet"],
    });
    expect(effectiveLevel("test.admin.quiet")).toBe("OFF");
    expect((await call("PUT", "/admin/loggers/test.admin.quiet", { level: "Fatal" })).body).toEqual([
      "test.admin.quiet",
    ]);
    expect((await call("PUT", "/admin/loggers/test.admin.quiet", { level: "ALL" })).body).toEqual(["test.admin.quiet"]);
  });

  test("PUT without a level is a 400, with a bad level a 404, and a bad body a 400, in Kafka's words", async () => {
    const missing = {
      status: 400,
      body: { error_code: 400, message: "Desired 'level' parameter was not specified in request." },
    };
    expect(await call("PUT", "/admin/loggers/test.admin.bad", {})).toEqual(missing);
    expect(await call("PUT", "/admin/loggers/test.admin.bad", { level: null })).toEqual(missing);
    expect(await call("PUT", "/admin/loggers/test.admin.bad", { level: "LOUD" })).toEqual({
      status: 404,
      body: { error_code: 404, message: "invalid log level 'LOUD'." },
    });
    expect(await call("PUT", "/admin/loggers/test.admin.bad", { level: 3 })).toEqual({
      status: 404,
      body: { error_code: 404, message: "invalid log level '3'." },
    });
    // Kafka reads the body into a Map<String, String>: a number is its text as written, an object no value at all.
    expect(await call("PUT", "/admin/loggers/test.admin.bad", '{"level": 1.0}')).toEqual({
      status: 404,
      body: { error_code: 404, message: "invalid log level '1.0'." },
    });
    expect(await call("PUT", "/admin/loggers/test.admin.bad", { level: "INFO", note: { by: "me" } })).toEqual({
      status: 400,
      body: {
        error_code: 400,
        message:
          "Invalid request json at 'note': a value must be a string, number, boolean or null (Kafka reads it as a string)",
      },
    });
    const array = await call("PUT", "/admin/loggers/test.admin.bad", [1]);
    expect(array.status).toBe(400);
    const malformed = await call("PUT", "/admin/loggers/test.admin.bad", "{level");
    expect(malformed.status).toBe(400);
    expect((malformed.body as { error_code: number }).error_code).toBe(400);
    expect((await call("GET", "/admin/loggers/test.admin.bad")).status).toBe(404);
  });

  test("GET /health is 200 healthy once the worker has started", async () => {
    expect(await call("GET", "/health")).toEqual({
      status: 200,
      body: { status: "healthy", message: "Worker has completed startup and is ready to handle requests." },
    });
  });
});

describe("GET /health while the worker starts, and when it does not answer", () => {
  /** The health route over real HTTP, with a worker whose start-up never completes. */
  async function serveHealth(ready: boolean) {
    const context = {
      healthCheck: () => new Promise<void>(() => {}),
      isReady: () => ready,
    } as unknown as RestContext;
    const server = await serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: new Hono().route("/", healthRoutes(context, 200)).fetch,
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/health`);
    const result = { status: response.status, body: await response.json() };
    await server.stop();
    return result;
  }

  test("503 starting before start-up completes", async () => {
    expect(await serveHealth(false)).toEqual({
      status: 503,
      body: { status: "starting", message: "Worker is still starting up." },
    });
  });

  test("500 unhealthy when a started worker does not answer within the timeout", async () => {
    expect(await serveHealth(true)).toEqual({
      status: 500,
      body: {
        status: "unhealthy",
        message: "Worker was unable to handle this request and may be unable to handle other requests.",
      },
    });
  });
});
