// Chart rows kept on the page: one row per step (loss, tokens/s) and one per evaluation (validation
// loss, accuracy per mode and per task). Deltas are appended; when a series passes MAX_POINTS its
// older half is thinned (every other point dropped), so recent steps keep full detail, old ones
// stay represented, and recharts never draws more than ~500 points per series on a long run. An
// evaluation's exact-match counts come along as KEY_n, KEY_exact, KEY_low and KEY_high (the 95%
// interval), and its time as evalMs and evalShare.
import type { EvalRecord } from '../../train/loop';
import type { StepRow } from '../../worker/training-protocol';

const MAX_POINTS = 500;


/** Scores flattened to keys without dots (recharts reads a dotted dataKey as a nested path). */
export interface EvalRow {
  step: number;
  valLoss: number | null;
  valTokenAccuracy: number | null;
  [score: string]: number | null;
}

export const MODE_KEYS = ['convergent', 'divergent', 'hybrid'] as const;
export const TASK_KEYS = ['fix', 'complete', 'generate'] as const;
export const modeKey = (mode: string) => `mode_${mode}`;
export const taskKey = (task: string) => `task_${task}`;
/** "Your code": a held-out class's key (the worker's `class.<name>` score). */
export const classKey = (name: string) => `class_${name}`;
export const CLASS_KEY_PREFIX = 'class_';
/** The row keys of a score's count and interval. */
export const countKeys = (key: string) => ({ n: `${key}_n`, exact: `${key}_exact`, low: `${key}_low`, high: `${key}_high` });

/** Appends and thins: the result has at most `max` rows, the newest always kept. */
export function appendThinned<T>(rows: readonly T[], added: readonly T[], max = MAX_POINTS): T[] {
  // Same array when nothing was added: memoized charts then skip their render.
  if (added.length === 0 && rows.length <= max) return rows as T[];
  let out = rows.concat(added);
  while (out.length > max) {
    const half = Math.floor(out.length / 2);
    out = out.slice(0, half).filter((_, i) => i % 2 === 0).concat(out.slice(half));
  }
  return out;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export function toEvalRow(e: EvalRecord): EvalRow {
  const row: EvalRow = { step: e.step, valLoss: finite(e.valLoss), valTokenAccuracy: finite(e.valTokenAccuracy), evalMs: finite(e.evalMs), evalShare: e.evalShare ?? null };
  for (const [name, value] of Object.entries(e.scores)) row[name.replace('.', '_')] = value;
  for (const [name, count] of Object.entries(e.counts ?? {})) {
    const keys = countKeys(name.replace('.', '_'));
    row[keys.n] = count.n;
    row[keys.exact] = count.exact;
    row[keys.low] = count.low;
    row[keys.high] = count.high;
  }
  return row;
}

/** A score of one row with its count and interval, or null when the row has none. */
export interface CountedScore {
  rate: number;
  n: number;
  exact: number;
  low: number;
  high: number;
}

export function countedScore(row: EvalRow | undefined, key: string): CountedScore | null {
  if (!row) return null;
  const keys = countKeys(key);
  const [rate, n, exact, low, high] = [row[key], row[keys.n], row[keys.exact], row[keys.low], row[keys.high]];
  if (typeof rate !== 'number' || typeof n !== 'number' || typeof exact !== 'number' || typeof low !== 'number' || typeof high !== 'number') return null;
  return { rate, n, exact, low, high };
}

/** "42% (n 60, 95% 30–55%)": a score as the summaries write it. */
export function describeScore(score: CountedScore | null): string {
  if (!score) return '–';
  if (score.n === 0) return 'no example';
  const pct = (v: number) => Math.round(v * 100);
  return `${pct(score.rate)}% (${score.exact}/${score.n}, 95% ${pct(score.low)}–${pct(score.high)}%)`;
}

/** The evaluations' time: the last one's and the share of the run spent evaluating so far. */
export function evalTiming(rows: readonly EvalRow[]): { count: number; lastMs: number | null; meanMs: number | null; share: number | null } {
  const timed = rows.filter((r) => typeof r.evalMs === 'number');
  const shares = rows.filter((r) => typeof r.evalShare === 'number');
  const total = timed.reduce((sum, r) => sum + (r.evalMs as number), 0);
  return {
    count: timed.length,
    lastMs: timed.length > 0 ? (timed[timed.length - 1]!.evalMs as number) : null,
    meanMs: timed.length > 0 ? total / timed.length : null,
    share: shares.length > 0 ? (shares[shares.length - 1]!.evalShare as number) : null,
  };
}

/** Mean of the first and of the last `k` values: what the tests (and the summary) compare. */
export function lossTrend(rows: readonly StepRow[], k = 5): { first: number | null; last: number | null } {
  if (rows.length === 0) return { first: null, last: null };
  const mean = (list: readonly StepRow[]) => list.reduce((sum, r) => sum + r.loss, 0) / list.length;
  const n = Math.min(k, Math.max(1, Math.floor(rows.length / 2)));
  return { first: mean(rows.slice(0, n)), last: mean(rows.slice(-n)) };
}
