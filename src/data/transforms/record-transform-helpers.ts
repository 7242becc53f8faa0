import type { Field } from "../../api/schema.ts";
import type { Struct } from "../../api/struct.ts";
import { nullSafeClassName } from "./util/requirements.ts";
import { structGet } from "./util/struct-access.ts";

/** Small value helpers for the record-level transforms that the shared util does not (yet) offer. */

/** A map's own entry only: a field named `constructor` or `__proto__` must not reach Object.prototype. */
export function ownEntry(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets an own entry; a key named `__proto__` becomes data, never the object's prototype. */
export function setEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** Java's `value.getClass().toString()`, as Kafka puts it in messages: `class java.util.Date`. */
export function javaClassOf(value: unknown): string {
  return `class ${nullSafeClassName(value)}`;
}

/** A Struct's values by field index, read with Kafka's `get` (`withDefault`) or `getWithoutDefault`. */
export function structValues(struct: Struct, withDefault: boolean): unknown[] {
  const fields = struct.schema.fields ?? [];
  const out = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) out[i] = structGet(struct, fields[i] as Field, withDefault);
  return out;
}
