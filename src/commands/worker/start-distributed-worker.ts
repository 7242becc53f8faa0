import { ConfigError } from "../../api/errors.ts";
import { deferred } from "../../common/deferred.ts";
import { createLogger } from "../../common/logger.ts";
import type { KafkaProperties } from "../../kafka/types.ts";
import { httpLeaderClient } from "../../rest/internal-client.ts";
import type { RestContext } from "../../rest/rest-context.ts";
import { RestServer } from "../../rest/rest-server.ts";
import { adminRoutes } from "../../rest/routes/loggers.ts";
import { distributedConfigDef } from "../../runtime/config/distributed-config.ts";
import { exactlyOnceSourceEnabled, transactionalLeaderEnabled } from "../../runtime/config/exactly-once-config.ts";
import { locate } from "../../runtime/config/sourced-properties.ts";
import { clientProperties } from "../../runtime/config/task-client-properties.ts";
import { DistributedHerder } from "../../runtime/distributed/distributed-herder.ts";
import { StatusTopicTracker } from "../../runtime/distributed/status-topic-tracker.ts";
import { DEFAULT_TRANSACTION_TIMEOUT_MS } from "../../runtime/exactly-once/exactly-once-source-task.ts";
import { fenceZombies } from "../../runtime/exactly-once/fence-zombies.ts";
import { ConnectorOffsetStores } from "../../runtime/offsets/connector-offset-stores.ts";
import { createTaskExecutor } from "../../runtime/task-execution/create-task-executor.ts";
import { Worker } from "../../runtime/worker.ts";
import { FencableConfigWriter } from "../../storage/fencable-config-writer.ts";
import { KafkaConfigStore } from "../../storage/kafka-config-store.ts";
import { KafkaOffsetStore } from "../../storage/kafka-offset-store.ts";
import { KafkaStatusStore } from "../../storage/kafka-status-store.ts";
import { loadWorkerFoundations, type WorkerStartOptions, workerMetrics } from "./worker-foundations.ts";

const log = createLogger("worker");

export type DistributedWorkerOptions = WorkerStartOptions;

export interface RunningDistributedWorker {
  readonly url: string;
  readonly workerId: string;
  readonly herder: DistributedHerder;
  stop(): Promise<void>;
}

/**
 * Assembles and starts a distributed worker (Kafka's ConnectDistributed): configuration, Kafka connectivity check,
 * plugins, the REST listeners (bound first: the advertised URL is the worker's identity), the config, offset and
 * status topics (created compacted when absent), the worker, and the herder, which joins the group. The routes are
 * attached once the internal topics are read (503 before: the connectors and statuses are not known yet), and
 * before the herder joins the group, so that the other workers can reach this one as soon as it is a member.
 */
