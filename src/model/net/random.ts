// Seeded pseudo-random numbers for everything in the model that must be repeatable: weight
// initialisation, dropout masks and sampling. The numbers come from plain JavaScript, so the same
// seed gives the same values on every backend and in every host (page, worker, Node).
//
// The generator is mulberry32: 32 bits of state, one multiply-xorshift round per draw. It is not
// cryptographic and does not need to be; it passes the usual statistical smoke tests and is tiny.

import * as tf from '@tensorflow/tfjs-core';

/** A seeded stream of uniform floats in [0, 1), as a plain function (for test inputs). */
export function uniformStream(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** A seeded random number generator. All methods advance the same stream. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (1, 2, 3...) start far apart.
    this.state = hashSeed(seed);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal draw (Box–Muller; one draw per call, the twin is discarded for simplicity). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next(); // avoid log(0)
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A 31-bit integer, handy as a seed for tf.dropout or for a child generator. */
  nextSeed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }

  /** Index drawn from unnormalised non-negative weights (they need not sum to 1). */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let r = this.next() * total;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      last = i;
      r -= weights[i];
      if (r < 0) return i;
    }
    return last; // rounding left a sliver: the last non-zero entry takes it
  }
}

/**
 * A random orthogonal [n, n] matrix: modified Gram–Schmidt on a Gaussian matrix, in float64.
 * Returned as columns: cols[j][i] is entry (i, j).
 */
export function orthogonal(n: number, rng: Rng): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (const q of cols) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * q[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
    cols.push(v);
  }
  return cols;
}

/** Training-time dropout with a repeatable sequence of masks: mask k uses seed hash(seed + k). */
export class Dropout {
  private count = 0;
  constructor(
    readonly rate: number,
    readonly seed: number,
  ) {}
  apply<T extends tf.Tensor>(x: T): T {
    if (this.rate <= 0) return x;
    return tf.dropout(x, this.rate, undefined, hashSeed(this.seed + this.count++) >>> 1) as T;
  }
}

/** A 32-bit hash of an integer seed (the finaliser of MurmurHash3). */
function hashSeed(seed: number): number {
  let h = (Math.floor(seed) ^ 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Derive a stable child seed from a parent seed and a string label (e.g. a parameter name). */
export function deriveSeed(seed: number, label: string): number {
  let h = hashSeed(seed);
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return hashSeed(h) >>> 1;
}
