import { expect, test } from "bun:test";
import fc from "fast-check";
import { type SourceRecord, sourceRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import type { Transformation } from "../../../src/api/transform.ts";
import { compileStructChainPlan } from "../../../src/data/fast-paths/structs/struct-chain-plan.ts";
import { TransformationChain } from "../../../src/runtime/pipeline/transformation-chain.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { chainConfig, chainStages, expectSameStruct, structSchema, structValue } from "./struct-arbitraries.ts";

/**
 * The chain compiled per Struct schema against the transforms themselves, on generated schemas (nested and
 * optional structs, defaults, names Flatten joins into clashes, maps it refuses), values (nulls, unset fields,
 * nested Structs of another schema object, values of the wrong kind) and chains of Flatten, Cast, ReplaceField and
 * Drop with their options: every record the plan answers for, it answers with the transforms' schema and Struct
 * (slot for slot, unset where they leave a field unset), and it never answers for a record they fail on.
 */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 400) };
const plugins = await PluginRegistry.load();

/** A source record of a Struct value. */
const record = (valueSchema: Schema, value: unknown): SourceRecord =>
  sourceRecord({ topic: "t", valueSchema, value, sourceOffset: { n: 1 } });

/** The chain's transforms, configured, in order: instances of their own (no cache shared with the general chain). */
function transformsOf(stages: readonly Record<string, string>[]): Transformation[] {
  return stages.map((settings) => {
    const { type, ...rest } = settings;
    const transformation = plugins.transformation(type as string).create() as Transformation;
    transformation.configure(rest);
    return transformation;
  });
}

test("the chain compiled per Struct schema gives exactly the transforms' record, or leaves it to them", () => {
  let answered = 0;
  let records = 0;
  fc.assert(
    fc.property(
      chainStages,
      structSchema.chain((schema) => fc.tuple(fc.constant(schema), fc.array(structValue(schema), { maxLength: 6 }))),
      (stages, [schema, values]) => {
        const general = TransformationChain.fromConfig<SourceRecord>(chainConfig(stages), plugins, {
          compilePlans: false,
        });
        const plan = compileStructChainPlan(transformsOf(stages));
        if (plan === null) throw new Error(`no plan for ${JSON.stringify(stages)}`);
        // Twice: the second pass runs on what the first compiled.
        for (let pass = 0; pass < 2; pass++) {
          for (const value of values) {
            records++;
            const input = record(schema, value);
            const output = plan(input);
            if (output === undefined) continue;
            answered++;
            let expected: SourceRecord | null;
            try {
              expected = general.apply(input);
            } catch (error) {
              throw new Error(`the plan answered where the transforms fail: ${error}`);
            }
            if (expected === null) throw new Error("the transforms dropped a record the plan kept");
            expect(Bun.deepEquals(output.valueSchema, expected.valueSchema, true)).toBe(true);
            expectSameStruct(output.value, expected.value);
            // Everything but the value side is the record's own.
            expect(output.sourceOffset).toBe(input.sourceOffset);
            expect(output.headers).toBe(input.headers);
          }
        }
      },
    ),
    RUNS,
  );
  expect(answered / records).toBeGreaterThan(0.2);
}, 120_000);
