import type { Hono } from "hono";
import { ConnectError } from "../api/errors.ts";
import type { KafkaClientFactory } from "../kafka/types.ts";
import type { RestContext } from "../rest/rest-context.ts";
import { RestServer } from "../rest/rest-server.ts";
import { adminRoutes } from "../rest/routes/loggers.ts";
import { FileConfigStore } from "../storage/file-config-store.ts";
import { FileOffsetStore } from "../storage/file-offset-store.ts";
import { locate, type SourcedProperties } from "./config/sourced-properties.ts";
import { standaloneConfigDef } from "./config/worker-config.ts";
import { deferred } from "./deferred.ts";
import { createLogger } from "./logger.ts";
import { StandaloneHerder } from "./standalone-herder.ts";
import { createTaskExecutor } from "./task-execution/create-task-executor.ts";
import { Worker } from "./worker.ts";
import { loadWorkerFoundations } from "./worker-foundations.ts";

const log = createLogger("worker");

export { locate, type SourcedProperties } from "./config/sourced-properties.ts";

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
  /** Where the worker runs its tasks (worker key `task.threads`). */
  readonly taskExecution: "inline" | "threads";
  stop(): Promise<void>;
}

/**
 * Assembles and starts a standalone worker: configuration, Kafka connectivity check, plugins, offsets file,
 * worker, herder, REST API, then the connectors given on the command line.
 */
export async function startStandaloneWorker(options: StandaloneWorkerOptions): Promise<RunningStandaloneWorker> {
  const { config, bootstrap, clusterId, plugins, configTransformer } = await loadWorkerFoundations(
    standaloneConfigDef,
    options.worker,
    options.checkKafka,
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
    executor: createTaskExecutor,
  });
  herder.attach(worker);

  // Ready once the connectors given on the command line are created, as Kafka's ConnectStandalone calls ready().
  const started = deferred();
  const context: RestContext = {
    herder,
    version: options.version,
    commit: "",
    kafkaClusterId: () => clusterId,
    healthCheck: () => started.promise,
    isReady: () => started.resolved,
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
  started.resolve();
  return { url, adminUrl: rest.adminUrl, workerId, herder, taskExecution: worker.taskExecution, stop };
}
