// `fuzz` (DESIGN.md section 7): seeded bad inputs for each surface, each case run through the code
// the app and the CLI use, each outcome counted. Cases run in a worker thread: one that takes more
// than HANG_MS is counted hung, the thread is terminated and a fresh one goes on with the next case.
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { OUTCOMES, SURFACE_NAMES, type Outcome, type SurfaceName } from '../fuzz/case';
import type { CaseResult } from '../fuzz/surfaces';
import type { FromWorker, ToWorker, WorkerSetup } from './fuzz-worker';
import { DEFAULT_MODEL_DIR } from './model-dir';
import { UsageError } from './main';

export const usage = `usage: npm run cli -- fuzz [--surface weights|config|tokenizer|jsonl|code|protocol|all] [--cases N] [--seed S] [--case K] [--json] [--verbose] [--models DIR]
  Feeds N generated bad inputs (default 10000) to each surface and counts how each was handled:
  refused (one of our errors, naming the problem), accepted (valid after all, checked), crashed
  (any other error, or a malformed answer), hung (over 10 s) or leaked (tensors left behind).
  --case K replays case K of the surface(s) and prints its verdict. Exit 1 if anything crashed, hung or leaked.`;

export const HANG_MS = 10_000;
/** tsx does not register its loader in worker threads: the thread registers it, then imports the TypeScript. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./fuzz-worker.ts', import.meta.url).href)}); })`;
const STARTUP_MS = 120_000;

export type Counts = Record<'tried' | Outcome, number>;
export interface FuzzReport {
  surfaces: Partial<Record<SurfaceName, Counts>>;
  seed: number;
  seconds: number;
}

/** Runs the cases of one surface; `onResult` sees every case, hung ones included. */
export async function runSurface(surface: SurfaceName, indices: number[], setup: WorkerSetup, onResult: (r: CaseResult) => void): Promise<void> {
  let remaining = [...indices];
  while (remaining.length > 0) {
    remaining = await new Promise<number[]>((resolve, reject) => {
      const worker = new Worker(WORKER_BOOT, { eval: true, workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 3072 } });
      let current: { index: number; since: number; mutation: string } | null = null;
      let left = [...remaining];
      const started = Date.now();
      const finish = (rest: number[]) => {
        clearInterval(watch);
        void worker.terminate();
        resolve(rest);
      };
      const watch = setInterval(() => {
        if (current && Date.now() - current.since > HANG_MS) {
          onResult({ surface, index: current.index, outcome: 'hung', mutation: current.mutation, detail: `no result after ${HANG_MS / 1000} s; the thread was terminated`, ms: Date.now() - current.since });
          finish(left.filter((i) => i !== current!.index));
        } else if (!current && Date.now() - started > STARTUP_MS && left.length === remaining.length) {
          clearInterval(watch);
          void worker.terminate();
          reject(new Error(`the fuzz thread did not start within ${STARTUP_MS / 1000} s`));
        }
      }, 250);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') worker.postMessage({ surface, indices: left } satisfies ToWorker);
        else if (message.type === 'start') current = { index: message.index, since: Date.now(), mutation: '' };
        else if (message.type === 'note') {
          if (current) current.mutation = message.mutation;
        }
        else if (message.type === 'result') {
          current = null;
          left = left.filter((i) => i !== message.result.index);
          onResult(message.result);
        } else if (message.type === 'idle') finish([]);
        else if (message.type === 'fatal') {
          clearInterval(watch);
          void worker.terminate();
          reject(new Error(`the fuzz thread failed to start: ${message.message}`));
        }
      });
      worker.on('error', (error) => {
        // An error that kills the thread is the running case's crash; go on after it.
        if (current) {
          onResult({ surface, index: current.index, outcome: 'crashed', mutation: current.mutation, detail: `the thread died: ${error.name}: ${error.message}`, ms: Date.now() - current.since });
          finish(left.filter((i) => i !== current!.index));
        } else {
          clearInterval(watch);
          reject(error);
        }
      });
    });
  }
}

function table(report: FuzzReport): string {
  const head = ['surface', 'tried', ...OUTCOMES];
  const rows = Object.entries(report.surfaces).map(([name, c]) => [name, String(c.tried), ...OUTCOMES.map((o) => String(c[o]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line), '', `seed ${report.seed}, ${report.seconds.toFixed(1)} s`].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      surface: { type: 'string', default: 'all' },
      cases: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      case: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      models: { type: 'string', default: DEFAULT_MODEL_DIR },
      backend: { type: 'string' },
    },
  });
  const surfaces: SurfaceName[] = values.surface === 'all' ? [...SURFACE_NAMES] : [values.surface as SurfaceName];
  if (!surfaces.every((s) => (SURFACE_NAMES as readonly string[]).includes(s))) throw new UsageError(`unknown surface "${values.surface}": use ${SURFACE_NAMES.join(', ')} or all`);
  const integer = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}, found "${text}"`);
    return n;
  };
  const seed = integer('seed', values.seed!, 0);
  const single = values.case === undefined ? null : integer('case', values.case, 0);
  const indices = single === null ? Array.from({ length: integer('cases', values.cases!, 1) }, (_, i) => i) : [single];
  const started = performance.now();
  const report: FuzzReport = { surfaces: {}, seed, seconds: 0 };
  const failures: CaseResult[] = [];
  for (const surface of surfaces) {
    const counts: Counts = { tried: 0, refused: 0, accepted: 0, crashed: 0, hung: 0, leaked: 0 };
    report.surfaces[surface] = counts;
    const surfaceStarted = performance.now();
    const setup: WorkerSetup = { seed, modelsDir: values.models!, backend: values.backend ?? null, withShippedModel: surface === 'code' };
    await runSurface(surface, indices, setup, (result) => {
      counts.tried++;
      counts[result.outcome]++;
      if (result.outcome === 'crashed' || result.outcome === 'hung' || result.outcome === 'leaked') failures.push(result);
      if (single !== null || values.verbose) {
        process.stderr.write(`${surface} case ${result.index}: ${result.outcome} (${result.ms.toFixed(0)} ms) ${result.mutation}\n  ${result.detail.slice(0, 2000)}\n`);
      }
    });
    if (!values.json && single === null) process.stderr.write(`${surface}: ${counts.tried} cases in ${((performance.now() - surfaceStarted) / 1000).toFixed(1)} s\n`);
  }
  report.seconds = (performance.now() - started) / 1000;
  for (const f of failures.slice(0, 50)) {
    process.stderr.write(`${f.outcome}: ${f.surface} case ${f.index} (replay: npm run cli -- fuzz --surface ${f.surface} --seed ${seed} --case ${f.index}): ${f.mutation}: ${f.detail.slice(0, 500)}\n`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${table(report)}\n`);
  return failures.length > 0 ? 1 : 0;
}
