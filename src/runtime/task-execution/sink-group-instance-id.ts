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
import type { ConnectorTaskId } from "../status.ts";

/** Kafka's rule for a group instance id (JoinGroupRequest.validateGroupInstanceId): the same as for a topic name. */
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_LENGTH = 249;

/**
 * `connector-consumer-<connector>-<task>` (the consumer's client.id), or, when the connector's name has characters
 * Kafka refuses in an instance id or is too long, a readable prefix of it with the illegal characters replaced and a
 * hash of the whole name, so that two names never share an id.
 */
export function sinkGroupInstanceId(id: ConnectorTaskId): string {
  const plain = `connector-consumer-${id.connector}-${id.task}`;
  if (LEGAL.test(plain) && plain.length <= MAX_LENGTH) return plain;
  const hash = createHash("sha256").update(id.connector, "utf8").digest("hex").slice(0, 16);
  const suffix = `-${hash}-${id.task}`;
  const readable = id.connector.replace(/[^a-zA-Z0-9._-]/g, "_");
  const room = MAX_LENGTH - "connector-consumer-".length - suffix.length;
  return `connector-consumer-${readable.slice(0, room)}${suffix}`;
}
