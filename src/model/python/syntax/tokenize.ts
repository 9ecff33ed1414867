// CPython 3.11's tokenizer (Parser/tokenizer.c), rewritten for the syntax check: the same tokens,
// the same INDENT/DEDENT rules (tabs to multiples of 8, checked against tabs of 1), the same
// number and string rules, and the same errors with their words. Text comes in as compile() gets a
// str: line breaks \r\n and lone \r are \n, a missing final line break is added, and the coding
// cookie is ignored (a str has no encoding to declare), so a BOM is an invalid character.

import { isDigit, isIdChar, isIdStart, scanNumber, scanString, stringPrefixEnd } from './tokenize-literals';
import { KEYWORDS } from '../lexer';

export const NAME = 1;
export const NUMBER = 2;
export const STRING = 3;
export const OP = 4;
export const NEWLINE = 5;
export const INDENT = 6;
export const DEDENT = 7;
export const ENDMARKER = 8;
/** A NAME that is one of Python 3.11's hard keywords (pegen matches them as keyword tokens). */
export const KEYWORD = 9;

const HARD_KEYWORDS: ReadonlySet<string> = new Set(KEYWORDS);

export interface PyToken {
  type: number;
  /** The token's text; '' for NEWLINE, INDENT, DEDENT and ENDMARKER. */
  text: string;
  /** 1-based line and 0-based column (UTF-16 units) of the first character, as CPython counts them. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** Bracket depth after this token, as tokenizer.c keeps it. */
  level: number;
}

/**
 * Why tokenizing stopped early. `direct` errors are raised by the tokenizer itself (CPython's
 * syntaxerror()) and win over a parser error found earlier; the others (end of file, dedent, tabs,
 * depth, continuation) only count when the parser asks for the token that fails.
 */
export interface TokenizeError {
  kind: 'direct' | 'eof' | 'dedent' | 'tabspace' | 'toodeep' | 'linecont';
  message: string;
  line: number;
  /** 1-based, as SyntaxError.offset. */
  col: number;
  /** Open brackets (innermost last) where it stopped. */
  brackets: OpenBracket[];
}

export interface OpenBracket {
  char: string;
  line: number;
  col: number;
}

export interface Tokenized {
  /** Tokens before the error (all of them, ending with ENDMARKER, when there is none). */
  tokens: PyToken[];
  error: TokenizeError | null;
}

/** tokenizer.h: TABSIZE, ALTTABSIZE, MAXINDENT, MAXLEVEL. */
const TAB_SIZE = 8;
const ALT_TAB_SIZE = 1;
export const MAX_INDENT = 100;
export const MAX_LEVEL = 200;

const THREE_CHAR_OPS = new Set(['**=', '...', '//=', '<<=', '>>=']);
const TWO_CHAR_OPS = new Set([
  '!=',
  '%=',
  '&=',
  '**',
  '*=',
  '+=',
  '-=',
  '->',
  '//',
  '/=',
  ':=',
  '<<',
  '<=',
  '<>',
  '==',
  '>=',
  '>>',
  '@=',
  '^=',
  '|=',
]);

