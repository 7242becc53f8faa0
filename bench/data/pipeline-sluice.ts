/**
 * sluice's general path over a batch, as the worker runs it: each message becomes a SinkRecord through the
 * connector's converters (`toSinkRecord`), goes through the TransformationChain, and its value is written back with
 * the same JsonConverter, as `sluice transform` and a source task's last step do. Also the stages one by one, to
 * say where the time goes.
 */
import type { SinkRecord } from "../../src/api/record.ts";
import { ByteArrayConverter } from "../../src/data/converters/byte-array-converter.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";
import { SimpleHeaderConverter } from "../../src/data/converters/simple-header-converter.ts";
import type { KafkaMessage } from "../../src/kafka/types.ts";
import type { Converters } from "../../src/runtime/connector-converters.ts";
import type { PluginRegistry } from "../../src/runtime/plugin-registry.ts";
import { toSinkRecord } from "../../src/runtime/pipeline/record-conversion.ts";
import { TransformationChain } from "../../src/runtime/transformation-chain.ts";

export interface GeneralPath {
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

export function generalPath(
  plugins: PluginRegistry,
  chainConfig: Readonly<Record<string, string>>,
  converterProps: Readonly<Record<string, string>>,
  values: readonly Uint8Array[],
): GeneralPath {
  const key = new ByteArrayConverter();
  key.configure({}, true);
  const value = new JsonConverter();
  value.configure(converterProps, false);
  const converters: Converters = {
    key,
    value,
    header: new SimpleHeaderConverter(),
    settings: {
      key: { className: "org.apache.kafka.connect.converters.ByteArrayConverter", props: {} },
      value: { className: "org.apache.kafka.connect.json.JsonConverter", props: converterProps },
      header: { className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", props: {} },
    },
  };
  const chain = TransformationChain.fromConfig<SinkRecord>(chainConfig, plugins);
  const messages = messagesOf(values);
  const write = (record: SinkRecord | null) =>
    record === null ? null : value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
  return {
    run() {
      const out: (Uint8Array | null)[] = new Array(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i] as KafkaMessage;
        out[i] = write(chain.apply(toSinkRecord(message, converters)));
      }
      return out;
    },
    stages: {
      toSinkRecords: () => messages.map((m) => toSinkRecord(m, converters)),
      transform: (records) => records.map((r) => chain.apply(r)),
      write: (records) => records.map(write),
    },
  };
}
