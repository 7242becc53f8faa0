import { Hono, type MiddlewareHandler } from "hono";
import { openAPIRouteHandler } from "hono-openapi";
import { errorHandler, notFoundHandler } from "./error-handler.ts";
import { type AuthOptions, restAuth } from "./middleware/auth.ts";
import { workerAuthorization } from "./middleware/auth-credentials.ts";
import { crossOrigin, DEFAULT_ALLOWED_HEADERS } from "./middleware/cross-origin.ts";
import { forwardRequest } from "./middleware/forward-request.ts";
import { requestBody } from "./middleware/request-body.ts";
import { requestLog } from "./middleware/request-log.ts";
import { type HeaderRule, responseHeaders } from "./middleware/response-headers.ts";
import type { RestContext } from "./rest-context.ts";
import { connectorLifecycleRoutes } from "./routes/connector-lifecycle.ts";
import { connectorOffsetsRoutes } from "./routes/connector-offsets.ts";
import { connectorPluginRoutes } from "./routes/connector-plugins.ts";
import { connectorTaskRoutes } from "./routes/connector-tasks.ts";
import { connectorTopicsRoutes } from "./routes/connector-topics.ts";
import { connectorRoutes } from "./routes/connectors.ts";
import { docsRoutes, SCALAR_SCRIPT_PATH } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { internalRoutes } from "./routes/internal.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { rootRoutes } from "./routes/root.ts";
import { uiRoutes } from "./routes/ui.ts";

/** Kafka's ErrorMessage entity, as the OpenAPI document describes a 400 from a validator. */
const ERROR_RESPONSE = {
  description: "Invalid request: Kafka Connect's error body",
  content: {
    "application/json": {
      schema: {
        type: "object" as const,
        properties: { error_code: { type: "integer" as const }, message: { type: "string" as const } },
        required: ["error_code", "message"],
      },
    },
  },
};

/** The server-wide behaviour the worker configures (RestServerConfig's keys and `rest.auth.*`). */
export interface RestServerFeatures {
  /** `response.http.headers.config`, parsed. */
  readonly headerRules?: readonly HeaderRule[];
  /** `access.control.allow.origin`; blank: no CORS headers. */
  readonly allowOrigin?: string;
  /** `access.control.allow.methods`. */
  readonly allowMethods?: string;
  /** Credentials; none: no authentication. */
  readonly auth?: AuthOptions;
  /** `rest.request.body.max.bytes`: the most bytes a request body may have. */
  readonly maxBodyBytes?: number;
  /** `rest.ui.enable`: whether `/ui` serves the dashboard (default true). */
  readonly ui?: boolean;
}

export interface RestAppOptions extends RestServerFeatures {
  /** Routes served under `/admin` (the loggers): given only when they live on the main listeners. */
  readonly adminRoutes?: Hono;
  /** Milliseconds a request forwarded to another worker of a cluster may take (Kafka's 90 s by default). */
  readonly forwardTimeoutMs?: number;
  /** The scheme of this worker's advertised URL (`http:` by default), which the dashboard reaches its peers with. */
  readonly advertisedProtocol?: string;
}

/**
 * The middleware every listener runs, in Kafka's order: request log (Jetty's, around everything), then the
 * response-header and cross-origin filters (main listeners only, as Kafka adds them to the main context), then
 * authentication, then the body's bound and UTF-8 check (sluice's own, after authentication so that no one
 * unauthenticated makes the worker read a body).
 */
function middleware(features: RestServerFeatures, main: boolean, context?: RestContext): MiddlewareHandler[] {
  const chain: MiddlewareHandler[] = [...requestLog()];
  if (main && features.headerRules && features.headerRules.length > 0) {
    chain.push(responseHeaders(features.headerRules));
  }
  const cors =
    main && features.allowOrigin
      ? crossOrigin({
          allowOrigin: features.allowOrigin,
          allowMethods: features.allowMethods,
          // A browser must be allowed to send credentials when the API asks for them.
          allowHeaders: features.auth ? [...DEFAULT_ALLOWED_HEADERS, "Authorization"] : DEFAULT_ALLOWED_HEADERS,
        })
      : undefined;
  if (cors) chain.push(cors);
  const verification = context?.internalRequests;
  const auth = features.auth
    ? restAuth({ ...features.auth, internalRequestsSigned: () => verification?.required() ?? false })
    : undefined;
  if (auth) chain.push(auth);
  chain.push(requestBody({ maxBytes: features.maxBodyBytes }));
  return chain;
}

// `strict: false`: a trailing slash does not change the route, as in Jersey (`/connectors/` lists connectors).
function finish(app: Hono): Hono {
  app.notFound(notFoundHandler(app));
  app.onError(errorHandler);
  return app;
}

/** The REST API, as Kafka Connect's ConnectRestServer lays it out, plus `/openapi.json` and `/docs` (with its script). */
export function createRestApp(context: RestContext, options: RestAppOptions = {}): Hono {
  const app = new Hono({ strict: false });
  app.use(...middleware(options, true, context), forwardRequest({ timeoutMs: options.forwardTimeoutMs }));
  app.route("/", rootRoutes(context));
  app.route("/", healthRoutes(context));
  app.route("/", metricsRoutes(context));
  app.route("/connectors", connectorRoutes(context));
  app.route("/connectors", connectorTopicsRoutes(context));
  app.route("/connectors", connectorOffsetsRoutes(context));
  app.route("/connectors", connectorLifecycleRoutes(context));
  app.route("/connectors", connectorTaskRoutes(context));
  app.route("/connectors", internalRoutes(context));
  app.route("/connector-plugins", connectorPluginRoutes(context));
  if (options.ui !== false) {
    const workerAuth = options.auth ? workerAuthorization(options.auth) : null;
    app.route(
      "/ui",
      uiRoutes(context, {
        workerAuthorization: workerAuth,
        advertisedProtocol: options.advertisedProtocol ?? "http:",
      }),
    );
  }
  if (options.adminRoutes) app.route("/admin", options.adminRoutes);
  app.get(
    "/openapi.json",
    openAPIRouteHandler(app, {
      documentation: {
        info: {
          title: "sluice REST API",
          version: context.version,
          description: "Kafka Connect's REST API, served by sluice. Errors are {error_code, message}.",
        },
      },
      exclude: ["/openapi.json", "/docs", SCALAR_SCRIPT_PATH, "/metrics", /^\/ui/],
      defaultValidationErrorResponse: ERROR_RESPONSE,
      // Routes without a validator or description are listed too: the document is the API's table of contents.
      includeEmptyPaths: true,
    }),
  );
  app.route("/", docsRoutes());
  return finish(app);
}

/** What an `admin.listeners` listener serves: the admin routes under `/admin` and nothing else. */
export function createAdminApp(adminRoutes: Hono, features: RestServerFeatures = {}): Hono {
  const app = new Hono({ strict: false });
  app.use(...middleware(features, false));
  app.route("/admin", adminRoutes);
  return finish(app);
}
