/**
 * Consumer over librdkafka's high-level (group) consumer, driven without blocking the JavaScript thread.
 *
 * Three queues, one Waker:
 * - the consumer queue (`rd_kafka_poll_set_consumer`): rebalance, error and log events;
 * - the message queue: every assigned partition's fetch queue is forwarded to it, and `consume` takes messages
 *   from it in bulk with `rd_kafka_consume_batch_queue(queue, 0, ...)`;
 * - a reply queue for commits and committed-offset lookups.
 *
 * Rebalance events are handled inside `consume` (and `close`) only, like Kafka's Java consumer does inside poll():
 * the listener never runs while the caller is between two consume calls working on a batch.
 *
 * While subscribed, a tick (CGRP_TICK_MS) wakes librdkafka's main thread, which runs the group state machine only
 * when it wakes: see `#startTick`.
 */
import type { Pointer } from "bun:ffi";
import { ConfigError } from "../../api/errors.ts";
import type { KafkaError } from "../errors.ts";
import type {
  Consumer,
  KafkaProperties,
  MessageBatch,
  RebalanceListener,
  StartOffset,
  TopicPartition,
  TopicPartitionOffset,
} from "../types.ts";
import { bootstrapServers, createClient } from "./conf.ts";
import {
  DESTROY_F_NO_CONSUMER_CLOSE,
  ERR,
  EVENT_ERROR,
  EVENT_FETCH,
  EVENT_LOG,
  EVENT_OFFSET_COMMIT,
  EVENT_REBALANCE,
  PARTITION_UA,
  RD_KAFKA_CONSUMER,
} from "./constants.ts";
import { commitOffsets, committedOffsets } from "./consumer-offsets.ts";
import { fromErrorObject, kafkaError } from "./errors.ts";
import { Waker } from "./event-queue.ts";
import { cstr, rdkafka, readCString } from "./library.ts";
import { type KafkaLogger, logErrorEvent, logEvent } from "./log-events.ts";
import { type FfiMessageBatch, NativeBatch } from "./message-batch.ts";
import { forwardPartition, handleRebalance } from "./rebalance.ts";
import { ReplyQueue } from "./replies.ts";
import { TopicNames, takeMessages } from "./take-messages.ts";
import { createTpl, destroyTpl, nativeOffset, readTpl, toTopicPartitions } from "./topic-partition-list.ts";

export const CONSUMER_DEFAULTS: Readonly<Record<string, string>> = {
  "partition.assignment.strategy": "cooperative-sticky",
  "enable.auto.commit": "false",
  "enable.auto.offset.store": "false",
  "log.queue": "true",
  // Throughput: librdkafka backs off fetching for fetch.queue.backoff.ms (1 s by default) whenever the local queue
  // holds queued.min.messages, which a consumer draining 10k-message batches crosses all the time. The queue stays
  // bounded by queued.max.messages.kbytes (64 MiB).
  "fetch.queue.backoff.ms": "10",
  "queued.min.messages": "300000",
};

/** How long close waits for librdkafka to leave the group before destroying the handle anyway. */
const CLOSE_TIMEOUT_MS = 30_000;

/** How long a static member's close waits for its revocation and LeaveGroup before closing anyway. */
const STATIC_LEAVE_TIMEOUT_MS = 10_000;

/** How often a subscribed consumer wakes librdkafka's main thread (see `#startTick`). */
const CGRP_TICK_MS = 100;

interface Waiter {
  readonly max: number;
  readonly resolve: (batch: MessageBatch) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  timedOut: boolean;
}

export class FfiConsumer implements Consumer {
  readonly #rk: Pointer;
  /** For highWatermark(): the topics' C strings and the two out-parameters, made once. */
  readonly #topicNames = new Map<string, Uint8Array>();
  readonly #lowWatermark = new BigInt64Array(1);
  readonly #highWatermark = new BigInt64Array(1);
  readonly #consumerQueue: Pointer;
  readonly #messageQueue: Pointer;
  readonly #waker: Waker;
  readonly #replies: ReplyQueue;
  readonly #logger: KafkaLogger;
  readonly #groupId: string;
  readonly #servers: string;
  readonly #client: string;
  /** KIP-345 static membership (`group.instance.id` set): see `#leaveAsStaticMember`. */
  readonly #staticMember: boolean;
  #subscribed = false;
  #listener: RebalanceListener | undefined;
  /** REBALANCE events not yet handled, in arrival order. */
  readonly #rebalances: Pointer[] = [];
  #rebalancing: Promise<void> | null = null;
  #rebalanceError: Error | null = null;
  /** FETCH events that reached the consumer queue (a partition whose forward was reset), served first. */
  readonly #stray: Pointer[] = [];
  readonly #live = new Set<NativeBatch>();
  readonly #topics = new TopicNames();
  #waiter: Waiter | null = null;
  #fatal: KafkaError | null = null;
  #closingMode = false;
  #closing: Promise<void> | null = null;
  #destroyed = false;
  #tick: ReturnType<typeof setInterval> | undefined;

