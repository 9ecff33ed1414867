// Turns token texts back into readable, PEP 8-like Python. Only texts are needed (the model emits
// texts): the kind of each token is recovered from its spelling. Guarantee: lexing the output gives
// the same tokens again, so detokenized code means what the tokens mean.

import { STRUCTURAL_MARKERS, isKeyword, isValueKeyword, OPERATORS, type TokenKind } from './lexer';

export interface DetokenizeOptions {
  /** One indentation level. Default four spaces. */
  indent?: string;
  /** Whitespace before every line (a method's class indentation). Default none. */
  baseIndent?: string;
  /** Indentation depth before the first token, e.g. 1 for a body that follows a docstring. */
  startDepth?: number;
  /** Line break written for each NEWLINE marker. Default '\n'. */
  newline?: string;
}

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);
/** Keywords that are values: they space like names. */
/** Operators that are unary after an operator, an opener, a keyword or at the start of a line. */
const UNARY_CAPABLE = new Set(['-', '+', '~', '*', '**']);
/** Operators of 2+ characters: gluing two tokens must not form one across their boundary. */
const LONG_OPERATORS = OPERATORS.filter((op) => op.length > 1);
/** Special vocabulary tokens such as `<s>` or `<L3>`: never Python, skipped. */
const SPECIAL_RE = /^<\/?[A-Za-z][A-Za-z0-9_]*>$/;

