/**
 * fetchWorkerMetrics, the dashboard's request for another worker's `/metrics` (internal-client.ts): it presents this
 * worker's credentials and asks for the text format, hands back the body and its type, and fails as the other
 * internal requests do (a refusal keeps its status, no answer is a ConnectError naming the URL).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ConnectError } from "../../src/api/errors.ts";
import { fetchWorkerMetrics } from "../../src/rest/internal-client.ts";
import { RestError } from "../../src/rest/rest-error.ts";
import { freePort } from "../worker-harness.ts";

const EXPOSITION = 'kafka_connect_connector_task_metrics_status{connector="c",task="0",status="running"} 1\n';
const AUTHORIZATION = "Bearer worker-token";

describe("fetchWorkerMetrics", () => {
  let server: ReturnType<typeof Bun.serve>;
  let url: string;
  const seen: { accept: string | null; authorization: string | null; path: string }[] = [];

  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (request) => {
        const path = new URL(request.url).pathname;
        seen.push({ accept: request.headers.get("accept"), authorization: request.headers.get("authorization"), path });
        if (request.headers.get("authorization") !== AUTHORIZATION) {
          return Response.json({ error_code: 401, message: "Credentials are required" }, { status: 401 });
        }
        if (path === "/slow/metrics") await Bun.sleep(1000);
        return new Response(EXPOSITION, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
      },
    });
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.stop(true));

  test("presents the credentials, asks for the text format, returns the body and its type", async () => {
    const answer = await fetchWorkerMetrics(`${url}/`, { authorization: AUTHORIZATION, timeoutMs: 2000 });
    expect(answer).toEqual({ text: EXPOSITION, contentType: "text/plain; version=0.0.4; charset=utf-8" });
    expect(seen.at(-1)).toEqual({ accept: "text/plain", authorization: AUTHORIZATION, path: "/metrics" });
  });

  test("a refusal keeps its status and the worker's message", async () => {
    const error = await fetchWorkerMetrics(url, { authorization: null, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).status).toBe(401);
    expect((error as RestError).message).toBe(
      `GET ${url}/metrics (a request for its metrics) answered 401: Credentials are required`,
    );
    expect(seen.at(-1)?.authorization).toBeNull();
  });

  test("no answer within the time allowed: a ConnectError naming the URL", async () => {
    const error = await fetchWorkerMetrics(`${url}/slow`, { authorization: AUTHORIZATION, timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).not.toBeInstanceOf(RestError);
    expect((error as ConnectError).code).toBe("INTERNAL_REQUEST_FAILED");
    expect((error as ConnectError).message).toBe(
      `Could not send a request for its metrics to GET ${url}/slow/metrics: no answer within 100 ms`,
    );
  });

  test("nothing listening: a ConnectError naming the URL", async () => {
    const closed = `http://127.0.0.1:${freePort()}`;
    const error = await fetchWorkerMetrics(closed, { authorization: null, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("INTERNAL_REQUEST_FAILED");
    expect((error as ConnectError).message).toStartWith(
      `Could not send a request for its metrics to GET ${closed}/metrics:`,
    );
  });
});
