import * as v from "valibot";
import { AbstractConfig } from "../api/config-def.ts";
import { ConfigError, ConnectError } from "../api/errors.ts";
import type { SinkRecord } from "../api/record.ts";
import { compileFastPath, type FastPath } from "../data/fast-paths/json-fast-path.ts";
import type { Header, KafkaMessage } from "../kafka/types.ts";
import { workerConfigDef } from "./config/worker-config.ts";
import { type Converters, createConverters } from "./connector-converters.ts";
import type { Stage } from "./errors/stage.ts";
import type { PluginRegistry } from "./plugin-registry.ts";
import { RecordConversionError, toProduceRecord, toSinkRecord } from "./record-conversion.ts";
import { TransformationChain, TransformationError } from "./transformation-chain.ts";

/** One record of the dry run's input and output: bytes as UTF-8 text, as `sluice transform` reads and writes them. */
export const DryRunRecord = v.object({
  topic: v.string(),
  partition: v.pipe(v.number(), v.integer()),
  offset: v.pipe(v.number(), v.integer()),
  timestamp: v.nullable(v.pipe(v.number(), v.integer())),
  key: v.nullable(v.string()),
  value: v.nullable(v.string()),
  headers: v.optional(v.record(v.string(), v.nullable(v.string())), {}),
});
export type DryRunRecord = v.InferOutput<typeof DryRunRecord>;

export interface DryRunFailure {
  readonly error: string;
  readonly stage: Stage;
  readonly offset: number;
}

export type DryRunResult =
  | { readonly record: DryRunRecord }
  | { readonly dropped: true }
  | { readonly failure: DryRunFailure };

/** The worker settings a dry run assumes: a ByteArray key and the worker default JSON value with schemas. */
const DRY_RUN_WORKER_DEFAULTS = {
  "key.converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));
const describeInput = (input: DryRunRecord) =>
  `topic ${input.topic} partition ${input.partition} offset ${input.offset}`;

/**
 * What a connector's converters and transforms make of records, without Kafka: each input record is read as a
 * SinkRecord with the connector's key/value/header converters, goes through the transform chain, and is written
 * back with the same converters. The same conversion and transformation code as the worker's runs here.
 */
export class DryRun {
  readonly tolerateAll: boolean;
  private readonly converters: Converters;
  private readonly chain: TransformationChain<SinkRecord>;
  private readonly fastPath: FastPath | null;

  constructor(connectorConfig: Readonly<Record<string, string>>, plugins: PluginRegistry) {
    const worker = new AbstractConfig(workerConfigDef, DRY_RUN_WORKER_DEFAULTS);
    this.converters = createConverters(plugins, worker, connectorConfig);
    this.chain = TransformationChain.fromConfig<SinkRecord>(connectorConfig, plugins);
    const tolerance = (connectorConfig["errors.tolerance"] ?? "none").trim().toLowerCase();
    if (tolerance !== "none" && tolerance !== "all") {
      throw new ConfigError(
        `Invalid value ${tolerance} for configuration errors.tolerance: String must be one of: none, all`,
        { key: "errors.tolerance" },
      );
    }
    this.tolerateAll = tolerance === "all";
    this.fastPath = compileFastPath(connectorConfig, this.converters.settings.value);
  }

  /** Whether values take the bytes-to-bytes fast path (for tests and logs). */
  get usesFastPath(): boolean {
    return this.fastPath !== null;
  }

  /**
   * Runs a batch. Where the connector's value side has a fast path (schemaless JSON through Flatten, Cast,
   * ReplaceField, Drop), values go bytes to bytes in one call for the whole batch and only keys and headers take
   * the per-record path; any record the fast path declines takes the general path. The output is the same either
   * way (the differential test compares it with Kafka's).
   */
  runBatch(inputs: readonly DryRunRecord[]): DryRunResult[] {
    if (this.fastPath === null) return inputs.map((input) => this.run(input));
    const values = this.fastPath(inputs.map((input) => (input.value === null ? null : encoder.encode(input.value))));
    return inputs.map((input, i) => {
      const value = values[i];
      return value === undefined ? this.run(input) : this.runKeyAndHeaders(input, value);
    });
  }

  /** The record with its value already transformed (by the fast path): key and headers still round-trip. */
  private runKeyAndHeaders(input: DryRunRecord, value: Uint8Array | null): DryRunResult {
    try {
      const record = toSinkRecord({ ...this.message(input), value: null }, this.converters);
      const out = toProduceRecord({ ...record, valueSchema: null, value: null }, this.converters, () =>
        describeInput(input),
      );
      return { record: this.output(input, out.key, value, out.headers, record) };
    } catch (error) {
      return this.failure(input, error);
    }
  }

  private message(input: DryRunRecord): KafkaMessage {
    const headers: Header[] = Object.entries(input.headers).map(([key, value]) => [
      key,
      value === null ? null : encoder.encode(value),
    ]);
    return {
      topic: input.topic,
      partition: input.partition,
      offset: input.offset,
      key: input.key === null ? null : encoder.encode(input.key),
      value: input.value === null ? null : encoder.encode(input.value),
      timestamp: input.timestamp,
      timestampType: input.timestamp === null ? "NoTimestampType" : "CreateTime",
      headers,
    };
  }

  /** One record through the general path: converters, the whole chain, converters. */
  run(input: DryRunRecord): DryRunResult {
    try {
      const transformed = this.chain.apply(toSinkRecord(this.message(input), this.converters));
      if (transformed === null) return { dropped: true };
      const out = toProduceRecord(transformed, this.converters, () => describeInput(input));
      return { record: this.output(input, out.key, out.value, out.headers, transformed) };
    } catch (error) {
      return this.failure(input, error);
    }
  }

  private output(
    input: DryRunRecord,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: readonly Header[] | null | undefined,
    record: SinkRecord,
  ): DryRunRecord {
    const outHeaders: Record<string, string | null> = {};
    for (const [name, bytes] of headers ?? []) outHeaders[name] = text(bytes);
    return {
      topic: record.topic,
      partition: record.kafkaPartition,
      offset: input.offset,
      timestamp: record.timestamp,
      key: text(key),
      value: text(value),
      headers: outHeaders,
    };
  }

  private failure(input: DryRunRecord, error: unknown): DryRunResult {
    if (!(error instanceof ConnectError)) throw error;
    const stage: Stage =
      error instanceof RecordConversionError
        ? error.stage
        : error instanceof TransformationError
          ? "TRANSFORMATION"
          : "TASK_PUT";
    return { failure: { error: error.message, stage, offset: input.offset } };
  }

  close(): void {
    this.chain.close();
  }
}
