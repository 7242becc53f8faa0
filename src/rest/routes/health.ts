import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";

/** How long `GET /health` waits for the worker to answer (Kafka's RestServer.DEFAULT_HEALTH_CHECK_TIMEOUT_MS). */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

const TIMED_OUT = Symbol("timed out");

/** Kafka's WorkerStatus.starting: what `GET /health` answers, with a 503, while the worker starts. */
export const WORKER_STARTING = { status: "starting", message: "Worker is still starting up." } as const;

/**
 * `GET /health` (Kafka's RootResource.healthCheck, KIP-1017): 200 once the worker has started and answers, 503
 * while it is still starting, 500 when a started worker does not answer in time. A failing check is an error body.
 */
export function healthRoutes(context: RestContext, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Hono {
  return new Hono().get("/health", async (c) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    const outcome = await Promise.race([context.healthCheck(), timeout]).finally(() => clearTimeout(timer));
    if (outcome !== TIMED_OUT) {
      return c.json({ status: "healthy", message: "Worker has completed startup and is ready to handle requests." });
    }
    if (!context.isReady()) return c.json(WORKER_STARTING, 503);
    return c.json(
      {
        status: "unhealthy",
        message: "Worker was unable to handle this request and may be unable to handle other requests.",
      },
      500,
    );
  });
}
