/**
 * The Kafka client properties of a task: the worker's `producer.`/`consumer.` keys and the connector's overrides over
 * the defaults sluice sets for source producers and sink consumers (each default measured; the comments say how).
 */
import type { AbstractConfig } from "../../api/config-def.ts";
import type { KafkaProperties } from "../../kafka/types.ts";

/**
 * Client properties: the fixed ones (defaults and names the runtime sets), then bootstrap.servers, the worker's
 * `producer.`/`consumer.` settings and the connector's `producer.override.`/`consumer.override.` settings (policy
 * `All`, Kafka's default), each overriding what came before, as Kafka's Worker lets overrides win.
 */
export function clientProperties(
  config: AbstractConfig,
  kind: "producer" | "consumer",
  connectorConfig: Readonly<Record<string, string>>,
  fixed: Record<string, string>,
): KafkaProperties {
  const props: Record<string, string> = {
    ...fixed,
    "bootstrap.servers": config.getList("bootstrap.servers").join(","),
  };
  for (const [key, value] of Object.entries(config.originalsWithPrefix(`${kind}.`))) {
    if (key !== "max.poll.records") props[key] = value;
  }
  for (const [key, value] of Object.entries(connectorConfig)) {
    if (key.startsWith(`${kind}.override.`)) props[key.slice(kind.length + 10)] = value;
  }
  // An empty group.instance.id turns static membership off (librdkafka would take "" as an id).
  if (props["group.instance.id"]?.trim() === "") delete props["group.instance.id"];
  return props;
}

/**
 * A sink task's consumer defaults, under the worker's `consumer.*` and the connector's `consumer.override.*` keys
 * (they go in first in clientProperties' order, so any of those wins). Measured with FileStreamSink on the local
 * broker; figures and commands in the README's section on sink rebalances.
 * - `partition.assignment.strategy`: eager `range,roundrobin` (librdkafka's own default) instead of the
 *   cooperative-sticky of sluice's consumer. cooperative-sticky moves a partition in two rebalances, the second one
 *   only once every member has heard of it at a heartbeat; eager moves it in one. And an eager member has revoked
 *   (and committed) everything before it rejoins, so it never commits while its JoinGroup is pending, which with
 *   cooperative-sticky was answered ILLEGAL_GENERATION and failed the task. Kafka Connect's Java consumers offer
 *   [range, cooperative-sticky] by default, so a group shared with them agrees on `range`.
 * - `heartbeat.interval.ms` 250 (librdkafka's default: 3000): the members of a group learn of a rebalance at their
 *   next heartbeat, so this bounds how long a stopped task's partitions, or a new task's share, wait. With 3000 a
 *   restarted task's partition went unread for 3 s; with 250 (and the FFI consumer's tick) about 300 ms.
 * - `queued.min.messages` 20000 and `queued.max.messages.kbytes` 32768 (sluice's consumer: 300000 and 64 MiB): the
 *   read-ahead, which also caps `fetch.max.bytes`. One task reading 1M records of 100 bytes peaked at 144 MiB RSS
 *   instead of 268 MiB, 1M of 1 KB at 204 instead of 277, at the same records/s (16 MiB slowed 10 KB records).
 */
export const SINK_CONSUMER_DEFAULTS: Readonly<Record<string, string>> = {
  "partition.assignment.strategy": "range,roundrobin",
  "heartbeat.interval.ms": "250",
  "queued.min.messages": "20000",
  "queued.max.messages.kbytes": "32768",
};

/**
 * A source task's producer defaults, under the worker's `producer.*` and the connector's `producer.override.*` keys.
 * Record values stay in the task's memory until the broker acknowledges them (the FFI producer passes them by
 * pointer), so the producer queue is memory the worker holds: bounded at 32 MiB, Kafka's `buffer.memory` default,
 * instead of librdkafka's 1 GiB. Without the bound, a source faster than the broker grew the queue for as long as it
 * ran: W3 (2.2 KB envelopes, 1M records) peaked at 322 MiB RSS, and at 205 MiB with it, at the same records/s.
 */
export const SOURCE_PRODUCER_DEFAULTS: Readonly<Record<string, string>> = {
  "queue.buffering.max.kbytes": "32768",
};

/** The least read-ahead a task's share may be: 8 MiB and 5000 records (a quarter of one task's). */
const MIN_READ_AHEAD_KBYTES = 8192;
const MIN_READ_AHEAD_MESSAGES = 5000;

/**
 * The consumer defaults of one task of a sink connector with `tasks.max` tasks: the connector's tasks share one
 * task's read-ahead (split evenly, down to a quarter each), so that memory follows what the connector processes, not
 * how many consumers it has. Measured with `bun run bench -- --workload sink-4` (FileStreamSink, 4 tasks on 2 cores,
 * 300k orders, 2 rounds, the two versions one after the other): peak RSS 220 -> 191 MiB at the same 258k records/s.
 */
export function sinkConsumerDefaults(connectorConfig: Readonly<Record<string, string>>): Record<string, string> {
  const tasks = Math.max(1, Number.parseInt(connectorConfig["tasks.max"] ?? "1", 10) || 1);
  return {
    ...SINK_CONSUMER_DEFAULTS,
    "queued.min.messages": String(Math.max(MIN_READ_AHEAD_MESSAGES, Math.floor(20000 / tasks))),
    "queued.max.messages.kbytes": String(Math.max(MIN_READ_AHEAD_KBYTES, Math.floor(32768 / tasks))),
  };
}
