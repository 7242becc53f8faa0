/**
 * The dashboard (`GET /ui`) in a real browser, headless Chromium driven by playwright-core, against a real worker and
 * broker: it lists the running connector's task, its sparkline moves, pause and resume through its buttons change
 * the task's state in the REST API, a failed task shows its trace (and its restart button brings it back), the
 * connector's restart and stop buttons act, a slow refresh is not joined by the next, names from the API are shown
 * as text, the page loads nothing from outside the worker and fits a phone. It saves screenshots at desktop and phone
 * widths (test/rest/ui/screenshots, linked from the README). `rest.auth.*` and `rest.ui.enable` are in
 * dashboard-access.test.ts.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP, uniqueTopic } from "../../harness.ts";
import {
  freePort,
  restCall,
  spawnWorker,
  tempDir,
  type WorkerProcess,
  waitForRest,
  waitUntil,
  writeProperties,
} from "../../worker-harness.ts";
import { type Browser, CHROMIUM_PRESENT, launchChromium } from "./chromium.ts";

setDefaultTimeout(120_000);

const SCREENSHOTS = join(import.meta.dir, "screenshots");
/** A connector name that would be markup if the page pasted it as HTML. */
const MARKUP_NAME = "<b>bold</b>";

let worker: WorkerProcess | undefined;
let browser: Browser | undefined;
let url = "";
/** The worker's files; the broken sink's missing folder is made here to let its restarted task run. */
let dir = "";

