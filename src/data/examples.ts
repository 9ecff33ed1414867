// Task builders: from one correct function, the JSONL examples of docs/design.md#tokens-and-tasks
// (`{task, input, target, class?}`) for fix, complete and generate, in a mix set by options; and
// the token sequences of an example (via the task format of src/model/tasks.ts).

import type { Rng, Task } from '../model';
import { lex, lineLayout, splitLines, EOS, encodeComplete, encodeFix, splitFunction, taskSource, TaskError, type EncodedExample } from '../model/internals';
import { BUG_CLASSES, BUG_NAMES, injectBug } from './bugs';
import { countTokens, DEFAULT_MAX_TOKENS } from './extract';

/** One JSONL line (contract). For fix: input is the buggy text, target the correct function. */
export interface Example {
  task: Task;
  input: string;
  target: string;
  /** The bug class of a fix example (`no_bug` included). */
  class?: string;
  /**
   * A line's other fields, kept as read and written after `class` (the outside sets' `kind`, `size`,
   * `recoverable`, `half`, `source`); `eval` breaks its metrics down by the scalar ones.
   */
  fields?: Readonly<Record<string, unknown>>;
}

export interface TaskMix {
  fix: number;
  complete: number;
  generate: number;
  /** Share of fix examples that are `no_bug` (correct code that must come back unchanged). */
  noBug: number;
}

export const DEFAULT_TASK_MIX: TaskMix = { fix: 0.6, complete: 0.25, generate: 0.15, noBug: 0.15 };

export interface ExampleOptions {
  mix?: Partial<TaskMix>;
  /** Bug classes drawn for fix examples (no `no_bug`: its share is mix.noBug). Default: the targeted ones. */
  bugClasses?: readonly string[];
  /** Inputs longer than this (lexer tokens) are not made. Default 100. */
  maxTokens?: number;
  /**
   * Share of the corpus's functions that can make a generate example (see generateShare). Given, a
   * function with a docstring draws generate more often so the corpus as a whole meets mix.generate.
   */
  generateShare?: number;
  /** Relative weights of the bug classes (default equal); see bugClassWeights. */
  classWeights?: Readonly<Record<string, number>>;
}

/** The bug classes a model is trained on (visible in the text), without `no_bug`. */
export const TARGETED_BUG_NAMES: readonly string[] = BUG_NAMES.filter((name) => BUG_CLASSES[name]!.targeted);

/** A fix example of the given class, or null when the class does not apply. */
export function fixExample(text: string, className: string, rng: Rng): Example | null {
  const bug = injectBug(className, text, rng);
  return bug ? { task: 'fix', input: bug.buggyText, target: text, class: className } : null;
}

/** A complete example: the text up to a random line break, and the physical line after it. */
export function completeExample(text: string, rng: Rng): Example | null {
  const eligible = completableLines(text);
  if (eligible.length === 0) return null;
  const line = eligible[rng.nextInt(eligible.length)]!;
  return { task: 'complete', input: text.slice(0, line.start), target: text.slice(line.start, line.end) };
}

/**
 * Up to `count` complete examples of one function at distinct lines (drawn without replacement):
 * the many next-line examples of a dataset, from functions of any length (the model reads the end
 * of a long input, see windowCompleteSource).
 */
export function nextLineExamples(text: string, rng: Rng, count: number): Example[] {
  const eligible = completableLines(text);
  const out: Example[] = [];
  for (let k = 0; k < count && eligible.length > 0; k++) {
    const [line] = eligible.splice(rng.nextInt(eligible.length), 1);
    out.push({ task: 'complete', input: text.slice(0, line!.start), target: text.slice(line!.start, line!.end) });
  }
  return out;
}

/** The lines a complete example may target: code lines after the first, none a multi-line string runs over. */
function completableLines(text: string) {
  const layout = lineLayout(text);
  const tokens = layout.lexed.tokens;
  const eligible = layout.lines.filter((line) => {
    if (line.number < 2 || !line.hasTokens || line.insideToken) return false;
    // The target is one physical line: none of its tokens may run on (a multi-line string).
    return tokens.every((t) => t.line !== line.number || t.end <= line.end || t.kind === 'NEWLINE' || t.kind === 'DEDENT');
  });
  return eligible;
}

