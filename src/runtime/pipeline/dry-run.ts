import * as v from "valibot";
import { AbstractConfig } from "../../api/config-def.ts";
import type { Converter } from "../../api/converter.ts";
import { ConfigError, ConnectError } from "../../api/errors.ts";
import type { SinkRecord } from "../../api/record.ts";
import { JsonConverter } from "../../data/converters/json-converter.ts";
import { RegistryConverter } from "../../data/converters/schema-registry/registry-converter.ts";
import type { Header, KafkaMessage } from "../../kafka/types.ts";
import { workerConfigDef } from "../config/worker-config.ts";
import { pendingOf, runAwaitingPending } from "../errors/conversion-pending.ts";
import type { Stage } from "../errors/stage.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import { type Converters, createConverters } from "./connector-converters.ts";
import { RecordConversionError } from "./record-conversion.ts";
import { PipelineFailure, RecordPipeline, type SinkOutcome } from "./record-pipeline.ts";
import { TransformationError } from "./transformation-chain.ts";

/**
 * One record of the dry run's input and output, as `sluice transform` reads and writes it. Key and value are their
 * bytes as UTF-8 text, or as base64 in `keyBase64` / `valueBase64` (bytes that are not UTF-8 text, such as Avro or
 * Protobuf in Confluent's wire format); output uses base64 for bytes that are not UTF-8 or hold control characters
 * other than tab and line breaks, with `key` / `value` null beside it.
 */
export const DryRunRecord = v.pipe(
  v.object({
    topic: v.string(),
    partition: v.pipe(v.number(), v.integer()),
    offset: v.pipe(v.number(), v.integer()),
    timestamp: v.nullable(v.pipe(v.number(), v.integer())),
    key: v.optional(v.nullable(v.string()), null),
    value: v.optional(v.nullable(v.string()), null),
    keyBase64: v.optional(v.pipe(v.string(), v.base64("Invalid base64"))),
    valueBase64: v.optional(v.pipe(v.string(), v.base64("Invalid base64"))),
    headers: v.optional(v.record(v.string(), v.nullable(v.string())), {}),
  }),
  v.check((r) => r.key === null || r.keyBase64 === undefined, "key and keyBase64 cannot both be given"),
  v.check((r) => r.value === null || r.valueBase64 === undefined, "value and valueBase64 cannot both be given"),
);
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
const strictDecoder = new TextDecoder("utf-8", { fatal: true });
const describeMessage = (message: KafkaMessage) =>
  `topic ${message.topic} partition ${message.partition} offset ${message.offset}`;

/**
 * What a connector's converters and transforms make of records, without Kafka: each input record is read as a
 * SinkRecord with the connector's key/value/header converters, goes through the transform chain, and is written
 * back with the same converters. It runs the worker's own RecordPipeline, fast path included, so its output is what
 * a sink task of the same connector would be given.
 */
export class DryRun {
  readonly tolerateAll: boolean;
  private readonly pipeline: RecordPipeline;
  /** What writes the chain's records back to bytes: the connector's converters, or JSON for registry ones. */
  private readonly output: Converters;

  /** `fastPath: false` runs every record the general way (to hold the fast path to it). */
  constructor(
    connectorConfig: Readonly<Record<string, string>>,
    plugins: PluginRegistry,
    options: { readonly fastPath?: boolean } = {},
  ) {
    const worker = new AbstractConfig(workerConfigDef, DRY_RUN_WORKER_DEFAULTS);
    const converters = createConverters(plugins, worker, connectorConfig);
    this.pipeline = RecordPipeline.create(connectorConfig, converters, plugins, options);
    this.output = outputConverters(converters);
    const tolerance = (connectorConfig["errors.tolerance"] ?? "none").trim().toLowerCase();
    if (tolerance !== "none" && tolerance !== "all") {
      throw new ConfigError(
        `Invalid value ${tolerance} for configuration errors.tolerance: String must be one of: none, all`,
        { key: "errors.tolerance" },
      );
    }
    this.tolerateAll = tolerance === "all";
  }

  /** Whether keys or values are written back as JSON rather than by the connector's registry converters. */
  get writesRegistryDataAsJson(): boolean {
    return this.output !== this.pipeline.converters;
  }

  /** Whether values take the bytes-to-bytes fast path (for tests and logs). */
  get usesFastPath(): boolean {
    return this.pipeline.usesFastPath;
  }

  /** Runs a batch through the pipeline, as a sink task's batch. */
  runBatch(inputs: readonly DryRunRecord[]): Promise<DryRunResult[]> {
    return this.runMessages(inputs.map(toMessage));
  }

  /** One record. */
  async run(input: DryRunRecord): Promise<DryRunResult> {
    return (await this.runBatch([input]))[0] as DryRunResult;
  }

