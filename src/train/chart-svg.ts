// training_metrics.svg, drawn from training_metrics.json: train and validation loss over steps,
// and validation token accuracy and per-mode exact match over steps.
import type { TrainingMetrics } from './metrics-file';

interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

const W = 900;
const H = 300;
const PAD = { left: 56, right: 150, top: 28, bottom: 36 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(
  title: string,
  series: Series[],
  y0: number,
  yMax: number | null,
  yLabel: (v: number) => string,
): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<text x="${PAD.left}" y="${y0 + 40}" font-size="13">${esc(title)}: no data</text>`;
  const xMax = Math.max(...all.map((p) => p[0]), 1);
  const top = yMax ?? Math.max(...all.map((p) => p[1])) * 1.05;
  const x = (v: number) => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => y0 + PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const parts = [`<text x="${PAD.left}" y="${y0 + 18}" font-size="14" font-weight="600">${esc(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e6ee"/>`,
      `<text x="${PAD.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${yLabel(v)}</text>`,
    );
  }
  parts.push(
    `<text x="${(W - PAD.right + PAD.left) / 2}" y="${y0 + H - 6}" font-size="11" text-anchor="middle">step (of ${xMax})</text>`,
  );
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<rect x="${W - PAD.right + 12}" y="${y0 + PAD.top + i * 18}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${W - PAD.right + 30}" y="${y0 + PAD.top + i * 18 + 5}" font-size="12">${esc(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

export function writeTrainingChart(m: TrainingMetrics): string {
  const loss = panel(
    'Loss (teacher-forced NLL per target token)',
    [
      { name: 'train', color: '#2f5bd3', points: m.steps.map((s) => [s.step, s.loss]) },
      // An evaluation without validation batches (the Train tab's "before" on your code) has no loss.
      {
        name: 'validation',
        color: '#d3542f',
        points: m.evals.filter((e) => Number.isFinite(e.valLoss)).map((e) => [e.step, e.valLoss]),
      },
    ],
    0,
    null,
    (v) => v.toFixed(2),
  );
  const modeColors: Record<string, string> = {
    'mode.convergent': '#16794a',
    'mode.divergent': '#a05a00',
    'mode.hybrid': '#7a3fb8',
  };
  const accuracy = panel(
    'Validation accuracy',
    [
      {
        name: 'token accuracy',
        color: '#2f5bd3',
        points: m.evals.filter((e) => Number.isFinite(e.valTokenAccuracy)).map((e) => [e.step, e.valTokenAccuracy]),
      },
      ...Object.entries(modeColors).map(([key, color]) => ({
        name: `${key.slice(5)} exact`,
        color,
        dashed: true,
        points: m.evals
          .filter((e) => e.scores[key] !== undefined)
          .map((e) => [e.step, e.scores[key]!] as [number, number]),
      })),
    ],
    H,
    1,
    (v) => `${Math.round(v * 100)}%`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H}" viewBox="0 0 ${W} ${2 * H}" font-family="system-ui, sans-serif" fill="#1d2330">\n<rect width="100%" height="100%" fill="#fff"/>\n${loss}\n${accuracy}\n</svg>\n`;
}
