import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  NotAssignedError,
  NotLeaderError,
  RebalanceNeededError,
} from "../../src/runtime/distributed/forwardable-errors.ts";
import { freePort } from "../worker-harness.ts";
import { failingHerder, LeaderHerder, startServer, type TestServer } from "./cluster-servers.ts";

setDefaultTimeout(20_000);

const CONFLICT = "Cannot complete request because of a conflicting operation (e.g. worker rebalance)";
const NO_LEADER =
  "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.";
const STALE =
  "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)";

const json = { "content-type": "application/json" };

describe("a worker forwards to the leader what only the leader may do", () => {
  const servers: TestServer[] = [];
  let leaderHerder: LeaderHerder;
  let leader: TestServer;
  let follower: TestServer;

  beforeAll(async () => {
    leaderHerder = new LeaderHerder();
    leader = await startServer(leaderHerder);
    follower = await startServer(failingHerder(() => new NotLeaderError("Only the leader may do this.", leader.url)));
    servers.push(leader, follower);
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  const lastSeen = (server: TestServer) => server.seen.at(-1);

  test("POST /connectors: the leader's 201 and body come back, the Location names this worker (as Kafka's); the leader got the same JSON with forward=true", async () => {
    const body = `{"name": "fw-create", "config": {"connector.class": "Test", "tasks.max": "2"}}`;
    const response = await fetch(`${follower.url}/connectors`, { method: "POST", headers: json, body });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe(`${follower.url}/connectors/fw-create`);
    expect(await response.json()).toEqual({
      name: "fw-create",
      config: { "connector.class": "Test", "tasks.max": "2", name: "fw-create" },
      tasks: [],
      type: "source",
    });
    expect(leaderHerder.connectors.has("fw-create")).toBe(true);
    const seen = lastSeen(leader);
    expect(seen?.method).toBe("POST");
    expect(seen?.url.pathname).toBe("/connectors");
    expect(seen?.url.searchParams.get("forward")).toBe("true");
    expect(seen?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual(JSON.parse(body));
  });

  test("GET: the leader's list and a connector's config", async () => {
    await leaderHerder.putConnectorConfig("fw-get", { "connector.class": "Test" });
    const list = await fetch(`${follower.url}/connectors`);
    expect(list.status).toBe(200);
    expect((await list.json()) as string[]).toContain("fw-get");
    const config = await fetch(`${follower.url}/connectors/fw-get/config`);
    expect(config.status).toBe(200);
    expect(await config.json()).toEqual({ "connector.class": "Test", name: "fw-get" });
  });

  test("PUT config: 201 with Location when created, 200 when updated", async () => {
    const put = () =>
      fetch(`${follower.url}/connectors/fw-put/config`, {
        method: "PUT",
        headers: json,
        body: JSON.stringify({ "connector.class": "Test" }),
      });
    const created = await put();
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${follower.url}/connectors/fw-put`);
    const updated = await put();
    expect(updated.status).toBe(200);
    expect(updated.headers.get("location")).toBeNull();
    expect(((await updated.json()) as { name: string }).name).toBe("fw-put");
  });

  test("DELETE: 204 from the leader, and the leader's 404 with its message for an unknown connector", async () => {
    await leaderHerder.putConnectorConfig("fw-delete", { "connector.class": "Test" });
    const deleted = await fetch(`${follower.url}/connectors/fw-delete`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(leaderHerder.connectors.has("fw-delete")).toBe(false);
    const missing = await fetch(`${follower.url}/connectors/fw-delete`, { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 404, message: "Connector fw-delete not found" });
  });

  test("query parameters and credentials go along", async () => {
    await leaderHerder.putConnectorConfig("fw-restart", { "connector.class": "Test" });
    const response = await fetch(`${follower.url}/connectors/fw-restart/restart?includeTasks=true&onlyFailed=false`, {
      method: "POST",
      headers: { authorization: "Bearer secret-token" },
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { connector: { state: string } }).connector.state).toBe("RESTARTING");
    const seen = lastSeen(leader);
    expect(seen?.url.searchParams.get("includeTasks")).toBe("true");
    expect(seen?.url.searchParams.get("onlyFailed")).toBe("false");
    expect(seen?.url.searchParams.get("forward")).toBe("true");
    expect(seen?.headers.get("authorization")).toBe("Bearer secret-token");
  });

  test("a task's owner answers a NotAssignedError's request", async () => {
    await leaderHerder.putConnectorConfig("fw-task", { "connector.class": "Test" });
    const owner = await startServer(leaderHerder);
    const notOwner = await startServer(failingHerder(() => new NotAssignedError("Not my task.", owner.url)));
    servers.push(owner, notOwner);
    const response = await fetch(`${notOwner.url}/connectors/fw-task/tasks/0/restart`, { method: "POST" });
    expect(response.status).toBe(204);
    expect(lastSeen(owner)?.url.pathname).toBe("/connectors/fw-task/tasks/0/restart");
    const unknown = await fetch(`${notOwner.url}/connectors/fw-nothing/tasks/0/restart`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error_code: 404, message: "Connector fw-nothing not found" });
  });
});

describe("forwarding goes at most two hops", () => {
  const servers: TestServer[] = [];
  let leaderHerder: LeaderHerder;
  let leader: TestServer;
  let middle: TestServer;
  let first: TestServer;

  beforeAll(async () => {
    leaderHerder = new LeaderHerder();
    leader = await startServer(leaderHerder);
    // `middle` thinks `leader` leads; `first` thinks `middle` does: a user's request to `first` takes two hops.
    middle = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", leader.url)));
    first = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", middle.url)));
    servers.push(leader, middle, first);
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  test("a user's request goes on with forward=true, and from there with forward=false", async () => {
    await leaderHerder.putConnectorConfig("hop-2", { "connector.class": "Test" });
    const response = await fetch(`${first.url}/connectors/hop-2/pause`, { method: "PUT" });
    expect(response.status).toBe(202);
    expect(middle.seen.at(-1)?.url.search).toBe("?forward=true");
    expect(leader.seen.at(-1)?.url.search).toBe("?forward=false");
  });

  test("forward=false is not forwarded again: 409", async () => {
    const before = leader.seen.length;
    const response = await fetch(`${middle.url}/connectors/hop-2/pause?forward=false`, { method: "PUT" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error_code: 409, message: CONFLICT });
    expect(leader.seen.length).toBe(before);
  });

  test("forward=true is forwarded once more, with forward=false", async () => {
    const response = await fetch(`${middle.url}/connectors/hop-2/pause?forward=TRUE`, { method: "PUT" });
    expect(response.status).toBe(202);
    expect(leader.seen.at(-1)?.url.search).toBe("?forward=false");
  });

  test("two workers pointing at each other: the third visit answers 409, passed back to the user", async () => {
    let bUrl = "";
    const a = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", bUrl)));
    const b = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", a.url)));
    bUrl = b.url;
    servers.push(a, b);
    const response = await fetch(`${a.url}/connectors`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "loop", config: {} }),
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error_code: 409, message: CONFLICT });
    expect(a.seen.map((r) => r.url.searchParams.get("forward"))).toEqual([null, "false"]);
    expect(b.seen.map((r) => r.url.searchParams.get("forward"))).toEqual(["true"]);
  });
});

describe("requests that cannot be forwarded", () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  test("no known leader: 409", async () => {
    const server = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", null)));
    servers.push(server);
    const response = await fetch(`${server.url}/connectors/x`, { method: "DELETE" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error_code: 409, message: NO_LEADER });
  });

  test("a rebalance is needed: 409, never forwarded", async () => {
    const server = await startServer(failingHerder(() => new RebalanceNeededError("Request cannot be completed.")));
    servers.push(server);
    const response = await fetch(`${server.url}/connectors/x/resume`, { method: "PUT" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error_code: 409, message: STALE });
  });

  test("an unreachable leader: 500 naming the URL", async () => {
    const leaderUrl = `http://127.0.0.1:${freePort()}`;
    const server = await startServer(failingHerder(() => new NotLeaderError("Not the leader.", leaderUrl)));
    servers.push(server);
    const response = await fetch(`${server.url}/connectors/x/stop`, { method: "PUT" });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error_code: number; message: string };
    expect(body.error_code).toBe(500);
    expect(body.message).toStartWith("IO Error trying to forward REST request: Connection refused");
    expect(body.message).toContain(`${leaderUrl}/connectors/x/stop?forward=true`);
  });

  test("a leader that does not answer in time: 500 after the forwarding timeout", async () => {
    const silent = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Promise<Response>(() => {}) });
    const server = await startServer(
      failingHerder(() => new NotLeaderError("Not the leader.", `http://127.0.0.1:${silent.port}`)),
      { forwardTimeoutMs: 300 },
    );
    servers.push(server);
    try {
      const started = performance.now();
      const response = await fetch(`${server.url}/connectors`);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { message: string }).message).toStartWith(
        "IO Error trying to forward REST request: Total timeout 300 ms elapsed",
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      silent.stop(true);
    }
  });

  test("a leader's relative Location (an earlier sluice) is made absolute on this worker", async () => {
    const earlier = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => Response.json({}, { status: 201, headers: { location: "/connectors/old%20one" } }),
    });
    const server = await startServer(
      failingHerder(() => new NotLeaderError("Not the leader.", `http://127.0.0.1:${earlier.port}`)),
    );
    servers.push(server);
    try {
      const response = await fetch(`${server.url}/connectors`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ name: "old one", config: { "connector.class": "Test" } }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get("location")).toBe(`${server.url}/connectors/old%20one`);
    } finally {
      earlier.stop(true);
    }
  });

  test("a leader answering an error without Kafka's body, or a redirect: 500", async () => {
    const odd = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request) =>
        new URL(request.url).pathname === "/connectors"
          ? new Response("<html>bad gateway</html>", { status: 502 })
          : new Response(null, { status: 302, headers: { location: "/elsewhere" } }),
    });
    const server = await startServer(
      failingHerder(() => new NotLeaderError("Not the leader.", `http://127.0.0.1:${odd.port}`)),
    );
    servers.push(server);
    try {
      const broken = await fetch(`${server.url}/connectors`);
      expect(broken.status).toBe(500);
      expect(((await broken.json()) as { message: string }).message).toStartWith(
        "Error trying to forward REST request: ",
      );
      const redirected = await fetch(`${server.url}/connectors/x`, { redirect: "manual" });
      expect(redirected.status).toBe(500);
      expect(await redirected.json()).toEqual({
        error_code: 500,
        message: "Unexpected status code when handling forwarded request: 302",
      });
    } finally {
      odd.stop(true);
    }
  });
});
