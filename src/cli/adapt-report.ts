// What `adapt` prints and writes: the per-class table with intervals (terminal and Markdown) and the
// JSON report whose first keys are the contract of `adapt --json` (docs/design.md#command-line).
import type { AdaptData } from '../data/adapt-examples';
import type { SkipReason } from '../data/adapt-files';
import type { AdaptResult, ClassScore, ClassScores } from '../train/adapt';

export interface AdaptReport {
  before: ClassScores;
  after: ClassScores;
  train_files: string[];
  heldout_files: string[];
  examples: { train: number; heldout: number };
  /** The training time asked for; `trained_seconds` is what the loop ran. */
  minutes: number;
  tokens: number;
  backend: string;
  steps: number;
  trained_seconds: number;
  seed: number;
  source: string;
  models: string;
  functions: AdaptData['functions'];
  files_without_functions: string[];
  skipped: Record<SkipReason, number>;
  skipped_folders: string[];
}

export interface ReportContext {
  minutes: number;
  seed: number;
  source: string;
  models: string;
  skipped: Record<SkipReason, number>;
  skippedFolders: string[];
}

export function adaptReportJson(result: AdaptResult, data: AdaptData, context: ReportContext): AdaptReport {
  return {
    before: result.before,
    after: result.after,
    train_files: data.trainFiles,
    heldout_files: data.heldoutFiles,
    examples: { train: result.trainExamples, heldout: Object.values(result.before).reduce((sum, s) => sum + s.n, 0) },
    minutes: context.minutes,
    tokens: result.tokens,
    backend: result.backend,
    steps: result.steps,
    trained_seconds: Math.round(result.trainMs / 1000),
    seed: context.seed,
    source: context.source,
    models: context.models,
    functions: data.functions,
    files_without_functions: data.filesWithoutFunctions,
    skipped: context.skipped,
    skipped_folders: context.skippedFolders,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cell = (s: ClassScore | undefined) =>
  s === undefined || s.n === 0 ? '–' : `${pct(s.exact / s.n)} [${pct(s.low)}, ${pct(s.high)}]`;
const change = (b: ClassScore | undefined, a: ClassScore | undefined) =>
  b === undefined || a === undefined || b.n === 0 || a.n === 0
    ? '–'
    : `${a.exact / a.n >= b.exact / b.n ? '+' : ''}${((a.exact / a.n - b.exact / b.n) * 100).toFixed(1)}`;

function rows(before: ClassScores, after: ClassScores): string[][] {
  return Object.keys(before).map((name) => [
    name,
    String(before[name]!.n),
    cell(before[name]),
    cell(after[name]),
    change(before[name], after[name]),
  ]);
}

const HEADER = ['class', 'n', 'before [95% interval]', 'after [95% interval]', 'change (points)'];

/** The table for a terminal: columns padded. */
export function scoresTable(before: ClassScores, after: ClassScores): string {
  const all = [HEADER, ...rows(before, after)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function adaptReportMarkdown(report: AdaptReport, argv: readonly string[]): string {
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `| --- | ${HEADER.slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows(report.before, report.after).map((r) => `| ${r.join(' | ')} |`),
  ];
  return [
    '# Adaptation report',
    '',
    `Held-out exact match per class in convergent mode, before and after ${report.minutes} min of fine-tuning ` +
      `(${report.steps} steps, ${report.tokens.toLocaleString('en-US')} tokens, ${report.trained_seconds} s, ${report.backend}), ` +
      'with 95% Wilson intervals.',
    '',
    ...table,
    '',
    `Source: ${report.source}: ${report.train_files.length} files to train on (${report.functions.train} functions, ` +
      `${report.examples.train} examples), ${report.heldout_files.length} held out (${report.functions.heldout} functions, ` +
      `${report.examples.heldout} examples; ${report.functions.heldoutDuplicates} held-out functions also in a training file left out).`,
    '',
    `Reproduce: \`npm run cli -- adapt ${argv.join(' ')}\``,
    '',
    '## Held-out files',
    '',
    ...report.heldout_files.map((f) => `- ${f}`),
    '',
  ].join('\n');
}
