import type { Field, Schema, SchemaType } from "../../../api/schema.ts";

/**
 * What a value transform does to every Struct of one schema, as data: the output schema and, per output field,
 * where its value comes from. Flatten, Cast and ReplaceField describe themselves this way from the plans they
 * already cache per schema, so a chain of them can be compiled into one step per schema
 * (fast-paths/structs/struct-chain-plan.ts) with the very output schemas the transforms make.
 */
export type StructStage =
  | {
      /** The output Struct's schema. */
      readonly output: Schema;
      /** Per output field, in order: how its value is read from the input Struct. */
      readonly slots: readonly SlotSource[];
      /**
       * Paths to the nested structs the transform walks, whether or not an output field is read from them: each
       * must be null or a Struct (Flatten fails on anything else, even a struct without fields).
       */
      readonly structs?: readonly (readonly Field[])[];
    }
  | {
      /** The value becomes null (Drop), with this schema. */
      readonly output: Schema | null;
      readonly slots: null;
    };

/**
 * One output field's value: read along `path` from the input Struct, then cast. Every field but the last is a
 * struct field, read with default (Kafka's `Struct.get`); where one of them is null, the output field is left
 * unset. The last is read with `Struct.get` when `withDefault`, else `getWithoutDefault` (null when unset).
 */
export interface SlotSource {
  readonly path: readonly Field[];
  readonly withDefault: boolean;
  /** Cast's target type for the value read (castValue with the last field's schema), or null. */
  readonly cast: SchemaType | null;
}

/**
 * A value transform that can say what it does per Struct schema. `structStage` returns null when it cannot (a
 * `$Key` variant, an option the description does not cover) and throws what `apply` would throw for every Struct
 * of that schema.
 */
export interface DescribesStructStage {
  structStage(schema: Schema): StructStage | null;
}

export function describesStructStage(transformation: object): transformation is DescribesStructStage {
  return typeof (transformation as Partial<DescribesStructStage>).structStage === "function";
}
