import type { SourceOffset, SourcePartition } from "../../api/record.ts";
import type { OffsetStorageReader } from "../../api/source.ts";
import { type OffsetStore, partitionKey } from "../../storage/offset-store.ts";

/** The OffsetStorageReader a source task gets (Kafka's OffsetStorageReaderImpl): its connector's committed offsets. */
export function offsetStorageReader(offsetStore: Pick<OffsetStore, "get">, connector: string): OffsetStorageReader {
  return {
    offset: async (partition: SourcePartition) =>
      (await offsetStore.get(connector, [partition])).get(partitionKey(partition)) ?? null,
    offsets: async (partitions: readonly SourcePartition[]) => {
      const found = await offsetStore.get(connector, partitions);
      return new Map<SourcePartition, SourceOffset | null>(
        partitions.map((p) => [p, found.get(partitionKey(p)) ?? null]),
      );
    },
  };
}
