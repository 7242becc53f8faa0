import { ConnectError } from "../../api/errors.ts";
import { deferred } from "../../common/deferred.ts";
import { createLogger } from "../../common/logger.ts";
import type { RestContext } from "../../rest/rest-context.ts";
import { RestServer } from "../../rest/rest-server.ts";
import { adminRoutes } from "../../rest/routes/loggers.ts";
import type { InitialState } from "../../runtime/config/connector-file.ts";
import { EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG } from "../../runtime/config/exactly-once-config.ts";
import { locate } from "../../runtime/config/sourced-properties.ts";
import { standaloneConfigDef } from "../../runtime/config/worker-config.ts";
import { StandaloneHerder } from "../../runtime/herders/standalone-herder.ts";
import { createTaskExecutor } from "../../runtime/task-execution/create-task-executor.ts";
import { Worker } from "../../runtime/worker.ts";
import { FileConfigStore } from "../../storage/file-config-store.ts";
import { FileOffsetStore } from "../../storage/file-offset-store.ts";
import { loadWorkerFoundations, type WorkerStartOptions, workerMetrics } from "./worker-foundations.ts";

const log = createLogger("worker");

export { locate, type SourcedProperties } from "../../runtime/config/sourced-properties.ts";

/** A connector file of the command line. */
export interface CommandLineConnector {
  readonly name: string;
  readonly config: Record<string, string>;
  /** The file, named in errors. */
  readonly source: string;
  /** A create-connector file's `initial_state`: how a connector not stored yet starts. */
  readonly initialState?: InitialState;
}

export interface StandaloneWorkerOptions extends WorkerStartOptions {
  /** The connector files of the command line, created (or updated) once the kept connectors are restored. */
  readonly connectors: readonly CommandLineConnector[];
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
 * worker, herder, the connectors kept from an earlier run and those given on the command line, then the REST
 * routes (the listeners answer 503 until then: a client would see, or change, a state not restored yet).
 */
export async function startStandaloneWorker(options: StandaloneWorkerOptions): Promise<RunningStandaloneWorker> {
  const { config, bootstrap, clusterId, plugins, configTransformer } = await loadWorkerFoundations(
    standaloneConfigDef,
    options.worker,
    options.checkKafka,
  );
  if (config.originals[EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG] !== undefined) {
    // Kafka's standalone worker ignores the key too, but only lists it among unused ones: said plainly here.
    log.warn(
      `${EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG} is a distributed-mode key: a standalone worker ignores it, as Kafka's ` +
        "does, and delivers source records at least once",
    );
  }
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
    metrics: workerMetrics(worker, null),
    workerId,
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await rest.stop();
      await herder.stop();
      await worker.stop();
      await offsetStore.stop();
    })();
    return stopping;
  };

  try {
    await startConnectors(herder, options);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = rest.url;
  if (!options.signal?.aborted) {
    started.resolve();
    rest.initializeResources(context, options.adminRoutes ?? adminRoutes);
    log.info(
      `REST API listening on ${url} (worker id ${workerId}), Kafka at ${bootstrap} through ${options.kafka.implementation}`,
    );
  }
  return { url, adminUrl: rest.adminUrl, workerId, herder, taskExecution: worker.taskExecution, stop };
}

/**
 * Starts the connectors kept from an earlier run and those of the command line, each once: a connector file
 * replaces its stored namesake's configuration and keeps its target state, as an update through the REST API would
 * (Kafka's standalone worker keeps no connectors, so its command line only creates). A stored connector that
 * cannot start again is logged and kept; a connector file that cannot start fails the worker's start, naming it.
 */
async function startConnectors(
  herder: StandaloneHerder,
  { connectors, signal, worker }: StandaloneWorkerOptions,
): Promise<void> {
  const keptStates = await herder.restore(new Set(connectors.map((c) => c.name)), signal).catch((error: unknown) => {
    throw locate(error, worker);
  });
  for (const connector of connectors) {
    if (signal?.aborted) return;
    const initial = connector.initialState === "RUNNING" ? "STARTED" : connector.initialState;
    const targetState = keptStates.get(connector.name) ?? initial;
    await herder.putConnectorConfig(connector.name, connector.config, true, targetState).catch((error: unknown) => {
      throw error instanceof ConnectError
        ? new ConnectError(`${connector.source}: ${error.message}`, { code: error.code, cause: error })
        : error;
    });
  }
}
