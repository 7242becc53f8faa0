/**
 * The iteration order of `new HashSet<>(strings)` on the JVM (JDK 17, the one Kafka Connect 4.1 is run on here).
 * Kafka's ConnectProtocol.Assignment.asMap() groups assigned connectors through such a set, so the order of the
 * connector entries on the wire is this order; reproducing it makes our assignment bytes identical to a Java
 * leader's for the same assignment. Only the order is at stake: every reader accepts any order.
 *
 * HashMap puts a key in bucket `spread(hashCode) & (capacity - 1)` and iterates buckets in index order, keys of one
 * bucket in insertion order. HashSet(Collection) sizes the table once, from the collection's size (duplicates
 * included), so no resize reorders it.
 */

/** java.lang.String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

/** HashMap.tableSizeFor: the smallest power of two at or above `capacity` (at least 1). */
function tableSizeFor(capacity: number): number {
  let size = 1;
  while (size < capacity) size *= 2;
  return size;
}

/** The distinct strings of `items` in the order a JDK 17 `new HashSet<>(items)` iterates them. */
export function javaHashSetOrder(items: readonly string[]): string[] {
  // JDK 17 HashSet(Collection): new HashMap<>(Math.max((int) (c.size() / .75f) + 1, 16))
  const capacity = tableSizeFor(Math.max(Math.trunc(Math.fround(items.length / Math.fround(0.75))) + 1, 16));
  const distinct = [...new Set(items)];
  const bucketOf = (item: string): number => {
    const hash = javaStringHashCode(item);
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  return distinct
    .map((item, insertion) => ({ item, insertion, bucket: bucketOf(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.insertion - b.insertion)
    .map(({ item }) => item);
}
