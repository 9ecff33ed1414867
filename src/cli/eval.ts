// `eval`: the metrics (docs/design.md#metrics) on a JSONL file, as one JSON object (docs/design.md#command-line).
import { parseArgs } from 'node:util';
import { FIX_TUNING, MODES, type Mode } from '../model';
import { evaluateModelOnFile } from './evaluate-file';
import type { MetricSet } from '../train/evaluate';
import { initNodeBackend } from '../platform/node/node';
import { DEFAULT_MODEL_DIR, readModelDir } from './model-dir';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- eval --data FILE.jsonl [--mode convergent|divergent|hybrid|all] [--models DIR]
                            [--limit N] [--where FIELD=VALUE]... [--backend wasm|cpu] [--without-model] [--json]
  Runs the model on every line {"task", "input", "target", "class"?, ...} and prints count, exact_match,
  token_accuracy, no_harm_rate, parse_rate, candidate_recall (fix of a text with a bug: the target is
  among the answer's candidates that compile) with by_task, by_mode and by_class breakdowns, and by_field
  per other field of the lines (the outside sets' kind, size, recoverable, half), beside the copy
  baseline (the input returned unchanged). Bad lines are reported as FILE:LINE: reason on stderr and
  skipped; the rest is evaluated. --where half=report keeps the lines whose field has that value
  (repeatable; class and task count as fields); --limit N evaluates the first N lines kept.
  --without-model: the convergent fix search ranks its candidates by edit size and distance to the
  error alone (no beams, no scores), to show what the model adds.
  Generate answers also give trivial_rate (bodies that are only a placeholder: pass, a bare return,
  a constant or a parameter returned, raise NotImplementedError), token_f1 (the body's tokens against
  the real body's) and all_params_used_rate (bodies that read every parameter but self/cls).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      mode: { type: 'string', default: 'convergent' },
      models: { type: 'string', default: DEFAULT_MODEL_DIR },
      limit: { type: 'string' },
      where: { type: 'string', multiple: true, default: [] },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
      'without-model': { type: 'boolean', default: false },
    },
  });
  if (!values.data) throw new UsageError('give the examples with --data FILE.jsonl');
  const modes: Mode[] =
    values.mode === 'all' ? [...MODES] : MODES.includes(values.mode as Mode) ? [values.mode as Mode] : [];
  if (modes.length === 0)
    throw new UsageError(`unknown mode "${values.mode}": use convergent, divergent, hybrid or all`);
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (!(limit >= 1)) throw new UsageError(`--limit must be a positive integer, got ${JSON.stringify(values.limit)}`);

  const where = values.where!.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--where takes FIELD=VALUE, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  });

  FIX_TUNING.withoutModel = values['without-model'] === true;
  await initNodeBackend(values.backend ?? null);
  const { report, skipped, backend } = await evaluateModelOnFile(readModelDir(values.models!), values.data, {
    modes,
    limit,
    where,
    asEval: true,
    onProblem: (line) => process.stderr.write(`${line}\n`),
    onProgress: (done, total) => !values.json && done % 25 === 0 && process.stderr.write(`  ${done}/${total}\n`),
  });
  const result = { ...report, skipped, data: values.data, backend };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  } else {
    const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
    process.stdout.write(
      `${report.count} answers: exact match ${pct(report.exact_match)}, token accuracy ${pct(report.token_accuracy)}, ` +
        `no-harm ${pct(report.no_harm_rate)}, parse ${pct(report.parse_rate)}${report.candidate_recall === undefined ? '' : `, candidate recall ${pct(report.candidate_recall)}`}; copy baseline exact match ${pct(report.copy_baseline.exact_match)}; ` +
        `${skipped} lines skipped\n`,
    );
    for (const [mode, m] of Object.entries(report.by_mode))
      process.stdout.write(`  ${mode.padEnd(10)} exact match ${pct(m.exact_match)}\n`);
    const generate = report.by_task.generate;
    if (generate?.trivial_rate !== undefined)
      process.stdout.write(
        `  generate   ${generate.count} answers: compiles ${pct(generate.parse_rate)}, placeholder bodies ${pct(generate.trivial_rate)}, ` +
          `token F1 ${pct(generate.token_f1 ?? null)}, every parameter read ${pct(generate.all_params_used_rate ?? null)}\n`,
      );
    const recall = (m: MetricSet) =>
      m.candidate_recall === undefined ? '' : `, candidate recall ${pct(m.candidate_recall)}`;
    const groups = [
      ...Object.entries(report.by_class).map(([value, m]) => [`class=${value}`, m] as const),
      ...Object.entries(report.by_field ?? {}).flatMap(([field, byValue]) =>
        Object.entries(byValue).map(([value, m]) => [`${field}=${value}`, m] as const),
      ),
    ];
    for (const [group, m] of groups)
      process.stdout.write(
        `  ${group.padEnd(20)} ${m.count} answers, exact match ${pct(m.exact_match)}, no-harm ${pct(m.no_harm_rate)}${recall(m)}\n`,
      );
  }
  return 0;
}
