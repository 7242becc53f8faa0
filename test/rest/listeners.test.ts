import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { uniqueTopic } from "../harness.ts";
import { freePort, tempDir, waitUntil } from "../worker-harness.ts";
import { startFailure, startRestWorker } from "./server-worker.ts";

setDefaultTimeout(60_000);

/** A stand-in for the loggers routes: any Hono sub-app mounts under /admin. */
const adminRoutes = () => new Hono().get("/loggers", (c) => c.json({ root: { level: "INFO", last_modified: null } }));

describe("listeners and the advertised URL", () => {
  test("every listener answers, and the first one's host:port is the worker id", async () => {
    const [a, b] = [freePort(), freePort()];
    const worker = await startRestWorker({ listeners: `http://127.0.0.1:${a}, http://localhost:${b}` });
    try {
      for (const base of [`http://127.0.0.1:${a}`, `http://localhost:${b}`]) {
        const response = await fetch(`${base}/`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { sluice_version: string }).sluice_version).toBe("9.9.9");
      }
      expect(worker.workerId).toBe(`127.0.0.1:${a}`);
      expect(worker.url).toBe(`http://127.0.0.1:${a}`);
    } finally {
      await worker.stop();
    }
  });

  test("rest.advertised.host.name and rest.advertised.port make the worker_id of statuses", async () => {
    const port = freePort();
    const worker = await startRestWorker({
      listeners: `http://127.0.0.1:${port}`,
      "rest.advertised.host.name": "connect-1.example.com",
      "rest.advertised.port": "18083",
    });
    try {
      expect(worker.workerId).toBe("connect-1.example.com:18083");
      const dir = tempDir();
      writeFileSync(join(dir, "in.txt"), "x\n");
      const created = await fetch(`${worker.url}/connectors`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "advertised",
          config: { "connector.class": "FileStreamSource", file: join(dir, "in.txt"), topic: uniqueTopic("adv") },
        }),
      });
      expect(created.status).toBe(201);
      let status: { connector: { worker_id: string; state: string } } | undefined;
      await waitUntil(
        async () => {
          status = (await (await fetch(`${worker.url}/connectors/advertised/status`)).json()) as typeof status;
          return status?.connector.state === "RUNNING";
        },
        10_000,
        () => JSON.stringify(status),
      );
      expect(status?.connector.worker_id).toBe("connect-1.example.com:18083");
    } finally {
      await worker.stop();
    }
  });

  test("an advertised port alone keeps the listener's host; a port-0 listener advertises the port it got", async () => {
    const worker = await startRestWorker({ listeners: "http://127.0.0.1:0", "rest.advertised.port": "9999" });
    try {
      expect(worker.workerId).toBe("127.0.0.1:9999");
      expect((await fetch(`${worker.url}/`)).status).toBe(200);
    } finally {
      await worker.stop();
    }
    const zero = await startRestWorker({ listeners: "http://127.0.0.1:0" });
    try {
      expect(zero.workerId).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
      expect(zero.url).toBe(`http://${zero.workerId}`);
    } finally {
      await zero.stop();
    }
  });

  test("bad listeners are configuration errors naming the key", async () => {
    expect(await startFailure({ listeners: "https://127.0.0.1:8443" })).toMatch(
      /worker\.properties, key listeners: .*https listeners are not supported/,
    );
    expect(await startFailure({ listeners: "127.0.0.1:8083" })).toMatch(
      /key listeners: .*Listener doesn't have the right format \(protocol:\/\/hostname:port\)/,
    );
    expect(await startFailure({ listeners: "ftp://127.0.0.1:8083" })).toContain(
      'Listener protocol must be either "http" or "https".',
    );
    expect(await startFailure({ listeners: "" })).toContain(
      "Invalid value for listeners, at least one URL is expected",
    );
    expect(await startFailure({ listeners: "http://127.0.0.1:99999" })).toContain("out of range");
    expect(await startFailure({ "rest.advertised.listener": "ftp" })).toMatch(
      /key rest\.advertised\.listener: .*one of: http, https/,
    );
  });

  test("a listener whose port is taken fails the start, naming it, and frees the ones already bound", async () => {
    const first = freePort();
    const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("busy") });
    try {
      const message = await startFailure({ listeners: `http://127.0.0.1:${first},http://127.0.0.1:${taken.port}` });
      expect(message).toContain(`Cannot listen on http://127.0.0.1:${taken.port} (listeners)`);
      // The first listener was released: the port can be bound again.
      const again = Bun.serve({ hostname: "127.0.0.1", port: first, fetch: () => new Response() });
      again.stop(true);
    } finally {
      taken.stop(true);
    }
  });
});

describe("admin.listeners", () => {
  test("unset: the admin routes answer on the main listeners", async () => {
    const worker = await startRestWorker({ listeners: `http://127.0.0.1:${freePort()}` }, adminRoutes);
    try {
      const response = await fetch(`${worker.url}/admin/loggers`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ root: { level: "INFO", last_modified: null } });
      expect(worker.adminUrl).toBe(worker.url);
    } finally {
      await worker.stop();
    }
  });

  test("set: the admin routes answer there only, and nothing else does", async () => {
    const [main, admin] = [freePort(), freePort()];
    const worker = await startRestWorker(
      { listeners: `http://127.0.0.1:${main}`, "admin.listeners": `http://127.0.0.1:${admin}` },
      adminRoutes,
    );
    try {
      expect(worker.adminUrl).toBe(`http://127.0.0.1:${admin}`);
      expect((await fetch(`http://127.0.0.1:${admin}/admin/loggers`)).status).toBe(200);
      const elsewhere = await fetch(`http://127.0.0.1:${admin}/connectors`);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.json()).toEqual({ error_code: 404, message: "HTTP 404 Not Found" });
      const onMain = await fetch(`http://127.0.0.1:${main}/admin/loggers`);
      expect(onMain.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${main}/connectors`)).status).toBe(200);
    } finally {
      await worker.stop();
    }
  });

  test("empty: the admin routes are disabled", async () => {
    const worker = await startRestWorker(
      { listeners: `http://127.0.0.1:${freePort()}`, "admin.listeners": "" },
      adminRoutes,
    );
    try {
      expect(worker.adminUrl).toBeNull();
      expect((await fetch(`${worker.url}/admin/loggers`)).status).toBe(404);
    } finally {
      await worker.stop();
    }
  });

  test("bad or duplicate admin listeners are configuration errors naming the key", async () => {
    expect(await startFailure({ "admin.listeners": "https://127.0.0.1:9443" })).toMatch(
      /key admin\.listeners: .*https listeners are not supported/,
    );
    expect(await startFailure({ "admin.listeners": "http://127.0.0.1:9001,http://127.0.0.1:9001" })).toMatch(
      /key admin\.listeners: .*Duplicate value/,
    );
  });
});
