/**
 * Kafka Connect's group messages, byte for byte: the member metadata a worker sends in JoinGroup and the
 * assignment the leader sends each member in SyncGroup. Mirrors ConnectProtocol (version 0, protocol `default`),
 * IncrementalCooperativeConnectProtocol (versions 1 `compatible` and 2 `sessioned`), ExtendedAssignment and
 * ExtendedWorkerState of org.apache.kafka.connect.runtime.distributed.
 *
 * Metadata:   version:int16 url:string config-offset:int64 [v1+: allocation:nullable bytes = the member's current
 *             assignment, serialised with the metadata's version]
 * Assignment: version:int16 error:int16 leader:string leader-url:string config-offset:int64
 *             assignment:[connector:string tasks:[int32]] [v1+: revoked:[same] delay:int32]
 * Task -1 in a connector's list stands for the Connector instance itself.
 *
 * Readers behave like Kafka's: the version-0 readers ignore bytes after the fields they know; the version-1+ readers
 * take a missing allocation as "no assignment", missing assignment/revoked arrays as empty and a missing delay as 0.
 */

import { CONNECT_PROTOCOL_V0, CONNECT_PROTOCOL_V2 } from "./connect-protocol-compatibility.ts";
import { ConnectProtocolError } from "./connect-protocol-error.ts";
import { javaHashSetOrder } from "./java-hash-set-order.ts";
import { ProtocolReader, ProtocolWriter, readField } from "./protocol-buffer.ts";

/** The sentinel task id that means "the Connector instance" (ConnectProtocol.CONNECTOR_TASK). */
export const CONNECTOR_TASK = -1;

/** Assignment.NO_ERROR and Assignment.CONFIG_MISMATCH. */
export const ASSIGNMENT_NO_ERROR = 0;
export const ASSIGNMENT_CONFIG_MISMATCH = 1;

export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

/** ExtendedAssignment (a version-0 assignment has no revocations and delay 0). */
export interface ConnectAssignment {
  /** The header version it was read with; the writer's version decides the header when encoding. */
  readonly version: number;
  /** ASSIGNMENT_NO_ERROR or ASSIGNMENT_CONFIG_MISMATCH. */
  readonly error: number;
  /** The leader's member id. */
  readonly leader: string;
  /** The leader's REST URL, where followers forward writes. */
  readonly leaderUrl: string;
  /** The config topic offset this assignment was computed at. */
  readonly configOffset: number;
  readonly connectors: readonly string[];
  readonly tasks: readonly ConnectorTaskId[];
  readonly revokedConnectors: readonly string[];
  readonly revokedTasks: readonly ConnectorTaskId[];
  /** Milliseconds after which the member should rejoin (a scheduled rebalance); 0 = none. */
  readonly delay: number;
}

/** ExtendedWorkerState: what a worker tells the group about itself when joining. */
export interface WorkerState {
  /** The worker's advertised REST URL. */
  readonly url: string;
  /** The highest config topic offset the worker has read. */
  readonly configOffset: number;
  /** The worker's current assignment (sent by versions 1+ only); null = none yet. */
  readonly assignment: ConnectAssignment | null;
}

interface ConnectorEntry {
  readonly connector: string;
  readonly tasks: number[];
}

/** The member metadata for one offered protocol (serializeMetadata of the protocol with this version). */
export function encodeWorkerState(state: WorkerState, version: number): Buffer {
  const writer = new ProtocolWriter().int16(version).string(state.url).int64(state.configOffset);
  if (version === CONNECT_PROTOCOL_V0) return writer.bytes();
  const allocation = state.assignment === null ? null : encodeAssignment({ ...state.assignment, version });
  return writer.nullableBytes(allocation).bytes();
}

/** Member metadata as read by the chosen protocol's version (0: ConnectProtocol, 1+: incremental). */
export function decodeWorkerState(bytes: Uint8Array, protocolVersion: number): WorkerState {
  const reader = new ProtocolReader(bytes);
  readVersion(reader);
  const url = readField("url", () => reader.string());
  const configOffset = readField("config-offset", () => reader.int64());
  if (protocolVersion === CONNECT_PROTOCOL_V0) return { url, configOffset, assignment: null };
  const allocation = readField("allocation", () => (reader.remaining > 0 ? reader.nullableBytes() : null));
  return {
    url,
    configOffset,
    assignment: allocation === null ? null : decodeAssignment(allocation, CONNECT_PROTOCOL_V2),
  };
}

