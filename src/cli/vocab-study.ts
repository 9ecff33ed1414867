// `vocab-study`: the counting half of choosing the vocabulary, on the PyPI corpus (`corpus --out
// OUT`, then `vocab-study --source OUT/source`). Learns word vocabularies and BPE identifier pieces
// on most packages and measures them on the rest, held out whole, so a package's own names do not
// flatter it. No model is trained: the short trainings that decide are a separate step.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_TOKENS, extractFunctions } from '../data/extract';
import { findPythonFiles } from '../data/python-files';
import {
  identifierCounts,
  STUDY_SUBWORD_SIZES,
  STUDY_WORD_SIZES,
  studyFunction,
  subwordRows,
  tokenCountsOf,
  wordRows,
  type StudyFunction,
  type SubwordRow,
  type WordRow,
} from '../data/vocab-study';
import { UsageError } from './usage-error';

/** Every n-th package (in name order) is held out for measuring; the rest learn. */
const DEFAULT_HELD_OUT_EVERY = 10;
/** Packages between two progress lines. */
const PROGRESS_EVERY = 50;
/** Identifiers seen fewer times than this are not learnt from (one-off names only add noise merges). */
const BPE_MIN_COUNT = 2;

export const usage = `usage: npm run cli -- vocab-study --source OUT/source [--held-out-every ${DEFAULT_HELD_OUT_EVERY}] [--json]

Counts only, no training. Reads the corpus written by \`corpus --out OUT\` (one folder per package),
extracts every function of at most ${DEFAULT_MAX_TOKENS} tokens, learns on all packages but every n-th (in name
order) and measures on those: for word vocabularies of ${STUDY_WORD_SIZES.join(', ')} tokens, the share of
identifier occurrences in the vocabulary, the copy rate needed (the rest) and the share of it seen
earlier in the same function; for BPE identifier pieces (vocabularies of ${STUDY_SUBWORD_SIZES.join(', ')} with the fixed
tokens and the alphabet), the share of identifiers that are one piece, pieces per identifier, and
the length cost: tokens per function against words, and the share still within ${DEFAULT_MAX_TOKENS} tokens.`;

export interface VocabStudy {
  format: 'lstm-coding-optimizer-vocab-study';
  source: string;
  packages: { learn: number; held_out: number };
  functions: { learn: number; held_out: number };
  max_tokens: number;
  words: WordRow[];
  subwords: SubwordRow[];
  timing_ms: number;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      'held-out-every': { type: 'string', default: String(DEFAULT_HELD_OUT_EVERY) },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`vocab-study takes no positional arguments, got ${positionals.join(' ')}`);
  if (values.source === undefined)
    throw new UsageError('vocab-study needs --source (the source folder of corpus --out)');
  const every = Number(values['held-out-every']);
  if (!Number.isInteger(every) || every < 2) throw new UsageError('--held-out-every must be an integer of at least 2');
  const study = vocabStudy(values.source, every, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(values.json ? `${JSON.stringify(study, null, 2)}\n` : studySummary(study));
  return 0;
}

/** The functions of one package folder that the model can read, as study functions. */
function packageFunctions(dir: string): StudyFunction[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const result: StudyFunction[] = [];
  for (const path of findPythonFiles(dir, (folder) => readdirSync(folder, { withFileTypes: true }))) {
    let text: string;
    try {
      text = decoder.decode(readFileSync(join(dir, path)));
    } catch {
      continue;
    }
    for (const fn of extractFunctions(text, path, { maxTokens: DEFAULT_MAX_TOKENS }))
      result.push(studyFunction(fn.text));
  }
  return result;
}

export function vocabStudy(source: string, heldOutEvery: number, log: (line: string) => void = () => {}): VocabStudy {
  const started = performance.now();
  const root = resolve(source);
  let names: string[];
  try {
    // statSync follows links: a folder of links to package folders reads like the corpus itself.
    names = readdirSync(root)
      .filter((name) => statSync(join(root, name)).isDirectory())
      .sort();
  } catch (error) {
    throw new UsageError(`--source ${source}: cannot read it (${(error as Error).message})`);
  }
  if (names.length < heldOutEvery)
    throw new UsageError(
      `--source ${source}: ${names.length} package folders, fewer than --held-out-every ${heldOutEvery}`,
    );
  // Only counts are kept of the learning packages, so the corpus never sits in memory whole.
  const tokenCounts = new Map<string, number>();
  const identifiers = new Map<string, number>();
  const heldOut: StudyFunction[] = [];
  let learnFunctions = 0;
  names.forEach((name, i) => {
    const functions = packageFunctions(join(root, name));
    if ((i + 1) % PROGRESS_EVERY === 0) log(`read ${i + 1}/${names.length} packages`);
    if (i % heldOutEvery === 0) {
      heldOut.push(...functions);
      return;
    }
    learnFunctions += functions.length;
    for (const [token, n] of tokenCountsOf(functions)) tokenCounts.set(token, (tokenCounts.get(token) ?? 0) + n);
    for (const [token, n] of identifierCounts(functions)) identifiers.set(token, (identifiers.get(token) ?? 0) + n);
  });
  log(`learning BPE on ${identifiers.size} identifiers; measuring on ${heldOut.length} held-out functions`);
  const heldOutPackages = names.filter((_, i) => i % heldOutEvery === 0).length;
  return {
    format: 'lstm-coding-optimizer-vocab-study',
    source: root,
    packages: { learn: names.length - heldOutPackages, held_out: heldOutPackages },
    functions: { learn: learnFunctions, held_out: heldOut.length },
    max_tokens: DEFAULT_MAX_TOKENS,
    words: wordRows(tokenCounts, STUDY_WORD_SIZES, heldOut),
    subwords: subwordRows(identifiers, STUDY_SUBWORD_SIZES, heldOut, DEFAULT_MAX_TOKENS, BPE_MIN_COUNT),
    timing_ms: Math.round(performance.now() - started),
  };
}

export function studySummary(study: VocabStudy): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `vocabulary study (counts only, no training): learnt on ${study.packages.learn} packages (${study.functions.learn} functions), measured on ${study.packages.held_out} held out (${study.functions.held_out} functions)`,
    '',
    '| words | identifiers in vocab | copy needed | copyable (earlier in the function) | unreachable | all tokens in vocab |',
    '|---|---|---|---|---|---|',
    ...study.words.map(
      (r) =>
        `| ${r.size} | ${pct(r.inVocab)} | ${pct(r.copyNeeded)} | ${pct(r.copyableFromPrefix)} | ${pct(r.unreachable)} | ${pct(r.allTokensInVocab)} |`,
    ),
    '',
    `| BPE size (merges) | identifiers whole | pieces per identifier | 3+ pieces | unknown character | tokens vs words | within ${study.max_tokens} tokens |`,
    '|---|---|---|---|---|---|---|',
    ...study.subwords.map(
      (r) =>
        `| ${r.size} (${r.merges}) | ${pct(r.wholePiece)} | ${r.piecesPerIdentifier.toFixed(2)} | ${pct(r.threeOrMorePieces)} | ${pct(r.unknownCharacter)} | ${r.lengthRatio.toFixed(3)}× | ${pct(r.withinLimit)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
