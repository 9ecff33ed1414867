// JSONL examples, one `{"task", "input", "target", "class"?}` object per line
// (docs/design.md#data-set-files). Parsing is forgiving per line: a bad line is reported with its
// file, 1-based line number and reason, and skipped; the good lines are kept. Blank lines are
// allowed and ignored.

import { TASKS, type Task } from '../model';
import { TaskError } from '../model/internals';
import { exampleTokens, type Example } from './examples';
import { countTokens, DEFAULT_MAX_TOKENS } from './extract';

export interface JsonlProblem {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

export interface JsonlOptions {
  /** Longest fix or generate input, in lexer tokens (NEWLINE/INDENT/DEDENT included); complete inputs are cut to their last this many. Default 100. */
  maxTokens?: number;
  /** Also check that each example can be encoded for the model (default true). */
  checkEncodable?: boolean;
  /** fix inputs of any length (the whole-file path reads them through windows): no length or encoding check for them. */
  anyLengthFix?: boolean;
}

export interface ParsedJsonl {
  examples: Example[];
  problems: JsonlProblem[];
}

/** No example field is longer: the model reads at most a few hundred tokens of it. */
const MAX_FIELD_CHARS = 100_000;

export function parseJsonl(text: string, fileName: string, options: JsonlOptions = {}): ParsedJsonl {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const examples: Example[] = [];
  const problems: JsonlProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const result = parseLine(raw, maxTokens, options.checkEncodable ?? true, options.anyLengthFix ?? false);
    if (typeof result === 'string') problems.push({ file: fileName, line: index + 1, reason: result });
    else examples.push(result);
  });
  return { examples, problems };
}

/** `file:line: reason`, the one-line form every tool prints. */
export function formatProblem(problem: JsonlProblem): string {
  return `${problem.file}:${problem.line}: ${problem.reason}`;
}

/** The keys a line gives meaning to; any other is one of its `fields`. */
const EXAMPLE_KEYS = new Set(['task', 'input', 'target', 'class']);

/** One JSON object per line, keys in the order task, input, target, class, then the other fields; a final line break. */
export function toJsonl(examples: readonly Example[]): string {
  return examples
    .map((e) =>
      JSON.stringify({
        ...(e.class === undefined ? { task: e.task, input: e.input, target: e.target } : { task: e.task, input: e.input, target: e.target, class: e.class }),
        ...Object.fromEntries(Object.entries(e.fields ?? {}).filter(([key]) => !EXAMPLE_KEYS.has(key))),
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Other fields nest at most this deep (the outside sets' `edits` nest 2). A deeper one is ignored,
 * as every other field was before they were kept: written back, it would overflow the stack
 * (fuzz jsonl cases 59, 83 and 85, seed 7).
 */
const MAX_FIELD_DEPTH = 8;

/** Whether `value` nests at most `depth` objects or arrays deep; iterative, so any depth is safe. */
function nestsWithin(value: unknown, depth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [v, level] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (level >= depth) return false;
    for (const child of Object.values(v)) pending.push([child, level + 1]);
  }
  return true;
}

/** The example, or the reason the line is refused. */
function parseLine(raw: string, maxTokens: number, checkEncodable: boolean, anyLengthFix: boolean): Example | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object {"task", "input", "target"}, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`;
  }
  const record = value as Record<string, unknown>;
  const task = record.task;
  if (task === undefined) return `missing "task"; expected one of ${TASKS.map((t) => `"${t}"`).join(', ')}`;
  if (typeof task !== 'string' || !(TASKS as readonly string[]).includes(task)) {
    return `unknown task ${JSON.stringify(task)}; expected one of ${TASKS.map((t) => `"${t}"`).join(', ')}`;
  }
  for (const key of ['input', 'target'] as const) {
    if (!(key in record)) return `missing "${key}"`;
    if (typeof record[key] !== 'string') return `"${key}" must be a string, found ${typeof record[key]}`;
  }
  const input = record.input as string;
  const target = record.target as string;
  if (input.trim() === '') return '"input" is empty';
  if (target.trim() === '') return '"target" is empty';
  if (record.class !== undefined && typeof record.class !== 'string') return `"class" must be a string, found ${typeof record.class}`;
  // Before any lexing: a megabyte target took seconds to refuse (fuzz jsonl case 42, seed 7).
  for (const [key, text] of [['input', input], ['target', target]] as const) {
    if (text.length > MAX_FIELD_CHARS) return `"${key}" is ${text.length} characters; at most ${MAX_FIELD_CHARS} fit an example`;
  }
  // A complete input may be longer: the model reads its last tokens (examples.ts, windowCompleteSource);
  // a fix input of any length goes through the whole-file path when anyLengthFix is set.
  const anyLength = anyLengthFix && task === 'fix';
  const tokens = anyLength || task === 'complete' ? 0 : countTokens(input);
  if (tokens > maxTokens) return `"input" has ${tokens} tokens; the maximum is ${maxTokens}`;
  const example: Example = { task: task as Task, input, target };
  if (typeof record.class === 'string') example.class = record.class;
  const fields = Object.entries(record).filter(([key, v]) => !EXAMPLE_KEYS.has(key) && nestsWithin(v, MAX_FIELD_DEPTH));
  if (fields.length > 0) example.fields = Object.fromEntries(fields);
  if (checkEncodable && !anyLength) {
    try {
      exampleTokens(example, maxTokens);
    } catch (error) {
      if (error instanceof TaskError) return error.message;
      throw error;
    }
  }
  return example;
}
