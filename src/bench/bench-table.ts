// A bench row and its Markdown table, apart from the measuring code so that the Playwright side
// (e2e/bench.measure.ts) can format browser rows without loading tfjs. Imports nothing.

/** Every row's synthetic batch: 32 sources of 60 tokens, targets of 16; 20 tokens decoded. */
export const BENCH_SHAPE = {
  batch: 32,
  sourceLength: 60,
  targetLength: 16,
  decodeTokens: 20,
  vocabSize: 2000,
} as const;

/** What one unit of work (a training step, a greedy token) costs the backend; see bench-profile.ts. */
export interface WorkProfile {
  /** tfjs kernels run. */
  kernels: number;
  /** GPU programs dispatched (WebGPU only, else null). */
  dispatches: number | null;
  /** Reads of tensor data back to the CPU, and their bytes. */
  readbacks: number;
  bytesReadBack: number;
  /** Wall time of the counted (not profiled) run. */
  wallMs: number;
  /** Sum of the kernel times the backend's timer gives (GPU timestamps on WebGPU), null when it gives none. */
  kernelMs: number | null;
  /** Of kernelMs, the time in matrix multiplies. */
  matmulMs: number | null;
  /** The kernels that took longest (by count when there are no times), per unit. */
  top: { name: string; ms: number | null; count: number }[];
  /** The kernel and input-shape pairs that took longest, per unit (empty without kernel times). */
  heaviest?: { name: string; shapes: string; ms: number; count: number }[];
  /** The matmuls run, by shapes, per unit: what the floor (bench-floor.ts) times alone. */
  matmuls?: MatmulShape[];
}

/** One matmul shape of a unit of work (a training step), with how often the unit runs it. */
export interface MatmulShape {
  /** The two operands' shapes and the product's, as the profile saw them. */
  a: number[];
  b: number[];
  out: number[];
  count: number;
}

/** The floor of one unit of work (bench-floor.ts) and the rate it assumes. */
export interface Floor {
  floorMs: number;
  /** Floating-point operations of the unit's matmuls (multiply and add counted apart), in billions. */
  gflop: number;
  /** The rate the shapes reached alone, each timed on its own: gflop / floorMs, per second. */
  gflopsPerSecond: number;
}

/** A figure's samples (bench-stats.ts's Spread, repeated here so this file imports nothing). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The machine and runtime a row ran on, so rows from different places are not compared blindly. */
export interface BenchEnvironment {
  /** Logical cores (navigator.hardwareConcurrency or os.cpus()). */
  cores: number;
  /** The CPU's model where the realm can tell (Node), else null. */
  cpu: string | null;
  /** The page's or worker's crossOriginIsolated; null in Node, which has no such thing. */
  crossOriginIsolated: boolean | null;
  /** The threads the backend reports it runs with (wasm's getThreadsCount, torch.get_num_threads()); null where it reports none. */
  threads: number | null;
  /** The PyTorch build (`torch.__version__`) for a pytorch row, else null. */
  torch: string | null;
}

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
  /** The first of the timed loads (a fresh upload), and the first greedy answer after training (decoding's kernels not yet run): with the backend's start, the cold first answer. */
  firstLoadMs?: number;
  firstGreedyAnswerMs?: number;
  /** Each timed figure's samples: median, lowest, highest, count. */
  spread?: { trainStepMs: Spread; greedyMsPerToken: Spread; beam5MsPerAnswer: Spread };
  /** The rows measured in the same alternating rounds as this one (bench-stats.ts), by label. */
  alternatedWith?: string[];
  /** The training step's floor: its matmuls alone at this backend's rate (bench-floor.ts); null when not measured. */
  floorMs?: number | null;
  floor?: Floor | null;
  /** Where the row ran. */
  environment?: BenchEnvironment;
  /** tf.memory().numTensors before the row and after our model's part (before the baseline, which keeps tensors of its own): equal when nothing leaks. */
  tensorsBefore: number;
  tensorsAfter: number;
  bytesAfter: number;
  /** The tf.layers.lstm model of the same size on the same backend, or null when not run. */
  baseline: {
    parameters: number;
    trainStepMs: number;
    greedyMsPerToken: number;
    trainStepProfile?: WorkProfile | null;
  } | null;
  /**
   * On SwiftShader, where `baseline` runs on the project's direct matmul and reductions too: the
   * same tf.layers.lstm model on stock tfjs kernels. Null or absent elsewhere.
   */
  stockBaseline?: { trainStepMs: number; greedyMsPerToken: number } | null;
  /** What limits the figures: one training step and one greedy token, or null when not profiled. */
  profile?: { trainStep: WorkProfile; greedyToken: WorkProfile } | null;
  /** backend `pytorch` (src/cli/bench-pytorch.ts): the torch version and threads that ran it. */
  pytorch?: { torch: string; threads: number };
  /** Why the row has no figures (e.g. torch is not installed); its numbers are NaN. */
  missing?: string;
}

