import { expect, test } from "bun:test";
import fc from "fast-check";
import { jsonConverters, messagesOf } from "../../../bench/data/pipeline-sluice.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { JsonConverter } from "../../../src/data/converters/json-converter.ts";
import { encodeJsonValue } from "../../../src/data/converters/json-encode.ts";
import { PipelineFailure, RecordPipeline, type SinkOutcome } from "../../../src/runtime/pipeline/record-pipeline.ts";
import { PluginRegistry } from "../../../src/runtime/plugins/plugin-registry.ts";
import { chainConfig, chainStages, expectSameStruct, structSchema, structValue } from "./struct-arbitraries.ts";

/**
 * The sink's fast path for JsonConverter with schemas (envelopes to the payload JSON, per schema) against the
 * general path (converter, then the transforms), on generated schemas, values, chains and converter settings: the
 * same record for every message (schema, value slot for slot, or the same failure), and where the fast path gave
 * the value's JSON, it is what the converter writes for the general path's value.
 */

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };
const plugins = await PluginRegistry.load();

function failureText(outcome: SinkOutcome | undefined): string | undefined {
  return outcome instanceof PipelineFailure ? String((outcome.error as Error).message) : undefined;
}

test("the envelope fast path gives the general path's records, and the JSON the converter writes for them", () => {
  let answered = 0;
  let messages = 0;
  fc.assert(
    fc.property(
      chainStages,
      structSchema.chain((schema) => fc.tuple(fc.constant(schema), fc.array(structValue(schema), { maxLength: 6 }))),
      fc.boolean(),
      (stages, [schema, values], replaceNull) => {
        const props = { "schemas.enable": "true", "replace.null.with.default": String(replaceNull) };
        const writer = new JsonConverter();
        writer.configure(props, false);
        const bytes: Uint8Array[] = [];
        for (const value of values) {
          try {
            bytes.push(new Uint8Array(writer.fromConnectData("t", [], schema, value) as Uint8Array));
          } catch {
            // A value the converter cannot write: no message of it.
          }
        }
        const batch = messagesOf(bytes);
        const config = chainConfig(stages);
        const fast = RecordPipeline.create(config, jsonConverters(props), plugins);
        const general = RecordPipeline.create(config, jsonConverters(props), plugins, { fastPath: false });
        const expected = general.toSinkRecords(batch);
        // Twice: the first batch teaches the fast path the schema.
        for (let pass = 0; pass < 2; pass++) {
          const actual = fast.toSinkRecords(batch);
          for (let i = 0; i < batch.length; i++) {
            messages++;
            const mine = actual[i];
            const theirs = expected[i];
            expect(failureText(mine)).toBe(failureText(theirs));
            if (mine instanceof PipelineFailure || theirs instanceof PipelineFailure) continue;
            if (mine === null || theirs === null || mine === undefined || theirs === undefined) {
              expect(mine).toBe(theirs as null);
              continue;
            }
            if (mine.valueJson !== undefined) answered++;
            expect(Bun.deepEquals(mine.valueSchema, theirs.valueSchema, true)).toBe(true);
            expectSameStruct(mine.value, theirs.value);
            if (mine.valueJson !== undefined) {
              const text = encodeJsonValue(theirs.valueSchema as Schema, theirs.value, writer.configuredSettings);
              expect(new TextDecoder().decode(mine.valueJson)).toBe(text);
              // And the dry run writes the envelope the converter writes.
              const where = () => "a test record";
              expect(fast.encode(mine as SinkRecord, where).value).toEqual(general.encode(theirs, where).value);
            }
          }
        }
      },
    ),
    RUNS,
  );
  console.log("answered", answered, messages);
  expect(answered / messages).toBeGreaterThan(0.15);
}, 120_000);
