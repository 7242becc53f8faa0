/**
 * Writing JSON whose number forms we choose. The differential inputs must carry `12.0`, `1e3`, `-0.0` or int64s
 * beyond 2^53 exactly as written, because how each side reads and re-writes those forms is part of what the test
 * compares; JSON.stringify would normalise them away before either side saw them.
 */

/** A JSON literal written exactly as given. */
export class Raw {
  constructor(readonly text: string) {}
}

/** `undefined` members are left out, so an input can miss a field rather than carry a null. */
export type Json =
  | null
  | boolean
  | number
  | bigint
  | string
  | Raw
  | readonly Json[]
  | { readonly [k: string]: Json | undefined };

export function jsonText(value: Json): string {
  if (value === null) return "null";
  if (value instanceof Raw) return value.text;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return String(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  const members: string[] = [];
  for (const [name, member] of Object.entries(value as Record<string, Json | undefined>)) {
    if (member !== undefined) members.push(`${JSON.stringify(name)}:${jsonText(member)}`);
  }
  return `{${members.join(",")}}`;
}
