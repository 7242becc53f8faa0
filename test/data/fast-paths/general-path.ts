/**
 * The reference the fast path is held to: the general path, as the worker runs it (JsonConverter.toConnectData, the
 * TransformationChain built from the connector configuration, JsonConverter.fromConnectData).
 */
import type { SinkRecord } from "../../../src/api/record.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { TransformationChain } from "../../../src/runtime/pipeline/transformation-chain.ts";
import type { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";

export const SCHEMALESS = { "schemas.enable": "false" } as const;

/** What the general path makes of one value: its output bytes (null for a null value), or the error it throws. */
export type GeneralOutcome =
  | { readonly ok: true; readonly value: Uint8Array | null }
  | { readonly ok: false; readonly error: unknown };

export function generalPath(
  plugins: PluginRegistry,
  chainConfig: Readonly<Record<string, string>>,
  props: Readonly<Record<string, string>> = SCHEMALESS,
): (value: Uint8Array | null) => GeneralOutcome {
  const converter = new JsonConverter();
  converter.configure(props, false);
  const chain = TransformationChain.fromConfig<SinkRecord>(chainConfig, plugins);
  return (bytes) => {
    try {
      const { schema, value } = converter.toConnectData("t", [], bytes);
      const record: SinkRecord = {
        topic: "t",
        kafkaPartition: 0,
        kafkaOffset: 0,
        keySchema: null,
        key: null,
        valueSchema: schema,
        value,
        timestamp: null,
        timestampType: "NoTimestampType",
        headers: [],
      };
      const out = chain.apply(record);
      return { ok: true, value: out === null ? null : converter.fromConnectData("t", [], out.valueSchema, out.value) };
    } catch (error) {
      return { ok: false, error };
    }
  };
}

const decoder = new TextDecoder();

/** Bytes as text for assertion messages (invalid UTF-8 shows as U+FFFD). */
export function show(bytes: Uint8Array | null | undefined): string {
  return bytes === undefined ? "(general path)" : bytes === null ? "null" : decoder.decode(bytes);
}
