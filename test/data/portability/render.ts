import { isDecimal } from "../../../src/api/decimal.ts";
import type { Schema } from "../../../src/api/schema.ts";
import { Struct } from "../../../src/api/struct.ts";

/**
 * Connect data as JSON that says everything a runtime could get differently: number text (-0, NaN, 1e21), bigint
 * versus number, the class of byte arrays, key order, Date instants, Decimal digits and scale, struct schemas.
 */

export function renderValue(value: unknown): unknown {
  if (value === null || value === undefined) return value === null ? null : { undefined: true };
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return { number: Object.is(value, -0) ? "-0" : String(value) };
    case "bigint":
      return { bigint: value.toString() };
  }
  if (value instanceof Uint8Array) return { bytes: hex(value), class: value.constructor.name };
  if (value instanceof Date) return { date: Number.isNaN(value.getTime()) ? "invalid" : value.toISOString() };
  if (isDecimal(value)) return { decimal: value.unscaled.toString(), scale: value.scale };
  if (value instanceof Struct)
    return {
      struct: renderSchema(value.schema),
      fields: (value.schema.fields ?? []).map((f) => [f.name, renderValue(value.getWithoutDefault(f.name))]),
    };
  if (Array.isArray(value)) return value.map(renderValue);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [renderValue(k), renderValue(v)]) };
  if (typeof value === "object") return { object: Object.entries(value).map(([k, v]) => [k, renderValue(v)]) };
  return { other: String(value) };
}

export function renderSchema(schema: Schema | null | undefined): unknown {
  if (schema === null || schema === undefined) return null;
  return {
    type: schema.type,
    optional: schema.optional,
    name: schema.name ?? null,
    version: schema.version ?? null,
    doc: schema.doc ?? null,
    parameters: schema.parameters ? Object.entries(schema.parameters) : null,
    default: schema.defaultValue === undefined ? null : renderValue(schema.defaultValue),
    fields: schema.fields?.map((f) => [f.name, renderSchema(f.schema)]) ?? null,
    key: renderSchema(schema.keySchema),
    value: renderSchema(schema.valueSchema),
  };
}

export function renderError(error: unknown): unknown {
  if (!(error instanceof Error)) return { thrown: String(error) };
  return { error: error.name, code: (error as { code?: unknown }).code ?? null, message: error.message };
}

export function hex(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** The outcome of a step: what it returned, rendered, or the error it threw. */
export function attempt<T>(step: () => T, render: (result: T) => unknown): unknown {
  try {
    return render(step());
  } catch (error) {
    return renderError(error);
  }
}
