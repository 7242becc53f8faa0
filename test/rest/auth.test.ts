import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningStandaloneWorker } from "../../src/commands/worker/start-standalone-worker.ts";
import { freePort, tempDir } from "../worker-harness.ts";
import { startFailure, startRestWorker } from "./server-worker.ts";

setDefaultTimeout(60_000);

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

describe("rest.auth.*", () => {
  const dir = tempDir();
  let worker: RunningStandaloneWorker;

  beforeAll(async () => {
    const hash = await Bun.password.hash("hashed-secret");
    const credentials = join(dir, "credentials.properties");
    writeFileSync(credentials, `# users\nalice: alice-secret\nbob=${hash}\n`);
    const tokens = join(dir, "tokens");
    writeFileSync(tokens, "# CI\nci-token-1\n\nops.token~2==\n");
    worker = await startRestWorker({
      listeners: `http://127.0.0.1:${freePort()}`,
      "rest.auth.basic.credentials.file": credentials,
      "rest.auth.bearer.tokens.file": tokens,
      "rest.auth.bearer.tokens": "inline-token",
      "rest.auth.realm": "connect",
      "access.control.allow.origin": "http://ui.example.com",
    });
  });
  afterAll(() => worker.stop());

  const get = (authorization?: string) =>
    fetch(`${worker.url}/connectors`, { headers: authorization ? { authorization } : {} });

  test("a request without credentials is a 401 with Kafka's body and a challenge per scheme", async () => {
    for (const path of ["/connectors", "/", "/no-such-route", "/openapi.json", "/docs", "/docs/scalar.js"]) {
      const response = await fetch(`${worker.url}${path}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error_code: 401, message: "User cannot access the resource." });
      expect(response.headers.get("www-authenticate")).toBe('Basic realm="connect", Bearer realm="connect"');
    }
  });

  test("wrong passwords, unknown users, unknown tokens and other schemes are 401s", async () => {
    for (const authorization of [
      basic("alice", "wrong"),
      basic("mallory", "alice-secret"),
      basic("bob", "wrong"),
      "Bearer not-a-token",
      "Bearer ",
      "Digest username=alice",
      "Basic !!!",
    ]) {
      const response = await get(authorization);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error_code: number }).error_code).toBe(401);
    }
  });

  test("a plain password, a Bun.password hash and each configured token are let in", async () => {
    for (const authorization of [
      basic("alice", "alice-secret"),
      basic("bob", "hashed-secret"),
      "Bearer ci-token-1",
      "bearer ops.token~2==",
      "Bearer inline-token",
    ]) {
      const response = await get(authorization);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    }
  });

  test("a CORS preflight is answered without credentials, and allows the Authorization header", async () => {
    const response = await fetch(`${worker.url}/connectors`, {
      method: "OPTIONS",
      headers: { origin: "http://ui.example.com", "access-control-request-method": "GET" },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  test("missing, empty or unusable credential files stop the start, naming the key", async () => {
    const empty = join(dir, "empty.properties");
    writeFileSync(empty, "# nobody\n");
    expect(await startFailure({ "rest.auth.basic.credentials.file": join(dir, "missing") })).toMatch(
      /key rest\.auth\.basic\.credentials\.file: Cannot read configuration file .*missing: no such file/,
    );
    expect(await startFailure({ "rest.auth.basic.credentials.file": empty })).toContain("has no user=password line");
    expect(await startFailure({ "rest.auth.bearer.tokens.file": empty })).toMatch(
      /key rest\.auth\.bearer\.tokens\.file: .* has no token/,
    );
    expect(await startFailure({ "rest.auth.bearer.tokens": "good,bad token" })).toMatch(
      /key rest\.auth\.bearer\.tokens: Bearer token number 2 .* cannot carry/,
    );
  });
});
