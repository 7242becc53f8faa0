/**
 * Consumer over kafka-javascript's `KafkaConsumer`, in a group with the cooperative-sticky assignor and manual
 * commits. Rebalances reach JavaScript through the binding's `rebalance_cb`; each one is chained on
 * `#rebalances`, which (1) calls incrementalAssign / incrementalUnassign itself, because librdkafka waits for that
 * before it finishes the rebalance, and (2) awaits the listener around it. `consume` awaits the chain before it
 * returns, so a caller never sees messages from a rebalance whose listener has not finished.
 */
import { ConnectError } from "../../api/errors.ts";
import type { KafkaLogger } from "../kafka-log-entry.ts";
import type {
  Consumer,
  KafkaProperties,
  MessageBatch,
  RebalanceListener,
  StartOffset,
  TopicPartition,
  TopicPartitionOffset,
} from "../types.ts";
import type {
  BindingConsumer,
  BindingMessage,
  BindingTopicPartition,
  KafkaJavascript,
  LibrdKafkaError,
} from "./binding.ts";
import { bootstrapServers, callback, configError, ERR, kafkaError } from "./errors.ts";
import { forwardLogs } from "./forward-logs.ts";
import { toMessageBatch } from "./messages.ts";

/** The FFI consumer's defaults (see ../ffi/consumer.ts), so that both implementations fetch the same way. */
export const CONSUMER_DEFAULTS: Readonly<Record<string, string>> = {
  "enable.auto.offset.store": "false",
  // librdkafka backs off fetching for fetch.queue.backoff.ms (1 s by default) whenever its local queue holds
  // queued.min.messages, which a consumer draining big batches crosses all the time.
  "fetch.queue.backoff.ms": "10",
  "queued.min.messages": "300000",
};

/** Set over the caller's properties: the rebalance code calls incrementalAssign, and commits are manual. */
export const CONSUMER_OVERRIDES: Readonly<Record<string, string>> = {
  "partition.assignment.strategy": "cooperative-sticky",
  "enable.auto.commit": "false",
};

/** Bounds the binding's blocking seek (it waits for librdkafka's fetcher, not for the broker). */
const SEEK_TIMEOUT_MS = 10_000;

/** Connects a consumer (metadata round trip included); it joins its group at the first `consume` after subscribe. */
export async function createNodeConsumer(
  kafka: KafkaJavascript,
  properties: KafkaProperties,
  logger: KafkaLogger,
): Promise<Consumer> {
  const consumer = new NodeConsumer(kafka, properties, logger);
  await consumer.connect(bootstrapServers(properties));
  return consumer;
}

type ListenerHook = "onPartitionsAssigned" | "onPartitionsRevoked" | "onPartitionsLost";

export class NodeConsumer implements Consumer {
  readonly #native: BindingConsumer;
  #listener: RebalanceListener | undefined;
  #rebalances: Promise<void> = Promise.resolve();
  /** A listener's failure, thrown by the next `consume` (after it has returned the messages it already holds). */
  #listenerError: unknown;
  #consuming = false;
  /** Set once close() has called onPartitionsRevoked itself: the revocation that follows is only carried out. */
  #revokedByClose = false;
  #closing: Promise<void> | null = null;

