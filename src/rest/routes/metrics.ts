import { Hono } from "hono";
import type { RestContext } from "../rest-context.ts";

/**
 * `GET /metrics`: the worker's metrics for Prometheus (sluice only: Kafka Connect publishes the same metrics over JMX,
 * which an exporter turns into these names). OpenMetrics when the scraper asks for it in `Accept`.
 */
export function metricsRoutes(context: RestContext): Hono {
  return new Hono().get("/metrics", async (c) => {
    if (context.metrics === undefined) return c.notFound();
    const { contentType, body } = await context.metrics.render(c.req.header("accept"));
    return c.body(body, 200, { "Content-Type": contentType });
  });
}
