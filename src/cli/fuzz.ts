// `fuzz` (docs/design.md#command-line): seeded bad inputs for each surface, each case run through the code
// the app and the CLI use, each outcome counted. Cases run in a worker thread: one that takes more
// than HANG_MS is counted hung, the thread is terminated and a fresh one goes on with the next case.
import { parseArgs } from 'node:util';
import { OUTCOMES, SURFACE_NAMES, type Outcome, type SurfaceName } from '../fuzz/case';
import type { CaseResult } from '../fuzz/surfaces';
import { FuzzRunner } from './fuzz-runner';
import { DEFAULT_MODEL_DIR } from './model-dir';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- fuzz [--surface weights|config|tokenizer|jsonl|code|protocol|all] [--cases N] [--seed S] [--case K] [--json] [--verbose] [--models DIR]
  Feeds N generated bad inputs (default 10000) to each surface and counts how each was handled:
  refused (one of our errors, naming the problem), accepted (valid after all, checked), crashed
  (any other error, or a malformed answer), hung (over 10 s) or leaked (tensors left behind).
  --case K replays case K of the surface(s) and prints its verdict. Exit 1 if anything crashed, hung or leaked.`;

export type Counts = Record<'tried' | Outcome, number>;
export interface FuzzReport {
  surfaces: Partial<Record<SurfaceName, Counts>>;
  seed: number;
  seconds: number;
  /** Set when the run was stopped (SIGINT/SIGTERM) before every case ran: the counts are of the cases that did. */
  interrupted?: true;
}

function table(report: FuzzReport): string {
  const head = ['surface', 'tried', ...OUTCOMES];
  const rows = Object.entries(report.surfaces).map(([name, c]) => [
    name,
    String(c.tried),
    ...OUTCOMES.map((o) => String(c[o])),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
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
  if (!surfaces.every((s) => (SURFACE_NAMES as readonly string[]).includes(s)))
    throw new UsageError(`unknown surface "${values.surface}": use ${SURFACE_NAMES.join(', ')} or all`);
  const integer = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer of at least ${min}, found "${text}"`);
    return n;
  };
  const seed = integer('seed', values.seed!, 0);
  const single = values.case === undefined ? null : integer('case', values.case, 0);
  const indices = single === null ? Array.from({ length: integer('cases', values.cases!, 1) }, (_, i) => i) : [single];
  const started = performance.now();
  const report: FuzzReport = { surfaces: {}, seed, seconds: 0 };
  // A long run stopped early still says what it tried.
  const stopEarly = () => {
    report.seconds = (performance.now() - started) / 1000;
    report.interrupted = true;
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${table(report)}\n(interrupted)\n`);
    process.exit(1);
  };
  process.once('SIGINT', stopEarly);
  process.once('SIGTERM', stopEarly);
  const failures: CaseResult[] = [];
  const runner = new FuzzRunner({
    seed,
    modelsDir: values.models!,
    backend: values.backend ?? null,
    withShippedModel: surfaces.includes('code'),
  });
  for (const surface of surfaces) {
    const counts: Counts = { tried: 0, refused: 0, accepted: 0, crashed: 0, hung: 0, leaked: 0 };
    report.surfaces[surface] = counts;
    const surfaceStarted = performance.now();
    await runner.runSurface(surface, indices, (result) => {
      counts.tried++;
      counts[result.outcome]++;
      if (counts.tried % 1000 === 0)
        process.stderr.write(
          `${surface}: ${counts.tried} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
        );
      if (result.outcome === 'crashed' || result.outcome === 'hung' || result.outcome === 'leaked')
        failures.push(result);
      if (single !== null || values.verbose) {
        process.stderr.write(
          `${surface} case ${result.index}: ${result.outcome} (${result.ms.toFixed(0)} ms) ${result.mutation}\n  ${result.detail.slice(0, 2000)}\n`,
        );
      }
    });
    if (!values.json && single === null)
      process.stderr.write(
        `${surface}: ${counts.tried} cases in ${((performance.now() - surfaceStarted) / 1000).toFixed(1)} s\n`,
      );
  }
  await runner.close();
  report.seconds = (performance.now() - started) / 1000;
  for (const f of failures.slice(0, 50)) {
    process.stderr.write(
      `${f.outcome}: ${f.surface} case ${f.index} (replay: npm run cli -- fuzz --surface ${f.surface} --seed ${seed} --case ${f.index}): ${f.mutation}: ${f.detail.slice(0, 500)}\n`,
    );
  }
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${table(report)}\n`);
  return failures.length > 0 ? 1 : 0;
}
