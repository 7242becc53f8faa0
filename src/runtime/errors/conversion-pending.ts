import { ConnectError, ConversionPending } from "../../api/errors.ts";

/**
 * How many answers one conversion may wait for before it counts as failed: a record needs a handful (key and value
 * schemas, their versions); a converter that keeps asking is broken, and this keeps it from spinning forever.
 */
export const MAX_PENDING_WAITS = 32;

/** The ConversionPending an error is, or wraps as a record's conversion failure; undefined otherwise. */
export function pendingOf(error: unknown): ConversionPending | undefined {
  if (error instanceof ConversionPending) return error;
  if (
    error instanceof ConnectError &&
    error.code === "RECORD_CONVERSION_FAILED" &&
    error.cause instanceof ConversionPending
  )
    return error.cause;
  return undefined;
}

/**
 * Runs an operation again after each answer its converters waited for, as long as they wait; resolves with its
 * result, or rejects with its failure or with the reason an answer could not be had (say, an unreachable registry).
 * `first` is what the first attempt threw, when the caller already made it.
 */
export async function runAwaitingPending<T>(operation: () => T | Promise<T>, first?: ConversionPending): Promise<T> {
  let pending = first;
  for (let waits = 0; ; waits++) {
    if (pending !== undefined) await pending.ready;
    try {
      return await operation();
    } catch (error) {
      pending = pendingOf(error);
      if (pending === undefined || waits >= MAX_PENDING_WAITS) throw error;
    }
  }
}
