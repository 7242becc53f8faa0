/**
 * The iteration order of Java's HashMap and HashSet over string keys (null allowed, hashing to 0).
 *
 * Confluent's JsonSchemaData builds its document with everit-json-schema, whose ObjectSchema keeps `properties` in a
 * HashMap, whose `unprocessedProperties` (`connect.type`, `connect.index`, ...) are a HashMap, whose enum values
 * print from a HashSet, and whose `connect.parameters` print through org.json's JSONObject (a HashMap too). The
 * registry stores the text, so the text must list keys in that order to register as the same schema.
 *
 * A HashMap iterates its table's buckets in index order, and within a bucket keeps insertion order (resizing splits
 * a bucket without reordering it). So its order is the insertion order stably sorted by bucket index,
 * `(h ^ (h >>> 16)) & (capacity - 1)`; only the capacity depends on how the map was made.
 */

/** Java's `String.hashCode` (null: 0). */
export function javaHash(key: string | null): number {
  if (key === null) return 0;
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}

function bucket(key: string | null, capacity: number): number {
  const h = javaHash(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

function tableSizeFor(n: number): number {
  let capacity = 1;
  while (capacity < n) capacity *= 2;
  return capacity;
}

/** The table size of a `new HashMap<>()` (or HashSet) after `size` puts: 16, doubled past 3/4 full. */
export function grownCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * The table size of `new HashMap<>(map)` for a map of `size` entries. JDK 19 and later size it
 * `ceil(size / 0.75)` (JDK-8281631; JDK 17 used `size / 0.75 + 1`, which differs for 3, 6, 12, ... entries): we
 * follow JDK 19+, as sluice's float printing does (api/java-number-format.ts).
 */
export function copiedCapacity(size: number): number {
  if (size === 0) return 1;
  return tableSizeFor(Math.ceil(size / 0.75));
}

/** The table size of `new HashMap<>(initialCapacity)` after `size` puts (org.json's `new JSONObject(map)`). */
export function presizedCapacity(initial: number, size: number): number {
  let capacity = tableSizeFor(Math.max(1, initial));
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/** Keys in the order a HashMap of this table size iterates them, given the order they were put in. */
export function hashOrder<K extends string | null>(keys: readonly K[], capacity: number): K[] {
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key, capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

/** The order of a `new HashMap<>()` filled in `keys` order and then copied with `new HashMap<>(map)`. */
export function copiedHashOrder<K extends string | null>(keys: readonly K[]): K[] {
  return hashOrder(hashOrder(keys, grownCapacity(keys.length)), copiedCapacity(keys.length));
}