export async function startDistributedWorker(options: DistributedWorkerOptions): Promise<RunningDistributedWorker> {
  const { config, bootstrap, clusterId, plugins, configTransformer } = await loadWorkerFoundations(
    distributedConfigDef,
    options.worker,
    options.checkKafka,
  );
  const rest = await RestServer.start(config).catch((error) => {
    throw locate(error, options.worker);
  });
  const workerId = rest.workerId;
  const groupId = config.getString("group.id");
  const protocol = config.getString("connect.protocol").toLowerCase() as "eager" | "compatible" | "sessioned";
  if (protocol !== "sessioned" && rest.authenticates && rest.workerAuthorization === null) {
    // Unsigned internal requests need credentials (src/rest/middleware/auth.ts): this worker must have some to send.
    await rest.stop();
    throw locate(
      new ConfigError(
        `With connect.protocol=${protocol} internal requests are not signed, so the leader asks this worker for ` +
          "credentials, and it has none to present: every password in rest.auth.basic.credentials.file is a hash. " +
          "Add a bearer token (rest.auth.bearer.tokens) or a user with a plain-text password, or use " +
          "connect.protocol=sessioned",
        { key: "connect.protocol" },
      ),
      options.worker,
    );
  }

  // The internal topics' clients: the worker's bootstrap servers and its plain client keys (as Kafka's
  // ConnectUtils / the `producer.` and `consumer.` prefixes are for tasks only).
  const internalClientProperties: KafkaProperties = { "bootstrap.servers": bootstrap };
  const exactlyOnceSource = exactlyOnceSourceEnabled(config);
  const herder = new DistributedHerder({
    url: rest.url,
    bootstrap,
    groupId,
    sessionTimeoutMs: config.getInt("session.timeout.ms"),
    rebalanceTimeoutMs: config.getInt("rebalance.timeout.ms"),
    heartbeatIntervalMs: config.getInt("heartbeat.interval.ms"),
    scheduledRebalanceMaxDelayMs: config.getInt("scheduled.rebalance.max.delay.ms"),
    protocol,
    retryBackoffMs: config.getLong("retry.backoff.ms"),
    leader: httpLeaderClient(rest.workerAuthorization),
    exactlyOnceSource,
    fenceZombies: (connector, count) =>
      fenceZombies({
        kafka: options.kafka,
        properties: clientProperties(config, "producer", {}, {}),
        groupId,
        connector,
        count,
        timeoutMs: DEFAULT_TRANSACTION_TIMEOUT_MS,
      }),
  });
  const configTopic = config.getString("config.storage.topic");
  const configStore = new KafkaConfigStore({
    factory: options.kafka,
    clientProperties: internalClientProperties,
    // With exactly-once source enabled or being prepared, the leader writes through a transactional producer that
    // fences earlier leaders (Kafka's transactional leader).
    fencableWriter: transactionalLeaderEnabled(config)
      ? new FencableConfigWriter({
          factory: options.kafka,
          properties: internalClientProperties,
          groupId,
          topic: configTopic,
          timeoutMs: DEFAULT_TRANSACTION_TIMEOUT_MS,
        })
      : undefined,
    mayClaimWritePrivileges: () => herder.isLeader && herder.mayCommitOffsets(),
    topic: configTopic,
    replicationFactor: config.getInt("config.storage.replication.factor"),
    listener: herder,
  });
  // Connectors with an offsets topic of their own read it together with the worker's (connector-offset-stores.ts).
  const offsetStore = new ConnectorOffsetStores({
    worker: new KafkaOffsetStore({
      factory: options.kafka,
      clientProperties: internalClientProperties,
      topic: config.getString("offset.storage.topic"),
      partitions: config.getInt("offset.storage.partitions"),
      replicationFactor: config.getInt("offset.storage.replication.factor"),
    }),
    workerConfig: config,
    factory: options.kafka,
    exactlyOnce: exactlyOnceSource,
    connectorConfig: async (connector) => {
      const stored = herder.storedConnectorConfig(connector);
      if (stored === null) return null;
      // Placeholders are resolved only when one could name the topic or its cluster: this runs at every commit.
      const placeholders = Object.values(stored).some((value) => value.includes("${"));
      return configTransformer && placeholders ? configTransformer.transform(stored) : stored;
    },
  });
  const statusStore = new KafkaStatusStore({
    factory: options.kafka,
    clientProperties: internalClientProperties,
    topic: config.getString("status.storage.topic"),
    partitions: config.getInt("status.storage.partitions"),
    replicationFactor: config.getInt("status.storage.replication.factor"),
  });
  const topicTracker = new StatusTopicTracker(config, statusStore);
  const worker = new Worker({
    workerId,
    config,
    plugins,
    kafka: options.kafka,
    offsetStore,
    statusListener: herder,
    configTransformer,
    executor: createTaskExecutor,
    mayCommitOffsets: () => herder.mayCommitOffsets(),
    topicTracker,
  });
  herder.attach({ worker, configStore, statusStore, topicTracker });

  const started = deferred();
  const context: RestContext = {
    herder,
    version: options.version,
    commit: "",
    kafkaClusterId: () => clusterId,
    // Healthy once it has joined the group and read the config topic, and while its herder takes requests.
    healthCheck: () => started.promise.then(() => herder.healthCheck()),
    isReady: () => started.resolved,
    internalRequests: herder.internalRequestVerification(),
    metrics: workerMetrics(worker, herder.rebalanceMetrics),
    workerId,
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await herder.stop();
      await worker.stop();
      await rest.stop();
      await Promise.allSettled([configStore.stop(), offsetStore.stop(), statusStore.stop()]);
    })();
    return stopping;
  };
  try {
    await Promise.all([configStore.start(), offsetStore.start(), statusStore.start()]);
    if (!options.signal?.aborted) {
      rest.initializeResources(context, options.adminRoutes ?? adminRoutes);
      await herder.start();
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw locate(error, options.worker);
  }
  if (!options.signal?.aborted) {
    started.resolve();
    log.info(`REST API listening on ${rest.url} (worker id ${workerId}), group ${groupId}, Kafka at ${bootstrap}`);
  }
  return { url: rest.url, workerId, herder, stop };
}
