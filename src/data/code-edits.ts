// Small helpers over the lexer's tokens shared by the modernizer: logical statements, matching
// brackets, the parts of a def header, and edits applied as spans of the original text.

import { lex, type Token } from '../model/internals';

export const OPENERS = new Set(['(', '[', '{']);
export const CLOSERS = new Set([')', ']', '}']);

/** A logical line: its tokens (no NEWLINE/INDENT/DEDENT) and its indentation depth. */
export interface Statement {
  tokens: Token[];
  depth: number;
}

export function statementsOf(tokens: readonly Token[]): Statement[] {
  const out: Statement[] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'INDENT') depth++;
    else if (t.kind === 'DEDENT') depth--;
    else if (t.kind === 'NEWLINE') {
      if (current.length > 0) out.push({ tokens: current, depth });
      current = [];
    } else if (t.kind !== 'ENDMARKER') current.push(t);
  }
  if (current.length > 0) out.push({ tokens: current, depth });
  return out;
}

/** Index of the bracket closing the one at `open`, or -1. */
export function matchingClose(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'OP') continue;
    if (OPENERS.has(t.text)) depth++;
    else if (CLOSERS.has(t.text) && --depth === 0) return i;
  }
  return -1;
}

/** Splits tokens at the commas of their own level (brackets inside are kept whole). */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'OP' && OPENERS.has(t.text)) depth++;
    else if (t.kind === 'OP' && CLOSERS.has(t.text)) depth--;
    if (depth === 0 && t.kind === 'OP' && t.text === separator) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

/** The def header of a function text: where its tokens are. */
export interface Header {
  tokens: Token[];
  /** Index of `def`, of `(` and `)` of the parameter list, and of the header's `:`. */
  def: number;
  open: number;
  close: number;
  colon: number;
  /** Index of `->` when the function has a return annotation. */
  arrow: number;
  params: Param[];
  /** The function is `async def`. */
  isAsync: boolean;
  /** Decorator lines before `def`. */
  decorated: boolean;
}

export interface Param {
  tokens: Token[];
  /** The parameter's name token (undefined for a bare `*` or `/`). */
  name?: Token;
  /** '', '*' or '**'. */
  star: string;
  /** Index in `tokens` of ':' (annotation) and '=' (default), or -1. */
  colon: number;
  equals: number;
}

export function parseHeader(text: string): Header | null {
  const tokens = lex(text).tokens;
  const def = tokens.findIndex((t) => t.kind === 'KEYWORD' && t.text === 'def');
  if (def < 0 || tokens[def + 1]?.kind !== 'NAME' || tokens[def + 2]?.text !== '(') return null;
  const open = def + 2;
  const close = matchingClose(tokens, open);
  if (close < 0) return null;
  let colon = close + 1;
  let arrow = -1;
  if (tokens[colon]?.text === '->') {
    arrow = colon;
    let depth = 0;
    for (colon = arrow + 1; colon < tokens.length; colon++) {
      const t = tokens[colon]!;
      if (OPENERS.has(t.text)) depth++;
      else if (CLOSERS.has(t.text)) depth--;
      else if (t.text === ':' && depth === 0) break;
    }
  }
  if (tokens[colon]?.text !== ':') return null;
  const inner = tokens.slice(open + 1, close);
  const params = inner.length === 0 ? [] : splitTopLevel(inner).filter((p) => p.length > 0).map(describeParam);
  const isAsync = tokens[def - 1]?.text === 'async';
  const decorated = tokens.slice(0, def).some((t) => t.text === '@');
  return { tokens, def, open, close, colon, arrow, params, isAsync, decorated };
}

function describeParam(tokens: Token[]): Param {
  const star = tokens[0]?.text === '*' || tokens[0]?.text === '**' ? tokens[0].text : '';
  const nameToken = tokens[star === '' ? 0 : 1];
  const name = nameToken?.kind === 'NAME' ? nameToken : undefined;
  const top = (text: string) => {
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (OPENERS.has(t.text)) depth++;
      else if (CLOSERS.has(t.text)) depth--;
      else if (depth === 0 && t.text === text) return i;
    }
    return -1;
  };
  return { tokens, name, star, colon: top(':'), equals: top('=') };
}

/** A replacement of the span [start, end) of a text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** The start of the physical line holding offset `at`, and the end just past its line break. */
export function lineSpan(text: string, at: number, to = at): { start: number; end: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', to);
  return { start, end: newline < 0 ? text.length : newline + 1 };
}

/** The leading whitespace of the physical line holding offset `at`. */
export function indentAt(text: string, at: number): string {
  const { start } = lineSpan(text, at);
  return /^[ \t]*/.exec(text.slice(start))![0];
}
