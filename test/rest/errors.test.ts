import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { RunningStandaloneWorker } from "../../src/commands/worker/start-standalone-worker.ts";
import { freePort } from "../worker-harness.ts";
import { startRestWorker } from "./server-worker.ts";

setDefaultTimeout(60_000);

describe("REST errors are Kafka's {error_code, message} bodies", () => {
  let worker: RunningStandaloneWorker;
  beforeAll(async () => {
    worker = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` });
  });
  afterAll(() => worker.stop());

  const call = async (method: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${worker.url}${path}`, { method, ...init });
    return { response, body: (await response.json()) as { error_code: number; message: string } };
  };
  const postJson = (text: string) =>
    call("POST", "/connectors", { headers: { "content-type": "application/json" }, body: text });

  test("an unknown route is a 404 with Jersey's message", async () => {
    for (const path of ["/nothing-here", "/connectors/a/b/c/d", "/admin/nothing"]) {
      const { response, body } = await call("GET", path);
      expect(response.status).toBe(404);
      expect(body).toEqual({ error_code: 404, message: "HTTP 404 Not Found" });
    }
  });

  test("a trailing slash names the same route, as in Jersey", async () => {
    const response = await fetch(`${worker.url}/connectors/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
    expect((await call("PUT", "/connectors/")).response.status).toBe(405);
  });

  test("a known path with another method is a 405 listing the allowed ones", async () => {
    const put = await call("PUT", "/connectors");
    expect(put.response.status).toBe(405);
    expect(put.body).toEqual({ error_code: 405, message: "HTTP 405 Method Not Allowed" });
    expect(put.response.headers.get("allow")?.split(",").sort()).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
    const post = await call("POST", "/connectors/some-name/status");
    expect(post.response.status).toBe(405);
    expect(post.response.headers.get("allow")?.split(",").sort()).toEqual(["GET", "HEAD", "OPTIONS"]);
  });

  test("OPTIONS on a known path answers the allowed methods", async () => {
    const response = await fetch(`${worker.url}/connectors/x`, { method: "OPTIONS" });
    expect(response.status).toBe(200);
    expect(response.headers.get("allow")?.split(",").sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS"]);
  });

  test("malformed JSON is a 400", async () => {
    for (const text of ["{oops", "", '{"name": "x",}']) {
      const { response, body } = await postJson(text);
      expect(response.status).toBe(400);
      expect(body).toEqual({ error_code: 400, message: "Request body is not valid JSON" });
    }
  });

  test("a body of the wrong shape is a 400 naming the field", async () => {
    const wrongType = await postJson(JSON.stringify({ name: "x", config: { "tasks.max": { max: 3 } } }));
    expect(wrongType.response.status).toBe(400);
    expect(wrongType.body.error_code).toBe(400);
    expect(wrongType.body.message).toStartWith("Invalid request json at 'config.tasks.max': ");
    const missing = await postJson(JSON.stringify({ config: {} }));
    expect(missing.response.status).toBe(400);
    expect(missing.body.message).toStartWith("Invalid request json at 'name': ");
    const state = await postJson(JSON.stringify({ name: "x", config: {}, initial_state: "SLEEPING" }));
    expect(state.body.message).toStartWith("Invalid request json at 'initial_state': ");
    const array = await postJson("[]");
    expect(array.response.status).toBe(400);
    expect(array.body.message).toStartWith("Invalid request json");
  });

  test("a body that is not JSON is a 415, as Jersey answers it", async () => {
    for (const headers of [
      { "content-type": "text/plain" },
      { "content-type": "application/x-www-form-urlencoded" },
      {} as Record<string, string>,
    ]) {
      const response = await fetch(`${worker.url}/connectors`, {
        method: "POST",
        headers,
        body: new Blob([JSON.stringify({ name: "x", config: {} })]),
      });
      expect(response.status).toBe(415);
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await response.json()).toEqual({ error_code: 415, message: "HTTP 415 Unsupported Media Type" });
    }
    const charset = await fetch(`${worker.url}/connectors`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: "{oops",
    });
    expect(charset.status).toBe(400);
  });

  test("a connector name with control characters is a 400", async () => {
    const { response, body } = await postJson(
      JSON.stringify({ name: "bad\u0007name", config: { "connector.class": "FileStreamSink", topics: "t" } }),
    );
    expect(response.status).toBe(400);
    expect(body.error_code).toBe(400);
    expect(body.message).toContain("Connector configuration is invalid");
    expect(body.message).toContain("control");
  });
});
