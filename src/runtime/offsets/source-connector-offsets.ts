import { ConfigError, ConnectError, DataError } from "../../api/errors.ts";
import type { SourceOffset, SourcePartition } from "../../api/record.ts";
import { SourceConnector } from "../../api/source.ts";
import type { OffsetEntry } from "../../storage/offset-store.ts";
import {
  type ConnectorOffset,
  type ConnectorOffsets,
  modifiedMessage,
  newConnector,
  type OffsetsTarget,
} from "./connector-offsets.ts";

/** GET /offsets of a source connector: every partition it has committed an offset for. */
export async function sourceConnectorOffsets(target: OffsetsTarget): Promise<ConnectorOffsets> {
  try {
    const entries = await target.worker.offsetStore.all(target.name);
    return { offsets: entries.map(({ partition, offset }) => ({ partition, offset })) };
  } catch (error) {
    if (error instanceof ConnectError) throw error;
    throw new ConnectError(`Failed to retrieve offsets for source connector ${target.name}`, { cause: error });
  }
}

/** Kafka's Schema.Type name of a non-primitive JSON value, for OffsetUtils.validateFormat's message. */
const typeName = (value: object) => (Array.isArray(value) ? "ARRAY" : "MAP");

/** Kafka's OffsetUtils.validateFormat: keys are strings (JSON's are), values null or primitive. */
function validateFormat(
  data: Readonly<Record<string, unknown>>,
): Readonly<Record<string, string | number | boolean | null>> {
  for (const [field, value] of Object.entries(data)) {
    if (value !== null && typeof value === "object") {
      throw new DataError(
        `Offsets may only contain primitive types as values, but field ${field} contains ${typeName(value)}`,
      );
    }
  }
  return data as Readonly<Record<string, string | number | boolean | null>>;
}

function toEntries(offsets: readonly ConnectorOffset[]): OffsetEntry[] {
  return offsets.map(({ partition, offset }) => {
    // Kafka would write such an offset under a key it then never reads back: refusing it says so.
    if (partition === null || partition === undefined) {
      throw new ConfigError("The partition for a source connector offset cannot be null or missing");
    }
    return {
      partition: validateFormat(partition) as SourcePartition,
      offset: offset === null || offset === undefined ? null : (validateFormat(offset) as SourceOffset),
    };
  });
}

async function callAlterOffsets(target: OffsetsTarget, entries: readonly OffsetEntry[]): Promise<boolean> {
  const connector = newConnector(target);
  if (!(connector instanceof SourceConnector)) throw new ConnectError(`${target.name} is not a source connector`);
  try {
    return await connector.alterOffsets(target.config, new Map(entries.map((e) => [e.partition, e.offset])));
  } catch (error) {
    if (error instanceof ConnectError) throw error;
    throw new ConnectError(`Failed to modify offsets for source connector ${target.name}`, { cause: error });
  }
}

/**
 * PATCH (`offsets` given) or DELETE (`offsets` null: a tombstone for every partition the connector has) of a
 * stopped source connector's offsets, as Kafka's Worker.modifySourceConnectorOffsets: the connector's
 * `alterOffsets` hook runs first, and nothing is written when it throws.
 */
export async function modifySourceConnectorOffsets(
  target: OffsetsTarget,
  offsets: readonly ConnectorOffset[] | null,
): Promise<{ message: string }> {
  const { offsetStore } = target.worker;
  const reset = offsets === null;
  const entries = reset
    ? (await offsetStore.all(target.name)).map(({ partition }) => ({ partition, offset: null }))
    : toEntries(offsets);
  const altered = await callAlterOffsets(target, entries);
  if (entries.length > 0) {
    try {
      await offsetStore.set(target.name, entries);
    } catch (error) {
      throw new ConnectError(`Failed to modify offsets for source connector ${target.name}`, { cause: error });
    }
  }
  return modifiedMessage(altered, reset);
}
