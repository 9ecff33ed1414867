// The live charts: loss (train per step, validation per evaluation), exact match per cognitive mode
// and per task (each with its 95% interval shaded and its count in the summary), tokens per second,
// the time each evaluation took with the share of the run spent evaluating, and for "your code" the
// held-out classes before and now (AdaptChart). Lines and summaries are memoized on their rows.
import { memo, useMemo } from 'react';
import type { MetricsDelta, StepRow } from '../../worker/training-protocol';
import { AdaptChart } from './AdaptChart';
import { countedScore, countKeys, describeScore, evalTiming, lossTrend, MODE_KEYS, modeKey, TASK_KEYS, taskKey, type EvalRow } from './chart-series';
import { MetricChart, type ChartLine } from './MetricChart';

const MODE_COLORS: Record<string, string> = { convergent: '#16794a', divergent: '#a05a00', hybrid: '#7a3fb8' };
const TASK_COLORS: Record<string, string> = { fix: '#2f5bd3', complete: '#0f8b8d', generate: '#c2410c' };
const percent = (v: number) => `${Math.round(v * 100)}%`;
const fixed = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function latestWith(rows: readonly EvalRow[], keys: readonly string[]): EvalRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (keys.some((k) => typeof rows[i]![k] === 'number')) return rows[i];
  return undefined;
}

function AccuracyChart({ testId, title, rows, names, keyOf, colors, evalInterval }: {
  testId: string; title: string; rows: readonly EvalRow[]; names: readonly string[]; keyOf: (n: string) => string; colors: Record<string, string>; evalInterval: number | null;
}) {
  const keys = useMemo(() => names.map(keyOf), [names, keyOf]);
  const scored = useMemo(() => rows.filter((r) => keys.some((k) => typeof r[k] === 'number')), [rows, keys]);
  const lines = useMemo<ChartLine[]>(() => names.map((n) => {
    const { low, high } = countKeys(keyOf(n));
    return { key: keyOf(n), name: n, color: colors[n] ?? '#2f5bd3', dots: true, band: { low, high } };
  }), [names, keyOf, colors]);
  const latest = latestWith(scored, keys);
  const scoreText = (n: string) => {
    const counted = countedScore(latest, keyOf(n));
    if (counted) return describeScore(counted);
    return typeof latest?.[keyOf(n)] === 'number' ? percent(latest[keyOf(n)]!) : '–';
  };
  const summary = latest
    ? `Exact match at step ${latest.step} (shaded: 95% interval): ${names.map((n) => `${n} ${scoreText(n)}`).join(', ')}.`
    : 'No evaluation yet.';
  const attrs: Record<string, string | number> = { points: scored.length };
  if (latest)
    for (const n of names) {
      if (typeof latest[keyOf(n)] === 'number') attrs[`latest-${n}`] = latest[keyOf(n)]!.toFixed(4);
      const counted = countedScore(latest, keyOf(n));
      if (counted) Object.assign(attrs, { [`latest-${n}-n`]: counted.n, [`latest-${n}-low`]: counted.low.toFixed(4), [`latest-${n}-high`]: counted.high.toFixed(4) });
    }
  return (
    <MetricChart
      testId={testId}
      title={title}
      summary={summary}
      empty={evalInterval ? `Appears at the first evaluation (every ${evalInterval} steps, with an eval sample above 0).` : 'Appears at the first evaluation.'}
      rows={scored}
      lines={lines}
      yDomain={[0, 1]}
      yFormat={percent}
      dataAttributes={attrs}
    />
  );
}

const MemoAccuracyChart = memo(AccuracyChart);

const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);

/** How long each evaluation took, and the share of the run's time spent evaluating against its budget. */
function EvalTimeChart({ evalRows, evalShareBudget }: { evalRows: EvalRow[]; evalShareBudget: number | null }) {
  const timing = useMemo(() => evalTiming(evalRows), [evalRows]);
  const rows = useMemo(() => evalRows.filter((r) => typeof r.evalMs === 'number').map((r) => ({ step: r.step, evalSeconds: (r.evalMs as number) / 1000 })), [evalRows]);
  const lines = useMemo<ChartLine[]>(() => [{ key: 'evalSeconds', name: 'seconds per evaluation', color: '#7a3fb8', dots: true }], []);
  const budget = evalShareBudget === null || evalShareBudget >= 1 ? 'no budget: every due evaluation runs' : `budget ${percent(evalShareBudget)}: due evaluations are skipped while they would take more`;
  const summary = timing.count === 0
    ? `No evaluation yet (${budget}).`
    : `${timing.count} evaluation${timing.count === 1 ? '' : 's'}, the last took ${seconds(timing.lastMs)} (mean ${seconds(timing.meanMs)}); ${timing.share === null ? 'share of the run not measured' : `${percent(timing.share)} of the run's time so far`} (${budget}).`;
  return (
    <MetricChart
      testId="eval-time-chart"
      title="Evaluation time"
      summary={summary}
      empty="Appears at the first evaluation."
      rows={rows}
      lines={lines}
      yFormat={(v) => `${v.toFixed(1)} s`}
      dataAttributes={{ points: rows.length, 'last-ms': timing.lastMs === null ? '–' : Math.round(timing.lastMs), share: timing.share === null ? '–' : timing.share.toFixed(4), budget: evalShareBudget ?? '–' }}
    />
  );
}

