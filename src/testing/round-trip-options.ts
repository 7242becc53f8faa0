import { BOOTSTRAP as DEVELOPMENT_BROKER } from "../dev/kafka-layout.ts";
import type { Headers, Schema } from "../index.ts";

/** What a round trip through a real worker and broker needs, for a source and a sink alike. */
export interface RoundTripOptions {
  /**
   * The plugin's folder, put on the worker's `plugin.path` as a user would: its `index.ts` (or `.js`, `.mjs`)
   * exports `manifests`, this connector's among them. From a test file beside it: `join(import.meta.dir, "..")`.
   */
  readonly pluginPath: string;
  /**
   * The connector's configuration for one run, given the run's fresh topic (a source writes to it, a sink reads it).
   * `connector.class` is set by the kit; a sink's `topics` too, unless the result names `topics` or `topics.regex`.
   */
  readonly config: (topic: string) => Readonly<Record<string, string>>;
  /** Kafka's address. Default: `SLUICE_BOOTSTRAP` from the environment, else the development broker's 127.0.0.1:9092. */
  readonly bootstrapServers?: string;
  /** Worker keys over the kit's (JsonConverter keys and values, `offset.flush.interval.ms=1000`, a free port). */
  readonly workerProps?: Readonly<Record<string, string>>;
  /** Partitions of the fresh topic (default 1). */
  readonly partitions?: number;
  /** How long each wait may take: RUNNING, records arriving, the worker's stop (default 30 s). */
  readonly timeoutMs?: number;
}

/** A record as the round trip saw it in the topic, read back with the worker's converters. */
export interface RoundTripRecord {
  readonly partition: number;
  readonly offset: number;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly headers: Headers;
}

export interface SourceRoundTripOptions extends RoundTripOptions {
  /** At least this many records must reach the topic before the worker is stopped (default 1). */
  readonly minRecords?: number;
  /**
   * Restart the worker on the same offsets and check that the task resumes: after a clean stop every record in
   * the topic has its offset committed, so at-least-once allows no repeat (default true). Records are told apart
   * by their key and value bytes: a source whose records may legitimately repeat sets false.
   */
  readonly resume?: boolean;
  /** Further checks of the records of the first run (throw, or use expect(), to fail). */
  readonly verify?: (records: readonly RoundTripRecord[]) => void | Promise<void>;
}

/** One record the kit produces for a sink, in Connect data; the worker's converters write it. */
export interface ProducedRecord {
  readonly keySchema?: Schema | null;
  readonly key?: unknown;
  readonly valueSchema?: Schema | null;
  readonly value: unknown;
}

/** Where a sink round trip runs: what `readBack` may need to find what the sink wrote. */
export interface SinkRun {
  readonly topic: string;
  /** The connector's configuration as created (with `connector.class` and `topics`). */
  readonly config: Readonly<Record<string, string>>;
}

export interface SinkRoundTripOptions extends RoundTripOptions {
  /** How many records the kit produces into the topic (default 20). */
  readonly count?: number;
  /** The record of index i (default: key `key-<i>` and value `value-<i>`, both STRING). */
  readonly record?: (index: number) => ProducedRecord;
  /**
   * What has arrived where the sink writes (for FileStreamSink: the file's lines), one item per record. Called
   * repeatedly until every produced record has arrived or the time is up, and once more after the worker stopped.
   */
  readonly readBack: (run: SinkRun) => readonly unknown[] | Promise<readonly unknown[]>;
  /** What `readBack` returns for a produced record, compared with Bun.deepEquals (default: the record's value). */
  readonly expected?: (record: ProducedRecord, index: number) => unknown;
  /**
   * Whether the sink's consumer group must have committed the end of the topic after the clean stop (default
   * true). False for a sink that keeps its offsets in the system it writes to and returns none from preCommit.
   */
  readonly commitsOffsets?: boolean;
}

/**
 * `bootstrapServers`, else `SLUICE_BOOTSTRAP`, else the development broker (127.0.0.1:9092) that
 * `bun run kafka start` runs and sluice's own tests use.
 */
export function bootstrapOf(options: RoundTripOptions): string {
  return options.bootstrapServers || process.env.SLUICE_BOOTSTRAP || DEVELOPMENT_BROKER;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The bun:test timeout of one round trip: a source waits up to seven times (two starts, records, two stops, ...). */
export function roundTripTestTimeout(options: RoundTripOptions): number {
  return 8 * (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 30_000;
}
