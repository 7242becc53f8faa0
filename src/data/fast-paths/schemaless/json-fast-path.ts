import { ByteWriter } from "../../byte-writer.ts";
import { parseJsonConverterConfig } from "../../converters/json-converter-config.ts";
import type { FastStage } from "./chain-stages.ts";
import { readFastStages } from "./chain-stages.ts";
import { JsonShapeScanner } from "./json-shape-scanner.ts";
import { LeafCodec } from "./leaf-values.ts";
import { executePlan } from "./plan-executor.ts";
import type { ShapePlan } from "./shape-plan.ts";
import { planShape } from "./shape-plan.ts";

/**
 * The value side of a sink or source pipeline for schemaless JSON, bytes to bytes: JsonConverter
 * (`schemas.enable=false`) → Flatten$Value / Cast$Value / ReplaceField$Value / Drop$Value → JsonConverter, without
 * building strings or objects for the record. Each record is scanned once; its shape (its keys) selects a plan
 * compiled on first sight; the plan writes the output from constant bytes and the record's own value bytes.
 *
 * The output equals the general path's byte for byte; whatever the fast path is not sure of, it leaves to it.
 */

/**
 * Per input value: the output value's bytes, `null` for a null output (a tombstone, or the chain dropped the value),
 * or `undefined` when this record must take the general path (converter and chain as usual; it may fail there).
 */
export type FastPathResult = Uint8Array | null | undefined;
export type FastPath = (values: readonly (Uint8Array | null)[]) => FastPathResult[];

/** The value converter as the connector configures it. */
export interface FastPathConverter {
  /** `value.converter`, as configured (class name or alias). */
  readonly className: string;
  /** Its settings: the `value.converter.*` keys without the prefix. */
  readonly props: Readonly<Record<string, string>>;
}

const JSON_CONVERTER_NAMES: ReadonlySet<string> = new Set([
  "org.apache.kafka.connect.json.JsonConverter",
  "JsonConverter",
]);
/** Shapes remembered per fast path. Past this, records of new shapes take the general path (no compiling). */
const MAX_PLANS = 256;
/** Shapes compared byte by byte before the plan map is asked. */
const RECENT_PLANS = 4;

/**
 * A fast path for this connector's value side, or null when it has none (another converter, schemas enabled, a
 * transform or option it does not cover). `chainConfig` is the connector configuration (`transforms=...`, as
 * TransformationChain.fromConfig reads it). Not safe for concurrent use; create one per task.
 */
export function compileFastPath(
  chainConfig: Readonly<Record<string, string>>,
  valueConverter: FastPathConverter,
): FastPath | null {
  if (!JSON_CONVERTER_NAMES.has(valueConverter.className.trim())) return null;
  try {
    if (parseJsonConverterConfig(valueConverter.props, false).schemasEnabled) return null;
  } catch {
    return null;
  }
  const stages = readFastStages(chainConfig);
  if (stages === null) return null;
  const runner = new FastPathRunner(stages, new LeafCodec(valueConverter.props));
  return (values) => runner.run(values);
}

class FastPathRunner {
  private readonly scanner = new JsonShapeScanner();
  private readonly writer = new ByteWriter();
  private readonly plans = new Map<string, KnownShape>();
  private readonly recent: KnownShape[] = [];
  private lastShape: Uint8Array = new Uint8Array(0);
  private lastPlan: ShapePlan | null = null;

  constructor(
    private readonly stages: readonly FastStage[],
    private readonly codec: LeafCodec,
  ) {}

  run(values: readonly (Uint8Array | null)[]): FastPathResult[] {
    const out: FastPathResult[] = new Array(values.length);
    let capacity = 0;
    for (const value of values) if (value !== null) capacity += value.length;
    // Flatten's joined names make records longer; the writer grows if this is not enough.
    this.writer.begin(Math.ceil(capacity * 1.25) + 4096);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as Uint8Array | null;
      if (value === null) out[i] = null;
      else if (!this.scanner.scan(value, this.lastShape)) out[i] = undefined;
      else {
        const plan = this.planOf();
        out[i] = plan === null || plan.fails ? undefined : this.write(plan, value);
      }
    }
    return out;
  }

  /** The plan of the record just scanned: the last one when the shape repeats (the usual case), else looked up. */
  private planOf(): ShapePlan | null {
    const { shape, shapeLength, matched } = this.scanner;
    if (matched) return this.lastPlan;
    // A stream of a few alternating shapes: compare with the last ones before building a key.
    let known = this.recent.find((k) => sameShape(k.shape, shape, shapeLength));
    if (known === undefined) {
      const key = shapeKey(shape, shapeLength);
      known = this.plans.get(key);
      if (known === undefined) {
        if (this.plans.size >= MAX_PLANS) return null;
        const own = shape.slice(0, shapeLength);
        known = { shape: own, plan: planShape(own, this.stages) };
        this.plans.set(key, known);
      }
      this.recent.unshift(known);
      if (this.recent.length > RECENT_PLANS) this.recent.pop();
    }
    this.lastShape = known.shape;
    this.lastPlan = known.plan;
    return known.plan;
  }

  private write(plan: ShapePlan, b: Uint8Array): FastPathResult {
    const writer = this.writer;
    writer.beginRecord();
    try {
      executePlan(plan, b, this.scanner, this.codec, writer);
    } catch {
      // A cast failed: the general path fails the same way, and reports it with the record's coordinates.
      writer.abandonRecord();
      return undefined;
    }
    return plan.writesNull ? null : writer.endRecord();
  }
}

interface KnownShape {
  readonly shape: Uint8Array;
  readonly plan: ShapePlan;
}

function sameShape(known: Uint8Array, shape: Uint8Array, length: number): boolean {
  if (known.length !== length) return false;
  for (let i = 0; i < length; i++) if (known[i] !== shape[i]) return false;
  return true;
}

/** The shape as a string key (one char per byte). */
function shapeKey(shape: Uint8Array, length: number): string {
  let key = "";
  for (let i = 0; i < length; i += 4096)
    key += String.fromCharCode.apply(null, shape.subarray(i, Math.min(length, i + 4096)) as unknown as number[]);
  return key;
}
