import type { Hono } from "hono";
import { AbstractConfig } from "../api/config-def.ts";
import { ConfigError, ConnectError } from "../api/errors.ts";
import type { KafkaClientFactory } from "../kafka/types.ts";
import type { RestContext } from "../rest/rest-context.ts";
import { RestServer } from "../rest/rest-server.ts";
import { adminRoutes } from "../rest/routes/loggers.ts";
import { FileConfigStore } from "../storage/file-config-store.ts";
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
  /** The `/admin` routes (loggers), served where `admin.listeners` says. */
  readonly adminRoutes?: (context: RestContext) => Hono;
}

export interface RunningStandaloneWorker {
  /** A URL of the first REST listener that this machine can call. */
  readonly url: string;
  /** Where the admin routes answer, or null when `admin.listeners` is empty. */
  readonly adminUrl: string | null;
  /** The advertised `host:port`, as in statuses. */
  readonly workerId: string;
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

  // Bound before the herder exists, as Kafka does: the advertised URL gives the worker id.
  const rest = await RestServer.start(config).catch(async (error) => {
    await offsetStore.stop();
    throw locate(error, options.worker);
  });
  const workerId = rest.workerId;

  const configStore = new FileConfigStore(
    (config.values["config.storage.file.filename"] as string | null) ??
      FileConfigStore.besideOffsets(config.getString("offset.storage.file.filename")),
  );
  const herder = new StandaloneHerder(configStore);
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

  // Ready once the connectors given on the command line are created, as Kafka's ConnectStandalone calls ready().
  let ready = false;
  // Not Promise.withResolvers: the worker also runs on Node.js 20, which lacks it.
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const context: RestContext = {
    herder,
    version: options.version,
    commit: "",
    kafkaClusterId: () => clusterId,
    healthCheck: () => started,
    isReady: () => ready,
  };
  rest.initializeResources(context, options.adminRoutes ?? adminRoutes);
  const url = rest.url;
  log.info(
    `REST API listening on ${url} (worker id ${workerId}), Kafka at ${bootstrap} through ${options.kafka.implementation}`,
  );

  const stop = async () => {
    await rest.stop();
    await herder.stop();
    await worker.stop();
    await offsetStore.stop();
  };

  try {
    // Connectors kept from an earlier run first; a connector file of the command line then replaces its namesake.
    await herder.restore().catch((error: unknown) => {
      throw locate(error, options.worker);
    });
    for (const connector of options.connectors) {
      const exists = herder.connectorNames().includes(connector.name);
      await herder.putConnectorConfig(connector.name, connector.config, exists).catch((error: unknown) => {
        throw error instanceof ConnectError
          ? new ConnectError(`${connector.source}: ${error.message}`, { code: error.code, cause: error })
          : error;
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  ready = true;
  markStarted();
  return { url, adminUrl: rest.adminUrl, workerId, herder, stop };
}
