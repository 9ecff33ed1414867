// `critic-diff`: the syntax check against Python's own compile(), on real functions and their
// random token mutations. Python labels every text (one process per corpus); the check answers
// each; the report says where they disagree, with examples.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkPythonSyntax, MAX_FILE_LINES } from '../model';
import { dedupeFunctions, extractFunctions } from '../data/extract';
import {
  buildSyntaxCorpus,
  messageKey,
  summarizeAgreement,
  type AgreementSummary,
  type CheckVerdict,
  type CorpusFunction,
  type CorpusText,
} from '../data/syntax-corpus';
import { findPythonFiles } from '../data/python-files';
import { pythonStdlib } from './dataset';
import { UsageError } from './usage-error';
import { compileWithPython, pythonInterpreter, pythonVersion, type CompileLabel } from './python-compile';

const DEFAULT_N = 20_000;
const DEFAULT_SEED = 1;
/** Disagreements shown per message. */
const EXAMPLES_PER_MESSAGE = 5;
/** Lines of a text shown around the error line in an example. */
const EXAMPLE_CONTEXT_LINES = 2;

export const usage = `usage: npm run cli -- critic-diff [--n 20000] [--seed 1] [--source DIR]... [--json]
                                   [--min-agreement 0.995] [--save FILE]

Measures checkPythonSyntax against Python's compile(). Extracts every def function (of at most
${MAX_FILE_LINES} lines) from the .py files under each --source DIR (default: the standard library
of python3; test folders skipped as by dataset), takes about a quarter of --n texts as they are and
the rest as random mutations of one or two tokens (insert, delete, substitute, swap neighbours:
src/data/mutate.ts), labels every text with compile() in one Python process (python3, or $PYTHON)
and runs the check on each. Reports agreement, laxer (the check accepts, Python refuses), stricter
(the other way), and where both refuse: the check's line against Python's, and its message against
Python's for the messages the check is to give in Python's words; by kind and by Python's message,
with up to ${EXAMPLES_PER_MESSAGE} examples of each disagreement.

--json prints {"n","agree","laxer","stricter","line_agree","message_agree","by_kind","by_message",
"python","seconds"} (every figure but n a share of its n). --min-agreement exits 1 when agreement is
below it. --save writes every text with both verdicts as JSON lines. Without Python: exit 1.`;

export interface CriticDiffReport extends AgreementSummary {
  python: string;
  seconds: number;
}

interface Scored {
  item: CorpusText;
  cpython: CompileLabel;
  check: CheckVerdict;
}

function parseFraction(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`--${name} takes a share from 0 to 1, got "${text}"`);
  return value;
}

function parseCount(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} takes a positive integer, got "${text}"`);
  return value;
}

/** Every function of the .py files under the folders, deduplicated, files named `folder/path`. */
export function readFunctions(folders: readonly string[]): CorpusFunction[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const functions: CorpusFunction[] = [];
  for (const folder of folders) {
    const label = basename(folder);
    for (const file of findPythonFiles(folder, (path) => readdirSync(path, { withFileTypes: true }))) {
      let text: string;
      try {
        text = decoder.decode(readFileSync(join(folder, file)));
      } catch {
        continue; // not UTF-8
      }
      for (const fn of extractFunctions(text, `${label}/${file}`, {
        maxTokens: Number.POSITIVE_INFINITY,
        maxLines: MAX_FILE_LINES,
      }))
        functions.push({ text: fn.text, file: fn.file, startLine: fn.startLine });
    }
  }
  return dedupeFunctions(functions);
}

/** The check's answer in the summary's terms (a message when the check gives one). */
function checkVerdict(text: string): CheckVerdict {
  // `message` where the check gives one (a check that gives none has no such field, or null).
  const result = checkPythonSyntax(text) as { ok: boolean; errorLine: number | null; message?: string | null };
  return {
    ok: result.ok,
    errorLine: result.errorLine,
    ...(typeof result.message === 'string' ? { message: result.message } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      seed: { type: 'string' },
      source: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      'min-agreement': { type: 'string' },
      save: { type: 'string' },
    },
    strict: true,
  });
  const n = values.n === undefined ? DEFAULT_N : parseCount(values.n, 'n');
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed takes an integer, got "${values.seed}"`);
  const minAgreement =
    values['min-agreement'] === undefined ? null : parseFraction(values['min-agreement'], 'min-agreement');
  const log = (line: string) => {
    if (!values.json) process.stderr.write(`${line}\n`);
  };

  const started = performance.now();
  const python = pythonInterpreter();
  pythonVersion(python); // fails early and clearly when there is no Python
  const folders = (values.source ?? [pythonStdlib(python)]).map((folder) => resolve(folder));
  const functions = readFunctions(folders);
  if (functions.length === 0) throw new Error(`no functions found under ${folders.join(', ')}`);
  const corpus = buildSyntaxCorpus(functions, { n, seed });
  log(`${corpus.length} texts from ${functions.length} functions under ${describeFolders(folders)}`);

  const { python: version, labels } = compileWithPython(
    corpus.map((item) => item.text),
    python,
  );
  const checkStarted = performance.now();
  const scored: Scored[] = corpus.map((item, i) => ({ item, cpython: labels[i]!, check: checkVerdict(item.text) }));
  log(`checked ${scored.length} texts in ${((performance.now() - checkStarted) / 1000).toFixed(1)} s`);

  const summary = summarizeAgreement(scored.map(({ item, cpython, check }) => ({ kind: item.kind, cpython, check })));
  const report: CriticDiffReport = {
    ...summary,
    python: version,
    seconds: round1((performance.now() - started) / 1000),
  };
  if (values.save !== undefined) {
    writeFileSync(
      values.save,
      scored
        .map(({ item, cpython, check }) =>
          JSON.stringify({
            text: item.text,
            kind: item.kind,
            source: item.source,
            mutation: item.mutation && {
              size: item.mutation.size,
              edits: item.mutation.edits,
              recoverable: item.mutation.recoverable,
            },
            cpython,
            check,
          }),
        )
        .join('\n') + '\n',
    );
  }
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report, scored, folders));
  if (minAgreement !== null && summary.agree < minAgreement) {
    process.stderr.write(
      `error: agreement ${percent(summary.agree)} is below --min-agreement ${percent(minAgreement)}\n`,
    );
    return 1;
  }
  return 0;
}

