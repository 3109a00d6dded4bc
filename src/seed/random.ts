/**
 * A small, seedable pseudo-random generator for test data. Not for anything secret.
 *
 * The state is one 32-bit word advanced by a Weyl step (an odd constant added each call); the
 * output is that word put through an avalanche mix (xor-shifts and two odd multiplications), so
 * nearby states give unrelated outputs. `Random.derive` makes an independent stream per key, so a
 * case's data depends only on the seed and the case's number, never on the order cases run in.
 */

const WEYL = 0x9e3779b9;

/** Mixes a 32-bit word so that every input bit affects every output bit. */
function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then mixed), for turning labels into stream keys. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed >>> 0) ^ 0x6a09e667;
  }

  /** An independent stream for `key` (e.g. "case:42"), the same for the same seed and key. */
  static derive(seed: number, key: string): Random {
    return new Random(mix32((seed >>> 0) ^ hashString(key)));
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + WEYL) >>> 0;
    return mix32(this.state);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): empty range`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One item, drawn in proportion to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of entries) {
      roll -= weight;
      if (roll < 0) return item;
    }
    const last = entries.at(-1);
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** `count` distinct items in random order (all of them when `count` exceeds the list). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i -= 1) {
      const j = this.int(0, i);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, Math.min(count, pool.length));
  }
}
