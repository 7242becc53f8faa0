/**
 * Internal requests with REST authentication on. Kafka's authentication filter lets `POST /connectors/{c}/tasks` and
 * `PUT /connectors/{c}/fence` through without credentials because their signature is checked instead; but a group on
 * `connect.protocol=compatible` has no session key and checks no signature, so an unauthenticated request with
 * forged task configurations was accepted (204) and the leader ran tasks writing where the forger said. Now such a
 * request needs credentials like any other while no signature can be checked, and a worker sends its own with the
 * internal requests it makes. In `sessioned` mode the signature check stays as it was.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHmac, randomBytes } from "node:crypto";
import { sendTaskConfigs } from "../../src/rest/internal-client.ts";
import { workerAuthorization } from "../../src/rest/middleware/auth-credentials.ts";
import { RestError } from "../../src/rest/rest-error.ts";
import { NotLeaderError } from "../../src/runtime/distributed/forwardable-errors.ts";
import type { InternalRequestVerification } from "../../src/runtime/distributed/internal-requests.ts";
import { failingHerder, LeaderHerder, startServer, type TestServer } from "./cluster-servers.ts";

setDefaultTimeout(20_000);

const TOKEN = "worker-token";
const auth = { users: new Map<string, string>(), tokens: [TOKEN], realm: "test" };
const compatible: InternalRequestVerification = { required: () => false, sessionKey: () => null, algorithms: [] };
const unauthorized = { error_code: 401, message: "User cannot access the resource." };

/** What a forger sends: task configurations of its choosing, unsigned, without credentials. */
const FORGED = JSON.stringify([{ "task.class": "FileStreamSinkTask", file: "/etc/cron.d/forged", topics: "secrets" }]);

describe("a leader whose group cannot sign internal requests (connect.protocol=compatible)", () => {
  const servers: TestServer[] = [];
  let herder: LeaderHerder;
  let leader: TestServer;

  beforeAll(async () => {
    herder = new LeaderHerder();
    await herder.putConnectorConfig("sink", { "connector.class": "FileStreamSink" });
    leader = await startServer(herder, { internalRequests: compatible, auth });
    servers.push(leader);
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  const postTasks = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/connectors/sink/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  test("forged task configurations without credentials are refused with 401, and nothing is written", async () => {
    const response = await postTasks(leader.url, FORGED);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(unauthorized);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="test"');
    expect(herder.taskConfigs.has("sink")).toBe(false);
    const fence = await fetch(`${leader.url}/connectors/sink/fence`, { method: "PUT" });
    expect(fence.status).toBe(401);
    expect(herder.fenced).toEqual([]);
  });

  test("with credentials they are accepted, unsigned", async () => {
    const body = `[{"task.id":"0"}]`;
    const response = await postTasks(leader.url, body, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(204);
    expect(herder.taskConfigs.get("sink")).toEqual([{ "task.id": "0" }]);
    expect(herder.signatures.at(-1)).toBeNull();
  });

  test("the internal client sends the worker's credentials, unsigned when it has no session key", async () => {
    const configs = [{ "task.id": "1" }];
    await sendTaskConfigs(leader.url, "sink", configs, {
      key: null,
      signatureAlgorithm: "HmacSHA256",
      authorization: `Bearer ${TOKEN}`,
    });
    expect(herder.taskConfigs.get("sink")).toEqual(configs);
    const seen = leader.seen.at(-1);
    expect(seen?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(seen?.headers.get("x-connect-authorization")).toBeNull();
    const without = sendTaskConfigs(leader.url, "sink", configs, { key: null, signatureAlgorithm: "HmacSHA256" });
    await expect(without).rejects.toBeInstanceOf(RestError);
    await expect(without).rejects.toThrow("answered 401: User cannot access the resource.");
  });

  test("a follower refuses them without credentials, and forwards them with the caller's", async () => {
    const follower = await startServer(
      failingHerder(() => new NotLeaderError("Not the leader.", leader.url)),
      { internalRequests: compatible, auth },
    );
    servers.push(follower);
    expect((await postTasks(follower.url, FORGED)).status).toBe(401);
    const body = `[{"task.id":"2"}]`;
    const response = await postTasks(follower.url, body, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(204);
    expect(herder.taskConfigs.get("sink")).toEqual([{ "task.id": "2" }]);
    expect(leader.seen.at(-1)?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  test("a standalone worker asks for credentials too, before saying it takes no internal requests", async () => {
    const standalone = await startServer({}, { auth });
    servers.push(standalone);
    expect((await postTasks(standalone.url, FORGED)).status).toBe(401);
    const response = await postTasks(standalone.url, FORGED, { authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(500);
  });
});

describe("a leader whose group signs internal requests (connect.protocol=sessioned)", () => {
  const key = new Uint8Array(randomBytes(32));
  const signed = (body: string) => ({
    "X-Connect-Authorization": createHmac("sha256", key).update(body).digest("base64"),
    "X-Connect-Request-Signature-Algorithm": "HmacSHA256",
  });
  let herder: LeaderHerder;
  let server: TestServer;
  let required: () => boolean = () => true;

  beforeAll(async () => {
    herder = new LeaderHerder();
    await herder.putConnectorConfig("sink", { "connector.class": "FileStreamSink" });
    server = await startServer(herder, {
      internalRequests: {
        required: () => required(),
        sessionKey: () => ({ key, algorithm: "HmacSHA256" }),
        algorithms: ["HmacSHA256"],
      },
      auth,
    });
  });
  afterAll(() => server.stop());

  const postTasks = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/connectors/sink/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  test("the signature stands in for credentials, as in Kafka; without it the request is refused", async () => {
    const body = `[{"task.id":"0"}]`;
    expect((await postTasks(body, signed(body))).status).toBe(204);
    const unsigned = await postTasks(FORGED);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({ error_code: 400, message: "Internal request missing required signature" });
    expect(herder.taskConfigs.get("sink")).toEqual([{ "task.id": "0" }]);
  });

  test("a request let in on its signature has it checked, even if the group's protocol changes meanwhile", async () => {
    // Authentication asks first (sessioned: no credentials needed), the route second (no longer sessioned).
    let calls = 0;
    required = () => calls++ === 0;
    try {
      const response = await postTasks(FORGED);
      expect(response.status).toBe(400);
      expect(herder.taskConfigs.get("sink")).toEqual([{ "task.id": "0" }]);
    } finally {
      required = () => true;
    }
  });
});

describe("the credentials a worker presents to the others", () => {
  test("its first bearer token, else the first user with a plain-text password, else none", () => {
    const users = new Map([
      ["hashed", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"],
      ["worker", "secret"],
    ]);
    expect(workerAuthorization({ users, tokens: ["first", "second"] })).toBe("Bearer first");
    expect(workerAuthorization({ users, tokens: [] })).toBe(`Basic ${btoa("worker:secret")}`);
    expect(
      workerAuthorization({ users: new Map([["hashed", "$2b$10$abcdefghijklmnopqrstuv"]]), tokens: [] }),
    ).toBeNull();
    expect(workerAuthorization({ users: new Map(), tokens: [] })).toBeNull();
  });
});
