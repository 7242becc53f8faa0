/**
 * The `group.instance.id` of a sink task's consumer (KIP-345 static membership). Kafka Connect's sink consumers are
 * dynamic members: a task restarted after a crash joins as a new member, and the group waits for the dead member's
 * session (45 s by default) before it rebalances, so the task's partitions sit unread that long. A static member that
 * comes back under the same instance id takes the old member's place at once. The id is therefore the same for the
 * same task wherever and whenever it runs, and differs between the tasks of one connector (a second live member with
 * the same id fences the first, which is what should happen to a zombie task whose replacement has started).
 *
 * A clean stop still leaves the group at once (FfiConsumer's close), so only crashes and zombies behave differently
 * from Kafka Connect.
 */
import { createHash } from "node:crypto";
import type { ConnectorTaskId } from "../../common/status.ts";

/** Kafka's rule for a group instance id (JoinGroupRequest.validateGroupInstanceId): the same as for a topic name. */
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_LENGTH = 249;

/**
 * `connector-consumer-<connector>-<task>-<cluster>`: the consumer's client.id and a short hash of the worker's cluster
 * (`cluster`: a distributed worker's group.id, whose workers all give a task the same id wherever it moves; a
 * standalone worker's own id). Two Connect clusters that run a sink connector of the same name against one Kafka
 * share its consumer group `connect-<name>`, as in Kafka; without the cluster in the id their tasks would fence each
 * other. A connector name with characters Kafka refuses in an instance id, or too long, keeps a readable prefix with
 * the illegal characters replaced, and the hash covers the whole name, so that two names never share an id.
 */
export function sinkGroupInstanceId(id: ConnectorTaskId, cluster: string): string {
  const clusterHash = createHash("sha256").update(cluster, "utf8").digest("hex").slice(0, 8);
  const plain = `connector-consumer-${id.connector}-${id.task}-${clusterHash}`;
  if (LEGAL.test(plain) && plain.length <= MAX_LENGTH) return plain;
  const hash = createHash("sha256").update(`${cluster}\u0000${id.connector}`, "utf8").digest("hex").slice(0, 16);
  const suffix = `-${id.task}-${hash}`;
  const readable = id.connector.replace(/[^a-zA-Z0-9._-]/g, "_");
  const room = MAX_LENGTH - "connector-consumer-".length - suffix.length;
  return `connector-consumer-${readable.slice(0, room)}${suffix}`;
}