const MemoEvalTimeChart = memo(EvalTimeChart);

interface TrainingChartsProps {
  stepRows: StepRow[];
  evalRows: EvalRow[];
  evalInterval: number | null;
  /** The run's evaluation share setting (null: none). */
  evalShareBudget: number | null;
  /** "Your code": the held-out classes are charted before and now. */
  adapt: boolean;
  measuring: MetricsDelta['measuring'];
}

export const TrainingCharts = memo(function TrainingCharts({ stepRows, evalRows, evalInterval, evalShareBudget, adapt, measuring }: TrainingChartsProps) {
  const valRows = useMemo(() => evalRows.filter((r) => r.valLoss !== null), [evalRows]);
  const lossLines = useMemo<ChartLine[]>(() => [
    { key: 'loss', name: 'train', color: '#2f5bd3' },
    { key: 'valLoss', name: 'validation', color: '#d3542f', data: valRows, dots: true },
  ], [valRows]);
  const trend = useMemo(() => lossTrend(stepRows), [stepRows]);
  const lastStep = stepRows[stepRows.length - 1];
  const lastVal = valRows[valRows.length - 1];
  const throughputLines = useMemo<ChartLine[]>(() => [{ key: 'tokensPerSecond', name: 'tokens / s', color: '#0f8b8d' }], []);
  const meanTps = useMemo(() => {
    const recent = stepRows.slice(-20);
    return recent.length === 0 ? null : recent.reduce((s, r) => s + r.tokensPerSecond, 0) / recent.length;
  }, [stepRows]);
  return (
    <div className="chart-grid">
      {adapt && <AdaptChart evalRows={evalRows} measuring={measuring ?? null} />}
      <MetricChart
        testId="loss-chart"
        title="Loss"
        summary={lastStep ? `Train loss ${fixed(lastStep.loss)} at step ${lastStep.step} (first steps ${fixed(trend.first)})${lastVal ? `; validation ${fixed(lastVal.valLoss)} at step ${lastVal.step}` : ''}.` : 'No step yet.'}
        empty="Appears with the first training step."
        rows={stepRows}
        lines={lossLines}
        yFormat={(v) => v.toFixed(2)}
        dataAttributes={{ 'train-points': stepRows.length, 'val-points': valRows.length, 'first-loss': fixed(trend.first, 5), 'last-loss': fixed(trend.last, 5), 'first-val-loss': fixed(valRows[0]?.valLoss, 5), 'last-val-loss': fixed(lastVal?.valLoss, 5) }}
      />
      <MemoAccuracyChart testId="mode-accuracy-chart" title="Exact match per cognitive mode" rows={evalRows} names={MODE_KEYS} keyOf={modeKey} colors={MODE_COLORS} evalInterval={evalInterval} />
      <MemoAccuracyChart testId="task-accuracy-chart" title="Exact match per task" rows={evalRows} names={TASK_KEYS} keyOf={taskKey} colors={TASK_COLORS} evalInterval={evalInterval} />
      <MetricChart
        testId="throughput-chart"
        title="Tokens per second"
        summary={meanTps === null ? 'No step yet.' : `${Math.round(meanTps).toLocaleString('en-US')} tokens/s over the last ${Math.min(20, stepRows.length)} steps (source and target tokens, padding excluded).`}
        empty="Appears with the first training step."
        rows={stepRows}
        lines={throughputLines}
        yFormat={(v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v)))}
        dataAttributes={{ points: stepRows.length, latest: meanTps === null ? '–' : Math.round(meanTps) }}
      />
      <MemoEvalTimeChart evalRows={evalRows} evalShareBudget={evalShareBudget} />
    </div>
  );
});
