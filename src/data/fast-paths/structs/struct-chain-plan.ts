import type { ConnectRecord } from "../../../api/record.ts";
import type { Field, Schema } from "../../../api/schema.ts";
import { Struct } from "../../../api/struct.ts";
import { castValue } from "../../transforms/cast-values.ts";
import { structOf, structSlots } from "../../transforms/util/struct-access.ts";
import type { DescribesStructStage, SlotSource, StructStage } from "../../transforms/util/struct-stage.ts";
import { describesStructStage } from "../../transforms/util/struct-stage.ts";

/**
 * The value side of a chain of Flatten$Value / Cast$Value / ReplaceField$Value / Drop$Value on Struct values, as
 * one step per input schema: the transforms describe what they do to a schema (util/struct-stage.ts), and the
 * descriptions compose into one function that reads the input Struct's slots and builds the output Struct at once,
 * where the transforms would build a Struct and a record per stage. It is the source side's counterpart of the
 * per-shape plans for maps (map-chain-plan.ts): sources emit Structs, and this is what their chain runs.
 *
 * The output schema is the one the last transform makes (the same object, from its own cache); the output Struct
 * holds the values the transforms would put in it, slot for slot (unset where Flatten leaves a field unset). What the
 * plan is not sure of (a nested Struct of another schema object than its field's, a value that is no Struct, a cast
 * that throws, a schema the transforms reject) it leaves to the transforms, which then do or report what they must.
 */

/** The record after the chain, or undefined when the transforms must run (they may fail there). */
export type StructChainPlan = <R extends ConnectRecord>(record: R) => R | undefined;

/** Schemas compiled for free; past this, one more per RECORDS_PER_COMPILE records (a source minting schemas). */
const FREE_COMPILES = 32;
const RECORDS_PER_COMPILE = 1000;

/**
 * The plan for a chain's transforms, in order, or null when one of them cannot describe itself per schema (see
 * DescribesStructStage) or there are none. Not safe for concurrent use.
 */
export function compileStructChainPlan(transformations: readonly object[]): StructChainPlan | null {
  if (transformations.length === 0) return null;
  const stages: DescribesStructStage[] = [];
  for (const transformation of transformations) {
    if (!describesStructStage(transformation)) return null;
    stages.push(transformation);
  }
  const runner = new StructChainRunner(stages);
  return (record) => runner.run(record);
}

/** What one input schema compiles to: the output schema and the step, or no step (the transforms run). */
interface CompiledSchema {
  readonly output: Schema | null;
  readonly run: ((slots: readonly unknown[]) => Struct | null) | null;
}

const NOT_COMPILED: CompiledSchema = Object.freeze({ output: null, run: null });

class StructChainRunner {
  private readonly compiled = new WeakMap<Schema, CompiledSchema>();
  private lastSchema: Schema | null = null;
  private lastCompiled: CompiledSchema = NOT_COMPILED;
  private compiles = 0;
  private records = 0;

  constructor(private readonly stages: readonly DescribesStructStage[]) {}

  run<R extends ConnectRecord>(record: R): R | undefined {
    const schema = record.valueSchema;
    const value = record.value;
    // The plan's slots are by the schema it was made for: a Struct of another (if equal) schema object is read by
    // name in the transforms.
    if (schema === null || !(value instanceof Struct) || value.schema !== schema) return undefined;
    const slots = structSlots(value);
    if (slots === undefined) return undefined;
    let compiled = schema === this.lastSchema ? this.lastCompiled : this.compiled.get(schema);
    if (compiled === undefined) {
      if (this.compiles >= FREE_COMPILES + this.records / RECORDS_PER_COMPILE) return undefined;
      this.compiles++;
      compiled = compileSchema(schema, this.stages);
      this.compiled.set(schema, compiled);
    }
    this.lastSchema = schema;
    this.lastCompiled = compiled;
    this.records++;
    const step = compiled.run;
    if (step === null) return undefined;
    let output: Struct | null;
    try {
      output = step(slots);
    } catch {
      // A cast failed, or a nested value is not what the plan read: the transforms fail or read it by name.
      return undefined;
    }
    return { ...record, valueSchema: compiled.output, value: output };
  }
}

/** Thrown by the compiled step where a nested value is not a Struct of its field's very schema. */
class Unplanned extends Error {}

/** The slots of a nested Struct that the plan may read by index. */
function nestedSlots(value: unknown, schema: Schema): readonly unknown[] {
  if (value instanceof Struct && value.schema === schema) {
    const slots = structSlots(value);
    if (slots !== undefined) return slots;
  }
  throw new Unplanned();
}

/** The stages' descriptions for one input schema, or null when the transforms must run every record of it. */
function describe(input: Schema, stages: readonly DescribesStructStage[]): StructStage[] | null {
  const described: StructStage[] = [];
  let schema: Schema | null = input;
  try {
    for (const stage of stages) {
      // A value some stage set to null goes on to the next as a null: rare, and left to the transforms.
      if (schema === null || schema.type !== "struct" || described.at(-1)?.slots === null) return null;
      const description = stage.structStage(schema);
      if (description === null) return null;
      described.push(description);
      schema = description.output;
    }
  } catch {
    // The transform fails on every Struct of this schema (a map Flatten cannot take, say): it reports how.
    return null;
  }
  return described;
}