/** The token kind a text spells (NEWLINE/INDENT/DEDENT for their markers). */
function kindOfText(text: string): TokenKind {
  if (text === STRUCTURAL_MARKERS.NEWLINE) return 'NEWLINE';
  if (text === STRUCTURAL_MARKERS.INDENT) return 'INDENT';
  if (text === STRUCTURAL_MARKERS.DEDENT) return 'DEDENT';
  if (/^[A-Za-z]{0,2}['"]/.test(text)) return 'STRING';
  if (/^\.?[0-9]/.test(text)) return 'NUMBER';
  if (/^[\p{XID_Start}_]/u.test(text)) return isKeyword(text) ? 'KEYWORD' : 'NAME';
  return 'OP';
}

/** One bracket level (the statement itself is the outermost, with opener ''). */
interface Frame {
  opener: string;
  /** Lambdas whose ':' has not come yet. */
  pendingLambdas: number;
  /** A ':' annotation was seen in the current parameter, so its '=' gets spaces. */
  annotated: boolean;
}

interface Written {
  text: string;
  kind: TokenKind;
  /** A unary operator (or a decorator '@'): no space after it. */
  unary: boolean;
  /** A ':' that ended lambda parameters. */
  lambdaColon: boolean;
}

/** Lays out the tokens of one logical line. */
class LineWriter {
  private frames: Frame[] = [{ opener: '', pendingLambdas: 0, annotated: false }];
  private prev: Written | null = null;
  private inFromImport = false;
  text = '';

  get empty(): boolean {
    return this.prev === null;
  }

  /** Appends a token; returns the gap put before it (' ' or ''). */
  add(text: string): string {
    const kind = kindOfText(text);
    const frame = this.frames[this.frames.length - 1]!;
    const unary = this.isUnary(text, kind);
    const space =
      this.prev !== null && (this.wantsSpace(this.prev, text, kind, frame) || this.mustSeparate(this.prev, text, kind));
    this.text += (space ? ' ' : '') + text;
    if (this.prev === null && text === 'from') this.inFromImport = true;
    if (text === 'import') this.inFromImport = false;
    let lambdaColon = false;
    if (text === 'lambda') frame.pendingLambdas++;
    else if (text === ':' && frame.pendingLambdas > 0) {
      frame.pendingLambdas--;
      lambdaColon = true;
    } else if (text === ':' && frame.opener === '(') frame.annotated = true;
    else if (text === ',') frame.annotated = false;
    if (OPENERS.has(text)) this.frames.push({ opener: text, pendingLambdas: 0, annotated: false });
    else if (CLOSERS.has(text) && this.frames.length > 1) this.frames.pop();
    const decorator = text === '@' && this.prev === null;
    this.prev = { text, kind, unary: unary || decorator, lambdaColon };
    return space ? ' ' : '';
  }

  private isUnary(text: string, kind: TokenKind): boolean {
    if (kind !== 'OP' || !UNARY_CAPABLE.has(text)) return false;
    if (text === '~') return true;
    const prev = this.prev;
    if (prev === null) return true;
    if (prev.kind === 'KEYWORD') return !isValueKeyword(prev.text);
    return prev.kind === 'OP' && !CLOSERS.has(prev.text) && prev.text !== '...';
  }

  /** Style: where a space reads well. */
  private wantsSpace(prev: Written, text: string, kind: TokenKind, frame: Frame): boolean {
    const p = prev.text;
    if (CLOSERS.has(text) || text === ',' || text === ';') return false;
    if (OPENERS.has(p)) return false;
    if (p === ',' || p === ';') return true;
    if (text === ':') return false;
    if (this.inFromImport && (text === '.' || text === '...')) return p === 'from';
    if (this.inFromImport && (p === '.' || p === '...')) return text === 'import';
    if (text === '.') return prev.kind === 'KEYWORD' && !isValueKeyword(p);
    if (p === '.') return kind === 'KEYWORD' && !isValueKeyword(text);
    if (p === ':') return prev.lambdaColon || frame.opener !== '[';
    if (text === '=' || p === '=') {
      const keywordArgument = (frame.opener === '(' && !frame.annotated) || frame.pendingLambdas > 0;
      return !keywordArgument;
    }
    if (prev.unary) return false;
    if (text === '(' || text === '[') {
      const callable = prev.kind === 'NAME' || prev.kind === 'STRING' || CLOSERS.has(p) || isValueKeyword(p);
      return !callable;
    }
    return true;
  }

  /** Correctness: tokens that would lex as one when glued. */
  private mustSeparate(prev: Written, text: string, kind: TokenKind): boolean {
    const p = prev.text;
    const word = (k: TokenKind) => k === 'NAME' || k === 'KEYWORD' || k === 'NUMBER' || k === 'STRING';
    if (word(prev.kind) && word(kind)) return true;
    if (prev.kind === 'NUMBER' && (text.startsWith('.') || kind === 'NAME')) return true;
    if (p.endsWith('.') && /^[0-9]/.test(text)) return true;
    if (prev.kind !== 'OP' || kind !== 'OP') return false;
    const tail = this.text.slice(-2);
    const joined = tail + text;
    return LONG_OPERATORS.some((op) => {
      for (let i = Math.max(0, tail.length - op.length + 1); i < tail.length; i++) {
        if (joined.startsWith(op, i) && i + op.length > tail.length) return true;
      }
      return false;
    });
  }
}

/**
 * Token texts (with `<NEWLINE>`, `<INDENT>`, `<DEDENT>` markers) to Python source. Each NEWLINE
 * ends a line; tokens after the last NEWLINE form a last line without a break. Specials like `</s>`
 * are skipped.
 */
export function detokenize(texts: readonly string[], options: DetokenizeOptions = {}): string {
  const indent = options.indent ?? '    ';
  const baseIndent = options.baseIndent ?? '';
  const newline = options.newline ?? '\n';
  let depth = options.startDepth ?? 0;
  // INDENT/DEDENT come before a line's first token: a line keeps the depth it started at.
  let lineDepth = depth;
  let out = '';
  let writer = new LineWriter();
  const endLine = (lineBreak: string) => {
    if (!writer.empty) out += baseIndent + indent.repeat(lineDepth) + writer.text + lineBreak;
    writer = new LineWriter();
  };
  for (const text of texts) {
    if (text === STRUCTURAL_MARKERS.NEWLINE) endLine(newline);
    else if (text === STRUCTURAL_MARKERS.INDENT) depth++;
    else if (text === STRUCTURAL_MARKERS.DEDENT) depth = Math.max(0, depth - 1);
    else if (!SPECIAL_RE.test(text)) {
      if (writer.empty) lineDepth = depth;
      writer.add(text);
    }
  }
  endLine('');
  return out;
}

/** The tokens of a single line (no markers) as text, without indentation or line break. */
export function detokenizeLine(texts: readonly string[]): string {
  const { tokens, gaps } = lineGaps(texts);
  return tokens.map((t, i) => gaps[i] + t).join('');
}

/** The tokens of one line that are written (no specials, no NEWLINE), each with the gap laid out before it ('' first). */
export function lineGaps(texts: readonly string[]): { tokens: string[]; gaps: string[] } {
  const writer = new LineWriter();
  const tokens: string[] = [];
  const gaps: string[] = [];
  for (const text of texts) {
    if (SPECIAL_RE.test(text) || kindOfText(text) === 'NEWLINE') continue;
    gaps.push(writer.add(text));
    tokens.push(text);
  }
  return { tokens, gaps };
}