/** An assignment with the header `assignment.version` (0: ConnectProtocol, 1 or 2: IncrementalCooperative...). */
export function encodeAssignment(assignment: ConnectAssignment): Buffer {
  const writer = new ProtocolWriter()
    .int16(assignment.version)
    .int16(assignment.error)
    .string(assignment.leader)
    .string(assignment.leaderUrl)
    .int64(assignment.configOffset);
  writeEntries(writer, assignedEntries(assignment.connectors, assignment.tasks));
  if (assignment.version === CONNECT_PROTOCOL_V0) return writer.bytes();
  writeEntries(writer, revokedEntries(assignment.revokedConnectors, assignment.revokedTasks));
  return writer.int32(assignment.delay).bytes();
}

/**
 * An assignment as read by the chosen protocol's version: 0 reads only the version-0 fields (ConnectProtocol
 * .deserializeAssignment), 1+ reads revocations and delay too, tolerating their absence.
 */
export function decodeAssignment(bytes: Uint8Array, protocolVersion: number): ConnectAssignment {
  const reader = new ProtocolReader(bytes);
  const version = readVersion(reader);
  const tolerant = protocolVersion !== CONNECT_PROTOCOL_V0;
  // Kafka's tolerant schema (ASSIGNMENT_V1) fills a field from its default only when no bytes are left at all.
  const required = <T>(field: string, read: () => T): T =>
    readField(field, () => {
      if (tolerant && reader.remaining === 0) {
        throw new ConnectProtocolError(`Missing value for field '${field}' which has no default value.`);
      }
      return read();
    });
  const optional = <T>(field: string, fallback: T, read: () => T): T =>
    tolerant && reader.remaining === 0 ? fallback : readField(field, read);

  const error = required("error", () => reader.int16());
  const leader = required("leader", () => reader.string());
  const leaderUrl = required("leader-url", () => reader.string());
  const configOffset = required("config-offset", () => reader.int64());
  const readEntries = () => reader.array(readEntry, tolerant) ?? [];
  const assigned = tolerant ? optional("assignment", [], readEntries) : readField("assignment", readEntries);
  const revoked = tolerant ? optional("revoked", [], readEntries) : [];
  const delay = tolerant ? optional("delay", 0, () => reader.int32()) : 0;
  return {
    version,
    error,
    leader,
    leaderUrl,
    configOffset,
    ...split(assigned, "connectors", "tasks"),
    ...split(revoked, "revokedConnectors", "revokedTasks"),
    delay,
  } as ConnectAssignment;
}

function readVersion(reader: ProtocolReader): number {
  const version = readField("version", () => reader.int16());
  if (version < CONNECT_PROTOCOL_V0) throw new ConnectProtocolError(`Unsupported subscription version: ${version}`);
  return version;
}

function readEntry(reader: ProtocolReader): ConnectorEntry {
  const connector = readField("connector", () => reader.string());
  const tasks = readField("tasks", () => reader.array((r) => r.int32(), false) ?? []);
  return { connector, tasks };
}

function writeEntries(writer: ProtocolWriter, entries: readonly ConnectorEntry[]): void {
  writer.array(entries, (w, entry) => {
    w.string(entry.connector).array(entry.tasks, (inner, task) => inner.int32(task));
  });
}

/** Assignment.asMap(): connectors in JDK HashSet order, each with -1 first, then tasks appended in order. */
function assignedEntries(connectors: readonly string[], tasks: readonly ConnectorTaskId[]): ConnectorEntry[] {
  return groupEntries(javaHashSetOrder(connectors), tasks);
}

/** ExtendedAssignment.revokedAsMap(): distinct connectors in order, then tasks appended in order. */
function revokedEntries(connectors: readonly string[], tasks: readonly ConnectorTaskId[]): ConnectorEntry[] {
  return groupEntries([...new Set(connectors)], tasks);
}

function groupEntries(connectors: readonly string[], tasks: readonly ConnectorTaskId[]): ConnectorEntry[] {
  const entries = new Map<string, number[]>();
  for (const connector of connectors) entries.set(connector, [CONNECTOR_TASK]);
  for (const { connector, task } of tasks) {
    const list = entries.get(connector);
    if (list === undefined) entries.set(connector, [task]);
    else list.push(task);
  }
  return [...entries].map(([connector, list]) => ({ connector, tasks: list }));
}

/** extractConnectors / extractTasks: -1 entries are connectors, the rest tasks, in wire order. */
function split<C extends string, T extends string>(
  entries: readonly ConnectorEntry[],
  connectorsKey: C,
  tasksKey: T,
): Record<C, string[]> & Record<T, ConnectorTaskId[]> {
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  for (const entry of entries) {
    for (const task of entry.tasks) {
      if (task === CONNECTOR_TASK) connectors.push(entry.connector);
      else tasks.push({ connector: entry.connector, task });
    }
  }
  return { [connectorsKey]: connectors, [tasksKey]: tasks } as Record<C, string[]> & Record<T, ConnectorTaskId[]>;
}
