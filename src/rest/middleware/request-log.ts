/**
 * One log line per request, as Kafka's Jetty request log (logger `rest`, INFO): method, path with query, status,
 * duration and the request id. The id comes from hono's requestId middleware: a client's `X-Request-Id` is kept
 * (when it is a short token), otherwise a UUID is made; either way the response echoes it in `X-Request-Id`.
 */
import type { MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { createLogger } from "../../common/logger.ts";

const log = createLogger("rest");

export function requestLog(): MiddlewareHandler[] {
  return [
    requestId(),
    async function requestLog(c, next) {
      const start = performance.now();
      try {
        await next();
      } finally {
        const url = new URL(c.req.url);
        const millis = (performance.now() - start).toFixed(1);
        log.info(`${c.req.method} ${url.pathname}${url.search} ${c.res.status} ${millis} ms id=${c.get("requestId")}`);
      }
    },
  ];
}
