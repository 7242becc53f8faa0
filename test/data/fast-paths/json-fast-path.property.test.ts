import { expect, test } from "bun:test";
import fc from "fast-check";
import { compileFastPath } from "../../../src/data/fast-paths/schemaless/json-fast-path.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { generalPath, SCHEMALESS, show } from "./general-path.ts";
import { chainConfig, recordBytes } from "./json-arbitraries.ts";

/**
 * The fast path against the general path on generated records and chains: every record the fast path answers for,
 * it answers with the general path's exact bytes (or null where the general path writes null), and it never
 * answers for a record the general path fails on.
 */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 400) };
const plugins = await PluginRegistry.load();
const JSON_CONVERTER = { className: "org.apache.kafka.connect.json.JsonConverter", props: SCHEMALESS };

test("the fast path writes exactly what the general path writes, or leaves the record to it", () => {
  let answered = 0;
  let total = 0;
  fc.assert(
    fc.property(chainConfig, fc.array(recordBytes, { minLength: 1, maxLength: 8 }), (config, values) => {
      let general: ReturnType<typeof generalPath>;
      try {
        general = generalPath(plugins, config);
      } catch {
        // A configuration the chain refuses (e.g. a V2 cast of a field and of a field inside it): no fast path.
        expect(compileFastPath(config, JSON_CONVERTER)).toBeNull();
        return;
      }
      // Every chain generated here is one the fast path covers.
      const fast = compileFastPath(config, JSON_CONVERTER);
      if (fast === null) throw new Error(`no fast path for ${JSON.stringify(config)}`);
      // Twice: the second batch runs on plans cached by the first.
      for (const outputs of [fast(values), fast(values)]) {
        expect(outputs).toHaveLength(values.length);
        values.forEach((value, i) => {
          total++;
          const output = outputs[i];
          if (output === undefined) return;
          answered++;
          const expected = general(value);
          if (!expected.ok)
            throw new Error(`fast path answered ${show(output)} where the general path fails: ${expected.error}`);
          expect(show(output)).toBe(show(expected.value));
          expect(output === null).toBe(expected.value === null);
          if (output !== null && expected.value !== null) expect([...output]).toEqual([...expected.value]);
        });
      }
    }),
    RUNS,
  );
  // The generators make most records valid and plain enough for the fast path; if it answered for few, the test
  // would be proving little.
  expect(answered / total).toBeGreaterThan(0.3);
}, 120_000);
