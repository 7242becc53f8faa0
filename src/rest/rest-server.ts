/**
 * The worker's REST server, as Kafka's RestServer: binds every `listeners` entry (and `admin.listeners`) first, so
 * the advertised URL, and with it the worker id, is known before the herder exists; the routes are attached once
 * the herder is ready (`initializeResources`): a standalone worker's once its stored connectors are back, a
 * distributed worker's once it has read its internal topics. Until then a request gets 503, and `GET /health` says
 * `starting`, so that no client reads or changes a state the worker has not restored yet.
 */
import { Hono } from "hono";
import type { AbstractConfig } from "../api/config-def.ts";
import { ConnectError } from "../api/errors.ts";
import { createLogger } from "../common/logger.ts";
import { createAdminApp, createRestApp, type RestServerFeatures } from "./app.ts";
import { advertisedUrl, type Listener, parseAdminListeners, parseListeners, workerIdOf } from "./listeners.ts";
import { loadAuthCredentials, workerAuthorization } from "./middleware/auth-credentials.ts";
import { BODY_MAX_BYTES_KEY } from "./middleware/request-body.ts";
import { parseHeaderRules } from "./middleware/response-headers.ts";
import { UI_ENABLE_KEY } from "./rest-config.ts";
import type { RestContext } from "./rest-context.ts";
import { WORKER_STARTING } from "./routes/health.ts";
import { type RunningServer, serve } from "./serve.ts";

const log = createLogger("rest");

type Fetch = (request: Request) => Response | Promise<Response>;

const starting: Fetch = (request) =>
  new URL(request.url).pathname.replace(/\/+$/, "") === "/health"
    ? Response.json(WORKER_STARTING, { status: 503 })
    : Response.json(
        { error_code: 503, message: "The worker is still starting; try again once GET /health answers 200" },
        { status: 503 },
      );

interface Bound {
  readonly listener: Listener;
  readonly server: RunningServer;
}

async function bind(listeners: readonly Listener[], key: string, fetch: () => Fetch, done: Bound[]): Promise<Bound[]> {
  const bound: Bound[] = [];
  for (const listener of listeners) {
    try {
      const server = await serve({
        hostname: listener.host || "0.0.0.0",
        port: listener.port,
        fetch: (request) => fetch()(request),
        idleTimeoutSeconds: 90,
      });
      bound.push({ listener: { ...listener, port: server.port }, server });
      done.push({ listener, server });
    } catch (error) {
      await Promise.all(done.map((b) => b.server.stop()));
      throw new ConnectError(`Cannot listen on ${listener.text} (${key}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return bound;
}

function localUrl({ listener }: Bound): string {
  const host = listener.host === "" || listener.host === "0.0.0.0" ? "localhost" : listener.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${listener.port}`;
}

export class RestServer {
  private mainFetch: Fetch = starting;
  private adminFetch: Fetch = starting;

  private constructor(
    private readonly features: RestServerFeatures,
    private readonly main: readonly Bound[],
    /** null: the admin routes go on the main listeners; empty: they are disabled. */
    private readonly admin: readonly Bound[] | null,
    /** The URL given out to clients and other workers. */
    readonly advertisedUrl: URL,
  ) {}

  /** Whether requests need credentials (`rest.auth.*`). */
  get authenticates(): boolean {
    return this.features.auth !== undefined;
  }

  /**
   * The `Authorization` this worker presents with the internal requests it sends another worker (workerAuthorization
   * in auth-credentials.ts); null when authentication is off or it has nothing to present.
   */
  get workerAuthorization(): string | null {
    return this.features.auth ? workerAuthorization(this.features.auth) : null;
  }

  /** Reads the REST keys, loads the credentials files and binds every listener. */
  static async start(config: AbstractConfig): Promise<RestServer> {
    const listeners = parseListeners(config.getList("listeners"));
    const adminListeners = parseAdminListeners(config.values["admin.listeners"] as string[] | null);
    const credentials = await loadAuthCredentials({
      credentialsFile: config.values["rest.auth.basic.credentials.file"] as string | null,
      tokensFile: config.values["rest.auth.bearer.tokens.file"] as string | null,
      tokens: config.values["rest.auth.bearer.tokens"] as string | null,
    });
    const enabled = credentials.users.size > 0 || credentials.tokens.length > 0;
    const features: RestServerFeatures = {
      headerRules: parseHeaderRules(config.getString("response.http.headers.config")),
      allowOrigin: config.getString("access.control.allow.origin"),
      allowMethods: config.getString("access.control.allow.methods"),
      auth: enabled ? { ...credentials, realm: config.getString("rest.auth.realm") } : undefined,
      maxBodyBytes: config.getInt(BODY_MAX_BYTES_KEY),
      ui: config.getBoolean(UI_ENABLE_KEY),
    };
    const done: Bound[] = [];
    let server: RestServer | undefined;
    const main = await bind(listeners, "listeners", () => server?.mainFetch ?? starting, done);
    const admin = adminListeners
      ? await bind(adminListeners, "admin.listeners", () => server?.adminFetch ?? starting, done)
      : null;
    const url = advertisedUrl({
      bound: main.map((b) => b.listener),
      advertisedListener: config.values["rest.advertised.listener"] as string | null,
      advertisedHostName: config.values["rest.advertised.host.name"] as string | null,
      advertisedPort: config.values["rest.advertised.port"] as number | null,
    });
    server = new RestServer(features, main, admin, url);
    return server;
  }

  /** `host:port` of the advertised URL: the `worker_id` of statuses. */
  get workerId(): string {
    return workerIdOf(this.advertisedUrl);
  }

  /** A URL of the first main listener that this machine can call. */
  get url(): string {
    return localUrl(this.main[0] as Bound);
  }

  /** Where the admin routes answer: the first admin listener, the main URL, or null when disabled. */
  get adminUrl(): string | null {
    if (this.admin === null) return this.url;
    const first = this.admin[0];
    return first ? localUrl(first) : null;
  }

  /** Attaches the routes: from now on requests are answered. */
  initializeResources(context: RestContext, adminRoutes?: (context: RestContext) => Hono): void {
    const onMain = this.admin === null && adminRoutes ? adminRoutes(context) : undefined;
    this.mainFetch = createRestApp(context, {
      ...this.features,
      adminRoutes: onMain,
      advertisedProtocol: this.advertisedUrl.protocol,
    }).fetch;
    if (this.admin !== null && this.admin.length > 0) {
      this.adminFetch = createAdminApp(adminRoutes ? adminRoutes(context) : new Hono(), this.features).fetch;
    }
    log.info(
      `REST listeners ${this.main.map(localUrl).join(", ")}, advertised URL ${this.advertisedUrl.origin}` +
        (this.admin === null
          ? ""
          : this.admin.length === 0
            ? ", admin routes disabled"
            : `, admin routes on ${this.admin.map(localUrl).join(", ")}`),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.main, ...(this.admin ?? [])].map((b) => b.server.stop()));
  }
}