const ID_START = /[\p{XID_Start}_]/u;
const ID_CONTINUE = /[\p{XID_Continue}]/u;
const PRINTABLE_NOT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Py_UNICODE_ISPRINTABLE: a space is printable, other separators and control characters are not. */
export function isPrintable(ch: string): boolean {
  return ch === ' ' || !PRINTABLE_NOT.test(ch);
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/** Where the first character of `name` that cannot be in an identifier is, or -1 (_PyUnicode_ScanIdentifier). */
function invalidIdentifierAt(name: string): number {
  let i = 0;
  for (const ch of name) {
    if (i === 0 ? !ID_START.test(ch) : !ID_CONTINUE.test(ch)) return i;
    i += ch.length;
  }
  return -1;
}

/** Tokenizes `source` (already \n-only and ending in \n, or empty) the way compile() does. */
export function tokenize(source: string): Tokenized {
  const tokens: PyToken[] = [];
  const n = source.length;
  const indents = [0];
  const altIndents = [0];
  const brackets: OpenBracket[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  let pendingIndents = 0;

  const fail = (kind: TokenizeError['kind'], message: string, errLine: number, col: number): Tokenized => ({
    tokens,
    error: { kind, message, line: errLine, col, brackets: brackets.slice() },
  });
  const push = (type: number, text: string, start: number, end: number): void => {
    tokens.push({
      type,
      text,
      line,
      col: start - lineStart,
      endLine: line,
      endCol: end - lineStart,
      level: brackets.length,
    });
  };
  const newLine = (at: number): void => {
    line++;
    lineStart = at;
  };

  for (;;) {
    let blankLine = false;
    if (atLineStart) {
      atLineStart = false;
      let col = 0;
      let altCol = 0;
      let contLineCol = 0;
      for (;;) {
        const c = source.charCodeAt(pos);
        if (c === 32) {
          col++;
          altCol++;
        } else if (c === 9) {
          col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
          altCol = (Math.floor(altCol / ALT_TAB_SIZE) + 1) * ALT_TAB_SIZE;
        } else if (c === 12) {
          col = altCol = 0;
        } else if (c === 92) {
          // A backslash in the indentation: the first one fixes the level of what follows.
          contLineCol = contLineCol || col;
          if (source.charCodeAt(pos + 1) !== 10)
            return fail(
              'linecont',
              'unexpected character after line continuation character',
              line,
              pos + 2 - lineStart,
            );
          if (pos + 2 >= n) return fail('eof', 'unexpected EOF while parsing', line, pos + 1 - lineStart);
          pos += 2;
          newLine(pos);
          continue;
        } else break;
        pos++;
      }
      const c = source.charCodeAt(pos);
      if (c === 35 || c === 10) blankLine = true;
      if (!blankLine && brackets.length === 0 && pos < n) {
        if (contLineCol) col = altCol = contLineCol;
        const top = indents.length - 1;
        if (col === indents[top]) {
          if (altCol !== altIndents[top])
            return fail('tabspace', 'inconsistent use of tabs and spaces in indentation', line, 1);
        } else if (col > indents[top]) {
          if (indents.length >= MAX_INDENT) return fail('toodeep', 'too many levels of indentation', line, 1);
          if (altCol <= altIndents[top])
            return fail('tabspace', 'inconsistent use of tabs and spaces in indentation', line, 1);
          pendingIndents++;
          indents.push(col);
          altIndents.push(altCol);
        } else {
          while (indents.length > 1 && col < indents[indents.length - 1]) {
            pendingIndents--;
            indents.pop();
            altIndents.pop();
          }
          if (col !== indents[indents.length - 1]) {
            const lineEnd = source.indexOf('\n', pos);
            const endCol = (lineEnd < 0 ? n : lineEnd) - lineStart + 1;
            return fail('dedent', 'unindent does not match any outer indentation level', line, endCol);
          }
          if (altCol !== altIndents[altIndents.length - 1])
            return fail('tabspace', 'inconsistent use of tabs and spaces in indentation', line, 1);
        }
      }
      if (pos >= n) {
        // End of input: close every block, then ENDMARKER (on the last line, as CPython numbers it).
        if (brackets.length > 0) return fail('eof', 'unexpected EOF while parsing', line, 0);
        line = Math.max(1, line - 1);
        for (let i = indents.length - 1; i > 0; i--)
          tokens.push({ type: DEDENT, text: '', line, col: 0, endLine: line, endCol: 0, level: 0 });
        tokens.push({ type: ENDMARKER, text: '', line, col: 0, endLine: line, endCol: 0, level: 0 });
        return { tokens, error: null };
      }
    }
    while (pendingIndents !== 0) {
      const type = pendingIndents < 0 ? DEDENT : INDENT;
      pendingIndents += pendingIndents < 0 ? 1 : -1;
      push(type, '', pos, pos);
    }

    // One token (or a comment, a continuation, a line break).
    let c = source.charCodeAt(pos);
    while (c === 32 || c === 9 || c === 12) c = source.charCodeAt(++pos);
    const start = pos;
    if (c === 35) {
      while (pos < n && source.charCodeAt(pos) !== 10) pos++;
      c = source.charCodeAt(pos);
    }
    if (pos >= n) {
      if (brackets.length > 0) return fail('eof', 'unexpected EOF while parsing', line, 0);
      atLineStart = true;
      continue;
    }
    if (c === 10) {
      pos++;
      if (!blankLine && brackets.length === 0) push(NEWLINE, '', start, start + 1);
      newLine(pos);
      atLineStart = true;
      if (blankLine || brackets.length > 0) atLineStart = true;
      continue;
    }
    if (isIdStart(c)) {
      const quoteAt = stringPrefixEnd(source, pos);
      if (quoteAt >= 0) {
        pos = quoteAt;
      } else {
        let nonAscii = false;
        while (pos < n && isIdChar(source.charCodeAt(pos))) {
          if (source.charCodeAt(pos) >= 128) nonAscii = true;
          pos++;
        }
        const name = source.slice(start, pos);
        if (nonAscii) {
          const bad = invalidIdentifierAt(name);
          if (bad >= 0) {
            const ch = String.fromCodePoint(name.codePointAt(bad)!);
            const message = isPrintable(ch)
              ? `invalid character '${ch}' (U+${hex4(ch.codePointAt(0)!)})`
              : `invalid non-printable character U+${hex4(ch.codePointAt(0)!)}`;
            return fail('direct', message, line, start + bad - lineStart + 1);
          }
        }
        push(HARD_KEYWORDS.has(name) ? KEYWORD : NAME, name, start, pos);
        continue;
      }
    }
    c = source.charCodeAt(pos);
    if (c === 39 || c === 34) {
      const end = scanString(source, pos);
      if (end < 0) {
        const triple = source.startsWith(source[pos].repeat(3), pos);
        const detected = line + countLines(source, pos, -end) - 1;
        const what = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
        return fail('direct', `${what} (detected at line ${detected})`, line, start - lineStart + 1);
      }
      const text = source.slice(start, end);
      const startLine = line;
      const startCol = start - lineStart;
      for (let i = source.indexOf('\n', pos); i >= 0 && i < end; i = source.indexOf('\n', i + 1)) newLine(i + 1);
      pos = end;
      tokens.push({
        type: STRING,
        text,
        line: startLine,
        col: startCol,
        endLine: line,
        endCol: end - lineStart,
        level: brackets.length,
      });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(pos + 1)))) {
      const number = scanNumber(source, pos);
      if (typeof number === 'string') {
        return fail(
          'direct',
          number.slice(number.indexOf(':') + 1),
          line,
          Number(number.slice(0, number.indexOf(':'))) - lineStart + 1,
        );
      }
      pos = number;
      push(NUMBER, source.slice(start, pos), start, pos);
      continue;
    }
    if (c === 92) {
      if (source.charCodeAt(pos + 1) !== 10)
        return fail('linecont', 'unexpected character after line continuation character', line, pos + 2 - lineStart);
      if (pos + 2 >= n) return fail('eof', 'unexpected EOF while parsing', line, pos + 2 - lineStart);
      pos += 2;
      newLine(pos);
      continue;
    }
    const three = source.slice(pos, pos + 3);
    const two = three.slice(0, 2);
    if (THREE_CHAR_OPS.has(three)) {
      pos += 3;
      push(OP, three, start, pos);
      continue;
    }
    if (TWO_CHAR_OPS.has(two)) {
      pos += 2;
      push(OP, two, start, pos);
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(pos)!);
    if (ch === '(' || ch === '[' || ch === '{') {
      if (brackets.length >= MAX_LEVEL) return fail('direct', 'too many nested parentheses', line, pos - lineStart + 1);
      brackets.push({ char: ch, line, col: pos - lineStart });
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const open = brackets.pop();
      if (!open) return fail('direct', `unmatched '${ch}'`, line, pos - lineStart + 1);
      if ('([{'.indexOf(open.char) !== ')]}'.indexOf(ch)) {
        const where = open.line !== line ? ` on line ${open.line}` : '';
        return fail(
          'direct',
          `closing parenthesis '${ch}' does not match opening parenthesis '${open.char}'${where}`,
          line,
          pos - lineStart + 1,
        );
      }
    } else if (!isPrintable(ch)) {
      return fail('direct', `invalid non-printable character U+${hex4(ch.codePointAt(0)!)}`, line, pos - lineStart + 1);
    }
    pos += ch.length;
    push(OP, ch, start, pos);
  }
}

function countLines(source: string, from: number, to: number): number {
  let lines = 1;
  for (let i = source.indexOf('\n', from); i >= 0 && i < to - 1; i = source.indexOf('\n', i + 1)) lines++;
  return lines;
}
