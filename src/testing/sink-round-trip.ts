import { AbstractConfig, type PluginManifest, Schemas } from "../index.ts";
import type { TopicPartitionOffset } from "../kafka/types.ts";
import { standaloneConfigDef } from "../runtime/config/worker-config.ts";
import { sinkGroupId } from "../runtime/offsets/sink-connector-offsets.ts";
import { compareArrivals, describeArrivals } from "./arrival-match.ts";
import { waitFor } from "./deadlines.ts";
import { endOffsets, kitKafka, withAdmin } from "./kit-kafka.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";
import type { ProducedRecord, SinkRoundTripOptions, SinkRun } from "./round-trip-options.ts";
import { type RoundTripSetup, setUpRoundTrip } from "./round-trip-setup.ts";
import { withRoundTripWorker } from "./round-trip-worker.ts";
import { encode, workerConverters } from "./worker-converters.ts";

export interface SinkRoundTripReport {
  readonly topic: string;
  readonly produced: readonly ProducedRecord[];
  /** What `readBack` returned after the worker stopped. */
  readonly arrived: readonly unknown[];
}

const defaultRecord = (index: number): ProducedRecord => ({
  keySchema: Schemas.STRING,
  key: `key-${index}`,
  valueSchema: Schemas.STRING,
  value: `value-${index}`,
});

/**
 * Produces `count` records into a fresh topic with the worker's converters, runs the sink connector on it in a real
 * standalone worker (plugin on `plugin.path`) until `readBack` shows every record arrived, stops the worker cleanly,
 * and checks that nothing is missing or unknown (repeats are at-least-once's right) and that the sink's consumer
 * group committed the end of the topic. Throws a RoundTripFailure saying what was expected and what arrived.
 */
export async function sinkRoundTrip(
  manifest: PluginManifest,
  options: SinkRoundTripOptions,
): Promise<SinkRoundTripReport> {
  const setup = await setUpRoundTrip(manifest, "sink", options);
  let succeeded = false;
  try {
    const own = options.config(setup.topic);
    const named = own.topics !== undefined || own["topics.regex"] !== undefined;
    const config = { ...(named ? {} : { topics: setup.topic }), ...own, "connector.class": setup.className };
    const converters = await workerConverters(setup.workerProps, config);
    const produced = Array.from({ length: options.count ?? 20 }, (_, i) => (options.record ?? defaultRecord)(i));
    const ends = await produce(
      setup,
      produced.map((record) => encode(converters, setup.topic, record)),
    );
    const expected = produced.map((record, i) => (options.expected ? options.expected(record, i) : record.value));
    const run: SinkRun = { topic: setup.topic, config };

    await withRoundTripWorker(setup.className, setup.workerProps, setup.timeoutMs, async (worker) => {
      await worker.createConnector(setup.name, config);
      await worker.waitForRunning(setup.name);
      await waitFor(async () => {
        await worker.waitForRunning(setup.name);
        return compareArrivals(expected, await options.readBack(run)).missing.length === 0;
      }, setup.timeoutMs);
      await worker.waitForRunning(setup.name);
    });
    // Read once more after the stop: the task's last flush and close have run.
    const arrived = await options.readBack(run);
    const comparison = compareArrivals(expected, arrived);
    if (comparison.missing.length > 0 || comparison.unexpected.length > 0) {
      throw new RoundTripFailure(
        setup.className,
        `${produced.length} records produced into ${setup.topic}; within ${setup.timeoutMs} ms and after a clean ` +
          `stop, ${describeArrivals(comparison, expected, arrived.length)}`,
      );
    }
    if (options.commitsOffsets !== false) {
      // The sink's consumer group, as the worker names it.
      const worker = { config: new AbstractConfig(standaloneConfigDef, setup.workerProps) };
      await expectCommitted(setup, sinkGroupId({ name: setup.name, config, worker }), ends);
    }
    succeeded = true;
    return { topic: setup.topic, produced, arrived };
  } finally {
    await setup.cleanUp(succeeded);
  }
}

/** Sends the records round-robin over the partitions, so that every partition has some; returns the end offsets. */
async function produce(
  setup: RoundTripSetup,
  records: readonly { key: Uint8Array | null; value: Uint8Array | null }[],
): Promise<TopicPartitionOffset[]> {
  const producer = await (await kitKafka()).createProducer({ "bootstrap.servers": setup.bootstrap, acks: "all" });
  try {
    const reports = await producer.send(
      records.map((record, i) => ({ topic: setup.topic, partition: i % setup.partitions, ...record })),
    );
    const failed = reports.find((report) => !report.ok);
    if (failed && !failed.ok) {
      throw new RoundTripFailure(setup.className, `cannot produce into ${setup.topic}: ${failed.error.message}`);
    }
  } finally {
    await producer.close(10_000);
  }
  return withAdmin(setup.bootstrap, (admin) => endOffsets(admin, setup.topic, setup.partitions));
}

/**
 * After a clean stop, the sink's consumer group has committed every record it was given: a restarted worker would
 * start after them. (`commitsOffsets: false` skips this
 * for a sink that keeps its offsets in the system it writes to.)
 */
async function expectCommitted(
  setup: RoundTripSetup,
  groupId: string,
  ends: readonly TopicPartitionOffset[],
): Promise<void> {
  const committed = await withAdmin(setup.bootstrap, (admin) => admin.listConsumerGroupOffsets(groupId));
  const behind = ends.filter(
    (end) =>
      (committed.find((c) => c.topic === setup.topic && c.partition === end.partition)?.offset ?? 0) < end.offset,
  );
  if (behind.length > 0) {
    const at = (partition: number) =>
      committed.find((c) => c.topic === setup.topic && c.partition === partition)?.offset ?? "nothing";
    const list = behind.map((end) => `partition ${end.partition}: committed ${at(end.partition)}, end ${end.offset}`);
    throw new RoundTripFailure(
      setup.className,
      `after a clean stop, expected the consumer group ${groupId} to have committed the end of ${setup.topic}, ` +
        `but ${list.join("; ")}: a restarted worker would deliver those records again. Does preCommit() return ` +
        "the offsets it is given once flush() has written them?",
    );
  }
}
