/**
 * What a starting task does first, from `snapshot.mode`, the stored offset and the slot (Debezium's Snapshotter
 * implementations): take a snapshot, or stream from where the last run stopped.
 */
import type { SnapshotMode } from "../config/postgres-connector-config.ts";
import type { StoredPosition } from "../offsets/cdc-offset.ts";
import type { ReplicationSlotState } from "../replication/replication-slot.ts";

export type StartPlan =
  /** Read the tables first; `streamAfter` false for initial_only. */
  | { readonly kind: "snapshot"; readonly streamAfter: boolean }
  /** Stream only: from the stored position, else from the slot's (new or existing) position. */
  | { readonly kind: "stream" }
  /** initial_only after its snapshot: nothing more to do. */
  | { readonly kind: "idle" };

export function startPlan(mode: SnapshotMode, stored: StoredPosition, slot: ReplicationSlotState | null): StartPlan {
  const noOffset = stored.kind === "none" || stored.kind === "snapshot-incomplete";
  switch (mode) {
    case "always":
      return { kind: "snapshot", streamAfter: true };
    case "initial":
      return noOffset ? { kind: "snapshot", streamAfter: true } : { kind: "stream" };
    case "initial_only":
      return noOffset ? { kind: "snapshot", streamAfter: false } : { kind: "idle" };
    case "when_needed":
      return noOffset || positionLost(stored, slot) ? { kind: "snapshot", streamAfter: true } : { kind: "stream" };
    case "never":
    case "no_data":
      return { kind: "stream" };
  }
}

/**
 * The slot that held the stored position is gone, so the changes after it are too (a new slot starts now). A slot
 * confirmed past the stored position is not a loss: the task confirms what Kafka acknowledged, which can be ahead of
 * the offsets stored last.
 */
function positionLost(stored: StoredPosition, slot: ReplicationSlotState | null): boolean {
  return stored.kind === "streaming" && slot === null;
}
