// What one syntax check costs (docs/syntax-check.md#cost-per-check), in Node: the median time of
// `checkPythonSyntax` on four texts of the standard library, each accepted and refused.
//
//   npx tsx scripts/bench-syntax-check.ts [--rounds 25] [--json]
//
// To compare two trees, run it in each, alternating, and compare the medians as ratios (the
// machine's load moves single figures by a third). Each round appends a different comment, so the
// check's memory of the last text never answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { checkPythonSyntax } from '../src/model';
import { extractFunctions } from '../src/data/extract';

/** Functions of the standard library in the "30-line function" row. */
const FUNCTIONS = 20;
const FUNCTION_LINES = { min: 28, max: 32 };
/** The two modules joined into the long file (about 5,000 lines). */
const LONG_FILE_MODULES = ['typing.py', 'shutil.py'];
/** Appended to a text to refuse it: a grammar error on its last line. */
const GRAMMAR_ERROR = '\nif x == 1\n    pass\n';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function stdlibDir(): string {
  const python = process.env.PYTHON ?? 'python3';
  return execFileSync(python, ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], {
    encoding: 'utf8',
  }).trim();
}

/** Milliseconds per check of each text, the median over rounds. */
function timeChecks(texts: readonly string[], rounds: number, expectOk: boolean): number {
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (const text of texts) {
      const check = checkPythonSyntax(`${text}\n# round ${round}\n`);
      if (check.ok !== expectOk) throw new Error(`the check ${expectOk ? 'refused' : 'accepted'} a bench text`);
    }
    perRound.push((performance.now() - start) / texts.length);
  }
  return median(perRound);
}

function main(): void {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const dir = stdlibDir();
  const typing = readFileSync(join(dir, 'typing.py'), 'utf8');
  const functions = extractFunctions(typing, 'typing.py', { maxTokens: Number.POSITIVE_INFINITY })
    .map((f) => f.text)
    .filter((t) => {
      const lines = t.split('\n').length;
      return lines >= FUNCTION_LINES.min && lines <= FUNCTION_LINES.max;
    })
    .slice(0, FUNCTIONS);
  const longFile = LONG_FILE_MODULES.map((m) => readFileSync(join(dir, m), 'utf8')).join('\n');
  // One untimed round of each, so that the first row does not pay for compiling the check.
  timeChecks(functions, 1, true);
  timeChecks([longFile + GRAMMAR_ERROR], 1, false);
  const rows = [
    { text: '30-line function', ms: timeChecks(functions, rounds * 5, true) },
    {
      text: '30-line function, refused at its end',
      ms: timeChecks(
        functions.map((f) => f + GRAMMAR_ERROR),
        rounds * 5,
        false,
      ),
    },
    { text: `${longFile.split('\n').length}-line file`, ms: timeChecks([longFile], rounds, true) },
    { text: 'the same file, refused at its end', ms: timeChecks([longFile + GRAMMAR_ERROR], rounds, false) },
  ];
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ rounds, functions: functions.length, rows }, null, 1)}\n`);
    return;
  }
  for (const row of rows) process.stdout.write(`${row.text.padEnd(40)} ${row.ms.toFixed(3)} ms per check (median)\n`);
}

main();