beforeAll(async () => {
  if (!CHROMIUM_PRESENT) return;
  dir = tempDir("sluice-ui-");
  const port = freePort();
  url = `http://127.0.0.1:${port}`;
  const topic = uniqueTopic("ui");
  const props = writeProperties(join(dir, "worker.properties"), {
    "bootstrap.servers": BOOTSTRAP,
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "offset.storage.file.filename": join(dir, "offsets.json"),
    "offset.flush.interval.ms": "1000",
    listeners: url,
  });
  const orders = writeProperties(join(dir, "orders.properties"), {
    name: "orders",
    "connector.class": "io.sluice.connect.datagen.DatagenConnector",
    topic,
    shape: "orders",
    rate: "200",
  });
  // Its task cannot open its file: it fails at start, with a trace.
  const broken = writeProperties(join(dir, "broken.properties"), {
    name: "broken-sink",
    "connector.class": "FileStreamSink",
    file: join(dir, "no-such-folder", "out.txt"),
    topics: topic,
  });
  worker = spawnWorker(["standalone", props, orders, broken]);
  await waitForRest(url, worker as WorkerProcess);
  const named = await restCall(url, "POST", "/connectors", {
    name: MARKUP_NAME,
    config: { "connector.class": "io.sluice.connect.datagen.DatagenConnector", topic, shape: "flat", rate: "5" },
  });
  expect(named.status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  worker?.proc.kill("SIGKILL");
});

async function connectorStatus(connector: string) {
  const status = await restCall(url, "GET", `/connectors/${encodeURIComponent(connector)}/status`);
  return status.body as { connector: { state: string }; tasks: { state: string }[] };
}

async function taskState(connector: string): Promise<string | undefined> {
  return (await connectorStatus(connector)).tasks[0]?.state;
}

describe.skipIf(!CHROMIUM_PRESENT)("the dashboard in headless Chromium", () => {
  test("shows the tasks live, acts through the REST API, shows a failed task's trace, loads nothing from outside", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
    const outside: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(url)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${url}/ui`);

    const row = page.locator('tr[data-task="orders/0"]');
    await row.locator('[data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    await expect(row.locator("td").nth(2).textContent()).resolves.toBe(url.replace("http://", ""));

    // The sparkline moves: its points change from one refresh to the next while records flow.
    const points = () => row.locator("polyline").getAttribute("points");
    const rate = async () => Number(await row.locator(".rate").textContent());
    await waitUntil(
      async () => (await rate()) > 0,
      30_000,
      () => "the task's records/s stayed 0",
    );
    const before = await points();
    await page.waitForTimeout(2_500);
    const after = await points();
    expect(after).not.toBe(before);
    expect(await rate()).toBeGreaterThan(0);

    // The page updates in place: a focused button keeps its focus across refreshes (a keyboard user can reach it).
    await page.locator('button[data-action="stop"][data-connector="orders"]').focus();
    await page.waitForTimeout(2_500);
    expect(await page.locator(":focus").getAttribute("data-action")).toBe("stop");

    // Pause and resume through the buttons: the REST API sees the task's state change, and so does the page.
    // Each button is named for what it acts on (a screen reader lists them by name).
    await page.getByRole("button", { name: "Pause orders", exact: true }).click();
    await waitUntil(
      async () => (await taskState("orders")) === "PAUSED",
      30_000,
      () => "the task never paused",
    );
    await row.locator('[data-state="PAUSED"]').waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Resume orders", exact: true }).click();
    await waitUntil(
      async () => (await taskState("orders")) === "RUNNING",
      30_000,
      () => "the task never resumed",
    );
    await row.locator('[data-state="RUNNING"]').waitFor({ timeout: 10_000 });

    // The failed task: its state, and its trace one click away.
    const failed = page.locator('tr[data-task="broken-sink/0"]');
    await failed.locator('[data-state="FAILED"]').waitFor({ timeout: 10_000 });
    const trace = page.locator('article[data-connector="broken-sink"] tr.trace-row details.trace');
    await trace.locator("summary").click();
    const text = await trace.locator("pre").textContent();
    expect(text).toContain("no-such-folder");

    // A name from the API is text, never markup.
    const marked = page.locator(`article[data-connector="${MARKUP_NAME}"]`);
    await expect(marked.locator("h3").textContent()).resolves.toBe(MARKUP_NAME);
    expect(await page.locator("#connectors b").count()).toBe(0);

    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-desktop.png"), fullPage: true });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("fits a phone's screen: no sideways scrolling at 390 px", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${url}/ui`);
    await page.locator('tr[data-task="orders/0"] [data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000);
    // The page's own width as the browser laid it out (read with a locator: the page's policy forbids eval).
    const width = await page.locator("html").evaluate((html) => html.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-phone.png"), fullPage: true });
    await page.close();
  });

  test("restarts a task, restarts a connector and stops one through their buttons", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}/ui`);
    const status = page.locator("#status");

    // The failed sink's file can be opened now: its task's own restart button brings it back, and its trace goes.
    mkdirSync(join(dir, "no-such-folder"));
    const failed = page.locator('tr[data-task="broken-sink/0"]');
    await failed.locator('[data-state="FAILED"]').waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Restart task 0 of broken-sink", exact: true }).click();
    await waitUntil(
      async () => (await taskState("broken-sink")) === "RUNNING",
      30_000,
      () => "the restarted task never ran",
    );
    await failed.locator('[data-state="RUNNING"]').waitFor({ timeout: 10_000 });
    await page.locator('article[data-connector="broken-sink"] tr.trace-row').first().waitFor({ state: "hidden" });
    await expect(status.textContent()).resolves.toBe("restart task broken-sink/0: done");

    // The connector's restart (with its tasks): the REST API answers, and the task runs again.
    await page.locator('button[data-action="restart"][data-connector="orders"]').click();
    await waitUntil(
      async () => (await status.textContent()) === "restart orders: done",
      10_000,
      () => "the page never said the connector's restart was done",
    );
    await waitUntil(
      async () => (await taskState("orders")) === "RUNNING",
      30_000,
      () => "the restarted connector's task never ran",
    );

    // Stop: the connector is STOPPED in the REST API, and on the page.
    await page.locator(`button[data-action="stop"][data-connector="${MARKUP_NAME}"]`).click();
    await waitUntil(
      async () => (await connectorStatus(MARKUP_NAME)).connector.state === "STOPPED",
      30_000,
      () => "the connector never stopped",
    );
    await page
      .locator(`article[data-connector="${MARKUP_NAME}"] [data-state="STOPPED"]`)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.close();
  });

  test("a slow refresh is not joined by the next one: at most one metrics request at a time", async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
    let inFlight = 0;
    let most = 0;
    let answered = 0;
    // Metrics that take 2.5 s, where the page refreshes every second.
    await page.route(`${url}/metrics`, async (route) => {
      most = Math.max(most, ++inFlight);
      await Bun.sleep(2_500);
      await route.continue();
      inFlight--;
      answered++;
    });
    await page.goto(`${url}/ui`);
    await waitUntil(
      () => answered >= 2,
      30_000,
      () => "the page asked for its metrics fewer than twice",
    );
    expect(most).toBe(1);
    await page.close();
  });
});