/** A row with where it ran in the browser ("page" or "worker"); Node rows have no place. */
export type PlacedBenchRow = BenchRow & { place?: string };

const fixed = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–'); // NaN: not measured

/** "1393.2 (1350.1–1420.7)": the median, and the range of its samples when there are several. */
function spreadText(value: number, spread: Spread | undefined, digits: number): string {
  if (!spread || spread.n < 2) return fixed(value, digits);
  return `${fixed(value, digits)} (${fixed(spread.min, digits)}–${fixed(spread.max, digits)})`;
}

/** "412.0 (3.38×)": the step's floor and how many floors the step takes. */
function floorText(r: BenchRow): string {
  if (r.floorMs === null || r.floorMs === undefined) return '–';
  return `${fixed(r.floorMs)} (${fixed(r.trainStepMs / r.floorMs, 2)}×)`;
}

/**
 * The rows measured in the same alternating rounds, as ratios: each later row's figures divided by
 * the first row's (above 1: the first row is faster). One line per pair, same preset and place.
 */
export function formatComparisons(rows: PlacedBenchRow[]): string {
  const lines: string[] = [];
  rows.forEach((first, i) => {
    for (const other of rows.slice(i + 1)) {
      if (other.preset !== first.preset || other.place !== first.place) continue;
      if (!first.alternatedWith?.includes(other.backend) && !(first.alternatedWith ?? []).includes(labelOf(other)))
        continue;
      const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${fixed(a / b, 2)}×` : '–');
      lines.push(
        `| ${first.preset} | ${first.place ?? '–'} | ${labelOf(other)} ÷ ${labelOf(first)} | ${ratio(other.trainStepMs, first.trainStepMs)} | ${ratio(other.greedyMsPerToken, first.greedyMsPerToken)} | ${ratio(other.beam5MsPerAnswer, first.beam5MsPerAnswer)} |`,
      );
    }
  });
  if (lines.length === 0) return '';
  return [
    '| model | place | ratio | train step | greedy per token | beam-5 per answer |',
    '|---|---|---|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

/** A row's label in comparisons: its backend, with its thread count where rows differ by threads. */
export function labelOf(r: BenchRow): string {
  const threads = r.environment?.threads;
  return threads ? `${r.backend}, ${threads} thread${threads === 1 ? '' : 's'}` : r.backend;
}

/** The Markdown table of the Node bench; with a "place" column when any row has one. */
export function formatTable(rows: PlacedBenchRow[]): string {
  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–'); // NaN: not measured on this backend
  const backendLabel = (r: BenchRow) =>
    r.pytorch
      ? `pytorch ${r.pytorch.torch}, ${r.pytorch.threads} thread${r.pytorch.threads === 1 ? '' : 's'}`
      : r.backend;
  const placed = rows.some((r) => r.place !== undefined);
  const head = [
    'model',
    'backend',
    ...(placed ? ['place'] : []),
    'threads',
    'train step ms (min–max)',
    'floor ms (step ÷ floor)',
    'tokens/s',
    'greedy ms/token (min–max)',
    'beam-5 ms/answer (min–max)',
    'load ms',
    'tensors before→after',
    'layers.lstm step ms (ratio)',
    'layers.lstm greedy ms/token (ratio)',
  ];
  const align = ['---', '---', ...(placed ? ['---'] : []), ...Array.from({ length: 10 }, () => '---:')];
  const lines = [`| ${head.join(' | ')} |`, `|${align.join('|')}|`];
  for (const r of rows) {
    const b = r.baseline;
    if (r.missing !== undefined) {
      lines.push(`| ${r.preset} | ${r.backend} | ${placed ? `${r.place ?? '–'} | ` : ''}missing: ${r.missing} |`);
      continue;
    }
    lines.push(
      `| ${r.preset} (${r.parameters.toLocaleString('en-US')} params) | ${backendLabel(r)} | ${placed ? `${r.place ?? '–'} | ` : ''}${r.environment?.threads ?? '–'} | ${spreadText(r.trainStepMs, r.spread?.trainStepMs, 1)} | ${floorText(r)} | ${f(r.tokensPerSecond, 0)} | ${spreadText(r.greedyMsPerToken, r.spread?.greedyMsPerToken, 2)} | ${spreadText(r.beam5MsPerAnswer, r.spread?.beam5MsPerAnswer, 1)} | ${f(r.loadMs)} | ${r.tensorsBefore}→${r.tensorsAfter} | ` +
        (b
          ? `${f(b.trainStepMs)} (${f(b.trainStepMs / r.trainStepMs, 2)}×) | ${f(b.greedyMsPerToken, 2)} (${f(b.greedyMsPerToken / r.greedyMsPerToken, 2)}×) |`
          : '– | – |'),
    );
  }
  const stock = rows.filter((r) => r.stockBaseline);
  if (stock.length > 0) {
    lines.push(
      '',
      "On SwiftShader the layers.lstm columns above run on the project's direct matmul and reductions too (like for like). The same model on stock tfjs kernels:",
      '',
      '| model | backend | place | train step ms | stock layers.lstm step ms (ratio) | greedy ms/token | stock layers.lstm greedy ms/token (ratio) |',
      '|---|---|---|---:|---:|---:|---:|',
    );
    for (const r of stock) {
      const s = r.stockBaseline!;
      lines.push(
        `| ${r.preset} | ${r.backend} | ${r.place ?? '–'} | ${f(r.trainStepMs)} | ${f(s.trainStepMs)} (${f(s.trainStepMs / r.trainStepMs, 2)}×) | ${f(r.greedyMsPerToken, 2)} | ${f(s.greedyMsPerToken, 2)} (${f(s.greedyMsPerToken / r.greedyMsPerToken, 2)}×) |`,
      );
    }
  }
  return lines.join('\n');
}

/** The Markdown table of what limits each figure: one row per bench row and unit of work. */
export function formatProfileTable(rows: PlacedBenchRow[]): string {
  const f = (v: number | null, d = 1) => (v === null ? '–' : v.toFixed(d));
  const lines = [
    '| model | backend | place | work | kernels | GPU dispatches | reads back (bytes) | wall ms | kernel ms | matmul share | top kernels |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    if (!r.profile) continue;
    const works: Array<[string, WorkProfile]> = [
      ['train step', r.profile.trainStep],
      ['greedy token', r.profile.greedyToken],
    ];
    if (r.baseline?.trainStepProfile) works.push(['layers.lstm train step', r.baseline.trainStepProfile]);
    for (const [work, p] of works) {
      const share = p.kernelMs && p.matmulMs !== null ? `${((p.matmulMs / p.kernelMs) * 100).toFixed(0)}%` : '–';
      const top = p.top
        .map((k) => (k.ms === null ? `${k.name} ×${f(k.count, 0)}` : `${k.name} ${f(k.ms)} ms ×${f(k.count, 0)}`))
        .join(', ');
      lines.push(
        `| ${r.preset} | ${r.backend} | ${r.place ?? '–'} | ${work} | ${f(p.kernels, 0)} | ${f(p.dispatches, 0)} | ${f(p.readbacks, 1)} (${f(p.bytesReadBack, 0)}) | ${f(p.wallMs)} | ${f(p.kernelMs)} | ${share} | ${top} |`,
      );
    }
  }
  const heavy = rows.flatMap((r) => {
    if (!r.profile) return [];
    const works: Array<[string, WorkProfile | undefined]> = [
      ['train step', r.profile.trainStep],
      ['greedy token', r.profile.greedyToken],
      ['layers.lstm train step', r.baseline?.trainStepProfile ?? undefined],
    ];
    return works.flatMap(([work, p]) =>
      (p?.heaviest ?? []).map(
        (k) =>
          `| ${r.preset} | ${r.backend} | ${r.place ?? '–'} | ${work} | ${k.name} | ${k.shapes} | ${f(k.ms)} | ${f(k.count, 0)} |`,
      ),
    );
  });
  if (heavy.length > 0) {
    lines.push(
      '',
      'Heaviest kernels by input shapes (per unit of work):',
      '',
      '| model | backend | place | work | kernel | input shapes | ms | count |',
      '|---|---|---|---|---|---|---:|---:|',
      ...heavy,
    );
  }
  return lines.join('\n');
}
