// Does a text compile as Python? The check follows CPython 3.11's compile(text, '<s>', 'exec'):
// its tokenizer, its grammar with the second pass that picks the specific message, and the
// compile-time rules (symtable and compiler). See docs/syntax-check.md for how it was measured.
import { compileError, lastStatementLine } from './syntax/compile-check';
import { MAX_INDENT, MAX_LEVEL } from './syntax/tokenize';
import type { Token } from './lexer';

export interface ParseCheck {
  ok: boolean;
  /** 1-based line of the first error, as SyntaxError.lineno; null when the text compiles. */
  errorLine: number | null;
  /** 1-based column of the first error, as SyntaxError.offset; null when the text compiles. */
  errorColumn?: number | null;
  /** Character offset of the error in the text, when there is one. */
  errorOffset?: number;
  /** CPython's message for the error ("expected ':'", "invalid syntax", ...). */
  message?: string;
}

/** CPython's limits (Parser/tokenizer.h MAXLEVEL and MAXINDENT): deeper code does not compile there. */
export const MAX_BRACKET_NESTING = MAX_LEVEL;
export const MAX_INDENT_LEVELS = MAX_INDENT;

/** compile() gives up on expressions nested deeper than this (RecursionError while compiling). */
const TOO_COMPLEX = 'maximum recursion depth exceeded during compilation';

/**
 * The line where brackets or blocks nest deeper than Python allows, or null (for callers that
 * explain the refusal; checkPythonSyntax finds the same through the tokenizer's own limits).
 */
export function tooDeepLine(tokens: readonly Token[]): number | null {
  let brackets = 0;
  let indents = 0;
  for (const token of tokens) {
    if (token.kind === 'OP') {
      if (token.text === '(' || token.text === '[' || token.text === '{') brackets++;
      else if (token.text === ')' || token.text === ']' || token.text === '}') brackets = Math.max(0, brackets - 1);
      if (brackets > MAX_BRACKET_NESTING) return token.line;
    } else if (token.kind === 'INDENT') {
      if (++indents > MAX_INDENT_LEVELS) return token.line;
    } else if (token.kind === 'DEDENT') {
      indents = Math.max(0, indents - 1);
    }
  }
  return null;
}

/** The character offset of a 1-based line and column in `text` (any of \n, \r\n, \r ends a line). */
function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.slice(start).search(/\r\n?|\n/);
    if (next < 0) return text.length;
    start += next + (text.startsWith('\r\n', start + next) ? 2 : 1);
  }
  return Math.min(text.length, start + Math.max(0, column - 1));
}

/** The last text checked and its answer: callers check the same text again (a whole file, twice). */
let lastText: string | null = null;
let lastFragment = false;
let lastCheck: ParseCheck = { ok: true, errorLine: null, errorColumn: null };

/** Whether `text` compiles, and if not, where and why, in CPython's words. Never throws. */
export function checkPythonSyntax(text: string): ParseCheck {
  return cachedCheck(text, false);
}

/**
 * The same check for lines cut from a function's body (the fix search's windows of a long
 * function): `return`, `yield`, `await`, `break`, `continue` and `nonlocal` at the lines' own level
 * are allowed there, as in the body of an async function inside a loop; every other rule holds.
 */
export function checkFragmentSyntax(text: string): ParseCheck {
  return cachedCheck(text, true);
}

function cachedCheck(text: string, fragment: boolean): ParseCheck {
  if (text !== lastText || fragment !== lastFragment) {
    lastCheck = checkUncached(text, fragment);
    lastText = text;
    lastFragment = fragment;
  }
  return { ...lastCheck };
}

