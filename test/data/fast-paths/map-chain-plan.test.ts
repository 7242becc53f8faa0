import { describe, expect, test } from "bun:test";
import { Float64 } from "../../../src/api/java-numbers.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import { compileMapChainPlan } from "../../../src/data/fast-paths/schemaless/map-chain-plan.ts";
import { TransformationChain, TransformationError } from "../../../src/runtime/pipeline/transformation-chain.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { describeValue, sinkRecord } from "./map-values.ts";

const plugins = await PluginRegistry.load();

const FLATTEN_CAST_REPLACE = {
  transforms: "flatten,cast,drop",
  "transforms.flatten.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": "customer.id:string,total:int32",
  "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
  "transforms.drop.exclude": "customer.email",
};

/** The chain with compiled plans and without, on the same records. */
function both(config: Readonly<Record<string, string>>) {
  const compiled = TransformationChain.fromConfig<SinkRecord>(config, plugins);
  const general = TransformationChain.fromConfig<SinkRecord>(config, plugins, { compilePlans: false });
  return { compiled, general };
}

function order(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    customer: { id: 7 * id, email: `c${id}@example.com`, address: { city: "Leeds", zip: 3088 } },
    items: [{ sku: "A", qty: 1 }],
    total: 12.5,
    ...extra,
  };
}

