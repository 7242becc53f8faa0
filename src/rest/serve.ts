/**
 * Serves a fetch handler (the Hono app) over HTTP on whichever engine runs the worker: `Bun.serve` on Bun, Node's
 * `http` server through @hono/node-server on Node.js. The Node adapter is imported lazily, so Bun never loads it.
 */
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { hostname as machineName } from "node:os";

export interface ServeOptions {
  /** `0.0.0.0` to listen on every interface. */
  readonly hostname: string;
  /** 0 picks a free port; `RunningServer.port` tells which. */
  readonly port: number;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** Seconds a connection may stay silent before it is closed (Bun only: Node's server has its own timeouts). */
  readonly idleTimeoutSeconds?: number;
}

export interface RunningServer {
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting connections; resolves once the server is closed. */
  stop(): Promise<void>;
}

/** Listens and resolves once the port is bound; rejects when it cannot be (e.g. the port is in use). */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  return process.versions.bun !== undefined ? serveOnBun(options) : serveOnNode(options);
}

/**
 * The authority given to a request that came without a Host header: the listener's address, as Jetty takes the
 * connection's local address then (and so Kafka's absolute Location headers name it). A listener on every interface
 * has no one address: the machine's name stands in, as it does in the advertised URL.
 */
function localAuthority(hostname: string, port: number): string {
  const host = hostname === "" || hostname === "0.0.0.0" || hostname === "::" ? machineName() : hostname;
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * A request without a Host header (HTTP/1.0 allows one; HAProxy's default health check is one) with `authority` in
 * its URL. Left alone, Bun gives it a relative URL, which no route matches, and Node's adapter the listener's
 * hostname without the port.
 */
function withAuthority(request: Request, authority: string): Request {
  if (request.headers.has("host")) return request;
  const path = request.url.startsWith("/") ? request.url : request.url.slice(new URL(request.url).origin.length);
  return new Request(`http://${authority}${path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    duplex: "half", // Node's Request needs it for a streamed body
  } as RequestInit);
}

/** What a fetch handler that threw answers: the handler (hono's onError) is meant to answer every error itself. */
function internalError(error: Error): Response {
  return Response.json({ error_code: 500, message: `Unexpected error: ${error.message}` }, { status: 500 });
}

/**
 * Bun answers some requests before the fetch handler runs, with a status and no body: a malformed request (400),
 * a request line or headers above `--max-http-header-size` (431, 16 KiB by default), and a body above
 * `maxRequestBodySize` (413). The first two cannot be given Kafka's error body; the body's bound is the app's
 * (`rest.request.body.max.bytes`, answered in Kafka's body without reading the body), so Bun's is lifted.
 */
function serveOnBun(options: ServeOptions): RunningServer {
  let authority = "";
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: (request) => options.fetch(withAuthority(request, authority)),
    error: internalError,
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: options.idleTimeoutSeconds ?? 90,
  });
  authority = localAuthority(options.hostname, server.port as number);
  return {
    port: server.port as number,
    stop: () => server.stop(),
  };
}

/**
 * Node's server refuses what its parser cannot read (a malformed request, headers above `--max-http-header-size`)
 * before any handler runs; unlike Bun it lets a `clientError` listener write that answer, so it carries Kafka's body.
 */
function refuseUnreadable(error: Error & { code?: string }, socket: Socket): void {
  // A client gone or a connection already answered: nothing to say, as Node's own default does.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout"]
        : [400, "Bad Request"];
  const body = JSON.stringify({ error_code: status, message: `HTTP ${status} ${reason}: ${error.message}` });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

async function serveOnNode(options: ServeOptions): Promise<RunningServer> {
  const { createAdaptorServer } = await import("@hono/node-server");
  // The adapter answers a handler that threw with an empty 500; Bun's server has `error` for this.
  let authority = "";
  const fetch = async (request: Request) => {
    try {
      return await options.fetch(withAuthority(request, authority));
    } catch (error) {
      return internalError(error as Error);
    }
  };
  // Without serverOptions the adapter makes a plain node:http server.
  const server = createAdaptorServer({ fetch, hostname: options.hostname }) as Server;
  server.on("clientError", refuseUnreadable);
  await new Promise<void>((resolve, reject) => {
    // listen() reports a bound port through 'listening' and a failure (EADDRINUSE, EACCES) through 'error'.
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(options.port, options.hostname);
  });
  const port = (server.address() as AddressInfo).port;
  authority = localAuthority(options.hostname, port);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() waits for open keep-alive connections; idle ones would hold it up, as Bun's stop() does not.
        server.closeIdleConnections();
      }),
  };
}
