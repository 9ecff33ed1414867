// The Wilson score interval of a proportion: k successes in n trials. Unlike the normal
// approximation it stays inside [0, 1] and is not zero-width at 0/n or n/n, which matters for the
// per-class counts of a user's code (often tens of examples).

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** The interval of k/n at the given z (95% by default); [0, 1] when n is 0. */
export function wilsonInterval(k: number, n: number, z = Z_95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n)
    throw new RangeError(`wilsonInterval needs whole counts 0 <= k <= n, got k=${k}, n=${n}`);
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the formula gives the bound exactly; clamp rounding noise only.
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}
