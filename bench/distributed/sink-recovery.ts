/**
 * How long a sink connector's partitions go unread after a worker running some of its tasks is SIGKILLed, either
 * restarted at once (`sink-restart`: it rejoins within scheduled.rebalance.max.delay.ms and gets its tasks back) or
 * left dead (`sink-failover`: its tasks run elsewhere after the delay). The tasks' consumers then join the
 * connector's consumer group while the dead worker's consumers are still members until their session (45 s by
 * default) expires, unless they are static members that the new ones replace (sluice's default, KIP-345).
 *
 * A feeder writes `<partition>:<sequence>` to each partition every FEED_INTERVAL_MS; FileStreamSink appends the values
 * to a file; a partition is read again when a line of it appears that was produced after the kill.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClientFactory } from "../../src/kafka/index.ts";
import { FILE_SINK_CLASS } from "../connect/classes.ts";
import type { ClusterWorker } from "./cluster.ts";
import { type Common, cluster, type Environment, waitBalanced } from "./scenarios.ts";

const PARTITIONS = 6;
const FEED_INTERVAL_MS = 50;
const CONNECTOR = "recovery-sink";
const SETTLE_MS = 15_000;

export type SinkRecoveryMode = "restart" | "failover";

/** sluice's sink consumers with static membership (its default) or as dynamic members (Kafka Connect's way). */
export type Membership = "static" | "dynamic";

export interface SinkRecoveryResult extends Common {
  readonly mode: SinkRecoveryMode;
  readonly membership: Membership;
  readonly tasksOnVictim: number;
  /** SIGKILL to the last of the connector's partitions read again. */
  readonly longestUnreadMs: number;
  /** SIGKILL to the restarted worker's REST API answering (restart mode; 0 otherwise). */
  readonly restartReadyMs: number;
}

/**
 * Writes one record to every partition each FEED_INTERVAL_MS. `sent` is the sequence of the batch being sent (set
 * before the send: a sink may write a record before its delivery report reaches the feeder), so any line with a
 * higher sequence was produced after the moment `sent` was read.
 */
async function startFeeder(bootstrap: string, topic: string) {
  const kafka = await createKafkaClientFactory();
  const producer = await kafka.createProducer({ "bootstrap.servers": bootstrap, "linger.ms": "0" });
  const encoder = new TextEncoder();
  const sent = { seq: -1 };
  let running = true;
  const loop = (async () => {
    for (let seq = 0; running; seq++) {
      sent.seq = seq;
      const records = Array.from({ length: PARTITIONS }, (_, partition) => ({
        topic,
        partition,
        key: null,
        // A JSON string: the cluster's value converter is JsonConverter without schemas.
        value: encoder.encode(JSON.stringify(`${partition}:${seq}`)),
      }));
      const reports = await producer.send(records);
      if (!reports.every((r) => r.ok)) throw new Error(`feeder: a send failed: ${JSON.stringify(reports)}`);
      await Bun.sleep(FEED_INTERVAL_MS);
    }
  })();
  return {
    sent,
    async stop() {
      running = false;
      await loop;
      await producer.close();
    },
  };
}

/** Reads the sink's file as it grows: the highest sequence seen so far per partition. */
class SinkFile {
  readonly latest = new Array<number>(PARTITIONS).fill(-1);
  #offset = 0;

  constructor(readonly path: string) {}

  /** Reads what was appended since the last call; the highest sequences. */
  read(): readonly number[] {
    if (!existsSync(this.path)) return this.latest;
    const bytes = readFileSync(this.path);
    const end = bytes.lastIndexOf(10) + 1;
    if (end <= this.#offset) return this.latest;
    for (const line of bytes.subarray(this.#offset, end).toString("utf8").split("\n")) {
      const [partition, seq] = line.split(":").map(Number) as [number, number];
      if (line !== "" && seq > (this.latest[partition] ?? -1)) this.latest[partition] = seq;
    }
    this.#offset = end;
    return this.latest;
  }
}

export async function sinkRecovery(
  env: Environment,
  common: Common,
  mode: SinkRecoveryMode,
  membership: Membership,
): Promise<SinkRecoveryResult> {
  const extra: Record<string, string> =
    common.runtime === "sluice" && membership === "dynamic" ? { "consumer.group.instance.id": "" } : {};
  const made = await cluster(env, common, 3, extra);
  const topic = `bench-dist-sink-${randomUUID().slice(0, 8)}`;
  const file = new SinkFile(join(env.dir, `${topic}.txt`));
  await env.admin.createTopics([{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], { ignoreExisting: true });
  const feeder = await startFeeder(env.bootstrap, topic);
  try {
    await (made.alive()[0] as ClusterWorker).process.createConnector(CONNECTOR, {
      "connector.class": FILE_SINK_CLASS,
      "tasks.max": String(PARTITIONS),
      topics: topic,
      file: file.path,
    });
    const status = await waitBalanced(made, 120_000, CONNECTOR, PARTITIONS);
    await waitFor(() => file.read().every((seq) => seq >= 0), 60_000, "every partition read");
    // The tasks' consumers join the connector's group one after the other, each join a rebalance (the broker
    // waits group.initial.rebalance.delay.ms, 3 s, on an empty group's first): only a settled group has every
    // partition with the consumer of the task that will be killed.
    await Bun.sleep(SETTLE_MS);
    const leader = made.leader() ?? (made.workers[0] as ClusterWorker);
    const owned = (w: ClusterWorker) => (status?.tasks ?? []).filter((t) => t.worker_id === w.id).length;
    // A follower: a new leader reassigns the old one's work at once, whatever the delay.
    const victim = made.alive().find((w) => w !== leader && owned(w) > 0) ?? leader;
    env.say(`${common.runtime} (${membership}): SIGKILL ${victim.id} (${owned(victim)} sink tasks), ${mode}`);
    const killedAt = performance.now();
    const sentAtKill = feeder.sent.seq;
    victim.process.proc.kill("SIGKILL");
    await victim.process.proc.exited;
    let restartReadyMs = 0;
    if (mode === "restart") {
      await made.start(victim.index);
      restartReadyMs = Math.round(performance.now() - killedAt);
    }
    const readAgain = new Array<number>(PARTITIONS).fill(Number.NaN);
    await waitFor(
      () => {
        const now = performance.now() - killedAt;
        file.read().forEach((seq, p) => {
          if (Number.isNaN(readAgain[p]) && seq > sentAtKill) readAgain[p] = now;
        });
        return readAgain.every((ms) => !Number.isNaN(ms));
      },
      common.maxDelayMs + 180_000,
      "every partition read again after the kill",
    );
    const longestUnreadMs = Math.round(Math.max(...readAgain));
    env.say(`${common.runtime} (${membership}): every partition read again ${longestUnreadMs} ms after the SIGKILL`);
    return { ...common, mode, membership, tasksOnVictim: owned(victim), longestUnreadMs, restartReadyMs };
  } finally {
    await feeder.stop();
    await made.stopAll();
  }
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}
