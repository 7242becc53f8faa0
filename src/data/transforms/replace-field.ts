import { AbstractConfig, ConfigDef } from "../../api/config-def.ts";
import { ConfigError, DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Field, Schema } from "../../api/schema.ts";
import { SchemaBuilder } from "../../api/schema.ts";
import type { SchemalessMap } from "../../api/schemaless-map.ts";
import { setOwn } from "../../api/schemaless-map.ts";
import type { Struct } from "../../api/struct.ts";
import type { Transformation } from "../../api/transform.ts";
import { dataErrorFromBuilder } from "./flatten-common.ts";
import { defineReplaceNullWithDefault, REPLACE_NULL_WITH_DEFAULT_CONFIG } from "./util/config-keys.ts";
import type { RecordSide } from "./util/key-or-value.ts";
import { requireMap, requireStruct } from "./util/requirements.ts";
import { SchemaCache } from "./util/schema-cache.ts";
import { copySchemaBasics } from "./util/schema-util.ts";
import { fieldByName, structGet, structOf, structSlots } from "./util/struct-access.ts";
import type { SlotSource, StructStage } from "./util/struct-stage.ts";

export const EXCLUDE_CONFIG = "exclude";
export const INCLUDE_CONFIG = "include";
export const RENAMES_CONFIG = "renames";
const PURPOSE = "field replacement";

/** Kafka's parseRenameMappings: `old:new` pairs, exactly one colon each. */
export function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = mapping.split(":");
    // Java's split drops trailing empty strings, so `a:` has one part and fails like `a`.
    while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
    if (parts.length !== 2) {
      throw new ConfigError(
        `Invalid value [${mappings.join(", ")}] for configuration ${RENAMES_CONFIG}: Invalid rename mapping: ${mapping}`,
        { key: RENAMES_CONFIG },
      );
    }
    renames.set(parts[0] as string, parts[1] as string);
  }
  return renames;
}

export const REPLACE_FIELD_CONFIG_DEF: ConfigDef = defineReplaceNullWithDefault(
  new ConfigDef()
    .define({
      name: EXCLUDE_CONFIG,
      type: "list",
      defaultValue: [],
      importance: "medium",
      documentation: "Fields to exclude. This takes precedence over the fields to include.",
    })
    .define({
      name: INCLUDE_CONFIG,
      type: "list",
      defaultValue: [],
      importance: "medium",
      documentation: "Fields to include. If specified, only these fields will be used.",
    })
    .define({
      name: RENAMES_CONFIG,
      type: "list",
      defaultValue: [],
      validator: Object.assign((_name: string, value: unknown) => void parseRenameMappings(value as string[]), {
        description: "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
      }),
      importance: "medium",
      documentation: "Field rename mappings.",
    }),
);

/**
 * Kafka's ReplaceField: keeps the fields that `include` lists (all when empty) minus those `exclude` lists, and
 * renames them by `renames`. The projection is computed once per input schema. As in Kafka, each output field reads
 * the input field whose name maps to it through the reversed renames. Kafka 4 no longer accepts the old
 * `blacklist` / `whitelist` names, so neither does this. Null keys/values pass through.
 */
export class ReplaceField implements Transformation {
  private exclude: ReadonlySet<string> = new Set();
  private include: ReadonlySet<string> = new Set();
  private renames: ReadonlyMap<string, string> = new Map();
  private reverseRenames: ReadonlyMap<string, string> = new Map();
  private replaceNullWithDefault = true;
  private plans = new SchemaCache<Projection>();
  private readonly buildFor = (schema: Schema) => this.project(schema);

  constructor(private readonly side: RecordSide) {}

  configure(configs: Readonly<Record<string, string>>): void {
    const config = new AbstractConfig(REPLACE_FIELD_CONFIG_DEF, configs);
    this.exclude = new Set(config.getList(EXCLUDE_CONFIG));
    this.include = new Set(config.getList(INCLUDE_CONFIG));
    this.renames = parseRenameMappings(config.getList(RENAMES_CONFIG));
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.plans = new SchemaCache();
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) return this.side.update(record, null, this.replaceSchemaless(requireMap(value, PURPOSE)));
    const struct = requireStruct(value, PURPOSE, schema);
    const plan = this.plans.getOrCompute(struct.schema, this.buildFor);
    return this.side.update(record, plan.output, this.replaceInStruct(plan, struct));
  }

  config(): ConfigDef {
    return REPLACE_FIELD_CONFIG_DEF;
  }

  /** Per Struct schema: each kept field read from its input field (null when one reads a name no field has). */
  structStage(schema: Schema): StructStage | null {
    if (this.side.isKey) return null;
    const plan = this.plans.getOrCompute(schema, this.buildFor);
    const slots: SlotSource[] = [];
    for (const source of plan.sources) {
      // Kafka fails every such record; the transform says how.
      if (typeof source === "string") return null;
      slots.push({ path: [source], withDefault: this.replaceNullWithDefault, cast: null });
    }
    return { output: plan.output, slots };
  }

  close(): void {
    this.plans.clear();
  }

  private keep(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private replaceSchemaless(map: SchemalessMap): SchemalessMap {
    const out: SchemalessMap = {};
    for (const name in map) {
      if (Object.hasOwn(map, name) && this.keep(name)) setOwn(out, this.renames.get(name) ?? name, map[name]);
    }
    return out;
  }

  private replaceInStruct(plan: Projection, struct: Struct): Struct {
    const sources = plan.sources;
    const values = new Array<unknown>(sources.length);
    const slots = structSlots(struct);
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      if (typeof source === "string") throw new DataError(`${source} is not a valid field name`);
      values[i] = structGet(struct, source as Field, this.replaceNullWithDefault, slots);
    }
    return structOf(plan.output, values);
  }

  private project(schema: Schema): Projection {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    try {
      for (const field of schema.fields ?? []) {
        if (this.keep(field.name)) builder.field(this.renames.get(field.name) ?? field.name, field.schema);
      }
    } catch (error) {
      throw dataErrorFromBuilder(error);
    }
    const output = builder.build();
    // Kafka reads each output field back by its reverse-renamed name, which can miss (a name no input field has).
    const sources = (output.fields ?? []).map((field) => {
      const sourceName = this.reverseRenames.get(field.name) ?? field.name;
      return fieldByName(schema, sourceName) ?? sourceName;
    });
    return { output, sources };
  }
}

interface Projection {
  readonly output: Schema;
  /** Per output field, the input field it reads, or the name Kafka would fail to find. */
  readonly sources: readonly (Field | string)[];
}
