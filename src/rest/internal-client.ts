/**
 * The requests a worker of a cluster sends the leader itself (Kafka's DistributedHerder through its RestClient):
 * a connector's new task configurations (`POST /connectors/{c}/tasks`) and a zombie-fencing round
 * (`PUT /connectors/{c}/fence`), each signed with the session key over the exact body bytes sent, or unsigned when
 * the group has no session key (a protocol before `sessioned`), as Kafka sends them. With REST authentication on,
 * the worker's own credentials go along: the leader lets an unsigned internal request in only with them. Failures
 * are ConnectErrors naming the URL; an answer of 400 and above keeps its status (a RestError) and the leader's
 * message. The dashboard's request for another worker's `/metrics` goes the same way, with the same credentials.
 */
import { ConnectError } from "../api/errors.ts";
import type { LeaderClient, RequestSigning } from "../runtime/distributed/internal-requests.ts";
import { signatureHeaders } from "./internal-request-signature.ts";
import { RestError } from "./rest-error.ts";

/** How long a request to the leader may take: Kafka's RestRequestTimeout default. */
export const DEFAULT_INTERNAL_REQUEST_TIMEOUT_MS = 90_000;

export interface InternalRequestOptions extends RequestSigning {
  /** The `Authorization` header this worker presents (see workerAuthorization), when authentication is on. */
  readonly authorization?: string | null;
  readonly timeoutMs?: number;
}

/** `<leader URL>/connectors/<connector>/<action>`, the connector name escaped as one path segment. */
function connectorUrl(leaderUrl: string, connector: string, action: string): string {
  return `${leaderUrl.replace(/\/+$/, "")}/connectors/${encodeURIComponent(connector)}/${action}`;
}

/** The answer to an internal request: its body and content type, once its status said it was done (2xx). */
interface InternalAnswer {
  readonly text: string;
  readonly contentType: string | null;
}

async function exchange(
  what: string,
  url: string,
  method: string,
  body: Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<InternalAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { "user-agent": "kafka-connect", ...headers },
      body: body.byteLength > 0 ? body : undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && (cause.name === "TimeoutError" || cause.name === "AbortError");
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : cause instanceof Error ? cause.message : cause;
    throw new ConnectError(`Could not send ${what} to ${method} ${url}: ${reason}`, {
      code: "INTERNAL_REQUEST_FAILED",
      cause,
    });
  }
  const text = await response.text();
  if (response.status >= 200 && response.status < 300) {
    return { text, contentType: response.headers.get("content-type") };
  }
  let message = text.slice(0, 500);
  try {
    const error = JSON.parse(text) as { message?: unknown };
    if (typeof error.message === "string") message = error.message;
  } catch {}
  throw new RestError(response.status, `${method} ${url} (${what}) answered ${response.status}: ${message}`, {
    code: "INTERNAL_REQUEST_REFUSED",
  });
}

async function send(
  what: string,
  url: string,
  method: string,
  body: Uint8Array,
  { key, signatureAlgorithm, authorization, timeoutMs = DEFAULT_INTERNAL_REQUEST_TIMEOUT_MS }: InternalRequestOptions,
): Promise<void> {
  const headers: Record<string, string> = {
    accept: "application/json",
    ...(key === null ? {} : signatureHeaders(key, body, signatureAlgorithm)),
  };
  if (authorization) headers.authorization = authorization;
  if (body.byteLength > 0) headers["content-type"] = "application/json";
  await exchange(what, url, method, body, headers, timeoutMs);
}

export interface WorkerMetricsOptions {
  /** The `Authorization` header this worker presents, when authentication is on. */
  readonly authorization: string | null;
  readonly timeoutMs: number;
}

/**
 * Another worker's `GET /metrics` in the Prometheus text format, with this worker's credentials (sluice's own
 * request, for the dashboard: Kafka's workers do not read each other's metrics).
 */
export function fetchWorkerMetrics(workerUrl: string, { authorization, timeoutMs }: WorkerMetricsOptions) {
  const headers: Record<string, string> = { accept: "text/plain" };
  if (authorization) headers.authorization = authorization;
  const url = `${workerUrl.replace(/\/+$/, "")}/metrics`;
  return exchange("a request for its metrics", url, "GET", new Uint8Array(0), headers, timeoutMs);
}

/** Sends the leader a connector's task configurations, to be written to the config topic. */
export function sendTaskConfigs(
  leaderUrl: string,
  connector: string,
  configs: readonly Readonly<Record<string, string>>[],
  options: InternalRequestOptions,
): Promise<void> {
  const body = new TextEncoder().encode(JSON.stringify(configs));
  const what = `task configurations of connector '${connector}'`;
  return send(what, connectorUrl(leaderUrl, connector, "tasks"), "POST", body, options);
}

/** Asks the leader to fence out the zombies of a source connector's earlier task generations. */
export function requestZombieFencing(
  leaderUrl: string,
  connector: string,
  options: InternalRequestOptions,
): Promise<void> {
  const what = `a zombie-fencing request for connector '${connector}'`;
  return send(what, connectorUrl(leaderUrl, connector, "fence"), "PUT", new Uint8Array(0), options);
}

/**
 * The herder's LeaderClient over HTTP: these requests, with the `Authorization` header this worker presents when
 * REST authentication is on (RestServer.workerAuthorization).
 */
export function httpLeaderClient(authorization: string | null): LeaderClient {
  return {
    sendTaskConfigs: (leaderUrl, connector, configs, signing) =>
      sendTaskConfigs(leaderUrl, connector, configs, { ...signing, authorization }),
    requestZombieFencing: (leaderUrl, connector, signing) =>
      requestZombieFencing(leaderUrl, connector, { ...signing, authorization }),
  };
}
