/**
 * The offsets of a source connector with a topic of its own (`offsets.storage.topic` in its config), read and
 * written as Kafka's ConnectorOffsetBackingStore does with a connector store and the worker's:
 *
 * - reading, the connector's topic wins and the worker's topic fills in the partitions it lacks (the offsets a
 *   connector committed before it got a topic of its own still count);
 * - writing, the connector's topic is the one that counts and the worker's gets a copy, so that removing the key
 *   later loses nothing. A tombstone goes to the worker's topic first, then everything to the connector's, then the
 *   other offsets to the worker's (KAFKA-15018): written the other way round, a crash between the two writes would
 *   let the worker's older offset show through the tombstone. The last copy is best effort: its failure is logged,
 *   not the write's.
 *
 * Starting and stopping the two stores is their owners' business (the worker's store serves every connector).
 */
import type { SourceOffset, SourcePartition } from "../api/record.ts";
import { createLogger } from "../common/logger.ts";
import { type OffsetEntry, type OffsetStore, partitionKey } from "./offset-store.ts";

const log = createLogger("org.apache.kafka.connect.storage.ConnectorOffsetBackingStore");

/** What reading and writing one connector's offsets needs, whichever topics hold them. */
export type ConnectorOffsetAccess = Pick<OffsetStore, "get" | "all" | "set">;

export class ConnectorOffsetStore implements ConnectorOffsetAccess {
  constructor(
    /** The connector's own topic. */
    private readonly primary: ConnectorOffsetAccess,
    /** The worker's `offset.storage.topic`. */
    private readonly secondary: ConnectorOffsetAccess,
  ) {}

  async get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<string, SourceOffset>> {
    const [fallback, own] = await Promise.all([
      this.secondary.get(connector, partitions),
      this.primary.get(connector, partitions),
    ]);
    return new Map([...fallback, ...own]);
  }

  async all(connector: string): Promise<OffsetEntry[]> {
    const [fallback, own] = await Promise.all([this.secondary.all(connector), this.primary.all(connector)]);
    const merged = new Map<string, OffsetEntry>();
    for (const entry of [...fallback, ...own]) merged.set(partitionKey(entry.partition), entry);
    return [...merged.values()];
  }

  async set(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    await this.copyTombstones(connector, entries);
    await this.primary.set(connector, entries);
    await this.copyOffsets(connector, entries);
  }

  /** The first step of a write: the tombstones, to the worker's topic. A failure fails the write. */
  async copyTombstones(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    const tombstones = entries.filter((entry) => entry.offset === null);
    if (tombstones.length > 0) await this.secondary.set(connector, tombstones);
  }

  /** The last step of a write, once the connector's topic has it: the other offsets, to the worker's topic. */
  async copyOffsets(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    const offsets = entries.filter((entry) => entry.offset !== null);
    if (offsets.length === 0) return;
    try {
      await this.secondary.set(connector, offsets);
    } catch (error) {
      log.warn(`Failed to write offsets of ${connector} to the worker's offsets topic (the secondary store)`, error);
    }
  }
}
