import { readFile } from "node:fs/promises";
import { ConfigError } from "../api/errors.ts";
import type { SourceOffset, SourcePartition } from "../api/record.ts";
import { writeFileAtomically } from "./atomic-write.ts";
import { type OffsetEntry, type OffsetStore, partitionKey } from "./offset-store.ts";

const FORMAT = "sluice-offsets/1";

interface StoredEntry {
  connector: string;
  partition: SourcePartition;
  offset: SourceOffset;
}

/**
 * Standalone mode's offsets: one JSON file (`offset.storage.file.filename`), rewritten whole and atomically on every
 * `set` (write a temporary file, fsync, rename over, fsync the folder), so a crash at any moment leaves either the
 * old or the new offsets, never a torn file. Kafka's standalone worker keeps a Java-serialized map instead; JSON is
 * readable and editable by hand, and holds the same `[connector, partition] → offset` entries.
 */
export class FileOffsetStore implements OffsetStore {
  private readonly entries = new Map<string, StoredEntry>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async start(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new ConfigError(`Cannot read the offsets file ${this.path}: ${(error as Error).message}`, {
        key: "offset.storage.file.filename",
        cause: error,
      });
    }
    let parsed: { format?: unknown; offsets?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(
        `The offsets file ${this.path} is not valid JSON (${(error as Error).message}); move it away to start without offsets`,
        { key: "offset.storage.file.filename", cause: error },
      );
    }
    if (parsed.format !== FORMAT || !Array.isArray(parsed.offsets)) {
      throw new ConfigError(`The offsets file ${this.path} is not a sluice offsets file (expected format ${FORMAT})`, {
        key: "offset.storage.file.filename",
      });
    }
    for (const entry of parsed.offsets as StoredEntry[]) {
      this.entries.set(this.keyOf(entry.connector, entry.partition), entry);
    }
  }

  private keyOf(connector: string, partition: SourcePartition): string {
    return `${JSON.stringify(connector)}:${partitionKey(partition)}`;
  }

  async get(connector: string, partitions: readonly SourcePartition[]): Promise<Map<string, SourceOffset>> {
    const result = new Map<string, SourceOffset>();
    for (const partition of partitions) {
      const entry = this.entries.get(this.keyOf(connector, partition));
      if (entry) result.set(partitionKey(partition), entry.offset);
    }
    return result;
  }

  async all(connector: string): Promise<OffsetEntry[]> {
    return [...this.entries.values()]
      .filter((e) => e.connector === connector)
      .map((e) => ({ partition: e.partition, offset: e.offset }));
  }

  set(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    for (const { partition, offset } of entries) {
      const key = this.keyOf(connector, partition);
      if (offset === null) this.entries.delete(key);
      else this.entries.set(key, { connector, partition, offset });
    }
    // Writes are serialized; each one writes the state at the time it runs, which includes this call's entries.
    this.writing = this.writing.then(
      () => this.write(),
      () => this.write(),
    );
    return this.writing;
  }

  private write(): Promise<void> {
    return writeFileAtomically(
      this.path,
      JSON.stringify({ format: FORMAT, offsets: [...this.entries.values()] }, null, 1),
    );
  }

  async stop(): Promise<void> {
    await this.writing;
  }
}
