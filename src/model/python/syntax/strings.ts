// What CPython checks when it joins adjacent string literals (Parser/string_parser.c in 3.11):
// bytes and str not mixed, bytes in ASCII, escapes complete, and f-strings: their braces,
// conversions, format specs, and each expression compiled on its own as `(expression)`.
import type { Node, Parser } from './parser-core';
import { PySyntaxError } from './parser-core';

/** string_parser.c: a format spec may hold expressions, but only one level deep. */
const MAX_FSTRING_NESTING = 2;
const FSTRING_MAX_BRACKETS = 200;

/** Checks an f-string's expression text, as compile() does with `(expr)`; set by the checker. */
let checkExpression: (source: string) => PySyntaxError | null = () => null;
export function setFStringExpressionCheck(check: (source: string) => PySyntaxError | null): void {
  checkExpression = check;
}

interface Literal {
  prefix: string;
  body: string;
  /** Offset of the body in the token's text. */
  bodyAt: number;
}

function splitLiteral(text: string): Literal {
  const quoteAt = text.search(/['"]/);
  const prefix = text.slice(0, quoteAt).toLowerCase();
  const quote = text[quoteAt];
  const size = text.startsWith(quote.repeat(3), quoteAt) && text.length >= quoteAt + 6 ? 3 : 1;
  return { prefix, body: text.slice(quoteAt + size, text.length - size), bodyAt: quoteAt + size };
}

/** The message for a broken escape in `body` (a non-raw literal), or null. */
function escapeError(body: string, bytes: boolean): string | null {
  for (let i = body.indexOf('\\'); i >= 0 && i < body.length; i = body.indexOf('\\', i + 2)) {
    const kind = body[i + 1];
    const width = kind === 'x' ? 2 : !bytes && kind === 'u' ? 4 : !bytes && kind === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = /^[0-9a-fA-F]*/.exec(body.slice(i + 2, i + 2 + width))![0];
      if (digits.length < width) {
        if (bytes) return `(value error) invalid \\x escape at position ${i}`;
        const name = kind === 'x' ? '\\xXX' : kind === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
        return `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1 + digits.length}: truncated ${name} escape`;
      }
      if (kind === 'U' && parseInt(digits, 16) > 0x10ffff) {
        return `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 9}: illegal Unicode character`;
      }
    } else if (kind === 'N' && !bytes) {
      const close = body.indexOf('}', i);
      if (body[i + 2] !== '{' || close < 0 || close === i + 3) {
        return `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1}: malformed \\N character escape`;
      }
      i = close - 1;
    }
  }
  return null;
}

/** strings: STRING+ joined; raises CPython's error for a bad literal. */
export function checkStrings(p: Parser, a: number, b: number): Node {
  let bytes = 0;
  let fstring = false;
  for (let i = a; i <= b; i++) {
    const token = p.tokens[i];
    const { prefix, body, bodyAt } = splitLiteral(token.text);
    const isBytes = prefix.includes('b');
    const raw = prefix.includes('r');
    if (isBytes) {
      bytes++;
      // eslint-disable-next-line no-control-regex
      if (/[^\u0000-\u007f]/.test(body)) p.raiseAt(i, 'bytes can only contain ASCII literal characters');
    }
    if (prefix.includes('f')) {
      fstring = true;
      checkFString(p, i, body, bodyAt, raw);
    } else if (!raw) {
      const message = escapeError(body, isBytes);
      if (message) p.raise(message);
    }
  }
  if (bytes > 0 && bytes <= b - a) p.raise('cannot mix bytes and nonbytes literals');
  return { k: fstring ? 'JoinedStr' : 'Constant', a, b, c: bytes > 0 ? 'bytes' : 'string' };
}

/** string_parser.c raises with RAISE_SYNTAX_ERROR: at the last token fetched, not at the string. */
function fail(p: Parser, token: number, message: string): never {
  void token;
  p.raise(message);
}

/** fstring_find_literal + fstring_find_expr over one f-string body, from `at`; returns where it stopped. */
function checkFString(p: Parser, token: number, body: string, bodyAt: number, raw: boolean, at = 0, depth = 0): number {
  let i = at;
  const end = body.length;
  let literalStart = i;
  const literalEscapes = (to: number): void => {
    if (raw) return;
    const message = escapeError(body.slice(literalStart, to), false);
    if (message) fail(p, token, message);
  };
  while (i < end) {
    const ch = body[i];
    if (!raw && ch === '\\') {
      if (body[i + 1] === 'N' && body[i + 2] === '{') {
        const close = body.indexOf('}', i);
        i = close < 0 ? end : close + 1;
      } else i += 2;
      continue;
    }
    if (ch !== '{' && ch !== '}') {
      i++;
      continue;
    }
    if (depth === 0 && body[i + 1] === ch) {
      i += 2;
      continue;
    }
    if (ch === '}') {
      if (depth === 0) fail(p, token, "f-string: single '}' is not allowed");
      literalEscapes(i);
      return i;
    }
    literalEscapes(i);
    i = checkFStringExpression(p, token, body, bodyAt, raw, i, depth);
    literalStart = i;
  }
  literalEscapes(end);
  return i;
}

function checkFStringExpression(
  p: Parser,
  token: number,
  body: string,
  bodyAt: number,
  raw: boolean,
  open: number,
  depth: number,
): number {
  if (depth >= MAX_FSTRING_NESTING) fail(p, token, 'f-string: expressions nested too deeply');
  const end = body.length;
  const brackets: string[] = [];
  let quote = '';
  let tripleQuote = false;
  let i = open + 1;
  for (; i < end; i++) {
    const ch = body[i];
    if (ch === '\\') fail(p, token, 'f-string expression part cannot include a backslash');
    if (quote) {
      if (ch === quote) {
        if (!tripleQuote) quote = '';
        else if (body[i + 1] === ch && body[i + 2] === ch) {
          i += 2;
          quote = '';
        }
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      tripleQuote = body[i + 1] === ch && body[i + 2] === ch && i + 2 < end;
      if (tripleQuote) i += 2;
      quote = ch;
    } else if (ch === '[' || ch === '{' || ch === '(') {
      if (brackets.length >= FSTRING_MAX_BRACKETS) fail(p, token, 'f-string: too many nested parenthesis');
      brackets.push(ch);
    } else if (ch === '#') {
      fail(p, token, "f-string expression part cannot include '#'");
    } else if (brackets.length === 0 && '!:}=<>'.includes(ch)) {
      const next = body[i + 1];
      if (next === '=' && ch !== ':' && ch !== '}') {
        i++;
        continue;
      }
      if (ch === '<' || ch === '>') continue;
      break;
    } else if (ch === ']' || ch === '}' || ch === ')') {
      const opening = brackets.pop();
      if (!opening) fail(p, token, `f-string: unmatched '${ch}'`);
      if ('([{'.indexOf(opening) !== ')]}'.indexOf(ch)) {
        fail(p, token, `f-string: closing parenthesis '${ch}' does not match opening parenthesis '${opening}'`);
      }
    }
  }
  if (quote) fail(p, token, 'f-string: unterminated string');
  if (brackets.length > 0) fail(p, token, `f-string: unmatched '${brackets[brackets.length - 1]}'`);
  if (i >= end) fail(p, token, "f-string: expecting '}'");
  const expression = body.slice(open + 1, i);
  if (/^[ \t\n\r\f\v]*$/.test(expression)) fail(p, token, 'f-string: empty expression not allowed');
  const error = checkExpression(`(${expression})`);
  if (error) {
    const t = p.tokens[token];
    const linesBefore = body.slice(0, open).split('\n').length - 1;
    throw new PySyntaxError(error.message, t.line + linesBefore + error.line - 1, error.col, 'parser');
  }
  if (body[i] === '=') {
    i++;
    while (i < end && /\s/.test(body[i])) i++;
    if (i >= end) fail(p, token, "f-string: expecting '}'");
  }
  if (body[i] === '!') {
    i++;
    if (i >= end) fail(p, token, "f-string: expecting '}'");
    const conversion = body[i++];
    if (conversion !== 's' && conversion !== 'r' && conversion !== 'a') {
      fail(p, token, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
  }
  if (i < end && body[i] === ':') {
    i++;
    if (i >= end) fail(p, token, "f-string: expecting '}'");
    i = checkFString(p, token, body, bodyAt, raw, i, depth + 1);
  }
  if (i >= end || body[i] !== '}') fail(p, token, "f-string: expecting '}'");
  return i + 1;
}
