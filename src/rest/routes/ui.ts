import { Hono } from "hono";
import { ConnectError } from "../../api/errors.ts";
import { fetchWorkerMetrics } from "../internal-client.ts";
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
  /**
   * The scheme of this worker's advertised URL (`http:` or `https:`, e.g. behind a TLS proxy): a worker id is only
   * `host:port`, and the workers of a cluster advertise one scheme, as Kafka's forwarding to the leader assumes.
   */
  readonly advertisedProtocol: string;
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
 * own credentials and its advertised scheme, through the internal REST client (internal-client.ts).
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
    try {
      const { text, contentType } = await fetchWorkerMetrics(`${options.advertisedProtocol}//${worker}`, {
        authorization: options.workerAuthorization,
        timeoutMs: PEER_METRICS_TIMEOUT_MS,
      });
      return c.body(text, 200, { "Content-Type": contentType ?? "text/plain" });
    } catch (error) {
      // The page shows "metrics on <worker>" without figures; the reason is for whoever looks at the response.
      if (error instanceof RestError) {
        throw new RestError(502, `Worker ${worker} answered ${error.status} for its metrics`, { cause: error });
      }
      if (error instanceof ConnectError) {
        throw new RestError(502, `Worker ${worker} did not answer for its metrics: ${error.message}`, { cause: error });
      }
      throw error;
    }
  });
  app.get("/:asset", (c) => {
    const asset = DASHBOARD_ASSETS.get(c.req.param("asset"));
    if (asset === undefined) return c.notFound();
    return c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "no-cache" });
  });
  return app;
}
