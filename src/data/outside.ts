// The outside measuring set (docs/design.md#outside-data, `dataset --outside`): code nobody here wrote, from
// installed third-party packages, with one injected bug each. Never training data.
//
// - functions: every function of any length, one bug of a targeted class or none (no_bug), the
//   classes dealt round-robin so the first N lines of the file hold about N / classes of each;
// - files: whole files of MIN_FILE_LINES+ lines with one bug inside a function in their second half,
//   each beside the same bug in that function alone (fileFunctions), so a whole-file fix rate can be
//   compared with the fix rate of the same bugs with the function given alone.
import { deriveSeed, Rng } from '../model';
import { MAX_FILE_LINES } from '../model';
import { splitLines } from '../model/internals';
import { differingLines, injectBug } from './bugs';
import type { Example } from './examples';
import { completeExample, exampleTokens, generateExample, TARGETED_BUG_NAMES } from './examples';
import { extractFunctions } from './extract';

export const MIN_FILE_LINES = 150;
/** Source and target tokens of an outside generate example at most (the seed model's 100, line markers aside). */
const GENERATE_MAX_TOKENS = 100;

export interface OutsideFile {
  /** Package-relative path, e.g. `click/core.py`: part of every example's seed. */
  path: string;
  text: string;
}

export interface OutsideSet {
  functions: Example[];
  files: Example[];
  /** files[i]'s bug in its function alone. */
  fileFunctions: Example[];
  /** Next-line completion: one line of each of perClass functions no fix example uses, after the text before it. */
  complete: Example[];
  /** Generate: signature and docstring of perClass functions no other example uses, the function as target. */
  generate: Example[];
  /** Per class, how many function examples were written. */
  byClass: Record<string, number>;
  /** The source of each functions example, `path:startLine` (its file's path decides its half). */
  functionSources: string[];
  /** The path of each files example's file. */
  filePaths: string[];
  /** Every function (`path:startLine`) any example above was made from. */
  usedKeys: Set<string>;
}

/** A function of an outside file, keyed `path:startLine`. */
export interface OutsideFunction {
  key: string;
  path: string;
  startLine: number;
  text: string;
}

/** Every function of the files, of any length up to MAX_FILE_LINES lines, in file order. */
export function outsideFunctions(files: readonly OutsideFile[]): OutsideFunction[] {
  return files.flatMap((f) =>
    extractFunctions(f.text, f.path, { maxTokens: Number.POSITIVE_INFINITY, maxLines: MAX_FILE_LINES }).map((fn) => ({
      key: `${f.path}:${fn.startLine}`,
      path: f.path,
      startLine: fn.startLine,
      text: fn.text,
    })),
  );
}

/** The files' texts with one line-break style. */
export function normalizeOutsideFiles(files: readonly OutsideFile[]): OutsideFile[] {
  return files.map((f) => ({ path: f.path, text: f.text.replace(/\r\n?/g, '\n') }));
}

export interface OutsideOptions {
  seed: number;
  /** Function examples per class at most (no_bug included). */
  perClass: number;
  /** File examples at most. */
  files: number;
}

const shuffle = <T>(items: T[], rng: Rng): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

