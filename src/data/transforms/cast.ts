import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import { DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema, SchemaType } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { SchemalessMap } from "../../api/schemaless-map.ts";
import { getOwn, isSchemalessMap, setOwn } from "../../api/schemaless-map.ts";
import { Struct } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import type { CastNode, CastSpec } from "./cast-spec.ts";
import { EMPTY_CAST_SPEC, parseCastSpec, SPEC_CONFIG } from "./cast-spec.ts";
import { castValue } from "./cast-values.ts";
import {
  defineFieldSyntaxVersion,
  defineReplaceNullWithDefault,
  fieldSyntaxVersionFrom,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { fieldByName, structGet, structOf, structSlots } from "./util/struct-access.ts";
import type { StructStage } from "./util/struct-stage.ts";

export { SPEC_CONFIG } from "./cast-spec.ts";

const PURPOSE = "cast types";

export const CAST_CONFIG_DEF: ConfigDef = defineFieldSyntaxVersion(
  defineReplaceNullWithDefault(
    new ConfigDef().define({
      name: SPEC_CONFIG,
      type: "list",
      validator: Object.assign((_name: string, value: unknown) => void parseCastSpec(value as string[], "V1"), {
        description: "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
      }),
      importance: "high",
      documentation:
        "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string. Beyond Kafka: with field.syntax.version=V2, a field may be a nested path such as customer.address.zip (backticks quote names that contain dots); the structs or maps on the way are rebuilt, a path through anything else changes nothing, and a field cannot be cast together with a field inside it. With V1 (the default) a name is a top-level field, dots included, as in Kafka.",
    }),
  ),
);

/**
 * Kafka's Cast: casts the whole key/value, or named fields of a Struct / schemaless map, to a primitive type. With a
 * schema, the target schema is derived once per input schema: a whole-value cast keeps the schema's name, version,
 * doc and parameters; a field cast gets a plain schema of the target type, optional and with its default cast as
 * the original's. Null keys/values pass through. Beyond Kafka, field.syntax.version=V2 reaches nested fields.
 */
export class Cast implements Transformation {
  private spec: CastSpec = EMPTY_CAST_SPEC;
  private replaceNullWithDefault = true;
  private plans = new SchemaCache<StructPlan | Schema>();
  private readonly buildFor = (schema: Schema) => this.build(schema);

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(CAST_CONFIG_DEF, configs);
    this.spec = parseCastSpec(config.getList(SPEC_CONFIG), fieldSyntaxVersionFrom(config));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.plans = new SchemaCache();
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    const whole = this.spec.whole;
    if (schema === null) {
      if (whole !== null) return this.side.update(record, null, castValue(null, value, whole));
      return this.side.update(record, null, castMap(requireMap(value, PURPOSE), this.spec.root));
    }
    const built = this.plans.getOrCompute(schema, this.buildFor);
    if (whole !== null) return this.side.update(record, built as Schema, castValue(schema, value, whole));
    const plan = built as StructPlan;
    return this.side.update(record, plan.output, this.castStruct(plan, requireStruct(value, PURPOSE, schema)));
  }

  config(): ConfigDef {
    return CAST_CONFIG_DEF;
  }

  /** Per Struct schema, for field casts of top-level fields (a whole-value cast or a nested path: null). */
  structStage(schema: Schema): StructStage | null {
    if (this.side.isKey || this.spec.whole !== null) return null;
    const plan = this.plans.getOrCompute(schema, this.buildFor) as StructPlan;
    if (plan.fields.some((step) => step.nested !== null)) return null;
    const withDefault = this.replaceNullWithDefault;
    return {
      output: plan.output,
      slots: plan.fields.map((step) => ({ path: [step.field], withDefault, cast: step.target })),
    };
  }

  close(): void {
    this.plans.clear();
  }

  private castStruct(plan: StructPlan, struct: Struct): Struct {
    const fields = plan.fields;
    const values = new Array<unknown>(fields.length);
    const same = struct.schema === plan.input;
    const slots = structSlots(struct);
    for (let i = 0; i < fields.length; i++) {
      const step = fields[i] as FieldPlan;
      const field = same ? step.field : fieldOf(struct, step.field);
      const original = structGet(struct, field, this.replaceNullWithDefault, slots);
      if (step.target !== null) values[i] = castValue(field.schema, original, step.target);
      else if (step.nested !== null && original !== null)
        values[i] = this.castStruct(step.nested, requireStruct(original, PURPOSE));
      else values[i] = original;
    }
    return structOf(plan.output, values);
  }

  /** The target schema (whole-value casts) or the field plan (field casts) for one input schema. */
  private build(schema: Schema): StructPlan | Schema {
    const whole = this.spec.whole;
    if (whole !== null) {
      const builder = copySchemaBasics(schema, new SchemaBuilder(whole));
      return finish(builder, schema, whole);
    }
    return this.planStruct(schema, this.spec.root, true);
  }

  private planStruct(schema: Schema, node: CastNode, topLevel: boolean): StructPlan {
    if (schema.type !== "struct" || schema.fields === undefined)
      throw new DataError("Cannot list fields on non-struct type");
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    const fields: FieldPlan[] = [];
    for (const field of schema.fields) {
      const target = node.casts.get(field.name);
      const child = node.children.get(field.name);
      if (target !== undefined) {
        const fieldBuilder = new SchemaBuilder(target);
        if (field.schema.optional) fieldBuilder.optional();
        const fieldDefault = field.schema.defaultValue;
        if (fieldDefault !== undefined && fieldDefault !== null)
          fieldBuilder.defaultValue(castValue(field.schema, fieldDefault, target));
        builder.field(field.name, fieldBuilder.build());
        fields.push({ field, target, nested: null });
      } else if (child !== undefined && field.schema.type === "struct") {
        const nested = this.planStruct(field.schema, child, false);
        builder.field(field.name, nested.output);
        fields.push({ field, target: null, nested });
      } else {
        builder.field(field.name, field.schema);
        fields.push({ field, target: null, nested: null });
      }
    }
    if (!topLevel) {
      // Beyond Kafka (nested paths): a rebuilt struct keeps its optionality, and its default is cast like a value.
      if (schema.optional) builder.optional();
      const plan: StructPlan = { input: schema, output: builder.build(), fields };
      const nestedDefault = schema.defaultValue;
      if (!(nestedDefault instanceof Struct)) return plan;
      builder.defaultValue(this.castStruct(plan, nestedDefault));
      return { input: schema, output: builder.build(), fields };
    }
    return { input: schema, output: finish(builder, schema, "struct"), fields };
  }
}