  constructor(properties: KafkaProperties, logger: KafkaLogger) {
    const groupId = properties["group.id"];
    if (!groupId) throw new ConfigError('Kafka consumer property "group.id" is required', { key: "group.id" });
    const lib = rdkafka();
    this.#groupId = groupId;
    this.#logger = logger;
    this.#servers = bootstrapServers(properties);
    // The tasks of one sink connector share a group: the client.id tells their log lines apart.
    const clientId = properties["client.id"];
    this.#client = clientId ? `consumer ${groupId} (${clientId})` : `consumer ${groupId}`;
    this.#staticMember = (properties["group.instance.id"] ?? "") !== "";
    const events = EVENT_REBALANCE | EVENT_OFFSET_COMMIT | EVENT_ERROR | EVENT_FETCH | EVENT_LOG;
    this.#rk = createClient(RD_KAFKA_CONSUMER, properties, CONSUMER_DEFAULTS, events);
    lib.rd_kafka_set_log_queue(this.#rk, null);
    lib.rd_kafka_poll_set_consumer(this.#rk);
    this.#consumerQueue = lib.rd_kafka_queue_get_consumer(this.#rk) as Pointer;
    this.#messageQueue = lib.rd_kafka_queue_new(this.#rk) as Pointer;
    this.#waker = new Waker(() => this.#service());
    this.#waker.watch(this.#consumerQueue);
    this.#waker.watch(this.#messageQueue);
    this.#replies = new ReplyQueue(this.#rk, this.#waker);
  }

  subscribe(topics: readonly string[], listener?: RebalanceListener): void {
    this.#assertOpen();
    this.#listener = listener;
    const tpl = createTpl(topics.map((topic) => ({ topic, partition: PARTITION_UA })));
    try {
      const err = rdkafka().rd_kafka_subscribe(this.#rk, tpl);
      if (err !== 0) throw kafkaError(err, `subscribe to ${topics.join(", ")}`);
    } finally {
      destroyTpl(tpl);
    }
    this.#subscribed = true;
    this.#startTick();
  }

  /**
   * librdkafka runs its group state machine (heartbeats; rejoins, which it spaces at least 1 s apart) on its main
   * thread, and only when that thread wakes: for an operation on its queue or a timer, and a consumer's timers are
   * 500 ms apart at best (1 s before its first assignment). So a `heartbeat.interval.ms` below 500 had no effect, and
   * a member that had to rejoin after a failed SyncGroup waited up to 2 s instead of 1. Measured with 4 sink tasks
   * (heartbeat.interval.ms=250): a restarted task's partition went unread for about 580 ms without the tick and
   * 300 ms with it; a rejoin after a failed SyncGroup took 2.0 s without and 1.1 s with. The tick asks for the
   * rebalance protocol: a group operation that the main thread answers at once, and which wakes it.
   */
  #startTick(): void {
    if (this.#tick !== undefined) return;
    this.#tick = setInterval(() => {
      if (!this.#destroyed && !this.#closingMode) rdkafka().rd_kafka_rebalance_protocol(this.#rk);
    }, CGRP_TICK_MS);
    this.#tick.unref();
  }

  #stopTick(): void {
    clearInterval(this.#tick);
    this.#tick = undefined;
  }

  assign(partitions: readonly (TopicPartition & { readonly offset?: StartOffset })[]): void {
    this.#assertOpen();
    const lib = rdkafka();
    this.#topics.clear();
    if (partitions.length === 0) {
      const err = lib.rd_kafka_assign(this.#rk, null);
      if (err !== 0) throw kafkaError(err, "assign no partitions");
      return;
    }
    // The forward is set before the assignment starts the fetcher, as for a group's assignment (rebalance.ts).
    for (const { topic, partition } of partitions) forwardPartition(this.#rk, this.#messageQueue, topic, partition);
    const tpl = createTpl(
      partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: nativeOffset(p.offset) })),
    );
    try {
      const err = lib.rd_kafka_assign(this.#rk, tpl);
      if (err !== 0) throw kafkaError(err, `assign ${partitions.map((p) => `${p.topic} [${p.partition}]`).join(", ")}`);
    } finally {
      destroyTpl(tpl);
    }
  }

  consume(maxMessages: number, timeoutMs: number): Promise<MessageBatch> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    if (this.#closing) return Promise.reject(kafkaError(ERR._DESTROY, "consume on a closed consumer"));
    if (this.#waiter) return Promise.reject(new Error("consume: one call at a time"));
    return new Promise<MessageBatch>((resolve, reject) => {
      const waiter: Waiter = { max: Math.max(1, maxMessages), resolve, reject, timer: undefined, timedOut: false };
      this.#waiter = waiter;
      this.#waker.hold();
      waiter.timer = setTimeout(() => {
        waiter.timedOut = true;
        this.#service();
      }, timeoutMs);
      this.#service();
    });
  }

  commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    if (this.#destroyed) return Promise.reject(kafkaError(ERR._DESTROY, "commit on a closed consumer"));
    return commitOffsets(this.#rk, this.#replies, offsets);
  }

  async committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<(TopicPartitionOffset | null)[]> {
    if (partitions.length === 0) return [];
    if (this.#destroyed) throw kafkaError(ERR._DESTROY, "committed on a closed consumer");
    return committedOffsets(this.#rk, this.#replies, this.#groupId, this.#servers, partitions, timeoutMs);
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#partitionsCall(partitions, "pause", (tpl) => rdkafka().rd_kafka_pause_partitions(this.#rk, tpl));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#partitionsCall(partitions, "resume", (tpl) => rdkafka().rd_kafka_resume_partitions(this.#rk, tpl));
  }

  /**
   * Moves a partition's next fetch. A limit of librdkafka's (read in rdkafka_partition.c): a seek while the
   * partition still looks up a logical start offset ("earliest", "latest") can be undone when the lookup's late
   * reply, outdated by the seek, restarts the lookup; a seek made once records of the partition arrive holds.
   */
  async seek(partition: TopicPartitionOffset): Promise<void> {
    this.#assertOpen();
    const tpl = createTpl([partition]);
    try {
      // Timeout 0: asynchronous. The partition's version barrier is bumped before the call returns, so messages
      // fetched before the seek are discarded by the next consume.
      const error = rdkafka().rd_kafka_seek_partitions(this.#rk, tpl, 0);
      if (error)
        throw fromErrorObject(error, `seek ${partition.topic} [${partition.partition}] to ${partition.offset}`);
      // An asynchronous seek marks each partition _IN_PROGRESS.
      const failed = readTpl(tpl).find((p) => p.err !== 0 && p.err !== ERR._IN_PROGRESS);
      if (failed) throw kafkaError(failed.err, `seek ${failed.topic} [${failed.partition}]`);
    } finally {
      destroyTpl(tpl);
    }
  }

  position(partitions: readonly TopicPartition[]): (number | null)[] {
    this.#assertOpen();
    const tpl = createTpl(partitions.map((p) => ({ topic: p.topic, partition: p.partition })));
    try {
      const err = rdkafka().rd_kafka_position(this.#rk, tpl);
      if (err !== 0) throw kafkaError(err, "position");
      return readTpl(tpl).map((p) => (p.offset >= 0 ? p.offset : null));
    } finally {
      destroyTpl(tpl);
    }
  }

  highWatermark(partition: TopicPartition): number | null {
    this.#assertOpen();
    let topic = this.#topicNames.get(partition.topic);
    if (topic === undefined) {
      topic = cstr(partition.topic);
      this.#topicNames.set(partition.topic, topic);
    }
    const err = rdkafka().rd_kafka_get_watermark_offsets(
      this.#rk,
      topic,
      partition.partition,
      this.#lowWatermark,
      this.#highWatermark,
    );
    const high = Number(this.#highWatermark[0]);
    return err === 0 && high >= 0 ? high : null;
  }

  assignment(): TopicPartition[] {
    this.#assertOpen();
    const out = new BigUint64Array(1);
    const err = rdkafka().rd_kafka_assignment(this.#rk, out);
    if (err !== 0) throw kafkaError(err, "assignment");
    const tpl = Number(out[0]) as Pointer;
    try {
      return toTopicPartitions(readTpl(tpl));
    } finally {
      destroyTpl(tpl);
    }
  }

  /**
   * Resolves a pending consume with an empty batch, leaves the group (revocations go through the listener), then
   * releases every batch not yet released (librdkafka needs its messages back before its handle is destroyed)
   * and destroys the handle.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const waiter = this.#waiter;
    if (waiter) this.#settle(waiter, this.#emptyBatch());
    const lib = rdkafka();
    this.#closingMode = true;
    this.#stopTick();
    this.#waker.hold();
    if (this.#staticMember && this.#subscribed) await this.#leaveAsStaticMember();
    const error = lib.rd_kafka_consumer_close_queue(this.#rk, this.#consumerQueue);
    let leftGroup = true;
    if (error) {
      this.#logClose(3, fromErrorObject(error, "close").message);
    } else {
      // Revocations arrive as rebalance events on the consumer queue; closed() flips without an event of its own.
      const deadline = Date.now() + CLOSE_TIMEOUT_MS;
      for (;;) {
        this.#service();
        if (this.#rebalancing) await this.#rebalancing;
        else if (lib.rd_kafka_consumer_closed(this.#rk) !== 0 && this.#rebalances.length === 0) break;
        else if (Date.now() > deadline) {
          leftGroup = false;
          break;
        } else await Bun.sleep(5);
      }
    }
    this.#waker.release();
    this.#destroy(leftGroup);
    if (this.#rebalanceError) throw this.#rebalanceError;
  }

  /**
   * librdkafka's close keeps a static member in its group until the session times out (KIP-345: a member that comes
   * back within it takes its partitions back without a rebalance), so closing alone would leave a stopped sink
   * task's partitions unread for `session.timeout.ms`. A clean close should hand them on at once, as a dynamic
   * member's does: unsubscribing first revokes them (through the listener, which commits) and sends LeaveGroup, which
   * librdkafka skips only on close. Once it has left, librdkafka's member id is empty, and close then waits for the
   * LeaveGroup's answer. A crash sends nothing, which is when static membership pays: the restarted task rejoins in
   * the old member's place at once instead of waiting for its session to expire.
   */
  async #leaveAsStaticMember(): Promise<void> {
    const lib = rdkafka();
    const err = lib.rd_kafka_unsubscribe(this.#rk);
    if (err !== 0) {
      this.#logClose(4, kafkaError(err, "unsubscribe").message);
      return;
    }
    const deadline = Date.now() + STATIC_LEAVE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      this.#service();
      if (this.#rebalancing) await this.#rebalancing;
      else if (this.#rebalances.length === 0 && this.#memberId() === "") return;
      else await Bun.sleep(5);
    }
    this.#logClose(
      4,
      `static member did not leave the group within ${STATIC_LEAVE_TIMEOUT_MS} ms; its partitions wait for its session to time out`,
    );
  }

  /** A line about closing, as librdkafka's own are logged (syslog level: 3 error, 4 warning). */
  #logClose(level: number, message: string): void {
    this.#logger({ level, facility: "CLOSE", message, client: this.#client });
  }

  /** librdkafka's group member id: "" when not in the group. */
  #memberId(): string {
    const lib = rdkafka();
    const id = lib.rd_kafka_memberid(this.#rk);
    if (!id) return "";
    try {
      return readCString(id) ?? "";
    } finally {
      lib.rd_kafka_mem_free(this.#rk, id);
    }
  }

  #destroy(leftGroup: boolean): void {
    const lib = rdkafka();
    this.#destroyed = true;
    this.#stopTick();
    // librdkafka must get every message and event back before its handle goes.
    for (const native of [...this.#live]) native.release();
    for (const event of this.#stray.splice(0)) lib.rd_kafka_event_destroy(event);
    for (const event of this.#rebalances.splice(0)) lib.rd_kafka_event_destroy(event);
    this.#replies.close();
    this.#waker.close();
    lib.rd_kafka_queue_destroy(this.#messageQueue);
    lib.rd_kafka_queue_destroy(this.#consumerQueue);
    lib.rd_kafka_destroy_flags(this.#rk, leftGroup ? 0 : DESTROY_F_NO_CONSUMER_CLOSE);
  }

  /** Drains the queues, runs pending rebalances, and answers the waiting consume when it can. */
  #service(): void {
    if (this.#destroyed) return;
    this.#drainConsumerQueue();
    this.#replies.drain();
    if (this.#rebalancing) return;
    const waiter = this.#waiter;
    if (this.#rebalances.length > 0 && (waiter || this.#closingMode)) {
      this.#rebalancing = this.#runRebalances().finally(() => {
        this.#rebalancing = null;
        this.#service();
      });
      return;
    }
    if (!waiter) return;
    if (this.#rebalanceError) {
      const error = this.#rebalanceError;
      this.#rebalanceError = null;
      this.#fail(waiter, error);
      return;
    }
    if (this.#fatal) {
      this.#fail(waiter, this.#fatal);
      return;
    }
    const batch = this.#take(waiter.max);
    if (batch) this.#settle(waiter, batch);
    else if (waiter.timedOut) this.#settle(waiter, this.#emptyBatch());
  }

  async #runRebalances(): Promise<void> {
    const ctx = {
      rk: this.#rk,
      messageQueue: this.#messageQueue,
      listener: this.#listener,
      onError: (error: Error) =>
        this.#logger({ level: 3, facility: "REBALANCE", message: error.message, client: this.#client }),
    };
    for (let event = this.#rebalances.shift(); event; event = this.#rebalances.shift()) {
      this.#topics.clear();
      try {
        await handleRebalance(event, ctx);
      } catch (error) {
        this.#rebalanceError ??= error instanceof Error ? error : new Error(String(error));
      } finally {
        rdkafka().rd_kafka_event_destroy(event);
      }
    }
  }

  #drainConsumerQueue(): void {
    const lib = rdkafka();
    for (let event = lib.rd_kafka_queue_poll(this.#consumerQueue, 0); event; ) {
      const type = lib.rd_kafka_event_type(event);
      let keep = false;
      if (type === EVENT_REBALANCE) {
        this.#rebalances.push(event);
        keep = true;
      } else if (type === EVENT_FETCH) {
        this.#stray.push(event);
        keep = true;
      } else if (type === EVENT_LOG) {
        logEvent(event, this.#logger, this.#client);
      } else if (type === EVENT_ERROR) {
        if (lib.rd_kafka_event_error_is_fatal(event) !== 0) {
          this.#fatal ??= kafkaError(lib.rd_kafka_event_error(event), "consumer fatal error", {
            detail: lib.rd_kafka_event_error_string(event),
            fatal: true,
          });
        } else {
          logErrorEvent(event, this.#logger, this.#client);
        }
      }
      if (!keep) lib.rd_kafka_event_destroy(event);
      event = lib.rd_kafka_queue_poll(this.#consumerQueue, 0);
    }
  }

  /** Up to `max` messages now, or null when there are none. */
  #take(max: number): FfiMessageBatch | null {
    const native = new NativeBatch((n) => this.#live.delete(n));
    const batch = takeMessages(native, this.#messageQueue, this.#stray, max, this.#topics, (message, level) =>
      this.#logger({ level, facility: "CONSUME", message, client: this.#client }),
    );
    if (batch === null) return null;
    this.#live.add(native);
    return batch;
  }

  #emptyBatch(): MessageBatch {
    return { messages: [], release: () => {} };
  }

  #settle(waiter: Waiter, batch: MessageBatch): void {
    if (this.#waiter !== waiter) return;
    this.#waiter = null;
    clearTimeout(waiter.timer);
    this.#waker.release();
    waiter.resolve(batch);
  }

  #fail(waiter: Waiter, error: Error): void {
    if (this.#waiter !== waiter) return;
    this.#waiter = null;
    clearTimeout(waiter.timer);
    this.#waker.release();
    waiter.reject(error);
  }

  #partitionsCall(partitions: readonly TopicPartition[], what: string, call: (tpl: Pointer) => number): void {
    this.#assertOpen();
    if (partitions.length === 0) return;
    const tpl = createTpl(partitions);
    try {
      const err = call(tpl);
      if (err !== 0) throw kafkaError(err, what);
      const failed = readTpl(tpl).find((p) => p.err !== 0);
      if (failed) throw kafkaError(failed.err, `${what} ${failed.topic} [${failed.partition}]`);
    } finally {
      destroyTpl(tpl);
    }
  }

  #assertOpen(): void {
    if (this.#closing || this.#destroyed) throw kafkaError(ERR._DESTROY, "consumer is closed");
  }
}
