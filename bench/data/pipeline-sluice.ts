/**
 * sluice over a batch, as the worker runs it: the RecordPipeline a sink task uses turns the messages into records
 * (converters, then the chain; or the JSON fast path, when it compiles and is enabled), and `encode` writes each
 * value back with the same JsonConverter, as `sluice transform` does. Also the general path's stages one by one,
 * to say where the time goes.
 */
import type { SinkRecord } from "../../src/api/record.ts";
import { ByteArrayConverter } from "../../src/data/converters/byte-array-converter.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";
import { SimpleHeaderConverter } from "../../src/data/converters/simple-header-converter.ts";
import type { KafkaMessage } from "../../src/kafka/types.ts";
import type { Converters } from "../../src/runtime/pipeline/connector-converters.ts";
import { toSinkRecord } from "../../src/runtime/pipeline/record-conversion.ts";
import { PipelineFailure, RecordPipeline } from "../../src/runtime/pipeline/record-pipeline.ts";
import type { PluginRegistry } from "../../src/runtime/plugins/plugin-registry.ts";

export interface PipelinePath {
  /** The batch's bytes in, bytes out (null for a dropped or null value), record by record. */
  run(): (Uint8Array | null)[];
  /** The stages alone, each over the whole batch, for the breakdown. */
  readonly stages: {
    toSinkRecords(): SinkRecord[];
    transform(records: readonly SinkRecord[]): (SinkRecord | null)[];
    write(records: readonly (SinkRecord | null)[]): (Uint8Array | null)[];
  };
}

export function messagesOf(values: readonly Uint8Array[]): KafkaMessage[] {
  return values.map((value, offset) => ({
    topic: "orders",
    partition: 0,
    offset,
    key: null,
    value,
    timestamp: 1_704_067_200_000 + offset,
    timestampType: "CreateTime",
    headers: [],
  }));
}

/** A sink connector's converters: a ByteArray key, a JsonConverter value with these settings, SimpleHeaderConverter. */
export function jsonConverters(valueProps: Readonly<Record<string, string>>): Converters {
  const key = new ByteArrayConverter();
  key.configure({}, true);
  const value = new JsonConverter();
  value.configure(valueProps, false);
  return {
    key,
    value,
    header: new SimpleHeaderConverter(),
    settings: {
      key: { className: "org.apache.kafka.connect.converters.ByteArrayConverter", props: {} },
      value: { className: "org.apache.kafka.connect.json.JsonConverter", props: valueProps },
      header: { className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", props: {} },
    },
  };
}

/** The pipeline over `values`: `fastPath: false` for the general path alone. */
export function pipelinePath(
  plugins: PluginRegistry,
  chainConfig: Readonly<Record<string, string>>,
  converterProps: Readonly<Record<string, string>>,
  values: readonly Uint8Array[],
  fastPath: boolean,
): PipelinePath & { readonly usesFastPath: boolean } {
  const converters = jsonConverters(converterProps);
  const value = converters.value as JsonConverter;
  const pipeline = RecordPipeline.create(chainConfig, converters, plugins, { fastPath });
  const chain = pipeline.chain;
  const messages = messagesOf(values);
  const write = (record: SinkRecord | null) =>
    record === null ? null : value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
  const where = () => "a benchmark record";
  return {
    usesFastPath: pipeline.usesFastPath,
    run() {
      const outcomes = pipeline.toSinkRecords(messages);
      const out: (Uint8Array | null)[] = new Array(outcomes.length);
      for (let i = 0; i < outcomes.length; i++) {
        const outcome = outcomes[i];
        if (outcome instanceof PipelineFailure) throw outcome.error;
        out[i] = outcome === null || outcome === undefined ? null : pipeline.encode(outcome, where).value;
      }
      return out;
    },
    stages: {
      toSinkRecords: () => messages.map((m) => toSinkRecord(m, converters)),
      transform: (records) => records.map((r) => chain.apply(r) as SinkRecord | null),
      write: (records) => records.map(write),
    },
  };
}