/** A generate example (only for functions with a docstring and a body after it). */
export function generateExample(text: string): Example | null {
  let parts;
  try {
    parts = splitFunction(text);
  } catch (error) {
    if (error instanceof TaskError) return null;
    throw error;
  }
  const header = lex(parts.headerText).tokens.filter((t) => t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT');
  if (header.at(-1)?.kind !== 'STRING' || parts.bodyTokens.length === 0) return null;
  return { task: 'generate', input: parts.headerText, target: text };
}

/**
 * One example from a function: a task drawn by the mix; when it cannot be made (no docstring, no
 * applicable bug, input too long), another task is drawn from those left. Null when none works.
 */
export function buildExample(text: string, rng: Rng, options: ExampleOptions = {}): Example | null {
  const mix = { ...DEFAULT_TASK_MIX, ...options.mix };
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const fits = (example: Example | null) => (example !== null && countTokens(example.input) <= maxTokens ? example : null);
  const tasks: Task[] = ['fix', 'complete', 'generate'];
  const weights = tasks.map((task) => Math.max(0, mix[task]));
  if (options.generateShare !== undefined && options.generateShare > 0) {
    // Functions without a docstring cannot generate: the others make up for them.
    const total = weights[0]! + weights[1]! + weights[2]!;
    const wanted = Math.min(1, weights[2]! / total / options.generateShare);
    const rest = weights[0]! + weights[1]!;
    const canGenerate = generateExample(text) !== null;
    const g = canGenerate ? wanted : 0;
    if (rest > 0) [weights[0], weights[1]] = [((1 - g) * weights[0]!) / rest, ((1 - g) * weights[1]!) / rest];
    weights[2] = g;
  }
  while (weights.some((w) => w > 0)) {
    const index = rng.categorical(weights);
    weights[index] = 0;
    const task = tasks[index]!;
    let example: Example | null;
    if (task === 'complete') example = fits(completeExample(text, rng));
    else if (task === 'generate') example = fits(generateExample(text));
    else example = buildFixExample(text, rng, mix.noBug, options.bugClasses ?? TARGETED_BUG_NAMES, options.classWeights ?? {}, fits);
    if (example) return example;
  }
  return null;
}

function buildFixExample(text: string, rng: Rng, noBug: number, classes: readonly string[], weights: Readonly<Record<string, number>>, fits: (e: Example | null) => Example | null): Example | null {
  if (rng.next() < noBug || classes.length === 0) return fits(fixExample(text, 'no_bug', rng));
  // Classes in a weighted random order (Efraimidis-Spirakis keys u^(1/w)): the first that applies
  // (and fits) wins, so a class that rarely applies still gets its share where it does.
  const keyed = classes.map((name) => ({ name, key: Math.pow(rng.next(), 1 / Math.max(1e-6, weights[name] ?? 1)) }));
  const order = keyed.sort((a, b) => b.key - a.key).map((k) => k.name);
  for (const name of order) {
    const example = fits(fixExample(text, name, rng));
    if (example) return example;
  }
  return fits(fixExample(text, 'no_bug', rng));
}

/** Share of the texts that can make a generate example (a docstring and a body after it). */
export function generateShare(texts: readonly string[]): number {
  return texts.length === 0 ? 0 : texts.filter((text) => generateExample(text) !== null).length / texts.length;
}

/**
 * Weights that balance the bug classes: 1 / (share of the sampled texts the class applies to),
 * floored at 2% so a class that almost never applies does not crowd out the rest.
 */
export function bugClassWeights(texts: readonly string[], classes: readonly string[], rng: Rng): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const name of classes) {
    const applies = texts.filter((text) => injectBug(name, text, rng) !== null).length;
    weights[name] = 1 / Math.max(0.02, texts.length === 0 ? 1 : applies / texts.length);
  }
  return weights;
}

/**
 * A complete source cut to the model's input: the task token, then the last `maxCodeTokens` code
 * tokens before the line with their line markers, as the model cuts a long input when it answers
 * (src/model/coding-optimizer.ts, prepare): the line to write depends most on what comes just before.
 */
export function windowCompleteSource(srcTokens: readonly string[], maxCodeTokens: number): string[] {
  const isCode = (t: string) => !/^<L\d+>$/.test(t);
  const body = srcTokens.slice(1);
  if (body.filter(isCode).length <= maxCodeTokens) return [...srcTokens];
  const kept: string[] = [];
  let count = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    if (isCode(body[i]!) && ++count > maxCodeTokens) break;
    kept.push(body[i]!);
  }
  return [srcTokens[0]!, ...kept.reverse()];
}

/**
 * The model's source and target token texts of an example. Throws TaskError when the example cannot
 * be encoded (a fix whose input and target differ in more than one line, a multi-line completion...).
 * A complete input longer than `maxSourceTokens` code tokens keeps its last ones (windowCompleteSource).
 */
export function exampleTokens(example: Example, maxSourceTokens = DEFAULT_MAX_TOKENS): EncodedExample {
  switch (example.task) {
    case 'fix':
      return encodeFix(example.target, example.input);
    case 'complete': {
      const prefix = example.input === '' || /[\r\n]$/.test(example.input) ? example.input : `${example.input}\n`;
      const line = example.target.replace(/\r?\n$|\r$/, '');
      if (/[\r\n]/.test(line)) throw new TaskError('a complete target is one line; this one has line breaks');
      if (line.trim() === '') throw new TaskError('a complete target must hold code; this one is blank');
      const encoded = encodeComplete(`${prefix}${line}\n`, splitLines(prefix).length + 1);
      return { ...encoded, srcTokens: windowCompleteSource(encoded.srcTokens, maxSourceTokens) };
    }
    case 'generate': {
      const { bodyTokens } = splitFunction(example.target);
      if (bodyTokens.length === 0) throw new TaskError('the generate target has no body after its header');
      return { task: 'generate', srcTokens: taskSource('generate', example.input), tgtTokens: [...bodyTokens, EOS] };
    }
    default:
      throw new TaskError(`unknown task ${JSON.stringify((example as { task: unknown }).task)}`);
  }
}

/**
 * The examples the model can read, each with its encoding, and those it cannot (a TaskError: too
 * many lines, say) with the reason. Any other error is a bug and is thrown.
 */
export function encodableExamples(
  examples: readonly Example[],
  maxSourceTokens = DEFAULT_MAX_TOKENS,
): { kept: Example[]; encoded: EncodedExample[]; left: { example: Example; reason: string }[] } {
  const kept: Example[] = [];
  const encoded: EncodedExample[] = [];
  const left: { example: Example; reason: string }[] = [];
  for (const example of examples) {
    try {
      encoded.push(exampleTokens(example, maxSourceTokens));
      kept.push(example);
    } catch (error) {
      if (!(error instanceof TaskError)) throw error;
      left.push({ example, reason: error.message });
    }
  }
  return { kept, encoded, left };
}
