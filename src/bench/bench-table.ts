// A bench row and its Markdown table, apart from the measuring code so that the Playwright side
// (e2e/bench.measure.ts) can format browser rows without loading tfjs. Imports nothing.

/** Every row's synthetic batch: 32 sources of 60 tokens, targets of 16; 20 tokens decoded. */
export const BENCH_SHAPE = { batch: 32, sourceLength: 60, targetLength: 16, decodeTokens: 20, vocabSize: 2000 } as const;

/** One model size on one backend; times in milliseconds, medians of the timed runs. */
export interface BenchRow {
  preset: string;
  /** The backend's label: "wasm-stock" is wasm with the project's kernels off. */
  backend: string;
  parameters: number;
  trainStepMs: number;
  tokensPerSecond: number;
  greedyMsPerToken: number;
  beam5MsPerAnswer: number;
  loadMs: number;
  /** tf.memory().numTensors before the row and after our model's part (before the baseline, which keeps tensors of its own): equal when nothing leaks. */
  tensorsBefore: number;
  tensorsAfter: number;
  bytesAfter: number;
  /** The tf.layers.lstm model of the same size on the same backend, or null when not run. */
  baseline: { parameters: number; trainStepMs: number; greedyMsPerToken: number } | null;
}

/** A row with where it ran in the browser ("page" or "worker"); Node rows have no place. */
export type PlacedBenchRow = BenchRow & { place?: string };

/** The Markdown table of the Node bench; with a "place" column when any row has one. */
export function formatTable(rows: PlacedBenchRow[]): string {
  const f = (v: number, d = 1) => v.toFixed(d);
  const placed = rows.some((r) => r.place !== undefined);
  const head = ['model', 'backend', ...(placed ? ['place'] : []), 'train step ms', 'tokens/s', 'greedy ms/token', 'beam-5 ms/answer', 'load ms', 'tensors before→after', 'layers.lstm step ms (ratio)', 'layers.lstm greedy ms/token (ratio)'];
  const align = ['---', '---', ...(placed ? ['---'] : []), ...Array.from({ length: 8 }, () => '---:')];
  const lines = [`| ${head.join(' | ')} |`, `|${align.join('|')}|`];
  for (const r of rows) {
    const b = r.baseline;
    lines.push(`| ${r.preset} (${r.parameters.toLocaleString('en-US')} params) | ${r.backend} | ${placed ? `${r.place ?? '–'} | ` : ''}${f(r.trainStepMs)} | ${f(r.tokensPerSecond, 0)} | ${f(r.greedyMsPerToken, 2)} | ${f(r.beam5MsPerAnswer)} | ${f(r.loadMs)} | ${r.tensorsBefore}→${r.tensorsAfter} | ` +
      (b ? `${f(b.trainStepMs)} (${f(b.trainStepMs / r.trainStepMs, 2)}×) | ${f(b.greedyMsPerToken, 2)} (${f(b.greedyMsPerToken / r.greedyMsPerToken, 2)}×) |` : '– | – |'));
  }
  return lines.join('\n');
}
