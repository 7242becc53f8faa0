import type { Converter } from "../../src/api/converter.ts";
import type { Schema } from "../../src/api/schema.ts";

/** One converter of `bun run bench:converters`, with the baseline it is measured against. */
export interface Case {
  readonly name: string;
  /** The topic converted for (a registry converter's subject is named after it); "t" when not given. */
  readonly topic?: string;
  readonly converter: Converter;
  /** What the converter is given: Structs with their schema, or plain objects without. */
  readonly schema: Schema | null;
  readonly values: readonly unknown[];
  readonly baselineSerialize: (plain: unknown) => Uint8Array;
  readonly baselineDeserialize: (bytes: Uint8Array) => unknown;
}
