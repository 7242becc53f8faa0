/**
 * A distributed worker's source offsets, connector by connector: most connectors keep theirs in the worker's
 * `offset.storage.topic`; one with `offsets.storage.topic` in its configuration keeps them in that topic, read
 * together with the worker's (storage/connector-offset-store.ts), as Kafka's Worker.offsetStoreFor* decide:
 *
 * - at least once, a connector has a topic of its own only when it names one;
 * - with exactly-once source support, every connector writes its offsets in its tasks' transactions, so on the
 *   cluster its producer writes to: its own topic is the one it names, or the worker's topic on that cluster.
 *
 * A topic that is the worker's own on the worker's cluster needs no second reader: the worker's store serves it
 * (Kafka's sameOffsetTopicAsWorker). Every caller (the tasks, through their services, and the REST offsets routes)
 * goes through here by connector name, so they all see the same offsets. A connector's topic is read by one store per
 * worker, opened on first use and closed after ten idle minutes (a deleted connector's reader does not linger).
 */
import type { AbstractConfig } from "../../api/config-def.ts";
import { ConnectError } from "../../api/errors.ts";
import type { SourceOffset, SourcePartition } from "../../api/record.ts";
import { createLogger } from "../../common/logger.ts";
import type { KafkaClientFactory } from "../../kafka/types.ts";
import { type ConnectorOffsetAccess, ConnectorOffsetStore } from "../../storage/connector-offset-store.ts";
import { KafkaOffsetStore } from "../../storage/kafka-offset-store.ts";
import type { OffsetEntry, OffsetStore } from "../../storage/offset-store.ts";
import { OFFSETS_STORAGE_TOPIC_CONFIG } from "../config/exactly-once-config.ts";
import { clientProperties } from "../config/task-client-properties.ts";

const log = createLogger("worker");

/** How long a connector's topic may go unused before its reader is closed. */
const IDLE_CLOSE_MS = 10 * 60_000;

/** Where a connector's offsets live when it is not the worker's store. */
export interface ConnectorOffsetsTopic {
  readonly topic: string;
  readonly bootstrapServers: string;
}

/**
 * The topic of a source connector's own offsets, or null when the worker's store holds them. `connectorConfig` has
 * its placeholders resolved.
 */
export function connectorOffsetsTopic(
  connectorConfig: Readonly<Record<string, string>>,
  workerConfig: AbstractConfig,
  exactlyOnce: boolean,
): ConnectorOffsetsTopic | null {
  const named = connectorConfig[OFFSETS_STORAGE_TOPIC_CONFIG]?.trim() || null;
  const workerTopic = workerConfig.getString("offset.storage.topic");
  if (named === null && !exactlyOnce) return null;
  const topic = named ?? workerTopic;
  const bootstrapServers = clientProperties(workerConfig, "producer", connectorConfig, {})["bootstrap.servers"] ?? "";
  const workerServers = workerConfig.getList("bootstrap.servers");
  if (topic === workerTopic && sameServers(bootstrapServers.split(","), workerServers)) return null;
  return { topic, bootstrapServers };
}

function sameServers(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((s) => s.trim()).filter((s) => s !== ""));
  const right = new Set(b.map((s) => s.trim()).filter((s) => s !== ""));
  return left.size === right.size && [...left].every((s) => right.has(s));
}

export interface ConnectorOffsetStoresOptions {
  /** The worker's `offset.storage.topic`, which this object starts and stops. */
  readonly worker: OffsetStore;
  readonly workerConfig: AbstractConfig;
  readonly factory: KafkaClientFactory;
  readonly exactlyOnce: boolean;
  /** A connector's configuration with its placeholders resolved; null when the cluster has no such connector. */
  readonly connectorConfig: (connector: string) => Promise<Readonly<Record<string, string>> | null>;
}

interface OpenTopic {
  readonly store: KafkaOffsetStore;
  readonly started: Promise<void>;
  lastUsed: number;
  inUse: number;
}

export class ConnectorOffsetStores implements OffsetStore {
  readonly #topics = new Map<string, OpenTopic>();
  #sweeper: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: ConnectorOffsetStoresOptions) {}

