// The bench in the browser, not a test: runs only with MEASURE=1 (playwright.config.ts matches
// *.measure.ts then), after `vite build`:  MEASURE=1 npx playwright test e2e/bench.measure.ts
// Each backend (webgpu, webgl, wasm, cpu) in the page and in a worker on the tiny preset, and wasm
// also on the seed preset (seed elsewhere takes many minutes on SwiftShader). A row that fails or
// outlives its time limit is recorded as failed with its reason; the others still run. Writes
// bench-results/browser.json and bench-results/browser.md after every row, so a stopped run keeps
// what it measured. BENCH_BACKENDS=wasm,cpu picks backends, BENCH_PLACES=worker the places,
// BENCH_RUNS=N the timed runs (3), BENCH_PRESETS=tiny,seed the presets on every backend.
// wasm runs on 1 thread and on all (BENCH_THREADS=1,all; "all" is the machine's cores), the two
// alternating row by row; BENCH_REPEATS=N runs each such pair N times, in flipping order
// (bench-stats.ts), and browser.md gives the medians over the repeats and their ratio.
// BENCH_BASELINE=0 and BENCH_PROFILE=0 leave out tf.layers.lstm and the profile (and floor).
import { mkdirSync, writeFileSync } from 'node:fs';
import { test, type Browser } from '@playwright/test';
import type { BenchPlace, BenchResult } from '../dev/bench/bench-protocol';
import { BENCH_SHAPE, formatProfileTable, formatTable, type PlacedBenchRow } from '../src/bench/bench-table';
import { median, roundOrder } from '../src/bench/bench-stats';

const OUT_DIR = 'bench-results';
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
// The fast backends first: a run stopped early still has them.
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu,webgpu,webgl').split(',');
const PLACES = (process.env.BENCH_PLACES ?? 'page,worker').split(',') as BenchPlace[];
const MINUTE = 60_000;
/** wasm's thread counts: a number, or "all" for the machine's cores (bench.html's default). */
const THREADS = (process.env.BENCH_THREADS ?? '1,all').split(',');
const REPEATS = Number(process.env.BENCH_REPEATS ?? '1');
const BASELINE = process.env.BENCH_BASELINE !== '0';
const PROFILE = process.env.BENCH_PROFILE !== '0';

interface PlannedRow {
  backend: string;
  preset: 'tiny' | 'seed';
  place: BenchPlace;
  /** wasm's thread count as asked ("all": bench.html's default); null on other backends. */
  threads: string | null;
  /** SwiftShader compiles every WebGPU and WebGL program on the CPU: a first train step takes minutes. */
  limitMs: number;
}

/** browser.json's row: the figures flat, then how the row went and bench.html's whole result. */
interface MeasuredRow {
  backend: string;
  preset: string;
  place: BenchPlace;
  /** The threads the backend reported (null: not wasm, or the row failed before it started). */
  threads: number | null;
  crossOriginIsolated: boolean | null;
  trainStepMs: number | null;
  greedyMsPerToken: number | null;
  beam5MsPerAnswer: number | null;
  /** Backend start, the first model upload and the first 20-token greedy answer, added up. */
  firstAnswerColdMs: number | null;
  /** A greedy answer of 20 tokens once everything is warm (the median). */
  firstAnswerWarmMs: number | null;
  status: 'done' | 'failed';
  error: string | null;
  /** The phase it was in when it failed or ran out of time. */
  phase: string;
  wallMs: number;
  result: BenchResult | null;
}

const LIMIT_MS: Record<string, number> = { webgpu: 15 * MINUTE, webgl: 15 * MINUTE, wasm: 4 * MINUTE, cpu: 8 * MINUTE };
/** BENCH_SEED_MINUTES=N gives a seed row longer (seed on WebGPU profiles for many minutes). */
const SEED_LIMIT_MS = Number(process.env.BENCH_SEED_MINUTES ?? '12') * MINUTE;

/**
 * On SwiftShader, tf.layers.lstm also on stock tfjs kernels: by default for tiny only (at seed size
 * stock tfjs takes most of an hour); BENCH_STOCK=1 for every preset, BENCH_STOCK=0 for none.
 */
function stockBaseline(preset: string): boolean {
  return process.env.BENCH_STOCK === '1' || (process.env.BENCH_STOCK !== '0' && preset === 'tiny');
}

/** BENCH_PRESETS=tiny,seed runs those presets on every backend chosen (seed on WebGPU takes minutes). */
const PRESETS = process.env.BENCH_PRESETS?.split(',') as Array<'tiny' | 'seed'> | undefined;

