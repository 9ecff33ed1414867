// One live chart: a recharts line chart with animation off (deltas arrive up to 5 times a second),
// each line optionally with a shaded band (a 95% interval), a title, the latest values in words (for
// everyone, and read by screen readers), and data-* attributes with the figures the end-to-end tests
// check. Memoized: it redraws only when its rows do.
import { memo, type ReactNode } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartLine {
  key: string;
  name: string;
  color: string;
  /** Rows of its own (e.g. validation loss per evaluation beside train loss per step). */
  data?: readonly object[];
  dashed?: boolean;
  dots?: boolean;
  /** Row keys of the band drawn under the line (a 95% interval): its low and high values. */
  band?: { low: string; high: string };
}

/** A band's [low, high] from a row; undefined leaves a gap. */
function bandOf(band: { low: string; high: string }) {
  return (row: object) => {
    const low = (row as Record<string, unknown>)[band.low];
    const high = (row as Record<string, unknown>)[band.high];
    return typeof low === 'number' && typeof high === 'number' ? [low, high] : undefined;
  };
}

interface MetricChartProps {
  testId: string;
  title: string;
  /** The latest values in words; also the chart's accessible description. */
  summary: ReactNode;
  empty: string;
  rows: readonly object[];
  lines: ChartLine[];
  yDomain?: [number | 'auto', number | 'auto'];
  yFormat?: (v: number) => string;
  dataAttributes: Record<string, string | number>;
}

const HEIGHT = 230;
const axisTick = { fontSize: 11, fill: '#5d6678' };
const formatStep = (v: number) => (v >= 10_000 ? `${Math.round(v / 1000)}k` : String(v));

export const MetricChart = memo(function MetricChart({ testId, title, summary, empty, rows, lines, yDomain, yFormat, dataAttributes }: MetricChartProps) {
  const points = lines.reduce((n, l) => n + (l.data ?? rows).length, 0);
  const attrs = Object.fromEntries(Object.entries(dataAttributes).map(([k, v]) => [`data-${k}`, String(v)]));
  const titleId = `${testId}-title`;
  const summaryId = `${testId}-summary`;
  return (
    <figure className="metric-chart" data-testid={testId} aria-labelledby={titleId} aria-describedby={summaryId} {...attrs}>
      <figcaption>
        <h3 id={titleId}>{title}</h3>
        <p id={summaryId} className="chart-summary">{summary}</p>
      </figcaption>
      {points === 0 ? (
        <div className="chart-empty" style={{ height: HEIGHT }}>{empty}</div>
      ) : (
        <div className="chart-body" aria-hidden="true">
          {/* The figure has a text summary for screen readers, so the drawing stays out of the tab order. */}
          <ComposedChart accessibilityLayer={false} responsive style={{ width: '100%', height: HEIGHT }} data={rows as object[]} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#e8ebf2" vertical={false} />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={axisTick} tickFormatter={formatStep} stroke="#c5cbd8" />
            <YAxis domain={yDomain ?? ['auto', 'auto']} tick={axisTick} tickFormatter={yFormat} width={46} stroke="#c5cbd8" />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(step) => `step ${step}`}
              formatter={(value) => (typeof value === 'number' && yFormat ? yFormat(value) : typeof value === 'number' ? value.toFixed(3) : String(value))}
              contentStyle={{ fontSize: 12, borderRadius: 8, borderColor: '#dde2ec' }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
            {lines.map((l) => l.band && (
              <Area
                key={`${l.key}-band`}
                data={l.data as object[] | undefined}
                dataKey={bandOf(l.band)}
                name={`${l.name} 95% interval`}
                stroke="none"
                fill={l.color}
                fillOpacity={0.14}
                legendType="none"
                tooltipType="none"
                isAnimationActive={false}
                connectNulls
                type="linear"
              />
            ))}
            {lines.map((l) => (
              <Line
                key={l.key}
                data={l.data as object[] | undefined}
                dataKey={l.key}
                name={l.name}
                stroke={l.color}
                strokeWidth={1.8}
                strokeDasharray={l.dashed ? '5 3' : undefined}
                dot={l.dots ? { r: 2.5, strokeWidth: 1 } : false}
                activeDot={{ r: 3.5 }}
                isAnimationActive={false}
                connectNulls
                type="linear"
              />
            ))}
          </ComposedChart>
        </div>
      )}
    </figure>
  );
});
