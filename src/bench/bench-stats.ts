// How the bench turns timings into figures it can compare within one run on a shared, noisy
// machine: variants measured in alternating rounds (so a swing in load hits both sides), each
// figure as its median with the spread of its samples, and short pieces of work repeated until the
// clock can measure them. Pure: no tfjs, no realm.

import type { Spread } from './bench-table';

export type { Spread } from './bench-table';

/** The median (the mean of the middle two for an even count); NaN for no samples. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spreadOf(xs: readonly number[]): Spread {
  return {
    median: median(xs),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
    n: xs.length,
  };
}

/**
 * The order the variants run in each round: as given in even rounds, reversed in odd ones
 * (A B, B A, A B, …), so that neither side always runs first, right after the other has warmed the
 * caches or while the machine's load is rising.
 */
export function roundOrder<V>(variants: readonly V[], round: number): V[] {
  return round % 2 === 0 ? [...variants] : [...variants].reverse();
}

/**
 * Runs `measure` once per variant per round, in roundOrder, and gathers each variant's results in
 * its own list (indexed like `variants`). The first `warmUp` rounds run but are not kept.
 */
export async function alternate<V>(
  variants: readonly V[],
  rounds: number,
  warmUp: number,
  measure: (variant: V, round: number) => Promise<number>,
): Promise<number[][]> {
  const samples = variants.map(() => [] as number[]);
  for (let round = 0; round < warmUp + rounds; round++) {
    for (const variant of roundOrder(variants, round)) {
      const value = await measure(variant, round);
      if (round >= warmUp) samples[variants.indexOf(variant)]!.push(value);
    }
  }
  return samples;
}

/** Below this a timing is mostly the clock's own resolution and jitter (browsers coarsen performance.now()). */
export const MIN_MEASURED_MS = 20;

/** Repeats beyond which a piece of work is called unmeasurable rather than looped forever. */
export const MAX_REPEATS = 100_000;

/**
 * Milliseconds per call of `work`, called in a loop until the loop has taken at least `minMs`
 * (doubling the count each time, so one slow call is not repeated needlessly). `settle` runs after
 * each loop, inside its time: on an asynchronous backend it waits for the last call's result.
 */
export async function timePerCall(
  work: () => void,
  settle: () => Promise<void> = async () => {},
  minMs = MIN_MEASURED_MS,
  now: () => number = () => performance.now(),
): Promise<{ msPerCall: number; calls: number }> {
  for (let calls = 1; ; calls *= 2) {
    const t0 = now();
    for (let i = 0; i < calls; i++) work();
    await settle();
    const elapsed = now() - t0;
    if (elapsed >= minMs || calls >= MAX_REPEATS) return { msPerCall: elapsed / calls, calls };
  }
}
