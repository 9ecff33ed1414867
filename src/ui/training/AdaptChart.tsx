// "Your code": per held-out class, exact match before fine-tuning and now (the latest evaluation),
// each drawn as its 95% Wilson interval (a bar) around the measured rate (a dot), with the counts
// in words. Redrawn at each evaluation; the figures are data-* attributes for the end-to-end tests.
import { memo, useMemo } from 'react';
import { adaptComparison, changeOf, type AdaptClassRow } from './adapt-series';
import { describeScore, type CountedScore, type EvalRow } from './chart-series';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const label = (name: string) => (name === 'no_bug' ? 'no bug (left unchanged)' : name.replace(/_/g, ' '));
const CHANGE_WORDS = { up: 'up', down: 'down', within: 'within the intervals' } as const;

function scoreAttrs(prefix: string, s: CountedScore | null): Record<string, string> {
  if (!s) return {};
  return { [`data-${prefix}-n`]: String(s.n), [`data-${prefix}-exact`]: String(s.exact), [`data-${prefix}-low`]: s.low.toFixed(4), [`data-${prefix}-high`]: s.high.toFixed(4) };
}

function Interval({ score, kind }: { score: CountedScore | null; kind: 'before' | 'now' }) {
  if (!score || score.n === 0) return null;
  return (
    <>
      <span className={`adapt-interval adapt-${kind}`} style={{ left: pct(score.low), width: pct(Math.max(0.004, score.high - score.low)) }} />
      <span className={`adapt-dot adapt-${kind}`} style={{ left: pct(score.rate) }} />
    </>
  );
}

function ClassRow({ row }: { row: AdaptClassRow }) {
  const change = changeOf(row.before, row.now);
  return (
    <li className="adapt-row" data-class={row.name} data-change={change ?? ''} {...scoreAttrs('before', row.before)} {...scoreAttrs('now', row.now)}>
      <span className="adapt-class">{label(row.name)}</span>
      <span className="adapt-track" aria-hidden="true">
        <Interval score={row.before} kind="before" />
        <Interval score={row.now} kind="now" />
      </span>
      <span className="adapt-figures small">
        {row.before?.n === 0 && (row.now === null || row.now.n === 0) ? (
          <span className="muted">no held-out example of this class in your code</span>
        ) : (
          <>
            before {describeScore(row.before)}
            {row.now ? <> · now {describeScore(row.now)}{change ? <strong className={`adapt-change adapt-change-${change}`}> {CHANGE_WORDS[change]}</strong> : null}</> : null}
          </>
        )}
      </span>
    </li>
  );
}

export const AdaptChart = memo(function AdaptChart({ evalRows, measuring }: { evalRows: readonly EvalRow[]; measuring: { before: boolean; done: number; total: number } | null }) {
  const comparison = useMemo(() => adaptComparison(evalRows), [evalRows]);
  const counts = comparison?.classes.reduce((acc, c) => {
    const change = changeOf(c.before, c.now);
    if (change) acc[change] += 1;
    return acc;
  }, { up: 0, down: 0, within: 0 });
  const progress = measuring ? ` Measuring ${measuring.before ? 'before fine-tuning' : 'now'}: ${measuring.done} of ${measuring.total} held-out examples.` : '';
  const summary = !comparison
    ? `Exact match on your held-out files, per class: appears once the model is measured before fine-tuning.${progress}`
    : comparison.nowStep === null
      ? `Before fine-tuning, per class (the bars are 95% intervals); "now" appears at the first evaluation.${progress}`
      : `Before fine-tuning and now (step ${comparison.nowStep}, ${comparison.measurements - 1} evaluation${comparison.measurements === 2 ? '' : 's'}): up on ${counts!.up} classes, down on ${counts!.down}, within the intervals on ${counts!.within} (a change counts when the 95% intervals do not overlap).${progress}`;
  return (
    <figure className="metric-chart adapt-chart" data-testid="adapt-chart" aria-labelledby="adapt-chart-title" aria-describedby="adapt-chart-summary" data-classes={comparison?.classes.length ?? 0} data-measurements={comparison?.measurements ?? 0} data-now-step={comparison?.nowStep ?? ''} data-measuring={measuring ? `${measuring.done}/${measuring.total}` : ''}>
      <figcaption>
        <h3 id="adapt-chart-title">Your held-out code: exact match per class, before and now</h3>
        <p id="adapt-chart-summary" className="chart-summary">{summary}</p>
      </figcaption>
      {comparison && (
        <>
          <p className="adapt-legend small" aria-hidden="true">
            <span className="adapt-key adapt-before" /> before <span className="adapt-key adapt-now" /> now · bar: 95% interval, dot: measured · 0% to 100%
          </p>
          <ul className="adapt-rows">
            {comparison.classes.map((row) => <ClassRow key={row.name} row={row} />)}
          </ul>
        </>
      )}
    </figure>
  );
});
