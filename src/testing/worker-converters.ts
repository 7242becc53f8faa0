import { AbstractConfig, type Header as ConnectHeader, validateValue } from "../index.ts";
import type { Header } from "../kafka/types.ts";
import { standaloneConfigDef } from "../runtime/config/worker-config.ts";
import { type Converters, createConverters } from "../runtime/pipeline/connector-converters.ts";
import { PluginRegistry } from "../runtime/plugins/plugin-registry.ts";
import type { ProducedRecord, RoundTripRecord } from "./round-trip-options.ts";
import type { TopicRecord } from "./topic-reader.ts";

/**
 * The converters the worker gives this connector, made the worker's way (its converter keys, the connector's
 * overrides, converters from `plugin.path` too): a record the kit writes or reads is what the worker would.
 */
export async function workerConverters(
  workerProps: Readonly<Record<string, string>>,
  connectorConfig: Readonly<Record<string, string>>,
): Promise<Converters> {
  const worker = new AbstractConfig(standaloneConfigDef, workerProps);
  const plugins = await PluginRegistry.load(worker.getList("plugin.path"));
  return createConverters(plugins, worker, connectorConfig);
}

/** The bytes the worker's converters make of a produced record. */
export function encode(
  converters: Converters,
  topic: string,
  record: ProducedRecord,
): { key: Uint8Array | null; value: Uint8Array | null } {
  return {
    key: converters.key.fromConnectData(topic, [], record.keySchema ?? null, record.key ?? null),
    value: converters.value.fromConnectData(topic, [], record.valueSchema ?? null, record.value),
  };
}

/**
 * Reads a record back as a sink task of the same worker would, and checks that each value fits its schema; the
 * error says which record, which part and which converter.
 */
export function decode(converters: Converters, topic: string, record: TopicRecord): RoundTripRecord {
  const where = `the record at partition ${record.partition} offset ${record.offset}`;
  const read = <T>(part: string, className: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw new Error(
        `${where}: its ${part} cannot be read by the worker's ${className}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  };
  const headers = read("headers", converters.settings.header.className, () =>
    record.headers.map(([key, bytes]: Header): ConnectHeader => {
      const { schema, value } = converters.header.toConnectHeader(topic, key, bytes);
      return { key, schema, value };
    }),
  );
  const key = read("key", converters.settings.key.className, () =>
    converters.key.toConnectData(topic, headers, record.key),
  );
  const value = read("value", converters.settings.value.className, () =>
    converters.value.toConnectData(topic, headers, record.value),
  );
  for (const [part, { schema, value: data }] of [
    ["key", key],
    ["value", value],
  ] as const) {
    try {
      if (schema) validateValue(schema, data, part);
    } catch (error) {
      throw new Error(`${where}: its ${part} does not fit its own schema: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return {
    partition: record.partition,
    offset: record.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    headers,
  };
}