/**
 * Optionality and default of the whole: Kafka casts the input schema's default to the builder's type, which for a
 * struct with a default fails, as in Kafka ("does not support casting from STRUCT").
 */
function finish(builder: SchemaBuilder, schema: Schema, type: SchemaType): Schema {
  if (schema.optional) builder.optional();
  if (schema.defaultValue !== undefined && schema.defaultValue !== null)
    builder.defaultValue(castValue(schema, schema.defaultValue, type));
  return builder.build();
}

/** Kafka's schemaless field cast: every named field is set, to null when absent. V2 paths descend into maps. */
function castMap(map: SchemalessMap, node: CastNode): SchemalessMap {
  const out: SchemalessMap = { ...map };
  for (const [name, target] of node.castList) setOwn(out, name, castValue(null, getOwn(map, name) ?? null, target));
  for (const [name, child] of node.childList) {
    const nested = getOwn(map, name);
    if (isSchemalessMap(nested)) setOwn(out, name, castMap(nested, child));
  }
  return out;
}

function fieldOf(struct: Struct, field: Field): Field {
  const own = fieldByName(struct.schema, field.name);
  if (own === undefined) throw new DataError(`${field.name} is not a valid field name`);
  return own;
}

/** How to cast one input struct schema: computed once per schema. */
interface StructPlan {
  readonly input: Schema;
  readonly output: Schema;
  readonly fields: readonly FieldPlan[];
}

interface FieldPlan {
  readonly field: Field;
  readonly target: SchemaType | null;
  readonly nested: StructPlan | null;
}
