import { hostname } from "node:os";
import { AbstractConfig } from "../api/config-def.ts";
import { ConfigError, ConnectError } from "../api/errors.ts";
import type { KafkaClientFactory } from "../kafka/types.ts";
import { createRestApp } from "../rest/app.ts";
import { type RunningServer, serve } from "../rest/serve.ts";
import { FileOffsetStore } from "../storage/file-offset-store.ts";
import { createWorkerConfigTransformer } from "./config/providers/create-config-providers.ts";
import { standaloneConfigDef } from "./config/worker-config.ts";
import { createLogger } from "./logger.ts";
import { PluginRegistry } from "./plugin-registry.ts";
import { StandaloneHerder } from "./standalone-herder.ts";
import { Worker } from "./worker.ts";

const log = createLogger("worker");

/** A configuration with where it came from, so errors can name the file and line of a key. */
export interface SourcedProperties {
  readonly props: Readonly<Record<string, string>>;
  /** e.g. `worker.properties`, or `defaults`. */
  readonly source: string;
  readonly lines?: ReadonlyMap<string, number>;
}

export interface StandaloneWorkerOptions {
  readonly worker: SourcedProperties;
  readonly connectors: readonly { name: string; config: Record<string, string>; source: string }[];
  readonly kafka: KafkaClientFactory;
  readonly version: string;
  /** Resolves the Kafka cluster id, proving the brokers answer; rejects with a clear error when they do not. */
  readonly checkKafka: (bootstrapServers: string) => Promise<string | null>;
}

export interface RunningStandaloneWorker {
  readonly url: string;
  readonly herder: StandaloneHerder;
  stop(): Promise<void>;
}

/** Prefixes a ConfigError with the file and line of its key, when known. */
export function locate(error: unknown, sourced: SourcedProperties): unknown {
  if (!(error instanceof ConfigError) || !error.key) return error;
  const line = sourced.lines?.get(error.key);
  const where =
    line === undefined ? `${sourced.source}, key ${error.key}` : `${sourced.source}:${line}, key ${error.key}`;
  return new ConfigError(`${where}: ${error.message}`, { key: error.key, code: error.code, cause: error });
}

function listenerOf(config: AbstractConfig): { host: string; port: number } {
  const first = config.getList("listeners")[0] ?? "http://:8083";
  const match = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)?(?::(\d+))?\/?$/.exec(first.trim());
  if (match?.[1] !== "http") {
    throw new ConfigError(`Invalid listener ${first}: expected http://host:port (https is not supported yet)`, {
      key: "listeners",
    });
  }
  return { host: match[2] ?? "", port: Number(match[3] ?? 8083) };
}

/**
 * Assembles and starts a standalone worker: configuration, Kafka connectivity check, plugins, offsets file,
 * worker, herder, REST API, then the connectors given on the command line.
 */
export async function startStandaloneWorker(options: StandaloneWorkerOptions): Promise<RunningStandaloneWorker> {
  let config: AbstractConfig;
  try {
    config = new AbstractConfig(standaloneConfigDef, options.worker.props);
  } catch (error) {
    throw locate(error, options.worker);
  }
  const bootstrap = config.getList("bootstrap.servers").join(",");
  const clusterId = await options.checkKafka(bootstrap);

  const plugins = await PluginRegistry.load(config.getList("plugin.path")).catch((error) => {
    throw locate(error, options.worker);
  });
  const configTransformer = await createWorkerConfigTransformer(config.originals, config.getList("plugin.path")).catch(
    (error) => {
      throw locate(error, options.worker);
    },
  );
  const offsetStore = new FileOffsetStore(config.getString("offset.storage.file.filename"));
  await offsetStore.start();

  const listener = listenerOf(config);
  const advertisedHost = (config.values["rest.advertised.host.name"] as string | null) ?? (listener.host || hostname());
  const advertisedPort = (config.values["rest.advertised.port"] as number | null) ?? listener.port;
  const workerId = `${advertisedHost}:${advertisedPort}`;

  const herder = new StandaloneHerder();
  const worker = new Worker({
    workerId,
    config,
    plugins,
    kafka: options.kafka,
    offsetStore,
    statusListener: herder,
    configTransformer,
  });
  herder.attach(worker);

  const app = createRestApp({ herder, version: options.version, commit: "", kafkaClusterId: () => clusterId });
  let server: RunningServer;
  try {
    server = await serve({
      hostname: listener.host || "0.0.0.0",
      port: listener.port,
      fetch: app.fetch,
      idleTimeoutSeconds: 90,
    });
  } catch (error) {
    throw new ConnectError(
      `Cannot listen on ${config.getList("listeners")[0]} (listeners): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const url = `http://${listener.host || "localhost"}:${server.port}`;
  log.info(
    `REST API listening on ${url} (worker id ${workerId}), Kafka at ${bootstrap} through ${options.kafka.implementation}`,
  );

  const stop = async () => {
    await server.stop();
    await herder.stop();
    await worker.stop();
    await offsetStore.stop();
  };

  try {
    for (const connector of options.connectors) {
      await herder.putConnectorConfig(connector.name, connector.config, false).catch((error: unknown) => {
        throw error instanceof ConnectError
          ? new ConnectError(`${connector.source}: ${error.message}`, { code: error.code, cause: error })
          : error;
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, herder, stop };
}
