// The outside sets' fixed split: every outside file belongs to one half, "tune" or "report", by a
// hash of its package-relative path. Budgets and thresholds of the fix search are chosen on the tune
// half and reported on the other; the split does not depend on the data set's seed, so a line keeps
// its half whatever else is drawn (docs/design.md#outside-data).
import { deriveSeed } from '../model';

export const OUTSIDE_HALVES = ['tune', 'report'] as const;
export type OutsideHalf = (typeof OUTSIDE_HALVES)[number];

/** The hash's seed: fixed, so the split never moves. */
const HALF_SEED = 27;

/** The half of a package-relative path (`click/core.py`), or of a function key (`click/core.py:120`). */
export function outsideHalf(pathOrKey: string): OutsideHalf {
  const path = pathOrKey.replace(/:\d+$/, '');
  return deriveSeed(HALF_SEED, `outside-half:${path}`) % 2 === 0 ? 'tune' : 'report';
}
