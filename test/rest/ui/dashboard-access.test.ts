/**
 * Who may see the dashboard: `/ui` and its assets obey `rest.auth.*` like every other route (a browser with the
 * credentials sees the page, one without gets 401), `rest.ui.enable=false` turns it off (404 as any unknown path),
 * and the route that hands the page another worker's metrics only reaches workers the statuses name.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../../harness.ts";
import {
  distributedWorkerProperties,
  freePort,
  restCall,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitForRest,
  waitUntil,
  writeProperties,
} from "../../worker-harness.ts";
import { CHROMIUM_PRESENT, launchChromium } from "./chromium.ts";

setDefaultTimeout(120_000);

const workers: WorkerProcess[] = [];
afterAll(() => {
  for (const worker of workers) worker.proc.kill("SIGKILL");
});

async function startWorker(extra: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  const dir = tempDir("sluice-ui-access-");
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const props = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    listeners: url,
    ...extra,
  });
  const worker = spawnWorker(["standalone", props]);
  workers.push(worker);
  await waitForRest(url, worker, headers);
  return url;
}

describe("access to the dashboard", () => {
  test("rest.auth.*: 401 without credentials for the page, its assets and the peer metrics; a browser with them sees it", async () => {
    const dir = tempDir("sluice-ui-credentials-");
    const credentials = join(dir, "credentials.properties");
    writeFileSync(credentials, "operator=0p3rator\n");
    const authorization = `Basic ${Buffer.from("operator:0p3rator").toString("base64")}`;
    const url = await startWorker({ "rest.auth.basic.credentials.file": credentials }, { authorization });
    for (const path of ["/ui", "/ui/dashboard.js", "/ui/dashboard.css", "/ui/workers/127.0.0.1:1/metrics"]) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get("www-authenticate")).toContain("Basic");
    }
    const page = await fetch(`${url}/ui`, { headers: { authorization } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/ui/dashboard.js">');

    if (!CHROMIUM_PRESENT) return;
    const browser = await launchChromium();
    try {
      // Without credentials Chromium gets the 401 and, having nothing to answer the challenge with, refuses the page.
      const refused = await browser.newPage();
      const outcome = await refused.goto(`${url}/ui`).then(
        (response) => `status ${response?.status()}`,
        (error: Error) => error.message,
      );
      expect(outcome).toMatch(/ERR_INVALID_AUTH_CREDENTIALS|status 401/);
      const context = await browser.newContext({ httpCredentials: { username: "operator", password: "0p3rator" } });
      const allowed = await context.newPage();
      expect((await allowed.goto(`${url}/ui`))?.status()).toBe(200);
      // The page's own requests (connectors, metrics) go through with the same credentials: it fills in.
      await allowed.locator("#workers li").waitFor({ timeout: 15_000 });
      await expect(allowed.locator("#workers li .worker-id").textContent()).resolves.toBe(url.replace("http://", ""));
      await expect(allowed.locator("#status").textContent()).resolves.toBe("");
    } finally {
      await browser.close();
    }
  });

  test("rest.ui.enable=false: /ui and its assets answer 404 like any unknown path", async () => {
    const url = await startWorker({ "rest.ui.enable": "false" });
    for (const path of ["/ui", "/ui/dashboard.js"]) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error_code: 404, message: "HTTP 404 Not Found" });
    }
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });

  test("the peer-metrics route reaches only workers that the statuses name, and says why otherwise", async () => {
    const url = await startWorker({});
    const response = await fetch(`${url}/ui/workers/${encodeURIComponent("169.254.169.254:80")}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error_code: 404,
      message: "No worker 169.254.169.254:80 runs a connector or task of this cluster",
    });
    const unknown = await fetch(`${url}/ui/nothing-here.js`);
    expect(unknown.status).toBe(404);
  });
});

test("in a cluster with rest.auth.*, the page gets another worker's metrics through its own worker, with its credentials", async () => {
  const group = uniqueTopic("ui-cluster");
  const dir = tempDir("sluice-ui-cluster-");
  // The workers of a cluster share their credentials; each presents the plain-text one to the others.
  const credentials = join(dir, "credentials.properties");
  writeFileSync(credentials, "operator=0p3rator\n");
  const headers = { authorization: `Basic ${Buffer.from("operator:0p3rator").toString("base64")}` };
  const call = async (url: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const ports = [freePort(), freePort()];
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  for (const [i, port] of ports.entries()) {
    const props = writeProperties(
      join(dir, `worker-${i}.properties`),
      distributedWorkerProperties(BOOTSTRAP, group, port, { "rest.auth.basic.credentials.file": credentials }),
    );
    const worker = spawnWorker(["distributed", props]);
    workers.push(worker);
    await waitForRest(`http://127.0.0.1:${port}`, worker, headers);
  }
  const [first, second] = urls as [string, string];
  const created = await call(first, "POST", "/connectors", {
    name: "spread",
    config: {
      "connector.class": "io.sluice.connect.datagen.DatagenConnector",
      topic: `${group}-orders`,
      shape: "flat",
      rate: "5",
      "tasks.max": "2",
    },
  });
  expect(created.status).toBe(201);
  const secondId = second.replace("http://", "");
  // The leader spreads the two tasks over the two workers.
  await waitUntil(
    async () => {
      const status = await call(first, "GET", "/connectors/spread/status");
      const tasks = (status.body as { tasks?: { state: string; worker_id: string }[] }).tasks ?? [];
      return (
        tasks.length === 2 && tasks.every((t) => t.state === "RUNNING") && tasks.some((t) => t.worker_id === secondId)
      );
    },
    60_000,
    () => "the tasks never ran on both workers",
  );
  const path = `/ui/workers/${encodeURIComponent(secondId)}/metrics`;
  expect((await fetch(`${first}${path}`)).status).toBe(401);
  // The second worker refuses a request without credentials: a 200 means the first presented its own.
  expect((await fetch(`${second}/metrics`)).status).toBe(401);
  const response = await fetch(`${first}${path}`, { headers });
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text).toContain('kafka_connect_connector_task_metrics_status{connector="spread"');
  expect(text).toContain("kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total");
});

test("a worker the statuses name that does not answer: 502, naming it and the URL asked, in the advertised scheme", async () => {
  // Advertised on a port where nothing listens (as https, behind a TLS proxy): the statuses name a worker no one can
  // reach, and it is asked with the scheme the workers advertise.
  const url = await startWorker({
    "rest.advertised.listener": "https",
    "rest.advertised.host.name": "127.0.0.1",
    "rest.advertised.port": "1",
  });
  const created = await restCall(url, "POST", "/connectors", {
    name: "unreachable",
    config: {
      "connector.class": "io.sluice.connect.datagen.DatagenConnector",
      topic: uniqueTopic("ui-unreachable"),
      rate: "1",
    },
  });
  expect(created.status).toBe(201);
  await waitUntil(
    async () =>
      ((await restCall(url, "GET", "/connectors/unreachable/status")).body as { tasks?: unknown[] }).tasks?.length ===
      1,
    30_000,
    () => "the connector's task never started",
  );
  const response = await fetch(`${url}/ui/workers/127.0.0.1:1/metrics`);
  expect(response.status).toBe(502);
  const body = (await response.json()) as { error_code: number; message: string };
  expect(body.error_code).toBe(502);
  expect(body.message).toStartWith("Worker 127.0.0.1:1 did not answer for its metrics:");
  expect(body.message).toContain("GET https://127.0.0.1:1/metrics");
});
