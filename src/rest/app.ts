import { Hono } from "hono";
import { errorHandler, notFoundHandler } from "./error-handler.ts";
import type { RestContext } from "./rest-context.ts";
import { connectorPluginRoutes } from "./routes/connector-plugins.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { healthRoutes } from "./routes/health.ts";
import { adminRoutes } from "./routes/loggers.ts";
import { rootRoutes } from "./routes/root.ts";

/** The REST API, as Kafka Connect's ConnectRestServer lays it out. */
export function createRestApp(context: RestContext): Hono {
  const app = new Hono();
  app.route("/", rootRoutes(context));
  app.route("/", healthRoutes(context));
  app.route("/connectors", connectorRoutes(context));
  app.route("/connector-plugins", connectorPluginRoutes(context));
  app.route("/admin", adminRoutes(context));
  app.notFound(notFoundHandler);
  app.onError(errorHandler);
  return app;
}
