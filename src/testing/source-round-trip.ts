import type { PluginManifest } from "../index.ts";
import type { TopicPartitionOffset } from "../kafka/types.ts";
import type { Converters } from "../runtime/pipeline/connector-converters.ts";
import { show } from "./arrival-match.ts";
import { waitFor } from "./deadlines.ts";
import { endOffsets, total, withAdmin } from "./kit-kafka.ts";
import { RoundTripFailure } from "./round-trip-failure.ts";
import type { RoundTripRecord, SourceRoundTripOptions } from "./round-trip-options.ts";
import { type RoundTripSetup, setUpRoundTrip } from "./round-trip-setup.ts";
import { type RoundTripWorker, withRoundTripWorker } from "./round-trip-worker.ts";
import { readTopic, type TopicRecord } from "./topic-reader.ts";
import { decode, workerConverters } from "./worker-converters.ts";

export interface SourceRoundTripReport {
  readonly topic: string;
  /** The records of the first run, read back with the worker's converters. */
  readonly records: readonly RoundTripRecord[];
  /** How many records the restarted worker wrote (none of them a repeat); 0 when `resume` is false. */
  readonly afterRestart: number;
}

/** How long the restarted worker runs when its source writes nothing new (a bounded source that is done). */
const RESUME_SETTLE_MS = 3000;

/**
 * Runs a source connector in a real standalone worker, with its plugin on `plugin.path`, into a fresh topic: the
 * connector and its tasks reach RUNNING, at least `minRecords` records arrive, the worker stops cleanly, every
 * record reads back with the worker's converters, and (with `resume`) a worker restarted on the same offsets
 * repeats none of them. Throws a RoundTripFailure saying what was expected and what arrived.
 */
export async function sourceRoundTrip(
  manifest: PluginManifest,
  options: SourceRoundTripOptions,
): Promise<SourceRoundTripReport> {
  const setup = await setUpRoundTrip(manifest, "source", options);
  let succeeded = false;
  try {
    const config = { ...options.config(setup.topic), "connector.class": setup.className };
    const converters = await workerConverters(setup.workerProps, config);
    const minRecords = options.minRecords ?? 1;
    await withRoundTripWorker(setup.className, setup.workerProps, setup.timeoutMs, async (worker) => {
      await worker.createConnector(setup.name, config);
      await worker.waitForRunning(setup.name);
      await expectRecords(setup, worker, minRecords);
      await worker.waitForRunning(setup.name);
    });
    const first = await readTopic(setup.bootstrap, setup.topic, setup.partitions, setup.timeoutMs);
    const records = first.records.map((record) => decodeOrFail(setup, converters, record));
    await options.verify?.(records);
    const afterRestart = options.resume === false ? 0 : await expectResume(setup, first, minRecords, converters);
    succeeded = true;
    return { topic: setup.topic, records, afterRestart };
  } finally {
    await setup.cleanUp(succeeded);
  }
}

/** Waits until the topic holds `minRecords`, failing early when the connector or a task fails meanwhile. */
async function expectRecords(setup: RoundTripSetup, worker: RoundTripWorker, minRecords: number): Promise<void> {
  let count = 0;
  const arrived = await withAdmin(setup.bootstrap, (admin) =>
    waitFor(async () => {
      await worker.waitForRunning(setup.name);
      count = total(await endOffsets(admin, setup.topic, setup.partitions));
      return count >= minRecords;
    }, setup.timeoutMs),
  );
  if (!arrived) {
    throw new RoundTripFailure(
      setup.className,
      `expected at least ${minRecords} record(s) in ${setup.topic} within ${setup.timeoutMs} ms, ${count} arrived ` +
        "(does roundTrip.config(topic) point the connector at the topic it is given?)",
    );
  }
}

function decodeOrFail(setup: RoundTripSetup, converters: Converters, record: TopicRecord): RoundTripRecord {
  try {
    return decode(converters, setup.topic, record);
  } catch (error) {
    throw new RoundTripFailure(setup.className, (error as Error).message, { cause: error });
  }
}

/**
 * Restarts the worker on the first run's offsets and connectors file. The first worker stopped cleanly, so every
 * record in the topic was acknowledged and its source offset committed: at-least-once allows the restarted task to
 * repeat none of them.
 */
async function expectResume(
  setup: RoundTripSetup,
  first: { readonly records: readonly TopicRecord[]; readonly ends: readonly TopicPartitionOffset[] },
  minRecords: number,
  converters: Converters,
): Promise<number> {
  await withRoundTripWorker(setup.className, setup.workerProps, setup.timeoutMs, async (worker) => {
    await worker.waitForRunning(setup.name);
    // Long enough for a task that ignored its offsets to write its first records again.
    await withAdmin(setup.bootstrap, (admin) =>
      waitFor(
        async () => total(await endOffsets(admin, setup.topic, setup.partitions)) - total(first.ends) >= minRecords,
        RESUME_SETTLE_MS,
      ),
    );
    await worker.waitForRunning(setup.name);
  });
  const second = await readTopic(setup.bootstrap, setup.topic, setup.partitions, setup.timeoutMs, first.ends);
  const earlier = new Map(first.records.map((record) => [identity(record), record]));
  const repeats = second.records.filter((record) => earlier.has(identity(record)));
  if (repeats.length > 0) {
    const [repeat] = repeats as [TopicRecord];
    const original = earlier.get(identity(repeat)) as TopicRecord;
    const { value } = decodeOrFail(setup, converters, repeat);
    throw new RoundTripFailure(
      setup.className,
      `after a clean stop and a restart on the same offsets, expected no record of the first run again, but ` +
        `${repeats.length} of the ${second.records.length} new record(s) repeat one (partition ${repeat.partition} ` +
        `offset ${repeat.offset} repeats offset ${original.offset}: value ${show(value)}). Does the task's start() ` +
        "read this.context.offsetStorageReader, and do its records carry a sourcePartition and sourceOffset? " +
        "(A source whose records may legitimately repeat sets roundTrip.resume: false.)",
    );
  }
  return second.records.length;
}

/** Records are told apart by their key and value bytes. */
function identity(record: TopicRecord): string {
  const hex = (bytes: Uint8Array | null) => (bytes === null ? "-" : Buffer.from(bytes).toString("hex"));
  return `${hex(record.key)}:${hex(record.value)}`;
}
