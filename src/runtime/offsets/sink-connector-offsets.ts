import { ConnectError } from "../../api/errors.ts";
import { SinkConnector, type TopicPartition } from "../../api/sink.ts";
import { createLogger } from "../../common/logger.ts";
import { KafkaError } from "../../kafka/errors.ts";
import type { Admin, KafkaProperties } from "../../kafka/types.ts";
import {
  type ConnectorOffset,
  type ConnectorOffsets,
  modifiedMessage,
  newConnector,
  OFFSETS_REQUEST_TIMEOUT_MS,
  type OffsetsTarget,
} from "./connector-offsets.ts";
import { parseSinkOffsets, type SinkOffset, toConnectorOffsets } from "./sink-offsets-format.ts";

const log = createLogger("offsets");

const ZOMBIE_HINT =
  "If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks.";

/**
 * The sink's consumer group: `connect-<name>` unless the worker's `consumer.group.id` or the connector's
 * `consumer.override.group.id` says otherwise, in the order the worker builds its consumer properties.
 */
export function sinkGroupId(
  target: Pick<OffsetsTarget, "name" | "config"> & { readonly worker: Pick<OffsetsTarget["worker"], "config"> },
): string {
  return (
    target.config["consumer.override.group.id"] ??
    target.worker.config.originalsWithPrefix("consumer.")["group.id"] ??
    `connect-${target.name}`
  );
}

/** Admin client properties as Kafka's Worker.adminConfigs: the worker's `admin.*`, the connector's `admin.override.*`. */
function adminProperties(target: OffsetsTarget): KafkaProperties {
  const { config } = target.worker;
  const props: Record<string, string> = { "bootstrap.servers": config.getList("bootstrap.servers").join(",") };
  Object.assign(props, config.originalsWithPrefix("admin."));
  for (const [key, value] of Object.entries(target.config)) {
    if (key.startsWith("admin.override.")) props[key.slice("admin.override.".length)] = value;
  }
  props["client.id"] = `connector-worker-adminclient-${target.name}`;
  return props;
}

/** Runs `use` with an admin client made for this request, closed afterwards. */
async function withAdmin<T>(target: OffsetsTarget, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = await target.worker.kafka.createAdmin(adminProperties(target));
  try {
    return await use(admin);
  } finally {
    await admin.close().catch((error) => log.warn(`closing the offsets admin client of ${target.name} failed`, error));
  }
}

const hasName = (error: unknown, ...names: string[]) => error instanceof KafkaError && names.includes(error.errorName);

/** GET /offsets of a sink connector: its consumer group's committed offsets. */
export async function sinkConnectorOffsets(target: OffsetsTarget): Promise<ConnectorOffsets> {
  try {
    const committed = await withAdmin(target, (admin) =>
      admin.listConsumerGroupOffsets(sinkGroupId(target), { timeoutMs: OFFSETS_REQUEST_TIMEOUT_MS }),
    );
    return { offsets: toConnectorOffsets(committed) };
  } catch (error) {
    throw new ConnectError(`Failed to retrieve consumer group offsets for sink connector ${target.name}`, {
      cause: error,
    });
  }
}

/** The connector's `alterOffsets` hook, with Kafka's wrapping of what it throws. */
async function callAlterOffsets(target: OffsetsTarget, offsets: readonly SinkOffset[]): Promise<boolean> {
  const connector = newConnector(target);
  if (!(connector instanceof SinkConnector)) throw new ConnectError(`${target.name} is not a sink connector`);
  const byPartition = new Map<TopicPartition, number | null>(
    offsets.map(({ topic, partition, offset }) => [{ topic, partition }, offset]),
  );
  try {
    return await connector.alterOffsets(target.config, byPartition);
  } catch (error) {
    if (error instanceof ConnectError) throw error;
    throw new ConnectError(`Failed to modify offsets for sink connector ${target.name}`, { cause: error });
  }
}

/**
 * PATCH /offsets of a stopped sink connector: sets the given partitions' committed offsets and removes those given a
 * null offset (Kafka's Worker.alterSinkConnectorOffsets).
 */
export async function alterSinkConnectorOffsets(
  target: OffsetsTarget,
  requested: readonly ConnectorOffset[],
): Promise<{ message: string }> {
  const offsets = parseSinkOffsets(requested);
  const altered = await callAlterOffsets(target, offsets);
  const group = sinkGroupId(target);
  const timeoutMs = OFFSETS_REQUEST_TIMEOUT_MS;
  const toSet = offsets.flatMap(({ topic, partition, offset }) =>
    offset === null ? [] : [{ topic, partition, offset }],
  );
  const toDelete = offsets.filter((o) => o.offset === null).map(({ topic, partition }) => ({ topic, partition }));
  try {
    await withAdmin(target, (admin) =>
      Promise.all([
        toSet.length > 0 ? admin.alterConsumerGroupOffsets(group, toSet, { timeoutMs }) : undefined,
        toDelete.length > 0 ? admin.deleteConsumerGroupOffsets(group, toDelete, { timeoutMs }) : undefined,
      ]),
    );
  } catch (error) {
    // Only members may commit while the group has some, and offsets of a subscribed topic cannot be deleted.
    if (hasName(error, "UNKNOWN_MEMBER_ID", "GROUP_SUBSCRIBED_TO_TOPIC")) {
      throw new ConnectError(
        `Failed to alter consumer group offsets for connector ${target.name} either because its tasks haven't stopped completely yet or the connector was resumed before the request to alter its offsets could be successfully completed. ${ZOMBIE_HINT}`,
        { cause: error },
      );
    }
    throw new ConnectError(`Failed to alter consumer group offsets for connector ${target.name}`, { cause: error });
  }
  return modifiedMessage(altered, false);
}

/** DELETE /offsets of a stopped sink connector: deletes its consumer group (Kafka's resetSinkConnectorOffsets). */
export async function resetSinkConnectorOffsets(target: OffsetsTarget): Promise<{ message: string }> {
  const group = sinkGroupId(target);
  const timeoutMs = OFFSETS_REQUEST_TIMEOUT_MS;
  return withAdmin(target, async (admin) => {
    let current: { topic: string; partition: number }[];
    try {
      current = await admin.listConsumerGroupOffsets(group, { timeoutMs });
    } catch (error) {
      throw new ConnectError(`Failed to list offsets prior to resetting offsets for sink connector ${target.name}`, {
        cause: error,
      });
    }
    const altered = await callAlterOffsets(
      target,
      current.map(({ topic, partition }) => ({ topic, partition, offset: null })),
    );
    try {
      await admin.deleteConsumerGroups([group], { timeoutMs });
    } catch (error) {
      // Resetting is idempotent: a group already deleted (or never created) is fine.
      if (!hasName(error, "GROUP_ID_NOT_FOUND")) {
        if (hasName(error, "NON_EMPTY_GROUP")) {
          throw new ConnectError(
            `Failed to reset consumer group offsets for connector ${target.name} either because its tasks haven't stopped completely yet or the connector was resumed before the request to reset its offsets could be successfully completed. ${ZOMBIE_HINT}`,
            { cause: error },
          );
        }
        throw new ConnectError(`Failed to reset consumer group offsets for sink connector ${target.name}`, {
          cause: error,
        });
      }
    }
    return modifiedMessage(altered, true);
  });
}
