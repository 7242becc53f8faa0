import * as v from "valibot";
import { AbstractConfig } from "../api/config-def.ts";
import { ConfigError, ConnectError } from "../api/errors.ts";
import type { SinkRecord } from "../api/record.ts";
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

/**
 * What a connector's converters and transforms make of records, without Kafka: each input record is read as a
 * SinkRecord with the connector's key/value/header converters, goes through the transform chain, and is written
 * back with the same converters. The same conversion and transformation code as the worker's runs here.
 */
export class DryRun {
  readonly tolerateAll: boolean;
  private readonly converters: Converters;
  private readonly chain: TransformationChain<SinkRecord>;

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
  }

  run(input: DryRunRecord): DryRunResult {
    const headers: Header[] = Object.entries(input.headers).map(([key, value]) => [
      key,
      value === null ? null : encoder.encode(value),
    ]);
    const message: KafkaMessage = {
      topic: input.topic,
      partition: input.partition,
      offset: input.offset,
      key: input.key === null ? null : encoder.encode(input.key),
      value: input.value === null ? null : encoder.encode(input.value),
      timestamp: input.timestamp,
      timestampType: input.timestamp === null ? "NoTimestampType" : "CreateTime",
      headers,
    };
    try {
      const transformed = this.chain.apply(toSinkRecord(message, this.converters));
      if (transformed === null) return { dropped: true };
      const out = toProduceRecord(
        transformed,
        this.converters,
        () => `topic ${input.topic} partition ${input.partition} offset ${input.offset}`,
      );
      const outHeaders: Record<string, string | null> = {};
      for (const [key, value] of out.headers ?? []) outHeaders[key] = text(value);
      return {
        record: {
          topic: out.topic,
          partition: transformed.kafkaPartition,
          offset: input.offset,
          timestamp: transformed.timestamp,
          key: text(out.key),
          value: text(out.value),
          headers: outHeaders,
        },
      };
    } catch (error) {
      const stage: Stage =
        error instanceof RecordConversionError
          ? error.stage
          : error instanceof TransformationError
            ? "TRANSFORMATION"
            : "TASK_PUT";
      if (!(error instanceof ConnectError)) throw error;
      return { failure: { error: error.message, stage, offset: input.offset } };
    }
  }

  close(): void {
    this.chain.close();
  }
}
