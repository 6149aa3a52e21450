/**
 * Seeded randomness. Everything the generator writes comes from here, never from Math.random or
 * the clock, so the same seed, scale and date give the same bytes.
 *
 * `Rng` is sfc32 (fast, 128-bit state, passes PractRand to 2^40+); `rngFor` derives an independent
 * stream for one entity (a tenant, a room) from the seed and a key, so that different tables can
 * recompute the same tenant's attributes without storing them.
 */

/** 32-bit mix of several integers (murmur3's finalizer over a running hash). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Stable number for a string key (FNV-1a). */
export function keyOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = hash32(seed, stream, 1);
    this.b = hash32(seed, stream, 2);
    this.c = hash32(seed, stream, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Re-seeds in place (no allocation), for per-entity streams in hot loops. */
  reset(seed: number, stream = 0): this {
    this.a = hash32(seed, stream, 1);
    this.b = hash32(seed, stream, 2);
    this.c = hash32(seed, stream, 3);
    this.d = 1;
    for (let i = 0; i < 4; i++) this.u32();
    return this;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Roughly normal (Irwin–Hall of 4), mean 0, sd 1: cheap and bounded. */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508;
  }
}

/**
 * A weighted choice table: `pick` returns an index with probability weight/sum. Built once,
 * O(log n) per draw, no allocation.
 */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  readonly items: readonly T[];
  constructor(items: readonly T[], weights: readonly number[]) {
    this.items = items;
    if (items.length !== weights.length || items.length === 0) throw new Error('Weighted: items and weights differ in length');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += w));
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/** `new Weighted` from [item, weight] pairs. */
export function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  return new Weighted(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
}
