import { expect, test } from "bun:test";
import fc from "fast-check";
import type { SinkRecord } from "../../../src/api/record.ts";
import { isSchemalessMap } from "../../../src/api/schemaless-map.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { compileMapChainPlan } from "../../../src/data/fast-paths/schemaless/map-chain-plan.ts";
import { TransformationChain } from "../../../src/runtime/pipeline/transformation-chain.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { SCHEMALESS } from "./general-path.ts";
import { chainConfig, recordBytes } from "./json-arbitraries.ts";
import { describeValue, sinkRecord } from "./map-values.ts";

/**
 * The compiled chain on parsed maps against the transforms themselves, on generated records and chains: every
 * record the plan answers for, it answers with the transforms' exact value (keys in the same order, the same
 * types and number boxes, leaves by identity), and it never answers for a record the transforms fail on.
 */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 400) };
const plugins = await PluginRegistry.load();
const converter = new JsonConverter();
converter.configure(SCHEMALESS, false);

/** The records' values as JsonConverter reads them; records it cannot read are left out. */
function parsed(values: readonly (Uint8Array | null)[]): unknown[] {
  const out: unknown[] = [];
  for (const bytes of values) {
    try {
      out.push(converter.toConnectData("t", [], bytes).value);
    } catch {
      // Not JSON: no value to transform.
    }
  }
  return out;
}

/** The lists and maps inside a value, depth first. */
function objectsIn(value: unknown, out: object[] = []): object[] {
  if (typeof value !== "object" || value === null) return out;
  for (const item of Object.values(value)) {
    if (typeof item === "object" && item !== null) out.push(item);
    objectsIn(item, out);
  }
  return out;
}

/** Whether an object is none of the input's (one the chain built). */
function isFresh(object: object, input: unknown): boolean {
  return input !== object && !objectsIn(input).includes(object);
}

test("the compiled chain gives exactly the transforms' value, or leaves the record to them", () => {
  let answered = 0;
  let maps = 0;
  fc.assert(
    fc.property(chainConfig, fc.array(recordBytes, { minLength: 1, maxLength: 8 }), (config, bytes) => {
      let general: TransformationChain<SinkRecord>;
      try {
        general = TransformationChain.fromConfig<SinkRecord>(config, plugins, { compilePlans: false });
      } catch {
        expect(compileMapChainPlan(config)).toBeNull();
        return;
      }
      const plan = compileMapChainPlan(config);
      // An empty chain has nothing to compile.
      if (general.isEmpty) {
        expect(plan).toBeNull();
        return;
      }
      if (plan === null) throw new Error(`no plan for ${JSON.stringify(config)}`);
      const values = parsed(bytes);
      // Twice: the second pass runs on plans compiled by the first.
      for (let pass = 0; pass < 2; pass++) {
        for (const value of values) {
          // The chain compiles for map values only (not a null, a list or a number box).
          if (!isSchemalessMap(value)) continue;
          maps++;
          const output = plan(value);
          if (output === undefined) continue;
          answered++;
          let expected: SinkRecord | null;
          try {
            expected = general.apply(sinkRecord(value));
          } catch (error) {
            throw new Error(`plan answered ${describeValue(output)} where the transforms fail: ${error}`);
          }
          expect(expected).not.toBeNull();
          expect(describeValue(output)).toBe(describeValue(expected?.value));
          // Lists and maps the chain keeps whole are the record's own objects, as the transforms keep them.
          const kept = objectsIn(expected?.value);
          objectsIn(output).forEach((object, i) => {
            if (kept[i] !== object && !isFresh(object, value)) throw new Error("a kept object was copied");
          });
        }
      }
    }),
    RUNS,
  );
  expect(answered / maps).toBeGreaterThan(0.3);
}, 120_000);