/**
 * Compiles the stages for one input schema into a function of the input's slots. Each stage's output fields become
 * locals computed from the previous stage's locals (the input's slots for the first), so no Struct is built between
 * stages; every field of every stage is computed, so every cast the transforms make runs (and may fail). Nested
 * structs are only ever read (no supported stage builds one), through `n`, which checks their schema.
 */
function compileSchema(input: Schema, stages: readonly DescribesStructStage[]): CompiledSchema {
  const described = describe(input, stages);
  if (described === null) return NOT_COMPILED;
  const code = new StepCode();
  // The previous stage's fields as expressions: the input's slots first.
  let previous: (index: number) => string = (index) => `a[${index}]`;
  let result = "null";
  for (const stage of described) {
    if (stage.slots === null) {
      // Drop, the last stage: the value is null (the stages before it still ran, for their casts).
      result = "null";
      break;
    }
    code.nextStage(previous);
    const fields = stage.slots.map((source) => code.declare("const", code.read(source)));
    // Nested structs no field is read from are still checked, as the transform checks them.
    for (const path of stage.structs ?? []) code.nestedStruct(path);
    previous = (index) => fields[index] as string;
    result = `st(${code.constant(stage.output)}, [${fields.join(", ")}])`;
  }
  return { output: (described.at(-1) as StructStage).output, run: code.compile(result) };
}

/** The statements of one compiled step, built stage by stage. */
class StepCode {
  private readonly constants: unknown[] = [];
  private readonly lines: string[] = [];
  private locals = 0;
  /** The current stage's input fields as expressions. */
  private previous: (index: number) => string = (index) => `a[${index}]`;
  /** Per path prefix (field indexes joined) in the current stage, the local holding that struct's slots, or null. */
  private prefixes = new Map<string, string>();

  nextStage(previous: (index: number) => string): void {
    this.previous = previous;
    this.prefixes = new Map();
  }

  /** A value the step reads from its constants, by position. */
  constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }

  /** A new local holding `expression`. */
  declare(kind: "const" | "let", expression: string): string {
    const name = `v${this.locals++}`;
    this.lines.push(`${kind} ${name} = ${expression};`);
    return name;
  }

  /** A field's value as `Struct.get` (withDefault) or `getWithoutDefault` reads it, given the slot's expression. */
  private orDefault(slot: string, schema: Schema, withDefault: boolean): string {
    const fallback = withDefault ? (schema.defaultValue ?? null) : null;
    return `(${slot} ?? ${fallback === null ? "null" : this.constant(fallback)})`;
  }

  /**
   * The local holding the slots of the struct at the end of `path` (null where it or a struct above it is null),
   * declared the first time a path is asked for in this stage.
   */
  nestedStruct(path: readonly Field[]): string {
    let slots: string | null = null;
    let key = "";
    for (const field of path) {
      key += `${field.index}.`;
      let known = this.prefixes.get(key);
      if (known === undefined) {
        const slot = slots === null ? this.previous(field.index) : `${slots}[${field.index}]`;
        const guard = slots === null ? "" : `${slots} === null ? null : `;
        known = this.declare("let", `${guard}${this.orDefault(slot, field.schema, true)}`);
        this.lines.push(`if (${known} !== null) ${known} = n(${known}, ${this.constant(field.schema)});`);
        this.prefixes.set(key, known);
      }
      slots = known;
    }
    return slots as string;
  }

  /** The expression of one output field (declaring the nested structs it reads through). */
  read(source: SlotSource): string {
    const path = source.path;
    const last = path.length - 1;
    // The slots of the nested struct the last field is in; null where a struct on the way is null.
    const slots = last === 0 ? null : this.nestedStruct(path.slice(0, last));
    const field = path[last] as Field;
    const slot = slots === null ? this.previous(field.index) : `${slots}[${field.index}]`;
    let value = this.orDefault(slot, field.schema, source.withDefault);
    if (source.cast !== null) value = `c(${this.constant(field.schema)}, ${value}, ${JSON.stringify(source.cast)})`;
    // Flatten leaves a field unset where a struct above it is null.
    return slots === null ? value : `(${slots} === null ? undefined : ${value})`;
  }

  /** The step: a function of the input's slots returning `result`. */
  compile(result: string): CompiledSchema["run"] {
    // The code holds only locals, indexes and constants' positions made here; no text of a schema is executed.
    const body = `"use strict";\nreturn function (a) {\n${this.lines.join("\n")}\nreturn ${result};\n};`;
    const factory = new Function("k", "n", "c", "st", body);
    return factory(this.constants, nestedSlots, castValue, structOf) as CompiledSchema["run"];
  }
}