/** One folder by its path; several by their names under their first one's parent. */
function describeFolders(folders: readonly string[]): string {
  if (folders.length === 1) return folders[0]!;
  return `${folders.length} folders (${folders.map((folder) => basename(folder)).join(', ')}) under ${dirname(folders[0]!)}`;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const percent = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

function describe(entry: Scored): string {
  const { item, cpython, check } = entry;
  const edits = item.mutation?.edits.map(
    (e) => `line ${e.line}: ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`,
  );
  const lines = item.text.split('\n');
  const at = cpython.line ?? check.errorLine ?? item.mutation?.edits[0]?.line ?? 1;
  const shown = lines
    .slice(Math.max(0, at - 1 - EXAMPLE_CONTEXT_LINES), at + EXAMPLE_CONTEXT_LINES)
    .map((line, i) => `      ${String(Math.max(1, at - EXAMPLE_CONTEXT_LINES) + i).padStart(3)} | ${line}`);
  const python = cpython.ok ? 'compiles' : `line ${cpython.line}: ${cpython.message}`;
  const ours = check.ok
    ? 'accepts'
    : `line ${check.errorLine}${check.message === undefined ? '' : `: ${check.message}`}`;
  return [
    `    ${item.source} (${item.kind}${edits ? `; ${edits.join('; ')}` : ''})`,
    `      Python: ${python}; the check: ${ours}`,
    ...shown,
  ].join('\n');
}

function formatReport(report: CriticDiffReport, scored: readonly Scored[], folders: readonly string[]): string {
  const out: string[] = [];
  out.push(
    `critic-diff: ${report.n} texts from ${describeFolders(folders)}; Python ${report.python}; ${report.seconds} s`,
  );
  out.push(
    `agreement ${percent(report.agree)}; laxer (the check accepts, Python refuses) ${percent(report.laxer)}; ` +
      `stricter ${percent(report.stricter)}`,
  );
  out.push(
    `where both refuse: line agrees ${percent(report.line_agree)}; message agrees ${percent(report.message_agree)} (over the messages the check is to give)`,
  );
  out.push(
    '',
    'by kind:',
    `  ${'kind'.padEnd(11)} ${'n'.padStart(6)}  ${'agree'.padStart(8)}  ${'laxer'.padStart(8)}  ${'stricter'.padStart(8)}`,
  );
  for (const [kind, k] of Object.entries(report.by_kind))
    out.push(
      `  ${kind.padEnd(11)} ${String(k.n).padStart(6)}  ${percent(k.agree).padStart(8)}  ${percent(k.laxer).padStart(8)}  ${percent(k.stricter).padStart(8)}`,
    );
  out.push('', "by Python's message (texts Python refuses; the share the check accepts):");
  for (const [message, m] of Object.entries(report.by_message))
    out.push(`  ${String(m.n).padStart(6)}  ${percent(m.laxer).padStart(8)}  ${message}`);

  const laxer = new Map<string, Scored[]>();
  const stricter = new Map<string, Scored[]>();
  const otherLine = new Map<string, Scored[]>();
  const add = (groups: Map<string, Scored[]>, key: string, entry: Scored) => {
    const list = groups.get(key) ?? [];
    if (list.length < EXAMPLES_PER_MESSAGE) list.push(entry);
    groups.set(key, list);
  };
  for (const entry of scored) {
    const { check, cpython } = entry;
    if (check.ok && !cpython.ok) add(laxer, messageKey(cpython.message), entry);
    else if (!check.ok && cpython.ok)
      add(stricter, check.message === undefined ? '(the check gives no message)' : messageKey(check.message), entry);
    else if (!check.ok && check.errorLine !== cpython.line) add(otherLine, messageKey(cpython.message), entry);
  }
  if (laxer.size > 0) {
    out.push('', 'accepted by the check, refused by Python (examples by message):');
    for (const [message, entries] of laxer) out.push(`  ${message}`, ...entries.map(describe));
  }
  if (stricter.size > 0) {
    out.push('', "refused by the check, compiled by Python (examples by the check's message):");
    for (const [message, entries] of stricter) out.push(`  ${message}`, ...entries.map(describe));
  }
  if (otherLine.size > 0) {
    out.push('', "both refuse, the check on another line (examples by Python's message):");
    for (const [message, entries] of otherLine) out.push(`  ${message}`, ...entries.map(describe));
  }
  return `${out.join('\n')}\n`;
}
