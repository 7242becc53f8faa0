import * as v from "valibot";
import { AbstractConfig } from "../../api/config-def.ts";
import { ConfigError, ConnectError } from "../../api/errors.ts";
import type { SinkRecord } from "../../api/record.ts";
import type { Header, KafkaMessage } from "../../kafka/types.ts";
import { workerConfigDef } from "../config/worker-config.ts";
import { pendingOf, runAwaitingPending } from "../errors/conversion-pending.ts";
import type { Stage } from "../errors/stage.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import { createConverters } from "./connector-converters.ts";
import { RecordConversionError } from "./record-conversion.ts";
import { PipelineFailure, RecordPipeline, type SinkOutcome } from "./record-pipeline.ts";
import { TransformationError } from "./transformation-chain.ts";

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
 * back with the same converters. It runs the worker's own RecordPipeline, fast path included, so its output is what
 * a sink task of the same connector would be given.
 */
export class DryRun {
  readonly tolerateAll: boolean;
  private readonly pipeline: RecordPipeline;

  /** `fastPath: false` runs every record the general way (to hold the fast path to it). */
  constructor(
    connectorConfig: Readonly<Record<string, string>>,
    plugins: PluginRegistry,
    options: { readonly fastPath?: boolean } = {},
  ) {
    const worker = new AbstractConfig(workerConfigDef, DRY_RUN_WORKER_DEFAULTS);
    const converters = createConverters(plugins, worker, connectorConfig);
    this.pipeline = RecordPipeline.create(connectorConfig, converters, plugins, options);
    const tolerance = (connectorConfig["errors.tolerance"] ?? "none").trim().toLowerCase();
    if (tolerance !== "none" && tolerance !== "all") {
      throw new ConfigError(
        `Invalid value ${tolerance} for configuration errors.tolerance: String must be one of: none, all`,
        { key: "errors.tolerance" },
      );
    }
    this.tolerateAll = tolerance === "all";
  }

  /** Whether values take the bytes-to-bytes fast path (for tests and logs). */
  get usesFastPath(): boolean {
    return this.pipeline.usesFastPath;
  }

  /** Runs a batch through the pipeline, as a sink task's batch. */
  async runBatch(inputs: readonly DryRunRecord[]): Promise<DryRunResult[]> {
    const messages = inputs.map((input) => this.message(input));
    const outcomes = this.pipeline.toSinkRecords(messages);
    const results: DryRunResult[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as DryRunRecord;
      let outcome = outcomes[i] as SinkOutcome;
      // A converter that waited for an answer (a registry's schema) converts again once it has it, as in a task.
      const pending = outcome instanceof PipelineFailure ? pendingOf(outcome.error) : undefined;
      if (pending !== undefined) {
        const message = messages[i] as KafkaMessage;
        outcome = await runAwaitingPending(() => this.pipeline.toSinkRecord(message), pending).catch(
          (error: unknown) => new PipelineFailure(error),
        );
      }
      results[i] = await this.result(input, outcome);
    }
    return results;
  }

  /** One record. */
  async run(input: DryRunRecord): Promise<DryRunResult> {
    return (await this.runBatch([input]))[0] as DryRunResult;
  }

  private async result(input: DryRunRecord, outcome: SinkOutcome): Promise<DryRunResult> {
    if (outcome === null) return { dropped: true };
    try {
      if (outcome instanceof PipelineFailure) throw outcome.error;
      const record = outcome;
      const out = await runAwaitingPending(() => this.pipeline.encode(record, () => describeInput(input)));
      return { record: this.output(input, out.key, out.value, out.headers, outcome) };
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
    this.pipeline.close();
  }
}
