const TWO_POW_32 = 4294967296;

/** Murmur3's 32-bit finalizer: a cheap bijective mix in which every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Folds a whole number (up to 2^53 in magnitude) into a running 32-bit hash. */
function fold(hash: number, value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_POW_32) >>> 0;
  return mix32(mix32(hash ^ low) + 0x9e3779b9 + high);
}

/**
 * A random stream keyed by a few whole numbers, e.g. (seed, task, seq): `reset` jumps straight to the stream of any
 * key, so any record can be generated again without generating the ones before it. The key is hashed with the
 * Murmur3 finalizer and the stream is Mulberry32, both 32-bit integer arithmetic only (no BigInt), which keeps a
 * reset plus a dozen draws at a few tens of nanoseconds.
 */
export class KeyedRandom {
  private state = 0;

  /** Starts the stream of the key (a, b, c). */
  reset(a: number, b: number, c: number): this {
    this.state = fold(fold(fold(0x5ee1_d00d, a), b), c);
    return this;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor((this.nextU32() / TWO_POW_32) * bound);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** A number in [0, 1). */
  fraction(): number {
    return this.nextU32() / TWO_POW_32;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}