function plannedRows(): PlannedRow[] {
  const rows: PlannedRow[] = [];
  for (const backend of BACKENDS) {
    for (const place of PLACES) {
      const presets = PRESETS ?? (backend === 'wasm' ? ['tiny', 'seed'] : ['tiny']);
      for (const preset of presets) {
        const limitMs = preset === 'seed' ? SEED_LIMIT_MS : (LIMIT_MS[backend] ?? 15 * MINUTE);
        if (backend !== 'wasm') {
          rows.push({ backend, preset, place, threads: null, limitMs });
          continue;
        }
        // The thread counts compared alternate, in flipping order, repeat by repeat.
        for (let repeat = 0; repeat < REPEATS; repeat++)
          for (const threads of roundOrder(THREADS, repeat)) rows.push({ backend, preset, place, threads, limitMs });
      }
    }
  }
  return rows;
}

const readResult = (result: unknown) => result as BenchResult | undefined;

/** Opens bench.html for one row in a fresh context and waits for it to finish or run out of time. */
async function measureRow(browser: Browser, planned: PlannedRow): Promise<MeasuredRow> {
  const { backend, preset, place, threads, limitMs } = planned;
  const started = Date.now();
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const current = () =>
    Promise.race([
      page.evaluate(() => (globalThis as unknown as { benchResult?: unknown }).benchResult).then(readResult),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000)), // a page too busy to answer
    ]).catch(() => undefined);
  let measured: MeasuredRow;
  try {
    const threadsQuery = threads === null || threads === 'all' ? '' : `&threads=${threads}`;
    await page.goto(
      `/bench.html?backend=${backend}&preset=${preset}&runs=${RUNS}&where=${place}&baseline=${BASELINE ? 1 : 0}&stock=${stockBaseline(preset) ? 1 : 0}&profile=${PROFILE ? 1 : 0}${threadsQuery}`,
    );
    await page.waitForFunction(
      () => {
        const status = (globalThis as unknown as { benchResult?: { status: string } }).benchResult?.status;
        return status === 'done' || status === 'failed';
      },
      undefined,
      { timeout: limitMs, polling: 1000 },
    );
    const result = (await current()) ?? null;
    const status = result?.status === 'done' ? 'done' : 'failed';
    measured = {
      ...figures(backend, preset, place, result),
      status,
      error: result?.error ?? (result ? null : 'the page did not answer'),
      phase: result?.phase ?? '',
      wallMs: Date.now() - started,
      result,
    };
  } catch (error) {
    const result = (await current()) ?? null;
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut
      ? `no result within ${limitMs / MINUTE} min (in phase "${result?.phase ?? 'unknown'}")`
      : error instanceof Error
        ? error.message
        : String(error);
    measured = {
      ...figures(backend, preset, place, result),
      status: 'failed',
      error: [reason, ...pageErrors].join('; '),
      phase: result?.phase ?? '',
      wallMs: Date.now() - started,
      result,
    };
  }
  await context.close().catch(() => {});
  return measured;
}

/** The flat figures of browser.json's row, from bench.html's result (nulls where it has none). */
function figures(backend: string, preset: string, place: BenchPlace, result: BenchResult | null) {
  const row = result?.status === 'done' ? result.row : null;
  const info = result?.backendInfo ?? null;
  const cold =
    row && info && row.firstLoadMs !== undefined && row.firstGreedyAnswerMs !== undefined
      ? info.initMs + row.firstLoadMs + row.firstGreedyAnswerMs
      : null;
  return {
    backend,
    preset,
    place,
    threads: info?.threads ?? null,
    crossOriginIsolated: info?.crossOriginIsolated ?? null,
    trainStepMs: row?.trainStepMs ?? null,
    greedyMsPerToken: row?.greedyMsPerToken ?? null,
    beam5MsPerAnswer: row?.beam5MsPerAnswer ?? null,
    firstAnswerColdMs: cold,
    firstAnswerWarmMs: row ? row.greedyMsPerToken * BENCH_SHAPE.decodeTokens : null,
  };
}

/**
 * The thread counts compared, per preset and place: each count's medians over its repeated rows,
 * and each count's ratio to one thread (above 1: faster than one thread).
 */
