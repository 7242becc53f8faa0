import type { Schema, Struct } from "../../../src/index.ts";

export interface GeneratedRecord {
  /** The record key (schema STRING): unique per (task, seq). */
  readonly key: string;
  readonly value: Struct;
}

/**
 * One kind of generated data. `generate` depends only on the seed it was created with and its arguments, so the
 * same (seed, task, seq) always gives an equal record, and any record can be made without making those before it.
 */
export interface Shape {
  readonly valueSchema: Schema;
  generate(task: number, seq: number): GeneratedRecord;
}

/**
 * 2024-01-01T00:00:00Z: generated timestamps start here and advance about a second per seq, so they are
 * reproducible (never the wall clock) and ordered like the records.
 */
export const BASE_TIME_MS = 1_704_067_200_000;
