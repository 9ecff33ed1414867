// The bench in the browser, not a test: runs only with MEASURE=1 (playwright.config.ts matches
// *.measure.ts then), after `vite build`:  MEASURE=1 npx playwright test e2e/bench.measure.ts
// Each backend (webgpu, webgl, wasm, cpu) in the page and in a worker on the tiny preset, and wasm
// also on the seed preset (seed elsewhere takes many minutes on SwiftShader). A row that fails or
// outlives its time limit is recorded as failed with its reason; the others still run. Writes
// bench-results/browser.json and bench-results/browser.md after every row, so a stopped run keeps
// what it measured. BENCH_BACKENDS=wasm,cpu picks backends, BENCH_PLACES=worker the places,
// BENCH_RUNS=N the timed runs (3), BENCH_PRESETS=tiny,seed the presets on every backend.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test, type Browser } from '@playwright/test';
import type { BenchPlace, BenchResult } from '../dev/bench/bench-protocol';
import { BENCH_SHAPE, formatProfileTable, formatTable, type PlacedBenchRow } from '../src/bench/bench-table';

const OUT_DIR = 'bench-results';
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
// The fast backends first: a run stopped early still has them.
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu,webgpu,webgl').split(',');
const PLACES = (process.env.BENCH_PLACES ?? 'page,worker').split(',') as BenchPlace[];
const MINUTE = 60_000;

interface PlannedRow {
  backend: string;
  preset: 'tiny' | 'seed';
  place: BenchPlace;
  /** SwiftShader compiles every WebGPU and WebGL program on the CPU: a first train step takes minutes. */
  limitMs: number;
}

interface MeasuredRow {
  backend: string;
  preset: string;
  place: BenchPlace;
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
        rows.push({
          backend,
          preset,
          place,
          limitMs: preset === 'seed' ? SEED_LIMIT_MS : (LIMIT_MS[backend] ?? 15 * MINUTE),
        });
      }
    }
  }
  return rows;
}

const readResult = (result: unknown) => result as BenchResult | undefined;

/** Opens bench.html for one row in a fresh context and waits for it to finish or run out of time. */
async function measureRow(browser: Browser, planned: PlannedRow): Promise<MeasuredRow> {
  const { backend, preset, place, limitMs } = planned;
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
    await page.goto(
      `/bench.html?backend=${backend}&preset=${preset}&runs=${RUNS}&where=${place}&baseline=1&stock=${stockBaseline(preset) ? 1 : 0}`,
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
      backend,
      preset,
      place,
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
      backend,
      preset,
      place,
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
    `${JSON.stringify({ created: new Date().toISOString(), machine, ...BENCH_SHAPE, runs: RUNS, rows: sorted }, null, 1)}\n`,
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
    console.log(`bench ${planned.preset} on ${planned.backend} in the ${planned.place}…`);
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