function checkUncached(text: string, fragment: boolean): ParseCheck {
  let error;
  try {
    error = compileError(text, fragment);
  } catch (e) {
    // Nesting deep enough to exhaust the stack: compile() raises RecursionError there too. Any
    // other exception is a bug in the check; the text is refused with the reason rather than thrown.
    const message = e instanceof RangeError ? TOO_COMPLEX : `the syntax check failed: ${String(e)}`;
    return { ok: false, errorLine: 1, errorColumn: 1, errorOffset: 0, message };
  }
  if (!error) return { ok: true, errorLine: null, errorColumn: null };
  const errorLine = Math.max(1, error.line);
  const errorColumn = Math.max(1, error.col);
  return {
    ok: false,
    errorLine,
    errorColumn,
    errorOffset: offsetOf(text, errorLine, errorColumn),
    message: error.message,
  };
}

/**
 * Whether `line` can follow `prefix` (the code up to a line break) in a Python program: the two
 * parse together, or they do once a line that opens a block (ends with ':') gets a body. A right
 * next line often opens a block, and a prefix cut after `if x:` needs the line to close that one.
 */
export function checkCompletionSyntax(prefix: string, line: string): boolean {
  // Only whether it compiles, so no second pass for the message; and of a long prefix only its
  // last top-level statement, which is all the line can extend (completionContext).
  const text = `${completionContext(prefix, line).replace(/\n?$/, '\n')}${line}\n`;
  if (compilesFirstPass(text)) return true;
  if (!/:\s*(#.*)?$/.test(line)) return false;
  const indent = /^[ \t]*/.exec(line)![0];
  return compilesFirstPass(`${text}${indent}    pass\n`);
}

/** Prefixes shorter than this are checked whole with each candidate line: parsing them is cheap. */
export const COMPLETION_TAIL_MIN_LINES = 200;
/**
 * Module-wide rules a tail alone would miss: `global` after a use or beside an annotation at the
 * top level, and `__future__` imports (which must come first, and one changes the grammar).
 */
const MODULE_WIDE_RULES = /\bglobal\b|\b__future__\b/;

let lastPrefix: string | null = null;
let lastPrefixTail: string | null = null;

/**
 * What `line` must compile with to follow `prefix`: the prefix, or for a long prefix that compiles
 * its last top-level statement on. The statements before it parse the same whatever follows (a
 * top-level statement starts with no bracket, string or block open), so both give one answer, and
 * the candidates of a 5,000-line file cost a few lines each, not a whole parse.
 */
function completionContext(prefix: string, line: string): string {
  if (MODULE_WIDE_RULES.test(line)) return prefix;
  if (prefix !== lastPrefix) {
    lastPrefix = prefix;
    lastPrefixTail = null;
    const lines = prefix.split('\n');
    // A lone \r ends a line for Python but not for split('\n'): such a prefix is checked whole.
    if (lines.length >= COMPLETION_TAIL_MIN_LINES && !MODULE_WIDE_RULES.test(prefix) && !prefix.includes('\r')) {
      let start: number | null = null;
      try {
        start = lastStatementLine(prefix);
      } catch {
        // Checked whole below, where a failure reads as "does not compile".
      }
      if (start !== null) lastPrefixTail = lines.slice(start - 1).join('\n');
    }
  }
  return lastPrefixTail ?? prefix;
}

/** Whether `text` compiles, without looking for the message when it does not. Never throws. */
function compilesFirstPass(text: string): boolean {
  if (text === lastText && !lastFragment) return lastCheck.ok;
  try {
    return compileError(text, false, true) === null;
  } catch {
    return false;
  }
}

/**
 * checkCompletionSyntax with its first error: lines count in the prefix followed by the line (and,
 * for a line that opens a block, the body added after it, so the error is never that missing body).
 */
export function completionSyntaxCheck(prefix: string, line: string): ParseCheck {
  const text = `${prefix.replace(/\n?$/, '\n')}${line}\n`;
  const joined = checkPythonSyntax(text);
  if (joined.ok || !/:\s*(#.*)?$/.test(line)) return joined;
  const indent = /^[ \t]*/.exec(line)![0];
  return checkPythonSyntax(`${text}${indent}    pass\n`);
}