  async start(): Promise<void> {
    await this.options.worker.start();
    this.#sweeper = setInterval(() => this.#closeIdle(), 60_000);
    this.#sweeper.unref?.();
  }

  async stop(): Promise<void> {
    if (this.#sweeper !== null) clearInterval(this.#sweeper);
    const open = [...this.#topics.values()];
    this.#topics.clear();
    await Promise.allSettled([this.options.worker.stop(), ...open.map((t) => t.started.then(() => t.store.stop()))]);
  }

  get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<string, SourceOffset>> {
    return this.#with(connector, (store) => store.get(connector, partitions));
  }

  all(connector: string): Promise<OffsetEntry[]> {
    return this.#with(connector, (store) => store.all(connector));
  }

  set(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    return this.#with(connector, (store) => store.set(connector, entries));
  }

  /**
   * An exactly-once task writes its offsets to its connector's topic in its transactions; the worker's topic gets
   * Kafka's copies around each commit: the tombstones before it (a failure fails the commit), the other offsets
   * after it (best effort). Nothing to do for a connector whose offsets are the worker's.
   */
  copyToWorkerTopic(connector: string, entries: readonly OffsetEntry[], step: "before" | "after"): Promise<void> {
    return this.#with(connector, async (store) => {
      if (!(store instanceof ConnectorOffsetStore)) return;
      if (step === "before") await store.copyTombstones(connector, entries);
      else await store.copyOffsets(connector, entries);
    });
  }

  async #with<T>(connector: string, use: (store: ConnectorOffsetAccess) => Promise<T>): Promise<T> {
    const config = await this.options.connectorConfig(connector);
    const where =
      config === null ? null : connectorOffsetsTopic(config, this.options.workerConfig, this.options.exactlyOnce);
    if (where === null) return use(this.options.worker);
    const open = this.#open(where);
    open.inUse++;
    try {
      await open.started.catch((error) => {
        const key = this.options.exactlyOnce
          ? "offsets.storage.topic, or the worker's topic for exactly-once"
          : OFFSETS_STORAGE_TOPIC_CONFIG;
        throw new ConnectError(
          `Cannot use the offsets topic '${where.topic}' of connector ${connector} (${key}) at ${where.bootstrapServers}: ${(error as Error).message}`,
          { cause: error },
        );
      });
      return await use(new ConnectorOffsetStore(open.store, this.options.worker));
    } finally {
      open.inUse--;
      open.lastUsed = Date.now();
    }
  }

  #open({ topic, bootstrapServers }: ConnectorOffsetsTopic): OpenTopic {
    const key = `${bootstrapServers}\u0000${topic}`;
    const existing = this.#topics.get(key);
    if (existing !== undefined) return existing;
    const { workerConfig, factory } = this.options;
    const store = new KafkaOffsetStore({
      factory,
      clientProperties: { "bootstrap.servers": bootstrapServers },
      topic,
      // Created, when it does not exist yet, as the worker's offsets topic is (Kafka's KafkaOffsetBackingStore).
      partitions: workerConfig.getInt("offset.storage.partitions"),
      replicationFactor: workerConfig.getInt("offset.storage.replication.factor"),
      topicConfigKey: OFFSETS_STORAGE_TOPIC_CONFIG,
    });
    log.info(`reading the connector offsets topic ${topic} at ${bootstrapServers}`);
    const open: OpenTopic = { store, started: store.start(), lastUsed: Date.now(), inUse: 0 };
    // A store that could not start is forgotten, so that the next use tries again; the caller sees why.
    open.started.catch(() => {
      if (this.#topics.get(key) === open) this.#topics.delete(key);
      void store.stop().catch(() => {});
    });
    this.#topics.set(key, open);
    return open;
  }

  #closeIdle(): void {
    const now = Date.now();
    for (const [key, open] of this.#topics) {
      if (open.inUse > 0 || now - open.lastUsed < IDLE_CLOSE_MS) continue;
      this.#topics.delete(key);
      log.info(`closing the reader of connector offsets topic ${open.store.topic}: unused for ten minutes`);
      void open.started.then(() => open.store.stop()).catch(() => {});
    }
  }
}
