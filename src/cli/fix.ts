// `fix`: reads code on standard input and prints the model's answer (DESIGN.md section 7).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { load, MODES, type Mode, type Task } from '../model/index';
import { initNodeBackend } from '../platform/node';
import { DEFAULT_MODEL_DIR, readModelDir } from './model-dir';
import { UsageError } from './main';

export const usage = `usage: npm run cli -- fix [--task fix|complete|generate] [--mode convergent|divergent|hybrid] [--models DIR] [--backend wasm|cpu] [--json] < code.py
  Prints the answer: the repaired function (fix), the next line (complete) or the function (generate).
  --json prints the whole answer: candidates with log-probabilities, copy probabilities, timing.`;

const TASKS: readonly Task[] = ['fix', 'complete', 'generate'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      task: { type: 'string', default: 'fix' },
      mode: { type: 'string', default: 'convergent' },
      models: { type: 'string', default: DEFAULT_MODEL_DIR },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!TASKS.includes(values.task as Task)) throw new UsageError(`unknown task "${values.task}": use fix, complete or generate`);
  if (!MODES.includes(values.mode as Mode)) throw new UsageError(`unknown mode "${values.mode}": use convergent, divergent or hybrid`);
  if (process.stdin.isTTY) throw new UsageError('give the code on standard input, e.g. `< code.py`');
  const code = readFileSync(0, 'utf8');
  await initNodeBackend(values.backend ?? null);
  const model = await load(readModelDir(values.models!));
  try {
    for (const warning of model.info.warnings) process.stderr.write(`warning: ${warning}\n`);
    const answer = await model.run({ task: values.task as Task, mode: values.mode as Mode, code });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(answer, null, 1)}\n`);
    } else {
      process.stdout.write(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
      const note = answer.noBug ? 'no bug found' : answer.refinements.length > 0 ? `changed line(s) ${answer.refinements.map((r) => r.changedLine).join(', ')}` : '';
      const cut = answer.input.truncated ? `; input cut to ${answer.input.usedTokens} of ${answer.input.tokens} tokens` : '';
      process.stderr.write(`${values.task}/${values.mode}: ${note}${cut} (${answer.timing.totalMs.toFixed(0)} ms, ${answer.timing.msPerStep.toFixed(1)} ms per decoder step, ${model.info.backend})\n`);
    }
    return 0;
  } finally {
    model.dispose();
  }
}
