// `fix`: reads code on standard input and prints the model's answer (docs/design.md#command-line).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { load, MODES, type Mode, type Task } from '../model';
import { initNodeBackend } from '../platform/node/node';
import { DEFAULT_MODEL_DIR, readModelDir } from './model-dir';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- fix [--task fix|complete|generate] [--mode convergent|divergent|hybrid] [--models DIR] [--backend wasm|cpu] [--json] < code.py
  Prints the answer: the repaired code (fix: a whole file of up to 5,000 lines), the next line
  (complete) or the function (generate). --json prints the whole answer: each edit (line, before,
  after, why) with its candidates, log-probabilities, copy probabilities, timing.
  Exit 0 fixed or no bug; 2 input refused (text that is not Python: "not Python: ..."); 3 the code
  does not parse and no fix that parses was found (input printed unchanged, reason on stderr).`;

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
  if (!TASKS.includes(values.task as Task))
    throw new UsageError(`unknown task "${values.task}": use fix, complete or generate`);
  if (!MODES.includes(values.mode as Mode))
    throw new UsageError(`unknown mode "${values.mode}": use convergent, divergent or hybrid`);
  if (process.stdin.isTTY) throw new UsageError('give the code on standard input, e.g. `< code.py`');
  const code = readFileSync(0, 'utf8');
  await initNodeBackend(values.backend ?? null);
  const model = await load(readModelDir(values.models!));
  try {
    for (const warning of model.info.warnings) process.stderr.write(`warning: ${warning}\n`);
    const answer = await model.run({ task: values.task as Task, mode: values.mode as Mode, code });
    const unfixed = answer.status === 'unfixed';
    if (values.json) {
      process.stdout.write(`${JSON.stringify(answer, null, 1)}\n`);
    } else {
      const text = unfixed ? code : answer.text;
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      for (const edit of answer.edits ?? [])
        process.stderr.write(`line ${edit.line} (${edit.why}): ${edit.before.trim()}  ->  ${edit.after.trim()}\n`);
      const note = answer.noBug
        ? 'no bug found'
        : answer.refinements.length > 0
          ? `changed line(s) ${answer.refinements.map((r) => r.changedLine).join(', ')}`
          : '';
      const cut = answer.input.truncated
        ? `; input cut to ${answer.input.usedTokens} of ${answer.input.tokens} tokens`
        : '';
      process.stderr.write(
        `${values.task}/${values.mode}: ${note}${cut} (${answer.timing.totalMs.toFixed(0)} ms, ${answer.timing.msPerStep.toFixed(1)} ms per decoder step, ${model.info.backend})\n`,
      );
    }
    if (unfixed) {
      const best = answer.candidates
        .slice(0, 3)
        .map((c) =>
          c.changedLine === null
            ? 'no bug'
            : `line ${c.changedLine}: ${c.text.split(/\r?\n/)[c.changedLine - 1]?.trim() ?? ''}`,
        )
        .join('; ');
      process.stderr.write(
        `unfixed: the code does not parse and no candidate edit makes it parse (best tried: ${best}); the input is printed unchanged\n`,
      );
      return 3;
    }
    return 0;
  } finally {
    model.dispose();
  }
}
