// Chart rows kept on the page: one row per step (loss, tokens/s) and one per evaluation (validation
// loss, accuracy per mode and per task). Deltas are appended; when a series passes MAX_POINTS its
// older half is thinned (every other point dropped), so recent steps keep full detail, old ones
// stay represented, and recharts never draws more than ~500 points per series on a long run.
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
  const row: EvalRow = { step: e.step, valLoss: finite(e.valLoss), valTokenAccuracy: finite(e.valTokenAccuracy) };
  for (const [name, value] of Object.entries(e.scores)) row[name.replace('.', '_')] = value;
  return row;
}

/** Mean of the first and of the last `k` values: what the tests (and the summary) compare. */
export function lossTrend(rows: readonly StepRow[], k = 5): { first: number | null; last: number | null } {
  if (rows.length === 0) return { first: null, last: null };
  const mean = (list: readonly StepRow[]) => list.reduce((sum, r) => sum + r.loss, 0) / list.length;
  const n = Math.min(k, Math.max(1, Math.floor(rows.length / 2)));
  return { first: mean(rows.slice(0, n)), last: mean(rows.slice(-n)) };
}
