// "Your code": per held-out class, exact match before fine-tuning (the evaluation at step 0) and
// now (the latest evaluation), each with its count and 95% interval, from the chart rows. Pure.
import { CLASS_KEY_PREFIX, countedScore, countKeys, type CountedScore, type EvalRow } from './chart-series';

export interface AdaptClassRow {
  name: string;
  before: CountedScore | null;
  now: CountedScore | null;
}

export interface AdaptComparison {
  classes: AdaptClassRow[];
  /** The step of "now"; null while only "before" is measured. */
  nowStep: number | null;
  /** How many evaluations measured the classes (before included). */
  measurements: number;
}

const hasClasses = (row: EvalRow) => Object.keys(row).some((k) => k.startsWith(CLASS_KEY_PREFIX));

/** The class names in the order the worker measured them (a row's keys keep it). */
function classNames(row: EvalRow): string[] {
  return Object.keys(row)
    .filter((k) => k.startsWith(CLASS_KEY_PREFIX) && typeof row[countKeys(k).n] === 'number')
    .map((k) => k.slice(CLASS_KEY_PREFIX.length));
}

export function adaptComparison(rows: readonly EvalRow[]): AdaptComparison | null {
  const measured = rows.filter(hasClasses);
  if (measured.length === 0) return null;
  const first = measured[0]!;
  const before = first.step === 0 ? first : null;
  const last = measured[measured.length - 1]!;
  const now = last.step > 0 ? last : null;
  const names = classNames(before ?? last);
  return {
    classes: names.map((name) => ({
      name,
      before: countedScore(before ?? undefined, `${CLASS_KEY_PREFIX}${name}`),
      now: countedScore(now ?? undefined, `${CLASS_KEY_PREFIX}${name}`),
    })),
    nowStep: now?.step ?? null,
    measurements: measured.length,
  };
}

export type Change = 'up' | 'down' | 'within';

/** A change is only a change when the two 95% intervals do not overlap; none without examples on both sides. */
export function changeOf(before: CountedScore | null, now: CountedScore | null): Change | null {
  if (!before || !now || before.n === 0 || now.n === 0) return null;
  if (now.low > before.high) return 'up';
  if (now.high < before.low) return 'down';
  return 'within';
}
