/** A least-recently-used cache of at most `capacity` entries (Kafka's LRUCache); capacity 0 or less caches nothing. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-inserting moves the key to the end of Map's insertion order: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const eldest = this.entries.keys().next();
      if (!eldest.done) this.entries.delete(eldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
