import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHmac, randomBytes } from "node:crypto";
import { ConnectError } from "../../src/api/errors.ts";
import { httpLeaderClient, requestZombieFencing, sendTaskConfigs } from "../../src/rest/internal-client.ts";
import { RestError } from "../../src/rest/rest-error.ts";
import { DistributedHerder } from "../../src/runtime/distributed/distributed-herder.ts";
import { NotLeaderError } from "../../src/runtime/distributed/forwardable-errors.ts";
import type { SigningKey } from "../../src/runtime/distributed/internal-requests.ts";
import { freePort } from "../worker-harness.ts";
import { failingHerder, LeaderHerder, startServer, type TestServer } from "./cluster-servers.ts";

setDefaultTimeout(20_000);

/** Kafka's signature, computed here independently: Base64 of HmacSHA256 over the exact body bytes. */
const kafkaSignature = (key: Uint8Array, body: string, digest = "sha256") =>
  createHmac(digest, key).update(Buffer.from(body, "utf8")).digest("base64");

const signed = (key: Uint8Array, body: string, algorithm = "HmacSHA256", digest = "sha256") => ({
  "X-Connect-Authorization": kafkaSignature(key, body, digest),
  "X-Connect-Request-Signature-Algorithm": algorithm,
});

describe("signed internal requests on a distributed worker", () => {
  const servers: TestServer[] = [];
  const key = new Uint8Array(randomBytes(32));
  let sessionKey: SigningKey | null = { key, algorithm: "HmacSHA256" };
  let herder: LeaderHerder;
  let leader: TestServer;

  beforeAll(async () => {
    herder = new LeaderHerder();
    await herder.putConnectorConfig("signed", { "connector.class": "Test" });
    leader = await startServer(herder, {
      internalRequests: { required: () => true, sessionKey: () => sessionKey, algorithms: ["HmacSHA256", "HmacSHA1"] },
      // Credentials on: internal requests stay exempt, as in Kafka.
      auth: { users: new Map(), tokens: ["user-token"], realm: "test" },
    });
    servers.push(leader);
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  const postTasks = (body: string, headers: Record<string, string>) =>
    fetch(`${leader.url}/connectors/signed/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const errorOf = async (response: Response) => (await response.json()) as { error_code: number; message: string };

  test("a signature over the exact bytes: 204, and the herder gets the configs and the signature", async () => {
    // Odd spacing and key order: the signature covers these bytes, not a re-serialisation of them.
    // A number is its text as written, as Jackson reads it into Kafka's List<Map<String, String>>.
    const body = `[ {"task.id" : "0", "topic":"a"},{"topic": "b", "task.id": 1, "batch.size": 1.0} ]`;
    const response = await postTasks(body, signed(key, body));
    expect(response.status).toBe(204);
    expect(herder.taskConfigs.get("signed")).toEqual([
      { "task.id": "0", topic: "a" },
      { topic: "b", "task.id": "1", "batch.size": "1.0" },
    ]);
    const signature = herder.signatures.at(-1);
    expect(signature?.algorithm).toBe("HmacSHA256");
    expect(Buffer.from(signature?.body ?? []).toString()).toBe(body);
  });

  test("another accepted algorithm (HmacSHA1) verifies too", async () => {
    const body = `[{"task.id":"0"}]`;
    const response = await postTasks(body, signed(key, body, "HmacSHA1", "sha1"));
    expect(response.status).toBe(204);
  });

  test("a signature of the same JSON written differently is refused: 403", async () => {
    const body = `[{"task.id":"0"}]`;
    const response = await postTasks(`[{"task.id": "0"}]`, signed(key, body));
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      error_code: 403,
      message: "Internal request contained invalid signature.",
    });
  });

  test("a signature made with another key: 403", async () => {
    const body = `[{"task.id":"0"}]`;
    const response = await postTasks(body, signed(new Uint8Array(randomBytes(32)), body));
    expect(response.status).toBe(403);
  });

  test("no signature, or only half of it: 400", async () => {
    const body = `[{"task.id":"0"}]`;
    const expected = { error_code: 400, message: "Internal request missing required signature" };
    const none = await postTasks(body, {});
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toEqual(expected);
    const noAlgorithm = await postTasks(body, { "X-Connect-Authorization": kafkaSignature(key, body) });
    expect(await errorOf(noAlgorithm)).toEqual(expected);
  });

  test("an algorithm this worker does not accept: 400 naming it and the accepted ones", async () => {
    const body = `[{"task.id":"0"}]`;
    const response = await postTasks(body, signed(key, body, "HmacSHA512", "sha512"));
    expect(response.status).toBe(400);
    const { message } = await errorOf(response);
    expect(message).toStartWith(
      "This worker does not support the 'HmacSHA512' key signing algorithm used by other workers. " +
        "This worker is currently configured to use: [HmacSHA256, HmacSHA1].",
    );
  });

  test("an algorithm that does not exist, or a signature that is not Base64: 400", async () => {
    const body = `[{"task.id":"0"}]`;
    const unknown = await postTasks(body, {
      "X-Connect-Authorization": kafkaSignature(key, body),
      "X-Connect-Request-Signature-Algorithm": "HmacFoo",
    });
    expect(unknown.status).toBe(400);
    expect(await errorOf(unknown)).toEqual({ error_code: 400, message: "Algorithm HmacFoo not available" });
    const garbled = await postTasks(body, {
      "X-Connect-Authorization": "not*base64",
      "X-Connect-Request-Signature-Algorithm": "HmacSHA256",
    });
    expect(garbled.status).toBe(400);
    expect(await errorOf(garbled)).toEqual({ error_code: 400, message: "Illegal base64 character 2a" });
  });

  test("no session key read yet: 503", async () => {
    const saved = sessionKey;
    sessionKey = null;
    try {
      const body = `[{"task.id":"0"}]`;
      const response = await postTasks(body, signed(key, body));
      expect(response.status).toBe(503);
      expect((await errorOf(response)).message).toBe(
        "This worker is still starting up and has not been able to read a session key from the config topic yet",
      );
    } finally {
      sessionKey = saved;
    }
  });

  test("a body that is not a list of task configurations: 400 naming the fault", async () => {
    for (const [body, message] of [
      ["{oops", "Request body is not valid JSON"],
      [`{"task.id":"0"}`, "Invalid request json: expected a list of task configurations"],
      [`[{"a":{"b":1}}]`, "Invalid request json at '0.a': a task configuration value must be a string"],
      [`[1]`, "Invalid request json at '0': a task configuration must be a JSON object"],
    ] as const) {
      const response = await postTasks(body, signed(key, body));
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toBe(message);
    }
  });

  test("PUT fence, signed over its empty body: 204; unsigned 400", async () => {
    const response = await fetch(`${leader.url}/connectors/signed/fence`, { method: "PUT", headers: signed(key, "") });
    expect(response.status).toBe(204);
    expect(herder.fenced).toContain("signed");
    const unsigned = await fetch(`${leader.url}/connectors/signed/fence`, { method: "PUT" });
    expect(unsigned.status).toBe(400);
  });

  test("the internal client signs what it sends; the leader's refusals come back as errors naming the URL", async () => {
    const configs: Record<string, string>[] = [{ "task.id": "0", topic: "t" }, { "task.id": "1" }];
    await sendTaskConfigs(leader.url, "signed", configs, { key, signatureAlgorithm: "HmacSHA256" });
    expect(herder.taskConfigs.get("signed")).toEqual(configs);
    const seen = leader.seen.at(-1);
    expect(seen?.headers.get("x-connect-authorization")).toBe(kafkaSignature(key, seen?.body ?? ""));
    expect(seen?.headers.get("x-connect-request-signature-algorithm")).toBe("HmacSHA256");
    await requestZombieFencing(`${leader.url}/`, "signed", { key, signatureAlgorithm: "HmacSHA1" });
    expect(leader.seen.at(-1)?.url.pathname).toBe("/connectors/signed/fence");

    const wrongKey = sendTaskConfigs(leader.url, "signed", configs, {
      key: new Uint8Array(randomBytes(32)),
      signatureAlgorithm: "HmacSHA256",
    });
    await expect(wrongKey).rejects.toThrow(
      `POST ${leader.url}/connectors/signed/tasks (task configurations of connector 'signed') answered 403: Internal request contained invalid signature.`,
    );
    await expect(wrongKey).rejects.toBeInstanceOf(RestError);
    const missing = sendTaskConfigs(leader.url, "no-such", configs, { key, signatureAlgorithm: "HmacSHA256" });
    await expect(missing).rejects.toThrow("answered 404: Connector no-such not found");
  });

  test("the internal client: an unreachable leader or one that does not answer in time is a ConnectError", async () => {
    const down = `http://127.0.0.1:${freePort()}`;
    const refused = sendTaskConfigs(down, "x", [], { key, signatureAlgorithm: "HmacSHA256" });
    await expect(refused).rejects.toBeInstanceOf(ConnectError);
    await expect(refused).rejects.toThrow(
      `Could not send task configurations of connector 'x' to POST ${down}/connectors/x/tasks`,
    );
    const silent = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Promise<Response>(() => {}) });
    try {
      const slow = requestZombieFencing(`http://127.0.0.1:${silent.port}`, "x", {
        key,
        signatureAlgorithm: "HmacSHA256",
        timeoutMs: 200,
      });
      await expect(slow).rejects.toThrow("no answer within 200 ms");
    } finally {
      silent.stop(true);
    }
  });

  test("a follower verifies, then forwards the signed request with its exact bytes to the leader", async () => {
    const follower = await startServer(
      failingHerder(() => new NotLeaderError("Not the leader.", leader.url)),
      {
        internalRequests: { required: () => true, sessionKey: () => sessionKey, algorithms: ["HmacSHA256"] },
      },
    );
    servers.push(follower);
    const body = `[ {"task.id": "7"} ]`;
    const response = await fetch(`${follower.url}/connectors/signed/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signed(key, body) },
      body,
    });
    expect(response.status).toBe(204);
    expect(herder.taskConfigs.get("signed")).toEqual([{ "task.id": "7" }]);
    expect(leader.seen.at(-1)?.body).toBe(body);
    const forged = await fetch(`${follower.url}/connectors/signed/tasks`, {
      method: "POST",
      headers: signed(new Uint8Array(randomBytes(32)), body),
      body,
    });
    expect(forged.status).toBe(403);
  });

  test("a group not yet on the sessioned protocol does not check signatures", async () => {
    const open = await startServer(herder, {
      internalRequests: { required: () => false, sessionKey: () => null, algorithms: ["HmacSHA256"] },
    });
    servers.push(open);
    const response = await fetch(`${open.url}/connectors/signed/tasks`, { method: "POST", body: `[{"task.id":"9"}]` });
    expect(response.status).toBe(204);
    expect(herder.signatures.at(-1)).toBeNull();
  });
});

describe("internal requests in standalone mode", () => {
  let server: TestServer;
  beforeAll(async () => {
    // No internal-request verification and a herder without the internal methods: Kafka's StandaloneHerder.
    server = await startServer({});
  });
  afterAll(() => server.stop());

  test("task configurations and fencing are refused with 500 and Kafka's standalone messages", async () => {
    const tasks = await fetch(`${server.url}/connectors/any/tasks`, { method: "POST", body: "[]" });
    expect(tasks.status).toBe(500);
    expect(await tasks.json()).toEqual({
      error_code: 500,
      message: "Kafka Connect in standalone mode does not support externally setting task configurations.",
    });
    const fence = await fetch(`${server.url}/connectors/any/fence`, { method: "PUT" });
    expect(fence.status).toBe(500);
    expect(await fence.json()).toEqual({
      error_code: 500,
      message: "Kafka Connect in standalone mode does not support exactly-once source connectors.",
    });
  });

  test("the internal routes are hidden from the OpenAPI document, as Kafka hides them", async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/connectors/{connector}/tasks"] ?? {})).toEqual(["get"]);
    expect(doc.paths["/connectors/{connector}/fence"]).toBeUndefined();
  });
});

describe("fencing on a distributed worker", () => {
  let server: TestServer;
  beforeAll(async () => {
    // The real herder, never started: the route and the herder's answer are what is under test.
    const herder = new DistributedHerder({
      url: "http://127.0.0.1:1",
      bootstrap: "127.0.0.1:1",
      groupId: "fence",
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 3_000,
      scheduledRebalanceMaxDelayMs: 1_000,
      protocol: "compatible",
      retryBackoffMs: 100,
      leader: httpLeaderClient(null),
    });
    server = await startServer(herder, { internalRequests: herder.internalRequestVerification() });
  });
  afterAll(() => server.stop());

  test("a group on connect.protocol=compatible: Kafka's answer for a worker without exactly-once source support", async () => {
    // It said "Kafka Connect in standalone mode does not support exactly-once source connectors." (500).
    const response = await fetch(`${server.url}/connectors/any/fence`, { method: "PUT" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error_code: 400,
      message: "This worker does not have exactly-once source support enabled.",
    });
  });
});