export function buildOutsideSet(files: readonly OutsideFile[], options: OutsideOptions): OutsideSet {
  const normalized = normalizeOutsideFiles(files);
  const functions = outsideFunctions(normalized);
  const classes = ['no_bug', ...TARGETED_BUG_NAMES];
  // One shuffled order of the functions per class; each function is used once over all classes.
  const used = new Set<string>();
  const perClass = new Map<string, Example[]>();
  const sourceOf = new Map<Example, string>();
  for (const name of classes) {
    const order = shuffle([...functions], new Rng(deriveSeed(options.seed, `outside-order:${name}`)));
    const chosen: Example[] = [];
    for (const fn of order) {
      if (chosen.length >= options.perClass) break;
      if (used.has(fn.key)) continue;
      const bug = injectBug(name, fn.text, new Rng(deriveSeed(options.seed, `outside:${name}:${fn.key}`)));
      if (!bug) continue;
      used.add(fn.key);
      const example: Example = { task: 'fix', input: bug.buggyText, target: fn.text, class: name };
      sourceOf.set(example, fn.key);
      chosen.push(example);
    }
    perClass.set(name, chosen);
  }
  // Completion on functions no fix example holds (its own file, so functions.jsonl keeps its lines).
  const complete: Example[] = [];
  for (const fn of shuffle([...functions], new Rng(deriveSeed(options.seed, 'outside-order:complete')))) {
    if (complete.length >= options.perClass) break;
    if (used.has(fn.key)) continue;
    const example = completeExample(fn.text, new Rng(deriveSeed(options.seed, `outside:complete:${fn.key}`)));
    if (example) {
      complete.push(example);
      used.add(fn.key);
    }
  }
  // Generate on documented functions whose header and body fit what the model reads and writes.
  const generate: Example[] = [];
  // Not marked used while drawing (the draws above and below stay as they were), but used all the same.
  const generateKeys: string[] = [];
  for (const fn of shuffle([...functions], new Rng(deriveSeed(options.seed, 'outside-order:generate')))) {
    if (generate.length >= options.perClass) break;
    if (used.has(fn.key)) continue;
    const example = generateExample(fn.text);
    if (!example) continue;
    let tokens;
    try {
      tokens = exampleTokens(example);
    } catch {
      continue;
    }
    if (tokens.srcTokens.length > GENERATE_MAX_TOKENS || tokens.tgtTokens.length > GENERATE_MAX_TOKENS) continue;
    generate.push(example);
    generateKeys.push(fn.key);
  }
  const interleaved: Example[] = [];
  for (let i = 0; i < options.perClass; i++) for (const name of classes) {
    const e = perClass.get(name)![i];
    if (e) interleaved.push(e);
  }

  const fileExamples: Example[] = [];
  const fileFunctions: Example[] = [];
  const filePaths: string[] = [];
  const bugClasses = TARGETED_BUG_NAMES;
  const usedKeys = new Set([...used, ...generateKeys]);
  const fileOrder = shuffle(normalized.filter((f) => splitLines(f.text).length >= MIN_FILE_LINES && splitLines(f.text).length <= MAX_FILE_LINES),
    new Rng(deriveSeed(options.seed, 'outside-files')));
  for (const file of fileOrder) {
    if (fileExamples.length >= options.files) break;
    const lines = splitLines(file.text);
    const rng = new Rng(deriveSeed(options.seed, `outside-file:${file.path}`));
    const candidates = shuffle(extractFunctions(file.text, file.path, { maxTokens: Number.POSITIVE_INFINITY, maxLines: MAX_FILE_LINES })
      .filter((fn) => fn.startLine > lines.length / 2), rng);
    const name = bugClasses[fileExamples.length % bugClasses.length]!;
    for (const fn of candidates) {
      const bug = injectBug(name, fn.text, rng);
      if (!bug || bug.line === null) continue;
      const spliced = spliceFunctionBug(file.text, fn.startLine, fn.text, bug.buggyText);
      if (spliced === null) continue;
      fileExamples.push({ task: 'fix', input: spliced, target: file.text, class: name });
      fileFunctions.push({ task: 'fix', input: bug.buggyText, target: fn.text, class: name });
      filePaths.push(file.path);
      usedKeys.add(`${file.path}:${fn.startLine}`);
      break;
    }
  }
  return {
    functions: interleaved,
    files: fileExamples,
    fileFunctions,
    complete,
    generate,
    byClass: Object.fromEntries(classes.map((c) => [c, perClass.get(c)!.length])),
    functionSources: interleaved.map((e) => sourceOf.get(e)!),
    filePaths,
    usedKeys,
  };
}

/**
 * The file with a function's one changed line put back in place: the function was dedented by the
 * indentation of its `def` line, so the buggy line gets that indentation back. Null when the lines
 * do not line up (a continuation line that lost other whitespace).
 */
export function spliceFunctionBug(fileText: string, startLine: number, fnText: string, buggyFnText: string): string | null {
  const changed = differingLines(fnText, buggyFnText);
  if (changed.length !== 1) return null;
  const k = changed[0]!;
  const fileLines = splitLines(fileText);
  const fnLines = splitLines(fnText);
  const defLine = fileLines[startLine - 1]!;
  const indent = defLine.indentText;
  const target = fileLines[startLine - 1 + k - 1];
  const fnLine = fnLines[k - 1];
  if (!target || !fnLine || fileText.slice(target.start, target.end) !== (fnText.slice(fnLine.start, fnLine.end) === '' ? '' : indent + fnText.slice(fnLine.start, fnLine.end))) return null;
  const buggyLine = splitLines(buggyFnText)[k - 1]!;
  const text = buggyFnText.slice(buggyLine.start, buggyLine.end);
  return fileText.slice(0, target.start) + (text === '' ? '' : indent + text) + fileText.slice(target.end);
}
