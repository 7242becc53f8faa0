/** Schemaless maps as the converters represent them: plain objects with string keys. */

export type SchemalessMap = Record<string, unknown>;

/** Whether a value is a plain object (not an array, Struct, Date, Decimal, Uint8Array, Map...). */
export function isSchemalessMap(value: unknown): value is SchemalessMap {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A map's own entry only: a field named `constructor` or `__proto__` must not reach Object.prototype. */
export function getOwn(map: SchemalessMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets an own entry; a key named `__proto__` becomes data, never the object's prototype. */
export function setOwn(map: SchemalessMap, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