  constructor(kafka: KafkaJavascript, properties: KafkaProperties, logger: KafkaLogger) {
    try {
      // No topic configuration object: an explicit one, even empty, would replace the topic-level properties
      // (auto.offset.reset, ...) that librdkafka takes from the global ones.
      this.#native = new kafka.KafkaConsumer({
        ...CONSUMER_DEFAULTS,
        ...properties,
        ...CONSUMER_OVERRIDES,
        rebalance_cb: (error: LibrdKafkaError | undefined, partitions: BindingTopicPartition[]) =>
          this.#onRebalance(error, partitions),
      });
    } catch (error) {
      throw configError(error);
    }
    forwardLogs(this.#native, logger, `consumer ${properties["group.id"] ?? ""}`.trimEnd());
    // consume(max, timeout) then waits `timeout` for the first message only, and takes what is ready after it.
    this.#native.setDefaultIsTimeoutOnlyForFirstMessage?.(true);
  }

  /** @internal Used by createNodeConsumer. */
  connect(servers: string): Promise<unknown> {
    return callback(`connect consumer (bootstrap.servers=${servers})`, (done) =>
      this.#native.connect({ allTopics: false, timeout: 30_000 }, done),
    );
  }

  subscribe(topics: readonly string[], listener?: RebalanceListener): void {
    this.#assertOpen("subscribe");
    this.#listener = listener;
    try {
      // librdkafka itself reads a name starting with ^ as a regular expression.
      this.#native.subscribe([...topics]);
    } catch (error) {
      throw kafkaError(error, `subscribe to ${topics.join(", ")}`);
    }
  }

  assign(partitions: readonly (TopicPartition & { readonly offset?: StartOffset })[]): void {
    this.#assertOpen("assign");
    try {
      if (partitions.length === 0) this.#native.unassign();
      else
        this.#native.assign(
          partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: nativeOffset(p.offset) })),
        );
    } catch (error) {
      throw kafkaError(error, "assign");
    }
  }

  async consume(maxMessages: number, timeoutMs: number): Promise<MessageBatch> {
    this.#assertOpen("consume");
    if (this.#consuming) throw new ConnectError("consume: another call is still running", { code: "KAFKA_BUSY" });
    this.#consuming = true;
    try {
      this.#throwListenerError();
      this.#native.setDefaultConsumeTimeout(Math.max(0, timeoutMs));
      const messages = await callback<BindingMessage[]>("consume", (done) => this.#native.consume(maxMessages, done));
      // A rebalance during the poll is posted to the event loop by another async handle than the poll's result,
      // and may run just after it: one turn of the loop lets it in before the chain is awaited.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.#rebalances;
      if (messages.length === 0) this.#throwListenerError();
      return toMessageBatch(messages);
    } finally {
      this.#consuming = false;
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#assertOpen("commit");
    if (offsets.length === 0) return;
    const list = offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    await callback("commit offsets", (done) => this.#native.commitCb(list, done));
  }

  async committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<(TopicPartitionOffset | null)[]> {
    this.#assertOpen("committed");
    if (partitions.length === 0) return [];
    const list = partitions.map(({ topic, partition }) => ({ topic, partition }));
    const result = await callback<BindingTopicPartition[]>("fetch committed offsets", (done) =>
      this.#native.committed(list, timeoutMs, done),
    );
    const byPartition = new Map(result.map((tp) => [`${tp.partition}:${tp.topic}`, tp]));
    return partitions.map(({ topic, partition }) => {
      const tp = byPartition.get(`${partition}:${topic}`);
      if (tp?.error && tp.error.code !== 0) throw kafkaError(tp.error, `committed offset of ${topic} [${partition}]`);
      // librdkafka reports "no committed offset" as RD_KAFKA_OFFSET_INVALID (-1001).
      return tp?.offset !== undefined && tp.offset >= 0 ? { topic, partition, offset: tp.offset } : null;
    });
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#assertOpen("pause");
    try {
      this.#native.pause(partitions.map(({ topic, partition }) => ({ topic, partition })));
    } catch (error) {
      throw kafkaError(error, "pause");
    }
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#assertOpen("resume");
    try {
      this.#native.resume(partitions.map(({ topic, partition }) => ({ topic, partition })));
    } catch (error) {
      throw kafkaError(error, "resume");
    }
  }

  async seek({ topic, partition, offset }: TopicPartitionOffset): Promise<void> {
    this.#assertOpen("seek");
    await callback(`seek ${topic} [${partition}] to ${offset}`, (done) =>
      this.#native.seek({ topic, partition, offset }, SEEK_TIMEOUT_MS, done),
    );
  }

  assignment(): TopicPartition[] {
    if (this.#closing) return [];
    try {
      return this.#native.assignments().map(({ topic, partition }) => ({ topic, partition }));
    } catch (error) {
      throw kafkaError(error, "assignment");
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (!this.#native.isConnected()) return;
    await this.#rebalances;
    let failure: unknown;
    // The listener runs while the consumer still works (it usually commits); librdkafka's own revocation during
    // close would arrive only once the native close has begun.
    const assigned = this.#native.assignments().map(({ topic, partition }) => ({ topic, partition }));
    if (assigned.length > 0) {
      try {
        await this.#listener?.onPartitionsRevoked?.(assigned);
      } catch (error) {
        failure = error;
      }
    }
    this.#revokedByClose = true;
    try {
      this.#native.unsubscribe();
    } catch {
      // Already without a subscription: disconnect still closes.
    }
    await new Promise<void>((resolve) => this.#native.disconnect(() => resolve()));
    await this.#rebalances;
    if (failure !== undefined) throw failure;
  }

  #onRebalance(error: LibrdKafkaError | undefined, partitions: BindingTopicPartition[]): void {
    const code = error?.code;
    // Only meaningful while the rebalance callback runs.
    const lost = code === ERR.REVOKE_PARTITIONS && this.#native.assignmentLost();
    const list = partitions.map(({ topic, partition }) => ({ topic, partition }));
    this.#rebalances = this.#rebalances.then(() => this.#rebalance(code, list, lost));
  }

  async #rebalance(code: number | undefined, partitions: TopicPartition[], lost: boolean): Promise<void> {
    if (code === ERR.ASSIGN_PARTITIONS) {
      // Assigned first, so that the listener may seek or read committed offsets of its new partitions.
      this.#carryOut(() => this.#native.incrementalAssign(partitions));
      await this.#callListener("onPartitionsAssigned", partitions);
    } else if (code === ERR.REVOKE_PARTITIONS) {
      if (!this.#revokedByClose && partitions.length > 0) {
        // As in Kafka's Java client, lost partitions go to onPartitionsRevoked when there is no onPartitionsLost.
        const hook = lost && this.#listener?.onPartitionsLost ? "onPartitionsLost" : "onPartitionsRevoked";
        await this.#callListener(hook, partitions);
      }
      this.#carryOut(() => this.#native.incrementalUnassign(partitions));
    }
  }

  #carryOut(step: () => void): void {
    try {
      step();
    } catch (error) {
      // Fails only when the consumer is closed meanwhile; report it rather than leave the rebalance hanging.
      if (this.#native.isConnected()) this.#listenerError ??= kafkaError(error, "rebalance");
    }
  }

  async #callListener(hook: ListenerHook, partitions: TopicPartition[]): Promise<void> {
    try {
      await this.#listener?.[hook]?.(partitions);
    } catch (error) {
      // Thrown as it is (as the FFI consumer does), so that a RetriableError stays one.
      this.#listenerError ??= error;
    }
  }

  #throwListenerError(): void {
    const error = this.#listenerError;
    if (error === undefined) return;
    this.#listenerError = undefined;
    throw error;
  }

  #assertOpen(operation: string): void {
    if (this.#closing) {
      throw kafkaError({ code: -197, message: "consumer closed" }, `${operation} on a closed consumer`);
    }
  }
}

/** librdkafka's logical offsets: -2 beginning, -1 end, -1001 stored (committed, else auto.offset.reset). */
function nativeOffset(offset: StartOffset | undefined): number {
  if (offset === undefined) return -1001;
  if (offset === "earliest") return -2;
  if (offset === "latest") return -1;
  return offset;
}
