import { describe, expect, test } from "bun:test";
import { type SourceRecord, sourceRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { SchemaBuilder, Schemas } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";
import type { Transformation } from "../../../src/api/transform.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { compileStructChainPlan } from "../../../src/data/fast-paths/structs/struct-chain-plan.ts";
import { structSlots } from "../../../src/data/transforms/util/struct-access.ts";
import { TransformationChain, TransformationError } from "../../../src/runtime/pipeline/transformation-chain.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";

const plugins = await PluginRegistry.load();

/** A source record of a Struct value. */
const record = (valueSchema: Schema, value: unknown): SourceRecord =>
  sourceRecord({ topic: "orders", valueSchema, value, sourcePartition: { file: "orders" }, sourceOffset: { line: 1 } });

const FLATTEN = "org.apache.kafka.connect.transforms.Flatten$Value";
const CAST = "org.apache.kafka.connect.transforms.Cast$Value";
const REPLACE = "org.apache.kafka.connect.transforms.ReplaceField$Value";
const DROP = "io.confluent.connect.transforms.Drop$Value";

/** W3's chain: Flatten, Cast, ReplaceField (exclude). */
const ORDERS_CHAIN = {
  transforms: "flatten,cast,drop",
  "transforms.flatten.type": FLATTEN,
  "transforms.cast.type": CAST,
  "transforms.cast.spec": "customer.id:string,created_at:string",
  "transforms.drop.type": REPLACE,
  "transforms.drop.exclude": "customer.email,customer.address.street",
};

const ADDRESS = SchemaBuilder.struct()
  .field("street", Schemas.STRING)
  .field("city", Schemas.STRING)
  .field("zip", Schemas.OPTIONAL_STRING)
  .build();
const CUSTOMER = SchemaBuilder.struct()
  .optional()
  .field("id", Schemas.INT64)
  .field("email", Schemas.STRING)
  .field("address", ADDRESS)
  .build();
const ITEM = SchemaBuilder.struct().field("sku", Schemas.STRING).field("qty", Schemas.INT32).build();
const ORDER = SchemaBuilder.struct()
  .field("order_id", Schemas.STRING)
  .field("customer", CUSTOMER)
  .field("items", SchemaBuilder.array(ITEM).build())
  .field("total", Schemas.FLOAT64)
  .field("created_at", Schemas.INT64)
  .build();

function order(id: number): Struct {
  const address = new Struct(ADDRESS).put("street", "1 Main St").put("city", "Leeds").put("zip", "LS1");
  const customer = new Struct(CUSTOMER)
    .put("id", 7 * id)
    .put("email", `c${id}@example.com`)
    .put("address", address);
  return new Struct(ORDER)
    .put("order_id", `ORD-${id}`)
    .put("customer", customer)
    .put("items", [new Struct(ITEM).put("sku", "A").put("qty", id)])
    .put("total", 12.5 * id)
    .put("created_at", 1_704_067_200_000 + id);
}

/** The chain's transforms, configured, in order. */
function transformsOf(config: Readonly<Record<string, string>>): Transformation[] {
  return (config.transforms ?? "").split(",").map((alias) => {
    const prefix = `transforms.${alias}.`;
    const settings: Record<string, string> = {};
    for (const [key, value] of Object.entries(config))
      if (key.startsWith(prefix) && key !== `${prefix}type`) settings[key.slice(prefix.length)] = value;
    const transformation = plugins.transformation(config[`${prefix}type`] as string).create() as Transformation;
    transformation.configure(settings);
    return transformation;
  });
}

function planOf(config: Readonly<Record<string, string>>) {
  const plan = compileStructChainPlan(transformsOf(config));
  if (plan === null) throw new Error("no plan");
  return plan;
}

const envelopes = new JsonConverter();
envelopes.configure({ "schemas.enable": "true" }, false);
const text = (out: SourceRecord | null) =>
  out === null
    ? null
    : new TextDecoder().decode(envelopes.fromConnectData("t", [], out.valueSchema, out.value) as Uint8Array);

describe("a chain compiled per Struct schema", () => {
  test("answers for W3's chain with the transforms' record, envelope byte for byte", () => {
    const plan = planOf(ORDERS_CHAIN);
    const general = TransformationChain.fromConfig<SourceRecord>(ORDERS_CHAIN, plugins, { compilePlans: false });
    for (let id = 1; id <= 3; id++) {
      const input = record(ORDER, order(id));
      const out = plan(input);
      expect(out).toBeDefined();
      expect(text(out as SourceRecord)).toBe(text(general.apply(input)));
      expect(((out as SourceRecord).value as Struct).get("customer.id")).toBe(String(7 * id));
      expect(out?.sourceOffset).toBe(input.sourceOffset);
    }
  });

  test("the chain's own output schema objects: one per input schema, shared with its transforms", () => {
    const chain = TransformationChain.fromConfig<SourceRecord>(ORDERS_CHAIN, plugins);
    const first = chain.apply(record(ORDER, order(1)));
    const second = chain.apply(record(ORDER, order(2)));
    expect(first?.valueSchema).toBe(second?.valueSchema as Schema);
  });

  test("Flatten leaves the fields under a null struct unset, so they read their defaults", () => {
    const config = { transforms: "f", "transforms.f.type": FLATTEN };
    const inner = SchemaBuilder.struct()
      .optional()
      .field("b", new SchemaBuilder("int32").defaultValue(5).build())
      .build();
    const schema = SchemaBuilder.struct().field("a", inner).field("c", Schemas.OPTIONAL_STRING).build();
    const input = record(schema, new Struct(schema).put("a", null).put("c", null));
    const out = planOf(config)(input) as SourceRecord;
    const expected = TransformationChain.fromConfig<SourceRecord>(config, plugins, { compilePlans: false }).apply(
      input,
    ) as SourceRecord;
    const slots = structSlots(out.value as Struct) as unknown[];
    expect(slots[0]).toBeUndefined();
    expect(slots[1]).toBeNull();
    expect(structSlots(expected.value as Struct)?.[0]).toBeUndefined();
    expect((out.value as Struct).get("a.b")).toBe(5);
  });

  test("a cast that fails is left to the transforms, which name the stage", () => {
    const config = {
      transforms: "f,c",
      "transforms.f.type": FLATTEN,
      "transforms.c.type": CAST,
      "transforms.c.spec": "s:int32",
    };
    const schema = SchemaBuilder.struct().field("s", Schemas.STRING).build();
    const input = record(schema, new Struct(schema).put("s", "not a number"));
    expect(planOf(config)(input)).toBeUndefined();
    const chain = TransformationChain.fromConfig<SourceRecord>(config, plugins);
    expect(() => chain.apply(input)).toThrow(TransformationError);
    expect(() => chain.apply(input)).toThrow(/Transform c/);
  });

  test("a nested Struct of another (equal) schema object, or no Struct at all, is left to the transforms", () => {
    const plan = planOf(ORDERS_CHAIN);
    const value = order(1);
    value.put("customer", new Struct({ ...CUSTOMER }).put("id", 1).put("email", "e").put("address", null));
    expect(plan(record(ORDER, value))).toBeUndefined();
    const chain = TransformationChain.fromConfig<SourceRecord>(ORDERS_CHAIN, plugins);
    expect(((chain.apply(record(ORDER, value)) as SourceRecord).value as Struct).get("customer.id")).toBe("1");
    value.put("customer", "not a struct");
    expect(plan(record(ORDER, value))).toBeUndefined();
    expect(() => chain.apply(record(ORDER, value))).toThrow(/Only Struct objects supported/);
    // A value whose Struct carries another schema object than the record's, likewise.
    expect(plan(record({ ...ORDER }, order(2)))).toBeUndefined();
  });

  test("Drop last: the value is null with the schema its behaviour gives; the casts before it still run", () => {
    const schema = SchemaBuilder.struct().field("n", Schemas.STRING).build();
    const drop = (behavior: string) => ({
      transforms: "c,d",
      "transforms.c.type": CAST,
      "transforms.c.spec": "n:int32",
      "transforms.d.type": DROP,
      "transforms.d.schema.behavior": behavior,
    });
    const input = record(schema, new Struct(schema).put("n", "42"));
    expect(planOf(drop("nullify"))(input)).toMatchObject({ valueSchema: null, value: null });
    const retained = planOf(drop("retain"))(input);
    expect(retained?.value).toBeNull();
    expect(retained?.valueSchema?.fields?.[0]?.schema.type).toBe("int32");
    expect(planOf(drop("force_optional"))(input)?.valueSchema?.optional).toBe(true);
    // validate of a required schema fails every record: the transform says how.
    expect(planOf(drop("validate"))(input)).toBeUndefined();
    expect(planOf(drop("nullify"))(record(schema, new Struct(schema).put("n", "x")))).toBeUndefined();
  });

  test("a stage after Drop, a $Key transform, flatten.arrays or another transform: no plan for it", () => {
    const schema = SchemaBuilder.struct().field("n", Schemas.STRING).build();
    const input = record(schema, new Struct(schema).put("n", "1"));
    const afterDrop = { transforms: "d,f", "transforms.d.type": DROP, "transforms.f.type": FLATTEN };
    expect(planOf(afterDrop)(input)).toBeUndefined();
    const arrays = { transforms: "f", "transforms.f.type": FLATTEN, "transforms.f.flatten.arrays": "true" };
    expect(planOf(arrays)(input)).toBeUndefined();
    const key = { transforms: "f", "transforms.f.type": "org.apache.kafka.connect.transforms.Flatten$Key" };
    expect(planOf(key)(input)).toBeUndefined();
    const insert = {
      transforms: "i",
      "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.i.static.field": "x",
      "transforms.i.static.value": "y",
    };
    expect(compileStructChainPlan(transformsOf(insert))).toBeNull();
    expect(compileStructChainPlan([])).toBeNull();
  });

  test("a source that makes a new schema object per record stops being compiled, and keeps its output", () => {
    const plan = planOf(ORDERS_CHAIN);
    let answered = 0;
    for (let i = 0; i < 100; i++) {
      const schema = { ...ORDER };
      const value = order(i);
      // The same values under a schema object of its own.
      const own = new Struct(schema);
      for (const field of ORDER.fields ?? []) own.put(field.name, value.get(field.name));
      if (plan(record(schema, own)) !== undefined) answered++;
    }
    // 32 free, and one more for the records seen since.
    expect(answered).toBe(33);
  });
});
