import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";
import { RestError } from "../rest-error.ts";
import { DASHBOARD_ASSETS } from "../ui/dashboard-assets.ts";
import { dashboardPage } from "../ui/dashboard-page.ts";

/** How long the dashboard waits for another worker's metrics: a page refreshes every second. */
const PEER_METRICS_TIMEOUT_MS = 2000;

/** The page may load only the worker's own scripts and styles, and talk only to the worker. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface UiOptions {
  /** What this worker presents to another worker for its `/metrics` when `rest.auth.*` is on. */
  readonly workerAuthorization: string | null;
}

/** The worker ids that run some connector or task of the cluster, as the statuses say. */
function clusterWorkers(context: RestContext): Set<string> {
  const workers = new Set<string>();
  for (const name of context.herder.connectorNames()) {
    try {
      const state = context.herder.connectorStateInfo(name);
      workers.add(state.connector.workerId);
      for (const task of state.tasks) workers.add(task.workerId);
    } catch {
      // A connector deleted meanwhile has no status: nothing to add.
    }
  }
  return workers;
}

/**
 * `GET /ui` (sluice only; off with `rest.ui.enable=false`): a live dashboard of the cluster, its page, script
 * modules and stylesheet, all served by the worker (no network needed). `GET /ui/workers/{id}/metrics` hands the
 * page another worker's `/metrics`, for a worker id the statuses name only (it is no open proxy), with this worker's
 * own credentials, as internal requests go.
 */
export function uiRoutes(context: RestContext, options: UiOptions): Hono {
  const app = new Hono();
  app.get("/", (c) =>
    c.html(dashboardPage(context.workerId ?? ""), 200, {
      "Content-Security-Policy": CONTENT_SECURITY_POLICY,
      "Cache-Control": "no-cache",
    }),
  );
  app.get("/workers/:worker/metrics", async (c) => {
    const worker = c.req.param("worker");
    if (!clusterWorkers(context).has(worker)) {
      throw new RestError(404, `No worker ${worker} runs a connector or task of this cluster`);
    }
    const headers: Record<string, string> = { accept: "text/plain" };
    if (options.workerAuthorization) headers.authorization = options.workerAuthorization;
    let response: Response;
    try {
      response = await fetch(`http://${worker}/metrics`, {
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(PEER_METRICS_TIMEOUT_MS),
      });
    } catch (error) {
      throw new RestError(502, `Worker ${worker} did not answer for its metrics: ${(error as Error).message}`);
    }
    if (!response.ok) throw new RestError(502, `Worker ${worker} answered ${response.status} for its metrics`);
    return c.body(await response.text(), 200, { "Content-Type": response.headers.get("content-type") ?? "text/plain" });
  });
  app.get("/:asset", (c) => {
    const asset = DASHBOARD_ASSETS.get(c.req.param("asset"));
    if (asset === undefined) return c.notFound();
    return c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "no-cache" });
  });
  return app;
}