function threadsTable(measured: MeasuredRow[]): string[] {
  const done = measured.filter((r) => r.status === 'done' && r.threads !== null && r.trainStepMs !== null);
  const groups = new Map<string, MeasuredRow[]>();
  for (const r of done)
    groups.set(`${r.preset}|${r.place}|${r.threads}`, [
      ...(groups.get(`${r.preset}|${r.place}|${r.threads}`) ?? []),
      r,
    ]);
  const lines: string[] = [];
  for (const [key, rows] of groups) {
    const [preset, place, threads] = key.split('|');
    const one = groups.get(`${preset}|${place}|1`);
    const m = (rs: MeasuredRow[], pick: (r: MeasuredRow) => number | null) => median(rs.map((r) => pick(r)!));
    const speedUp = (pick: (r: MeasuredRow) => number | null) =>
      one ? `${(m(one, pick) / m(rows, pick)).toFixed(2)}×` : '–';
    lines.push(
      `| ${preset} | ${place} | ${threads} | ${rows.length} | ${m(rows, (r) => r.trainStepMs).toFixed(1)} (${speedUp((r) => r.trainStepMs)}) | ${m(rows, (r) => r.greedyMsPerToken).toFixed(2)} (${speedUp((r) => r.greedyMsPerToken)}) | ${m(rows, (r) => r.beam5MsPerAnswer).toFixed(1)} (${speedUp((r) => r.beam5MsPerAnswer)}) | ${m(rows, (r) => r.firstAnswerColdMs).toFixed(0)} | ${m(rows, (r) => r.firstAnswerWarmMs).toFixed(0)} |`,
    );
  }
  if (lines.length === 0) return [];
  return [
    '',
    '## Threads',
    '',
    'wasm on each thread count, rows alternating in flipping order; medians over the repeated rows, and the speed-up over one thread.',
    '',
    '| model | place | threads | rows | train step ms (× 1 thread) | greedy ms/token (× 1 thread) | beam-5 ms/answer (× 1 thread) | first answer cold ms | warm ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
  ];
}

function writeResults(measured: MeasuredRow[]): void {
  const order = (r: MeasuredRow) => [
    ['tiny', 'seed'].indexOf(r.preset),
    ['webgpu', 'webgl', 'wasm', 'cpu'].indexOf(r.backend),
    PLACES.indexOf(r.place),
  ];
  const sorted = [...measured].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
  const machine = sorted.find((r) => r.result?.machine)?.result?.machine ?? 'unknown browser';
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(
    `${OUT_DIR}/browser.json`,
    `${JSON.stringify({ created: new Date().toISOString(), machine, ...BENCH_SHAPE, runs: RUNS, repeats: REPEATS, rows: sorted }, null, 1)}\n`,
  );
  const done: PlacedBenchRow[] = sorted
    .filter((r) => r.status === 'done' && r.result?.row)
    .map((r) => ({ ...r.result!.row!, place: r.place }));
  const failed = sorted.filter((r) => r.status === 'failed');
  const md = [
    '# Bench in the browser',
    '',
    `${new Date().toISOString()} · ${machine}`,
    '',
    `Batch ${BENCH_SHAPE.batch}, sources of ${BENCH_SHAPE.sourceLength} tokens, targets of ${BENCH_SHAPE.targetLength}, vocabulary ${BENCH_SHAPE.vocabSize}; ${RUNS} timed runs after warm-up, medians (as \`npm run cli -- bench\`). Written by e2e/bench.measure.ts from bench.html.`,
    '',
    done.length > 0 ? formatTable(done) : 'No row finished.',
    ...threadsTable(sorted),
    ...(done.some((r) => r.profile)
      ? [
          '',
          '## What limits each figure',
          '',
          'Per training step and per greedy token: tfjs kernels, GPU programs dispatched (WebGPU), reads back to the CPU, wall time, the time the backend times its kernels (GPU timestamps on WebGPU, when the adapter has them) and the share in matrix multiplies (bench-profile.ts).',
          '',
          formatProfileTable(done),
        ]
      : []),
    ...(failed.length > 0
      ? [
          '',
          '## Failed rows',
          '',
          ...failed.map(
            (r) =>
              `- ${r.preset} on ${r.backend} in the ${r.place} (after ${(r.wallMs / 1000).toFixed(0)} s): ${r.error}`,
          ),
        ]
      : []),
    '',
  ].join('\n');
  writeFileSync(`${OUT_DIR}/browser.md`, md);
}

test('measures the bench per backend, in the page and in a worker', async ({ browser }) => {
  const rows = plannedRows();
  test.setTimeout(rows.reduce((sum, r) => sum + r.limitMs + MINUTE, 0));
  const measured: MeasuredRow[] = [];
  for (const planned of rows) {
    const threads = planned.threads === null ? '' : `, threads ${planned.threads}`;
    console.log(`bench ${planned.preset} on ${planned.backend} in the ${planned.place}${threads}…`);
    const row = await measureRow(browser, planned);
    console.log(`  ${row.status} in ${(row.wallMs / 1000).toFixed(0)} s${row.error ? `: ${row.error}` : ''}`);
    measured.push(row);
    writeResults(measured);
  }
  const table = formatTable(measured.filter((r) => r.result?.row).map((r) => ({ ...r.result!.row!, place: r.place })));
  console.log(`${table}\n\nwritten to ${OUT_DIR}/browser.json and ${OUT_DIR}/browser.md`);
  test.info().annotations.push({
    type: 'figures',
    description: JSON.stringify(measured.map((r) => ({ ...r, result: r.result?.row ?? null }))),
  });
});