describe("a chain compiled per record shape", () => {
  test("gives the transforms' record: flattened, cast, without the excluded field, other fields kept", () => {
    const { compiled, general } = both(FLATTEN_CAST_REPLACE);
    const value = order(1);
    const record = { ...sinkRecord(value), kafkaOffset: 42, key: "k" };
    const out = compiled.apply(record) as SinkRecord;
    expect(describeValue(out.value)).toBe(
      '{"id":1,"customer.id":"7","customer.address.city":"Leeds","customer.address.zip":3088,"items":[{"sku":"A","qty":1}],"total":12}',
    );
    expect(out).toEqual(general.apply(record) as SinkRecord);
    expect(out.kafkaOffset).toBe(42);
    expect(out.key).toBe("k");
    // The list is the record's own, as the transforms pass it on.
    expect((out.value as Record<string, unknown>).items).toBe(value.items);
    // The input is left as it was.
    expect(describeValue(value)).toBe(describeValue(order(1)));
  });

  test("follows a stream whose shape changes, and back", () => {
    const { compiled, general } = both(FLATTEN_CAST_REPLACE);
    const values = [
      order(1),
      order(2, { note: "x" }),
      { customer: { id: 3 }, id: 3 },
      order(4),
      { ...order(5), customer: "none" },
      order(6, { note: { nested: true } }),
    ];
    for (const value of [...values, ...values]) {
      const record = sinkRecord(value);
      expect(describeValue(compiled.apply(record)?.value)).toBe(describeValue(general.apply(record)?.value));
    }
  });

  test("a cast that fails fails as in the transforms, naming the stage", () => {
    const { compiled } = both(FLATTEN_CAST_REPLACE);
    compiled.apply(sinkRecord(order(1)));
    const bad = order(2, { total: "not a number" });
    expect(() => compiled.apply(sinkRecord(bad))).toThrow(TransformationError);
    expect(() => compiled.apply(sinkRecord(bad))).toThrow(/Transform cast/);
    // The next record of the good shape is compiled as before.
    expect(describeValue((compiled.apply(sinkRecord(order(3))) as SinkRecord).value)).toContain('"customer.id":"21"');
  });

  test("a cast of a field that a later stage removes still runs, and fails the record", () => {
    const config = { ...FLATTEN_CAST_REPLACE, "transforms.drop.exclude": "total" };
    const { compiled, general } = both(config);
    expect(describeValue(compiled.apply(sinkRecord(order(1)))?.value)).not.toContain("total");
    const bad = sinkRecord(order(2, { total: "x" }));
    expect(() => general.apply(bad)).toThrow(/Transform cast/);
    expect(() => compiled.apply(bad)).toThrow(/Transform cast/);
  });

  test("values that are not JSON's (a Float64 box, a Date) get the transforms' result", () => {
    const { compiled, general } = both(FLATTEN_CAST_REPLACE);
    for (const total of [new Float64(12), new Date(0)]) {
      const record = sinkRecord(order(1, { total }));
      let expected: string;
      try {
        expected = describeValue(general.apply(record)?.value);
      } catch (error) {
        expect(() => compiled.apply(record)).toThrow((error as Error).message);
        continue;
      }
      expect(describeValue(compiled.apply(record)?.value)).toBe(expected);
    }
  });

  test("an enumerable key inherited from Object.prototype does not enter the output", () => {
    const { compiled, general } = both(FLATTEN_CAST_REPLACE);
    compiled.apply(sinkRecord(order(1)));
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = "yes";
    try {
      for (const value of [order(2), order(3, { extra: 1 })]) {
        const out = compiled.apply(sinkRecord(value))?.value as Record<string, unknown>;
        expect(describeValue(out)).toBe(describeValue(general.apply(sinkRecord(value))?.value));
        expect(Object.hasOwn(out, "polluted")).toBe(false);
      }
    } finally {
      delete prototype.polluted;
    }
  });

  test("keys named __proto__ stay data, at the top and nested", () => {
    const value = JSON.parse('{"__proto__":{"__proto__":1,"a":2},"b":{"__proto__":3}}');
    const config = {
      transforms: "flatten,replace",
      "transforms.flatten.type": "Flatten$Value",
      "transforms.replace.type": "ReplaceField$Value",
      "transforms.replace.renames": "b.__proto__:__proto__",
    };
    const { compiled, general } = both(config);
    const out = compiled.apply(sinkRecord(value))?.value as object;
    expect(describeValue(out)).toBe(describeValue(general.apply(sinkRecord(value))?.value));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain("__proto__");
  });

  test("Drop sets the value to null; records with a schema, null values and non-maps are the transforms'", () => {
    const drop = { transforms: "drop", "transforms.drop.type": "io.confluent.connect.transforms.Drop$Value" };
    const { compiled } = both(drop);
    const dropped = compiled.apply(sinkRecord(order(1))) as SinkRecord;
    expect(dropped.value).toBeNull();
    expect(dropped.valueSchema).toBeNull();
    const { compiled: flatten } = both(FLATTEN_CAST_REPLACE);
    const tombstone = sinkRecord(null);
    expect(flatten.apply(tombstone)).toBe(tombstone);
    expect(() => flatten.apply(sinkRecord([1, 2]))).toThrow(/Transform flatten/);
  });

  test("past 32 shapes, records of new shapes take the transforms", () => {
    const plan = compileMapChainPlan(FLATTEN_CAST_REPLACE);
    if (plan === null) throw new Error("no plan");
    const { general } = both(FLATTEN_CAST_REPLACE);
    for (let i = 0; i < 40; i++) {
      const value = order(i, { [`field${i}`]: i });
      const out = plan(value);
      if (i < 32) expect(describeValue(out)).toBe(describeValue(general.apply(sinkRecord(value))?.value));
      else expect(out).toBeUndefined();
    }
    // Shapes already seen are still compiled.
    expect(plan(order(3, { field3: 3 }))).toBeDefined();
  });

  test("chains with a stage it does not cover are not compiled", () => {
    expect(compileMapChainPlan({ transforms: "" })).toBeNull();
    expect(
      compileMapChainPlan({
        transforms: "h",
        "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value",
      }),
    ).toBeNull();
    expect(
      compileMapChainPlan({
        transforms: "f",
        "transforms.f.type": "Flatten$Value",
        "transforms.f.predicate": "p",
        predicates: "p",
        "predicates.p.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "predicates.p.pattern": "x",
      }),
    ).toBeNull();
  });
});
