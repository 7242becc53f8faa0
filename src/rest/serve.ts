/**
 * Serves a fetch handler (the Hono app) over HTTP on whichever engine runs the worker: `Bun.serve` on Bun, Node's
 * `http` server through @hono/node-server on Node.js. The Node adapter is imported lazily, so Bun never loads it.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

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
 * Bun answers a body above `maxRequestBodySize` with a bare 413 before the handler runs; the bound is the app's
 * (`rest.request.body.max.bytes`, answered in Kafka's body without reading the body), so Bun's is lifted.
 */
function serveOnBun(options: ServeOptions): RunningServer {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: options.fetch,
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: options.idleTimeoutSeconds ?? 90,
  });
  return {
    port: server.port as number,
    stop: () => server.stop(),
  };
}

async function serveOnNode(options: ServeOptions): Promise<RunningServer> {
  const { createAdaptorServer } = await import("@hono/node-server");
  // Without serverOptions the adapter makes a plain node:http server.
  const server = createAdaptorServer({ fetch: options.fetch, hostname: options.hostname }) as Server;
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
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() waits for open keep-alive connections; idle ones would hold it up, as Bun's stop() does not.
        server.closeIdleConnections();
      }),
  };
}
