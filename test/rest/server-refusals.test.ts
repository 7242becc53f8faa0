/**
 * Refusals the HTTP server makes itself, before or around the app. Bun answered a handler that threw with its own
 * page, and Node with an empty 500; Node answered a malformed request or headers too large with a bare 400 or 431.
 * Each of these now carries Kafka's `{error_code, message}` body where the server lets our code answer. Bun answers
 * a malformed request (400) and headers above `--max-http-header-size` (431) before any of our code runs, with a
 * status and no body: those are pinned here, so a Bun that lets a server answer them shows up.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { type RunningServer, serve } from "../../src/rest/serve.ts";
import { tempDir } from "../worker-harness.ts";
import { rawRequest } from "./raw-http.ts";

setDefaultTimeout(60_000);

/** A handler that throws on `/throw`, as a fetch handler without hono's onError would, and tells its URL on `/url`. */
const fetchHandler = (request: Request): Response => {
  const { pathname } = new URL(request.url);
  if (pathname === "/throw") throw new Error("the handler broke");
  if (pathname === "/url") return Response.json({ url: request.url });
  return Response.json({ ok: true });
};

const MALFORMED = "G@T / HTTP/1.1\r\nHost: worker\r\n\r\n";
const HEADERS_TOO_LARGE = `GET / HTTP/1.1\r\nHost: worker\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`;
const THROWS = "GET /throw HTTP/1.1\r\nHost: worker\r\nConnection: close\r\n\r\n";

const unexpected = { error_code: 500, message: "Unexpected error: the handler broke" };

/**
 * A request without a Host header (HTTP/1.0; HAProxy's default health check is one) reaches the handler with the
 * listener's address in its URL, as Jetty gives Kafka's resources the connection's local address: Bun gave it a
 * relative URL (no route matched), Node the hostname without the port.
 */
async function expectListenerAuthority(base: string): Promise<void> {
  const answer = await rawRequest(base, "GET /url?x=1 HTTP/1.0\r\n\r\n");
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ url: `${base}/url?x=1` });
  const withHost = await rawRequest(base, "GET /url HTTP/1.1\r\nHost: proxy.example:81\r\nConnection: close\r\n\r\n");
  expect(JSON.parse(withHost.body)).toEqual({ url: "http://proxy.example:81/url" });
}

describe("on Bun", () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    server = await serve({ hostname: "127.0.0.1", port: 0, fetch: fetchHandler });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.stop());

  test("a handler that throws is a 500 in Kafka's body", async () => {
    const answer = await rawRequest(base, THROWS);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual(unexpected);
  });

  test("a request without Host gets the listener's address in its URL", async () => {
    await expectListenerAuthority(base);
  });

  test("Bun answers a malformed request and headers too large itself, without a body", async () => {
    const malformed = await rawRequest(base, MALFORMED);
    expect([malformed.status, malformed.body]).toEqual([400, ""]);
    const large = await rawRequest(base, HEADERS_TOO_LARGE);
    expect([large.status, large.body]).toEqual([431, ""]);
  });
});

describe("on Node.js", () => {
  let node: Subprocess<"ignore", "pipe", "pipe">;
  let base: string;
  beforeAll(async () => {
    // serve() as the worker bundled for Node runs it, with the same handler.
    const dir = tempDir();
    const entry = join(dir, "serve-on-node.ts");
    await Bun.write(
      entry,
      `import { serve } from ${JSON.stringify(join(import.meta.dir, "../../src/rest/serve.ts"))};
const fetch = ${fetchHandler.toString()};
const server = await serve({ hostname: "127.0.0.1", port: 0, fetch });
console.log(\`port \${server.port}\`);`,
    );
    const built = await Bun.build({ entrypoints: [entry], outdir: dir, target: "node" });
    if (!built.success) throw new AggregateError(built.logs, "could not bundle serve() for Node.js");
    node = Bun.spawn(["node", join(dir, "serve-on-node.js")], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const reader = node.stdout.getReader();
    let out = "";
    while (!/port \d+/.test(out)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`node exited: ${await new Response(node.stderr).text()}`);
      out += new TextDecoder().decode(value);
    }
    base = `http://127.0.0.1:${/port (\d+)/.exec(out)?.[1]}`;
  });
  afterAll(() => node?.kill());

  test("a handler that throws is a 500 in Kafka's body", async () => {
    const answer = await rawRequest(base, THROWS);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual(unexpected);
  });

  test("a request without Host gets the listener's address in its URL", async () => {
    await expectListenerAuthority(base);
  });

  test("a malformed request is a 400 in Kafka's body, naming the parser's complaint", async () => {
    const answer = await rawRequest(base, MALFORMED);
    expect(answer.status).toBe(400);
    const body = JSON.parse(answer.body) as { error_code: number; message: string };
    expect(body.error_code).toBe(400);
    expect(body.message).toStartWith("HTTP 400 Bad Request: Parse Error");
  });

  test("headers above Node's --max-http-header-size are a 431 in Kafka's body", async () => {
    const answer = await rawRequest(base, HEADERS_TOO_LARGE);
    expect(answer.status).toBe(431);
    const body = JSON.parse(answer.body) as { error_code: number; message: string };
    expect(body.error_code).toBe(431);
    expect(body.message).toStartWith("HTTP 431 Request Header Fields Too Large");
  });
});
