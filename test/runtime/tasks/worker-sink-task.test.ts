/**
 * WorkerSinkTask against a scripted consumer (what a real group does is in test/e2e/sink-rebalance.test.ts): an
 * offset commit the group refuses (periodic, on revocation, at stop) does not fail the task, partitions the task paused through its
 * context stay paused when a rebalance hands them out again, and a fenced static member fails the task saying why.
 */
import { describe, expect, test } from "bun:test";
import { AbstractConfig } from "../../../src/api/config-def.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import { SinkTask, type TopicPartition, type TopicPartitionOffset } from "../../../src/api/sink.ts";
import type { Status } from "../../../src/common/status.ts";
import { KafkaError } from "../../../src/kafka/errors.ts";
import type { Consumer, KafkaMessage, MessageBatch, RebalanceListener } from "../../../src/kafka/types.ts";
import { workerConfigDef } from "../../../src/runtime/config/worker-config.ts";
import { createErrorHandler } from "../../../src/runtime/errors/create-error-handler.ts";
import { createConverters } from "../../../src/runtime/pipeline/connector-converters.ts";
import { RecordPipeline } from "../../../src/runtime/pipeline/record-pipeline.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { WorkerSinkTask } from "../../../src/runtime/tasks/worker-sink-task.ts";
import { waitUntil } from "../../worker-harness.ts";

const plugins = await PluginRegistry.load();
const worker = new AbstractConfig(workerConfigDef, {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "value.converter": "org.apache.kafka.connect.storage.StringConverter",
});
const TP: TopicPartition = { topic: "t", partition: 0 };

/** A consumer that hands out one message per consume, and whose commits fail while `refuseCommits` is set. */
class ScriptedConsumer implements Consumer {
  listener: RebalanceListener | undefined;
  refuseCommits = true;
  commits = 0;
  /** Thrown by the next consume (a fatal error of the consumer). */
  fatal: Error | null = null;
  readonly paused = new Set<number>();
  private offset = 0;

  subscribe(_topics: readonly string[], listener?: RebalanceListener): void {
    this.listener = listener;
  }
  assign(): void {}
  async consume(): Promise<MessageBatch> {
    await Bun.sleep(5);
    if (this.fatal) throw this.fatal;
    const message: KafkaMessage = {
      topic: "t",
      partition: 0,
      offset: this.offset++,
      key: null,
      value: new TextEncoder().encode("v"),
      timestamp: 1,
      timestampType: "CreateTime",
      headers: [],
    };
    return { messages: [message], release: () => {} };
  }
  async commit(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.commits++;
    if (this.refuseCommits)
      throw new KafkaError("Broker: Specified group generation id is not valid", {
        errorCode: 22,
        errorName: "ILLEGAL_GENERATION",
      });
  }
  async committed(): Promise<(TopicPartitionOffset | null)[]> {
    return [];
  }
  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.add(tp.partition);
  }
  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.delete(tp.partition);
  }
  async seek(): Promise<void> {}
  assignment(): TopicPartition[] {
    return [TP];
  }
  async close(): Promise<void> {}
}

class PausingSinkTask extends SinkTask {
  put(_records: readonly SinkRecord[]): void {}
  version() {
    return "1";
  }
  start() {}
  stop() {}
  pauseAll(): void {
    this.context.pause([TP]);
  }
}

async function runTask() {
  const consumer = new ScriptedConsumer();
  const statuses: Status[] = [];
  const task = new PausingSinkTask();
  const config = { name: "c" };
  const runner = new WorkerSinkTask({
    id: { connector: "c", task: 0 },
    task,
    taskConfig: {},
    consumer,
    topics: ["t"],
    pipeline: RecordPipeline.create(config, createConverters(plugins, worker, config), plugins),
    errors: await createErrorHandler({
      connectorConfig: config,
      connectorName: "c",
      taskId: 0,
      kafka: {} as never,
      producerProperties: {},
    }),
    statusListener: { onTaskStatus: (_id, status) => statuses.push(status) },
    workerId: "w",
    offsetFlushIntervalMs: 10,
    maxPollRecords: 10,
  });
  await runner.start();
  return { consumer, statuses, task, runner };
}

describe("WorkerSinkTask", () => {
  test("a periodic commit the group refuses is retried at the next interval; the task keeps RUNNING", async () => {
    const { consumer, statuses, runner } = await runTask();
    await waitUntil(
      () => consumer.commits >= 3,
      5_000,
      () => `${consumer.commits} commits`,
    );
    expect(statuses.map((s) => s.state)).toEqual(["RUNNING"]);
    consumer.refuseCommits = false;
    const before = consumer.commits;
    await waitUntil(
      () => consumer.commits > before,
      5_000,
      () => "no commit after the group accepted them again",
    );
    await runner.stop();
    expect(statuses.map((s) => s.state)).toEqual(["RUNNING", "UNASSIGNED"]);
  });

  test("a commit the group refuses on revocation or at stop is logged; the task is not failed (as Kafka's doCommitSync)", async () => {
    const { consumer, statuses, runner } = await runTask();
    await waitUntil(
      () => consumer.commits >= 1,
      5_000,
      () => `${consumer.commits} commits`,
    );
    // The consumer's rebalance handling fails the task when the listener throws.
    await consumer.listener?.onPartitionsRevoked?.([TP]);
    await consumer.listener?.onPartitionsAssigned?.([TP]);
    await Bun.sleep(50);
    const before = consumer.commits;
    await runner.stop();
    expect(consumer.commits).toBeGreaterThan(before);
    expect(statuses.map((s) => s.state)).toEqual(["RUNNING", "UNASSIGNED"]);
  });

  test("partitions the task paused stay paused when a rebalance assigns them again", async () => {
    const { consumer, task, runner } = await runTask();
    task.pauseAll();
    expect(consumer.paused.has(0)).toBe(true);
    // An eager rebalance: everything revoked, then assigned anew (librdkafka forgets the pause).
    await consumer.listener?.onPartitionsRevoked?.([TP]);
    consumer.resume([TP]);
    await consumer.listener?.onPartitionsAssigned?.([TP]);
    expect(consumer.paused.has(0)).toBe(true);
    await runner.stop();
  });

  test("a consumer fenced by the same task's consumer elsewhere fails the task saying so", async () => {
    const { consumer, statuses, runner } = await runTask();
    consumer.fatal = new KafkaError(
      "consumer fatal error: Fatal consumer error: Broker: Static consumer fenced by other consumer with same group.instance.id (FENCED_INSTANCE_ID)",
      { errorCode: 82, errorName: "FENCED_INSTANCE_ID", fatal: true },
    );
    await waitUntil(
      () => statuses.some((s) => s.state === "FAILED"),
      5_000,
      () => `statuses ${statuses.map((s) => s.state)}`,
    );
    const trace = statuses.find((s) => s.state === "FAILED")?.trace ?? "";
    expect(trace).toContain("this task was started on another worker while this worker was out of its Connect group");
    expect(trace).toContain("FENCED_INSTANCE_ID");
    await runner.stop();
  });
});
