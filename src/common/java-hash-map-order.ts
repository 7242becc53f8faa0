/**
 * The order in which Kafka Connect's REST API lists what it keeps in a `java.util.HashMap` (connector names, the
 * `?expand` map, a task's configuration): Jackson writes a HashMap in iteration order, which is by bucket, and by
 * insertion within one bucket. A bucket is `(h ^ (h >>> 16)) & (capacity - 1)` of the key's `String.hashCode()`; a
 * `new HashMap<>()` starts with 16 buckets and doubles once it holds more than three quarters of them. (A ninth key
 * in one bucket of a small table, which makes Java resize or build a tree, is not modelled: its order stays the order
 * of insertion.) plugins/file/java-hash-map-order.ts models any Java key for FileStreamSink's output.
 */

/** java.lang.String.hashCode over UTF-16 code units, in 32-bit arithmetic. */
function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/** `keys`, put in this order into a `new HashMap<>()`, in the order that map iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  return keys
    .map((key, index) => {
      const hash = javaStringHash(key);
      return { key, index, bucket: (hash ^ (hash >>> 16)) & (capacity - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

/** A string-keyed object's entries in that order (for a map Kafka builds as a HashMap). */
export function inJavaHashMapOrder<T>(map: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of javaHashMapOrder(Object.keys(map))) out[key] = map[key] as T;
  return out;
}
