/**
 * Forwarding in a cluster, as Kafka's HerderRequestHandler.completeOrForwardRequest does it: when the herder says
 * another worker must answer (a RequestTargetError: not the leader, or not the owner of the connector or task), the
 * request is sent on to that worker and its answer (status, body, Location) passed back; the Location made this
 * worker's, as Kafka's resource builds it from its own request after forwarding. The `forward` query
 * parameter bounds the hops: a user's request (no `forward`) goes on with `forward=true`, which may go one hop
 * further with `forward=false`; a request that arrived with `forward=false` is not forwarded again but answered
 * with 409, since two hops not finding the right worker means the group is rebalancing.
 *
 * The route handlers stay free of this: the error handler has already answered the error with the 409 for "not
 * forwarded" when this middleware looks at `c.error` and replaces that answer.
 */
import type { Context, MiddlewareHandler } from "hono";
import { createLogger } from "../../common/logger.ts";
import { RequestTargetError } from "../../runtime/distributed/forwardable-errors.ts";
import { SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER } from "../internal-request-signature.ts";
import { rebasedLocation } from "../location.ts";
import { RestError } from "../rest-error.ts";

const log = createLogger("rest");

/** Kafka's RestRequestTimeout default (90 s): how long a forwarded request may take. */
export const DEFAULT_FORWARD_TIMEOUT_MS = 90_000;

/**
 * The headers a forwarded request keeps: credentials (as Kafka's RestClient copies `Authorization`), the body's
 * type, and an internal request's signature, which covers the body alone and so stays valid on the next worker.
 */
const FORWARDED_HEADERS = ["authorization", "content-type", SIGNATURE_HEADER, SIGNATURE_ALGORITHM_HEADER];

/** The answer's headers passed back: the body's type and a created resource's Location. */
const RETURNED_HEADERS = ["content-type", "location"];

export interface ForwardOptions {
  /** Milliseconds a forwarded request may take before it is answered with 500. */
  readonly timeoutMs?: number;
}

/** `<url><path>?forward=<recursive>&<the request's other query parameters>`, as Kafka's UriBuilder builds it. */
function forwardUrl(base: string, c: Context, recursive: boolean): string {
  const original = new URL(c.req.url);
  const target = new URL(`${base.replace(/\/+$/, "")}${original.pathname}`);
  target.searchParams.set("forward", String(recursive));
  for (const [name, value] of original.searchParams) if (name !== "forward") target.searchParams.append(name, value);
  return target.toString();
}

/** Why a request could not be sent, in Kafka's words, naming where it was going. */
function sendFailure(url: string, error: unknown, timeoutMs: number): RestError {
  const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
  const code = (error as { code?: unknown } | null)?.code;
  // Jetty's and Java's words for the two usual faults; anything else as the runtime says it.
  const reason = timedOut
    ? `Total timeout ${timeoutMs} ms elapsed`
    : code === "ECONNREFUSED"
      ? "Connection refused"
      : error instanceof Error
        ? error.message
        : String(error);
  return new RestError(500, `IO Error trying to forward REST request: ${reason} (${url})`, { cause: error });
}

/** The other worker's answer, as Kafka's RestClient reads it and the resource answers it. */
async function relay(c: Context, url: string, response: Response): Promise<Response> {
  const status = response.status;
  if (status === 204) return c.body(null, 204);
  if (status < 200 || (status >= 300 && status < 400)) {
    throw new RestError(500, `Unexpected status code when handling forwarded request: ${status}`);
  }
  const body = await response.text();
  if (status >= 400) {
    // Kafka rebuilds the error from the other worker's {error_code, message}; anything else is a broken answer.
    let error: { error_code?: unknown; message?: unknown } | undefined;
    try {
      error = JSON.parse(body);
    } catch {}
    if (typeof error?.error_code !== "number" || !(typeof error.message === "string" || error.message === null)) {
      throw new RestError(
        500,
        `Error trying to forward REST request: ${url} answered ${status} without Kafka's error body: ${body.slice(0, 200)}`,
      );
    }
  }
  const headers = new Headers();
  for (const name of RETURNED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, name === "location" ? rebasedLocation(value, url, c.req.url) : value);
  }
  return new Response(body, { status, headers });
}

/** The forwarding middleware; it acts only on a RequestTargetError, after the route has run. */
export function forwardRequest({ timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS }: ForwardOptions = {}): MiddlewareHandler {
  return async function forwardRequest(c, next) {
    await next();
    const error = c.error;
    if (!(error instanceof RequestTargetError)) return;
    // JAX-RS's Boolean parameter: absent is null (a user's request), "true" in any case true, anything else false.
    const forward = c.req.query("forward");
    if (forward !== undefined && forward.toLowerCase() !== "true") {
      log.error(
        `Request '${c.req.method} ${c.req.path}' failed because it couldn't find the target Connect worker within two hops (between workers).`,
      );
      return; // the error handler's 409
    }
    if (error.forwardUrl === null) {
      throw new RestError(
        409,
        "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.",
      );
    }
    const url = forwardUrl(error.forwardUrl, c, forward === undefined);
    const headers = new Headers({ accept: "application/json", "user-agent": "kafka-connect" });
    for (const name of FORWARDED_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    // hono caches the body a handler read, so the bytes are still there (re-encoded text if it was read as JSON).
    const hasBody = c.req.method !== "GET" && c.req.method !== "HEAD";
    const body = hasBody ? await c.req.arrayBuffer() : undefined;
    log.debug(`Forwarding request ${c.req.method} ${url}`);
    let response: Response;
    try {
      response = await fetch(url, {
        method: c.req.method,
        headers,
        body: body && body.byteLength > 0 ? body : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw sendFailure(url, cause, timeoutMs); // the error handler logs it
    }
    c.res = await relay(c, url, response);
  };
}
