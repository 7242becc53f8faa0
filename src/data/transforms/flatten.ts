import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import { Struct } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import { ArrayFlattener } from "./flatten-arrays.ts";
import type { FlattenOptions } from "./flatten-common.ts";
import {
  dataErrorFromBuilder,
  defaultOf,
  fieldOf,
  joinName,
  SchemalessFlattener,
  unsupportedWithSchema,
} from "./flatten-common.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { structGet, structOf, structSlots } from "./util/struct-access.ts";
import type { SlotSource, StructStage } from "./util/struct-stage.ts";

export const DELIMITER_CONFIG = "delimiter";
export const FLATTEN_ARRAYS_CONFIG = "flatten.arrays";
const PURPOSE = "flattening";

export const FLATTEN_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({
    name: DELIMITER_CONFIG,
    type: "string",
    defaultValue: ".",
    importance: "medium",
    documentation:
      "Delimiter to insert between field names from the input record when generating field names for the output record",
  })
  .define({
    name: FLATTEN_ARRAYS_CONFIG,
    type: "boolean",
    defaultValue: false,
    importance: "low",
    documentation:
      "Beyond Kafka (default false, which keeps arrays whole as Kafka does): when true, element i of an array becomes the field <field><delimiter><i>, and maps, structs and arrays inside elements are flattened the same way; an empty or null array adds no field. Schemaless, every array is expanded and a null element gives a null field. With a schema, an array is expanded unless its elements are maps (or arrays of maps, at any depth), which stay whole; the new fields take the element schema, optional when the array, the element or a struct above is optional. Their number depends on the array lengths, so records whose arrays differ in length get different output schemas (one per input schema and sequence of lengths).",
  });

/**
 * Kafka's Flatten: nested structs (with a schema) or maps (schemaless) become one level of fields named by joining
 * the names on the way with `delimiter`. A flattened field is optional when any struct above it is, and takes its
 * default from its own schema or else from the default of a struct above it. Null keys/values pass through.
 */
export class Flatten implements Transformation {
  private options: FlattenOptions = { delimiter: ".", flattenArrays: false };
  private plans = new SchemaCache<StructPlan>();
  private arrays = new ArrayFlattener(this.options);
  private schemaless = new SchemalessFlattener(this.options);
  private readonly buildPlanFor = (schema: Schema) => this.buildPlan(schema);

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(FLATTEN_CONFIG_DEF, configs);
    this.options = {
      delimiter: config.getString(DELIMITER_CONFIG),
      flattenArrays: config.getBoolean(FLATTEN_ARRAYS_CONFIG),
    };
    this.plans = new SchemaCache();
    this.arrays = new ArrayFlattener(this.options);
    this.schemaless = new SchemalessFlattener(this.options);
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) {
      return this.side.update(record, null, this.schemaless.flatten(requireMap(value, PURPOSE)));
    }
    const struct = requireStruct(value, PURPOSE, schema);
    if (this.options.flattenArrays) {
      const flat = this.arrays.apply(schema, struct);
      return this.side.update(record, flat.schema, flat.value);
    }
    const plan = this.plans.getOrCompute(schema, this.buildPlanFor);
    const values = new Array<unknown>(plan.outputSize);
    this.fill(plan, struct, values);
    return this.side.update(record, plan.output, structOf(plan.output, values));
  }

  config(): ConfigDef {
    return FLATTEN_CONFIG_DEF;
  }

  /** Per Struct schema: each output field read along its path of nested structs (null on the way leaves it unset). */
  structStage(schema: Schema): StructStage | null {
    if (this.side.isKey || this.options.flattenArrays) return null;
    const plan = this.plans.getOrCompute(schema, this.buildPlanFor);
    const slots = new Array<SlotSource>(plan.outputSize);
    const structs: Field[][] = [];
    const walk = (steps: readonly Step[], path: readonly Field[]) => {
      for (const step of steps) {
        if (step.nested === undefined) slots[step.out] = { path: [...path, step.field], withDefault: true, cast: null };
        else {
          structs.push([...path, step.field]);
          walk(step.nested.steps, [...path, step.field]);
        }
      }
    };
    walk(plan.steps, []);
    return { output: plan.output, slots, structs };
  }

  close(): void {
    this.plans.clear();
  }

  /** Copies a struct's leaves into their output slots, as Kafka's `Struct.get(field)`: null reads the default. */
  private fill(plan: StructPlan, struct: Struct, values: unknown[]): void {
    // A Struct may carry an equal schema that is another object: then its fields are found by name, as in Kafka.
    const same = struct.schema === plan.input;
    const slots = structSlots(struct);
    for (const step of plan.steps) {
      const fieldValue = structGet(struct, same ? step.field : fieldOf(struct, step.field), true, slots);
      if (step.nested === undefined) values[step.out] = fieldValue;
      else if (fieldValue !== null) this.fill(step.nested, requireStruct(fieldValue, PURPOSE), values);
    }
  }

  private buildPlan(schema: Schema): StructPlan {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    const counter = { next: 0 };
    const defaultValue = schema.defaultValue instanceof Struct ? schema.defaultValue : null;
    const steps = this.planFields(schema, "", builder, schema.optional, defaultValue, counter);
    let output: Schema;
    try {
      output = builder.build();
    } catch (error) {
      throw dataErrorFromBuilder(error);
    }
    return { input: schema, output, outputSize: counter.next, steps };
  }

  private planFields(
    schema: Schema,
    prefix: string,
    builder: SchemaBuilder,
    optional: boolean,
    defaultFromParent: Struct | null,
    counter: { next: number },
  ): Step[] {
    const steps: Step[] = [];
    for (const field of schema.fields ?? []) {
      const name = joinName(prefix, field.name, this.options.delimiter);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault = defaultOf(field, defaultFromParent);
      switch (field.schema.type) {
        case "struct": {
          const nestedSteps = this.planFields(
            field.schema,
            name,
            builder,
            fieldOptional,
            fieldDefault instanceof Struct ? fieldDefault : null,
            counter,
          );
          const nested: StructPlan = { input: field.schema, output: field.schema, outputSize: 0, steps: nestedSteps };
          steps.push({ field, out: -1, nested });
          break;
        }
        case "map":
          throw unsupportedWithSchema(field.schema.type, name);
        default: {
          const fieldSchema = copySchemaBasics(field.schema);
          if (fieldOptional) fieldSchema.optional();
          if (fieldDefault !== null) fieldSchema.defaultValue(fieldDefault);
          try {
            builder.field(name, fieldSchema.build());
          } catch (error) {
            throw dataErrorFromBuilder(error);
          }
          steps.push({ field, out: counter.next++, nested: undefined });
        }
      }
    }
    return steps;
  }
}

/** How to copy one input struct schema's leaves into the flat output: computed once per input schema. */
interface StructPlan {
  readonly input: Schema;
  readonly output: Schema;
  readonly outputSize: number;
  readonly steps: readonly Step[];
}

interface Step {
  readonly field: Field;
  /** The output slot of a leaf; -1 for a nested struct. */
  readonly out: number;
  readonly nested: StructPlan | undefined;
}