  /** Runs consumed messages (or records read as messages) through the pipeline, as a sink task's batch. */
  async runMessages(messages: readonly KafkaMessage[]): Promise<DryRunResult[]> {
    const outcomes = this.pipeline.toSinkRecords(messages);
    const results: DryRunResult[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as KafkaMessage;
      let outcome = outcomes[i] as SinkOutcome;
      // A converter that waited for an answer (a registry's schema) converts again once it has it, as in a task.
      const pending = outcome instanceof PipelineFailure ? pendingOf(outcome.error) : undefined;
      if (pending !== undefined) {
        outcome = await runAwaitingPending(() => this.pipeline.toSinkRecord(message), pending).catch(
          (error: unknown) => new PipelineFailure(waitFailure(message, error)),
        );
      }
      const result = this.result(message, outcome);
      results[i] = result instanceof Promise ? await result : result;
    }
    return results;
  }

  /** A record's outcome written back to bytes; a promise only when a converter waits (no await per record). */
  private result(message: KafkaMessage, outcome: SinkOutcome): DryRunResult | Promise<DryRunResult> {
    if (outcome === null) return { dropped: true };
    if (outcome instanceof PipelineFailure) return this.failure(message, outcome.error);
    const encode = () => this.pipeline.encode(outcome, () => describeMessage(message), this.output);
    try {
      const out = encode();
      return { record: output(message.offset, out.key, out.value, out.headers, outcome) };
    } catch (error) {
      const pending = pendingOf(error);
      if (pending === undefined) return this.failure(message, error);
      return runAwaitingPending(encode, pending).then(
        (out) => ({ record: output(message.offset, out.key, out.value, out.headers, outcome) }),
        (failed: unknown) => this.failure(message, waitFailure(message, failed)),
      );
    }
  }

  private failure(message: KafkaMessage, error: unknown): DryRunResult {
    if (!(error instanceof ConnectError)) throw error;
    const stage: Stage =
      error instanceof RecordConversionError
        ? error.stage
        : error instanceof TransformationError
          ? "TRANSFORMATION"
          : "TASK_PUT";
    return { failure: { error: error.message, stage, offset: message.offset } };
  }

  close(): void {
    this.pipeline.close();
  }
}

/** A dry-run record as the message a consumer would have handed the task. */
function toMessage(input: DryRunRecord): KafkaMessage {
  const headers: Header[] = Object.entries(input.headers).map(([key, value]) => [
    key,
    value === null ? null : encoder.encode(value),
  ]);
  return {
    topic: input.topic,
    partition: input.partition,
    offset: input.offset,
    key: bytesOf(input.key, input.keyBase64),
    value: bytesOf(input.value, input.valueBase64),
    timestamp: input.timestamp,
    timestampType: input.timestamp === null ? "NoTimestampType" : "CreateTime",
    headers,
  };
}

function bytesOf(text: string | null, base64: string | undefined): Uint8Array | null {
  if (base64 !== undefined) return new Uint8Array(Buffer.from(base64, "base64"));
  return text === null ? null : encoder.encode(text);
}

/** What the pipeline wrote, as a dry-run record: bytes that are not UTF-8 text as base64. */
function output(
  offset: number,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: readonly Header[] | null | undefined,
  record: SinkRecord,
): DryRunRecord {
  const outHeaders: Record<string, string | null> = {};
  for (const [name, bytes] of headers ?? []) outHeaders[name] = bytes === null ? null : decoder.decode(bytes);
  const keyText = textOf(key);
  const valueText = textOf(value);
  return {
    topic: record.topic,
    partition: record.kafkaPartition,
    offset,
    timestamp: record.timestamp,
    key: keyText ?? null,
    ...(keyText === undefined ? { keyBase64: Buffer.from(key as Uint8Array).toString("base64") } : {}),
    value: valueText ?? null,
    ...(valueText === undefined ? { valueBase64: Buffer.from(value as Uint8Array).toString("base64") } : {}),
    headers: outHeaders,
  };
}

/** Whether bytes hold a control character other than tab and line breaks: data, not text (Confluent's 0 byte). */
function hasControlBytes(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
  return false;
}

/** The bytes as text; undefined when they are not text: not UTF-8, or with control characters (null stays null). */
function textOf(bytes: Uint8Array | null): string | null | undefined {
  if (bytes === null) return null;
  if (hasControlBytes(bytes)) return undefined;
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The converters the dry run writes its output with. A Schema Registry converter would register the chain's output
 * schema (a dry run must change nothing, and the registry may refuse it as incompatible with the topic's), and its
 * bytes say nothing to a reader: a key or value it reads is written with JsonConverter and its schema instead.
 */
function outputConverters(converters: Converters): Converters {
  const json = (converter: Converter, isKey: boolean): Converter => {
    if (!(converter instanceof RegistryConverter)) return converter;
    const replacement = new JsonConverter();
    replacement.configure({ "schemas.enable": "true" }, isKey);
    return replacement;
  };
  const key = json(converters.key, true);
  const value = json(converters.value, false);
  return key === converters.key && value === converters.value ? converters : { ...converters, key, value };
}

/**
 * Why a converter's wait failed, as the record's failure: the answer that could not be had comes from the wait,
 * outside the converter call, so it is wrapped as the converter's failure (a converter's own error already is).
 */
function waitFailure(message: KafkaMessage, error: unknown): unknown {
  return error instanceof RecordConversionError || pendingOf(error) !== undefined
    ? error
    : new RecordConversionError("VALUE_CONVERTER", describeMessage(message), error);
}
