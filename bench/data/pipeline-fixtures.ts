/**
 * What the pipeline benchmark feeds every implementation: a batch of datagen `orders` records as JSON bytes (with
 * and without the `{"schema","payload"}` envelope) and the two transform chains, configured as a connector would.
 */
import { OrdersShape } from "../../plugins/datagen/shapes/orders-shape.ts";
import { JsonConverter } from "../../src/data/converters/json-converter.ts";

export const BATCH = 1000;

/** The cast spec the chains (and the hand-written baselines) apply: a few fields to string and to int. */
export const CAST_SPEC = "customer.id:string,total:string,customer.address.zip:int32";
export const EXCLUDED_FIELD = "customer.email";

const FLATTEN_CAST = {
  "transforms.flatten.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": CAST_SPEC,
} as const;

export type ChainName = "replace" | "drop";

/** Flatten + Cast + ReplaceField (exclude), as issue 4's workloads; Flatten + Cast + Drop, as issue 3 names it. */
export const CHAINS: Readonly<Record<ChainName, Readonly<Record<string, string>>>> = {
  replace: {
    transforms: "flatten,cast,replace",
    ...FLATTEN_CAST,
    "transforms.replace.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
    "transforms.replace.exclude": EXCLUDED_FIELD,
  },
  drop: {
    transforms: "flatten,cast,drop",
    ...FLATTEN_CAST,
    "transforms.drop.type": "io.confluent.connect.transforms.Drop$Value",
  },
};

/** The JsonConverter settings of the value side (`value.converter.*` without the prefix). */
export function converterProps(schemas: boolean): Record<string, string> {
  return { "schemas.enable": String(schemas) };
}

/** BATCH orders as JsonConverter writes them (so as a consumer reads them), each in its own buffer. */
export function orderBytes(schemas: boolean): Uint8Array[] {
  const shape = new OrdersShape(42);
  const converter = new JsonConverter();
  converter.configure(converterProps(schemas), false);
  return Array.from({ length: BATCH }, (_, seq) => {
    const written = converter.fromConnectData("orders", [], shape.valueSchema, shape.generate(0, seq).value);
    // A copy with its own ArrayBuffer, as a consumer hands out payloads (not views into one shared buffer).
    return new Uint8Array(written as Uint8Array);
  });
}

export function averageLength(values: readonly Uint8Array[]): number {
  return Math.round(values.reduce((n, v) => n + v.length, 0) / values.length);
}
