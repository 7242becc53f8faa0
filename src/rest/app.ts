import { Hono } from "hono";
import { errorHandler, notFoundHandler } from "./error-handler.ts";
import type { RestContext } from "./rest-context.ts";
import { connectorLifecycleRoutes } from "./routes/connector-lifecycle.ts";
import { connectorOffsetsRoutes } from "./routes/connector-offsets.ts";
import { connectorTaskRoutes } from "./routes/connector-tasks.ts";
import { connectorTopicsRoutes } from "./routes/connector-topics.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { rootRoutes } from "./routes/root.ts";

/** The REST API, as Kafka Connect's ConnectRestServer lays it out. */
export function createRestApp(context: RestContext): Hono {
  const app = new Hono();
  app.route("/", rootRoutes(context));
  app.route("/connectors", connectorRoutes(context));
  app.route("/connectors", connectorTopicsRoutes(context));
  app.route("/connectors", connectorOffsetsRoutes(context));
  app.route("/connectors", connectorLifecycleRoutes(context));
  app.route("/connectors", connectorTaskRoutes(context));
  app.notFound(notFoundHandler);
  app.onError(errorHandler);
  return app;
}
