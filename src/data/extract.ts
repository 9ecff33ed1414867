// Extraction of Python functions from source files, with our own lexer (no Python needed): every
// `def` at any depth (top level, methods, nested), cut to its own text, dedented so `def` sits at
// column 0, decorators left out. Only functions the model can read whole are kept: short enough,
// at most MAX_LINES physical lines, and lexing without problems.

import { lex, tokenTexts, type Token, splitLines, MAX_LINES } from '../model/internals';

export interface ExtractedFunction {
  /** The function's name (`def NAME`). */
  name: string;
  /** Dedented text, `def` at column 0, ending with one '\n'. Comments and blank lines kept. */
  text: string;
  /** The file it came from (as given), or a generator label. */
  file: string;
  /** 1-based line of the `def` (or `async`) in the file. */
  startLine: number;
  /** Lexer tokens of `text` (countTokens), from the lexing that checked it. */
  tokenCount: number;
  /** normalizedKey(text), when ExtractOptions.keys asked for it: the corpus hashes every function. */
  key?: string;
}

export interface ExtractOptions {
  /** Most lexer tokens (NEWLINE/INDENT/DEDENT included) a function may have. Default 100. */
  maxTokens?: number;
  /** Most physical lines a function may have. Default MAX_LINES (what the model reads). */
  maxLines?: number;
  /** Also give each function its normalizedKey, from the same lexing (no second pass over its text). */
  keys?: boolean;
}

export const DEFAULT_MAX_TOKENS = 100;

/** What the model's length limit counts: lexer tokens, NEWLINE, INDENT and DEDENT included. */
export function countTokens(text: string): number {
  return lex(text).tokens.length;
}

/** Joins the token texts of a normalized key (a character no token text holds). */
const KEY_SEPARATOR = '\u0001';

/** A layout- and comment-insensitive key of a text: its token texts. Equal keys mean the same code. */
export function normalizedKey(text: string): string {
  return tokenTexts(lex(text).tokens).join(KEY_SEPARATOR);
}

/** Every `def` function of one file's text that fits the limits, in file order. */
export function extractFunctions(source: string, file: string, options: ExtractOptions = {}): ExtractedFunction[] {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  // One line-break style, so texts compare and serialize the same everywhere.
  const text = source.replace(/\r\n?/g, '\n');
  const { tokens } = lex(text);
  const lines = splitLines(text);
  const found: ExtractedFunction[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'KEYWORD' || token.text !== 'def') continue;
    const isAsync = tokens[i - 1]?.text === 'async' && startsStatement(tokens, i - 1);
    if (!isAsync && !startsStatement(tokens, i)) continue;
    const first = isAsync ? tokens[i - 1]! : token;
    const end = functionEnd(tokens, i);
    if (end === undefined) continue;
    const line = lines[first.line - 1];
    const name = tokens[i + 1];
    if (line === undefined || name?.kind !== 'NAME' || first.start !== line.start + line.indentText.length) continue;
    const dedented = dedent(text.slice(line.start, end), line.indentText);
    if (splitLines(dedented).length > (options.maxLines ?? MAX_LINES)) continue;
    const lexed = lex(dedented);
    if (lexed.problems.length > 0 || lexed.tokens.length > maxTokens) continue;
    const fn: ExtractedFunction = { name: name.text, text: dedented, file, startLine: first.line, tokenCount: lexed.tokens.length };
    if (options.keys) fn.key = tokenTexts(lexed.tokens).join(KEY_SEPARATOR);
    found.push(fn);
  }
  return found;
}

/** Keeps the first function of each normalized token text (across files, in the given order). */
export function dedupeFunctions<T extends { text: string }>(functions: readonly T[]): T[] {
  const seen = new Set<string>();
  return functions.filter((fn) => {
    const key = normalizedKey(fn.text);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A token at the start of a logical line (after NEWLINE, INDENT, DEDENT or at the very start). */
function startsStatement(tokens: readonly Token[], i: number): boolean {
  const previous = tokens[i - 1];
  return previous === undefined || previous.kind === 'NEWLINE' || previous.kind === 'INDENT' || previous.kind === 'DEDENT';
}

/**
 * The offset just past the function's last line (its line break included), or undefined when the
 * structure is broken. The body is the header's own line (`def f(): pass`) or the indented block
 * that follows its NEWLINE, up to the matching DEDENT.
 */
function functionEnd(tokens: readonly Token[], defIndex: number): number | undefined {
  let depth = 0;
  let i = defIndex + 1;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'NEWLINE') break;
    if (t.kind !== 'OP') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (t.text === ':' && depth === 0) break;
  }
  if (tokens[i]?.text !== ':') return undefined;
  const afterColon = tokens[i + 1];
  if (afterColon === undefined) return undefined;
  if (afterColon.kind !== 'NEWLINE') {
    // One-line body: up to this logical line's NEWLINE.
    while (i < tokens.length && tokens[i]!.kind !== 'NEWLINE') i++;
    return tokens[i]?.end;
  }
  if (tokens[i + 2]?.kind !== 'INDENT') return undefined;
  let level = 0;
  let lastNewline: Token | undefined;
  for (let j = i + 2; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind === 'INDENT') level++;
    else if (t.kind === 'DEDENT' && --level === 0) break;
    else if (t.kind === 'NEWLINE') lastNewline = t;
  }
  return lastNewline?.end;
}

/**
 * Removes `indent` from the start of every line. A line with less (or other) leading whitespace can
 * only be blank, a comment, a bracket continuation or inside a multi-line string: it loses what
 * whitespace it has, which changes no code (at most a string's inner spacing, as docstrings do).
 */
function dedent(text: string, indent: string): string {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith(indent)) out.push(raw.slice(indent.length));
    else if (raw.trim() === '') out.push('');
    else out.push(raw.replace(/^[ \t]+/, (ws) => (ws.length <= indent.length ? '' : ws)));
  }
  let result = out.join('\n');
  if (!result.endsWith('\n')) result += '\n';
  return result;
}
