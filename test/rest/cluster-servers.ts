/**
 * Real sluice REST servers for cluster tests, each with a fake herder: a "leader" that keeps connectors in memory
 * and answers for real, and "followers" whose every method throws what a distributed herder throws when another
 * worker must answer. Each server records the requests it received, so a test can see what was forwarded.
 */
import { NotFoundError } from "../../src/api/errors.ts";
import { createRestApp, type RestAppOptions } from "../../src/rest/app.ts";
import type { RestContext } from "../../src/rest/rest-context.ts";
import { type RunningServer, serve } from "../../src/rest/serve.ts";
import type {
  InternalRequestSignature,
  InternalRequestVerification,
} from "../../src/runtime/distributed/internal-requests.ts";

export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string;
}

export interface TestServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  stop(): Promise<void>;
}

type Herder = RestContext["herder"];

/** Serves a REST app around a herder on a free port, recording each request before the app answers it. */
export async function startServer(
  herder: object,
  options: RestAppOptions & { internalRequests?: InternalRequestVerification } = {},
): Promise<TestServer> {
  const { internalRequests, ...appOptions } = options;
  const context: RestContext = {
    herder: herder as Herder,
    version: "test",
    commit: "test",
    kafkaClusterId: () => null,
    healthCheck: async () => {},
    isReady: () => true,
    internalRequests,
  };
  const app = createRestApp(context, appOptions);
  const seen: SeenRequest[] = [];
  const server: RunningServer = await serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request) => {
      seen.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: await request.clone().text(),
      });
      return app.fetch(request);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, seen, stop: () => server.stop() };
}

/** A herder all of whose methods throw the error `fail` makes (a NotLeaderError naming the leader, say). */
export function failingHerder(fail: () => Error): object {
  const method = () => {
    throw fail();
  };
  return new Proxy({}, { get: () => method });
}

/** A leader's herder: connectors in memory, internal requests recorded. */
export class LeaderHerder {
  readonly connectors = new Map<string, Record<string, string>>();
  readonly taskConfigs = new Map<string, readonly Readonly<Record<string, string>>[]>();
  readonly signatures: (InternalRequestSignature | null)[] = [];
  readonly fenced: string[] = [];

  private known(name: string): Record<string, string> {
    const config = this.connectors.get(name);
    if (!config) throw new NotFoundError(`Connector ${name} not found`);
    return config;
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  connectorInfo(name: string) {
    return { name, config: this.known(name), tasks: [], type: "source" };
  }

  async putConnectorConfig(name: string, config: Record<string, string>) {
    const created = !this.connectors.has(name);
    this.connectors.set(name, { ...config, name });
    return { created, info: this.connectorInfo(name) };
  }

  async deleteConnector(name: string): Promise<void> {
    this.known(name);
    this.connectors.delete(name);
  }

  async pauseConnector(name: string): Promise<void> {
    this.known(name);
  }

  async restartConnectorAndTasks(name: string, options: { includeTasks: boolean; onlyFailed: boolean }) {
    this.known(name);
    const state = options.includeTasks ? "RESTARTING" : "RUNNING";
    return { name, connector: { state, workerId: "leader:8083" }, tasks: [], type: "source" };
  }

  async restartTask(id: { connector: string; task: number }): Promise<void> {
    this.known(id.connector);
  }

  async putTaskConfigs(
    connector: string,
    configs: readonly Readonly<Record<string, string>>[],
    signature: InternalRequestSignature | null,
  ): Promise<void> {
    this.known(connector);
    this.taskConfigs.set(connector, configs);
    this.signatures.push(signature);
  }

  async fenceZombieSourceTasks(connector: string, signature: InternalRequestSignature | null): Promise<void> {
    this.known(connector);
    this.fenced.push(connector);
    this.signatures.push(signature);
  }
}
