// node:buffer, not the global: Node.js and Deno have it too (src/data runs on all three).
import { Buffer } from "node:buffer";
import type { Schema } from "../../../api/schema.ts";
import { ByteWriter } from "../../byte-writer.ts";
import type { JsonConverter } from "../../converters/json-converter.ts";
import type { DescribesStructStage } from "../../transforms/util/struct-stage.ts";
import { PayloadLayout, PayloadScan, scanPayload } from "./payload-scanner.ts";
import { executeStructJson, planStructJson, runChecks, type StructJsonPlan } from "./struct-json-plan.ts";

/**
 * The value side of a sink pipeline for JsonConverter with `schemas.enable=true`, bytes to bytes: each record's
 * envelope is recognised by its start (`{"schema":...,"payload":`, as the converter writes it for a schema it has
 * seen), its payload is checked and located field by field against that schema (payload-scanner.ts), and the
 * chain's plan for the schema (struct-json-plan.ts) writes the output value's JSON. Records of a schema seen for
 * the first time, and whatever the scanner or plan is not sure of, take the general path.
 */

/** A record's output: the value's schema after the chain, and its JSON (null for a null value). */
export interface EnvelopeOutput {
  readonly schema: Schema | null;
  readonly json: Uint8Array | null;
}

/** Per value: its output, or undefined when the record takes the general path. */
export type EnvelopeFastPath = (
  topic: string,
  values: readonly (Uint8Array | null)[],
) => (EnvelopeOutput | undefined)[];

/** Envelope starts remembered; the most recent is tried first. */
const MAX_SCHEMAS = 16;
/** Records read whole to learn their schema, beyond which one more per LEARN_EVERY records matched. */
const FREE_LEARNS = 32;
const LEARN_EVERY = 100;

interface KnownSchema {
  /** The envelope's start, as a Buffer for its native `compare`. */
  readonly start: Buffer;
  readonly layout: PayloadLayout;
  readonly plan: StructJsonPlan | null;
}

/**
 * The fast path for a schemas-enabled JsonConverter and a chain's stages (null when the chain has a stage that
 * cannot describe itself per schema). Not safe for concurrent use; one per task.
 */
export function compileEnvelopeFastPath(
  converter: JsonConverter,
  stages: readonly DescribesStructStage[] | null,
): EnvelopeFastPath | null {
  if (stages === null || !converter.configuredSettings.schemasEnabled) return null;
  const runner = new EnvelopeRunner(converter, stages);
  return (topic, values) => runner.run(topic, values);
}

class EnvelopeRunner {
  private readonly known: KnownSchema[] = [];
  private readonly scan = new PayloadScan();
  private readonly writer = new ByteWriter();
  private learns = 0;
  private matched = 0;

  constructor(
    private readonly converter: JsonConverter,
    private readonly stages: readonly DescribesStructStage[],
  ) {}

  run(topic: string, values: readonly (Uint8Array | null)[]): (EnvelopeOutput | undefined)[] {
    const out: (EnvelopeOutput | undefined)[] = new Array(values.length);
    let capacity = 0;
    for (const value of values) if (value !== null) capacity += value.length;
    // The output is the payload, most often a fraction of the envelope (whose schema is most of it); the writer
    // grows where this is not enough.
    this.writer.begin((capacity >> 2) + 4096);
    const settings = this.converter.configuredSettings;
    const decode = { replaceNullWithDefault: settings.replaceNullWithDefault, lossless: false };
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as Uint8Array | null;
      // A tombstone takes the general path (its schema is null, and the chain sees a null value).
      if (value === null) continue;
      const known = this.schemaOf(topic, value);
      if (known === undefined || known.plan === null) continue;
      const { start, layout, plan } = known;
      const end = value.length - 1;
      if (value[end] !== 0x7d || !scanPayload(value, start.length, end, layout, this.scan)) continue;
      if (!runChecks(plan, value, this.scan, decode)) continue;
      if (plan.fields === null) {
        out[i] = { schema: plan.output, json: null };
        continue;
      }
      if (executeStructJson(plan.fields, value, this.scan, this.writer, settings, decode))
        out[i] = { schema: plan.output, json: this.writer.endRecord() };
    }
    return out;
  }

  /** The known schema whose envelope start `value` begins with; a new one is learned from the record itself. */
  private schemaOf(topic: string, value: Uint8Array): KnownSchema | undefined {
    const known = this.known;
    for (let k = 0; k < known.length; k++) {
      const candidate = known[k] as KnownSchema;
      if (!startsWith(value, candidate.start)) continue;
      if (k > 0) {
        known.splice(k, 1);
        known.unshift(candidate);
      }
      this.matched++;
      return candidate;
    }
    if (this.learns >= FREE_LEARNS + this.matched / LEARN_EVERY) return undefined;
    this.learns++;
    const written = this.converter.writtenEnvelopeStart(topic, value);
    if (written === undefined || written.schema.type !== "struct") return undefined;
    const layout = new PayloadLayout(written.schema);
    const plan = planStructJson(layout, this.stages, this.converter.configuredSettings);
    const start = Buffer.from(written.start.buffer, written.start.byteOffset, written.start.byteLength);
    const learned: KnownSchema = { start, layout, plan };
    known.unshift(learned);
    if (known.length > MAX_SCHEMAS) known.pop();
    return learned;
  }
}

/**
 * Whether `bytes` begins with `start`: compared natively (an envelope's start is most of its bytes), without making
 * a view of `bytes` (a consumer's value is a view of native memory, whose ArrayBuffer is costly to ask for).
 */
function startsWith(bytes: Uint8Array, start: Buffer): boolean {
  const length = start.length;
  return bytes.length > length && start.compare(bytes, 0, length, 0, length) === 0;
}
