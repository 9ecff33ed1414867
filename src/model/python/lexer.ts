// A tolerant Python 3.11 lexer. It lexes the buggy code the model is asked to repair, so it never
// throws: every oddity becomes a recorded problem and lexing carries on. Token spans are offsets into
// the source (UTF-16 code units), lines are 1-based physical lines.

/** Bump when tokenization changes: vocabularies and weights record it. */
export const LEXER_VERSION = 1;

export type TokenKind = 'NAME' | 'KEYWORD' | 'NUMBER' | 'STRING' | 'OP' | 'NEWLINE' | 'INDENT' | 'DEDENT' | 'ENDMARKER';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** 1-based physical line of the token's first character. */
  line: number;
  /** Set on a STRING without its closing quote: the token runs to the end of its line. */
  unterminated?: boolean;
}

export interface LexProblem {
  message: string;
  line: number;
}

/** A `# ...` comment (without the line break). Comments are not tokens, but edits keep them. */
export interface Comment {
  start: number;
  end: number;
  line: number;
}

export interface LexResult {
  tokens: Token[];
  problems: LexProblem[];
  comments: Comment[];
}

export interface LexOptions {
  /** Append an ENDMARKER token. */
  endmarker?: boolean;
  /**
   * Measure indentation from the first code line instead of column 0, so a method pasted with its
   * class indentation lexes like a top-level function (no leading INDENT, no trailing DEDENT).
   */
  relativeIndent?: boolean;
}

/** Python 3.11 `keyword.kwlist`. The soft keywords `match`, `case` and `_` stay NAMEs. */
export const KEYWORDS: readonly string[] = [
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
];
const KEYWORD_SET = new Set(KEYWORDS);

/** Every Python operator and delimiter (the lexer matches the longest). */
export const OPERATORS: readonly string[] = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '->',
  ':=',
  '**',
  '//',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '@',
  '&',
  '|',
  '^',
  '~',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  ';',
  '.',
  '=',
];
const OPERATOR_SET = new Set(OPERATORS);

/** How NEWLINE, INDENT and DEDENT appear in token text sequences (and in the vocabulary). */
export const STRUCTURAL_MARKERS = { NEWLINE: '<NEWLINE>', INDENT: '<INDENT>', DEDENT: '<DEDENT>' } as const;

export const isKeyword = (text: string): boolean => KEYWORD_SET.has(text);
/** The keywords that are values: they stand where a name can, so typos and swaps treat them as names. */
export const VALUE_KEYWORDS: readonly string[] = ['None', 'True', 'False'];
export const isValueKeyword = (text: string): boolean => VALUE_KEYWORDS.includes(text);

export function isStructural(kind: TokenKind): boolean {
  return kind === 'NEWLINE' || kind === 'INDENT' || kind === 'DEDENT' || kind === 'ENDMARKER';
}

/** Token texts as the model sees them: structural tokens become markers, ENDMARKER is dropped. */
export function tokenTexts(tokens: readonly Token[]): string[] {
  return tokens
    .filter((token) => token.kind !== 'ENDMARKER')
    .map((token) =>
      isStructural(token.kind) ? STRUCTURAL_MARKERS[token.kind as keyof typeof STRUCTURAL_MARKERS] : token.text,
    );
}

/** Drops the DEDENTs emitted at end of input: they always return to the base level. */
export function withoutFinalDedents(tokens: readonly Token[], sourceLength: number): Token[] {
  let end = tokens.length;
  const filler = (token: Token) =>
    token.kind === 'ENDMARKER' || (token.kind === 'DEDENT' && token.start >= sourceLength);
  while (end > 0 && filler(tokens[end - 1]!)) end--;
  return tokens.slice(0, end);
}

/** Tabs advance to the next multiple of 8 columns, as in CPython's tokenizer. */
const TAB_SIZE = 8;

/** Columns of a run of leading whitespace (form feed resets the column, like CPython). */
export function indentWidth(whitespace: string): number {
  let column = 0;
  for (const ch of whitespace) {
    if (ch === ' ') column++;
    else if (ch === '\t') column = (Math.floor(column / TAB_SIZE) + 1) * TAB_SIZE;
    else if (ch === '\f') column = 0;
  }
  return column;
}

/** Number of line breaks (\n, \r\n or a lone \r) in a text. */
export function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

const BYTE_ORDER_MARK = '\uFEFF';

// Identifiers per PEP 3131 (without NFKC normalisation).
const NAME_RE = /[\p{XID_Start}_][\p{XID_Continue}]*/uy;
const DIGITS = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][-+]?${DIGITS}`;
// Same alternatives as CPython's tokenize.Number; the order matters (first match wins).
const NUMBER_RE = new RegExp(
  [
    '0[xX](?:_?[0-9a-fA-F])+',
    '0[bB](?:_?[01])+',
    '0[oO](?:_?[0-7])+',
    `(?:(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:${EXPONENT})?|${DIGITS}${EXPONENT})[jJ]?`,
    `${DIGITS}[jJ]?`,
  ].join('|'),
  'y',
);
const STRING_PREFIXES = new Set(['r', 'u', 'f', 'b', 'br', 'rb', 'fr', 'rf']);
const CLOSER_FOR: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Keywords that can never start a line inside brackets: when one does, the bracket was left open
 * by mistake, and the lexer closes it so the rest of the function keeps its line structure.
 */
const STATEMENT_ONLY_KEYWORDS = new Set([
  'def',
  'class',
  'return',
  'import',
  'pass',
  'break',
  'continue',
  'raise',
  'global',
  'nonlocal',
  'assert',
  'del',
  'while',
  'with',
  'try',
  'except',
  'finally',
  'elif',
]);
/** Keywords that start a line inside brackets in valid code, but not a line ending with ':'. */
const HEADER_KEYWORDS = new Set(['if', 'for', 'else']);

interface OpenBracket {
  char: string;
  line: number;
}

class PythonLexer {
  private readonly tokens: Token[] = [];
  private readonly problems: LexProblem[] = [];
  private readonly comments: Comment[] = [];
  private readonly brackets: OpenBracket[] = [];
  private indents: number[] = [0];
  private baseMeasured: boolean;
  private pos = 0;
  private line = 1;
  private atLineStart = true;
  private logicalLineHasTokens = false;

  constructor(
    private readonly src: string,
    private readonly options: LexOptions,
  ) {
    this.baseMeasured = !options.relativeIndent;
    if (src.startsWith(BYTE_ORDER_MARK)) this.pos = 1;
  }

  run(): LexResult {
    const { src } = this;
    while (this.pos < src.length) {
      if (this.atLineStart) {
        this.lineStart();
        continue;
      }
      const ch = src[this.pos]!;
      if (ch === ' ' || ch === '\t' || ch === '\f') this.pos++;
      else if (ch === '#') this.skipComment();
      else if (ch === '\n' || ch === '\r') this.lineBreak();
      else if (ch === '\\') this.backslash();
      else this.token(ch);
    }
    this.finish();
    return { tokens: this.tokens, problems: this.problems, comments: this.comments };
  }

  private problem(message: string, line = this.line): void {
    this.problems.push({ message, line });
  }

  private push(kind: TokenKind, start: number, end: number, extra?: Partial<Token>): Token {
    const token: Token = { kind, text: this.src.slice(start, end), start, end, line: this.line, ...extra };
    this.tokens.push(token);
    if (!isStructural(kind)) this.logicalLineHasTokens = true;
    return token;
  }

  private newlineLength(at: number): number {
    const ch = this.src[at];
    if (ch === '\r') return this.src[at + 1] === '\n' ? 2 : 1;
    return ch === '\n' ? 1 : 0;
  }

  /** At the start of a logical line: blank and comment-only lines vanish, others set indentation. */
  private lineStart(): void {
    const { src } = this;
    let end = this.pos;
    while (end < src.length && (src[end] === ' ' || src[end] === '\t' || src[end] === '\f')) end++;
    const ch = src[end];
    if (ch === undefined) {
      this.pos = end;
      return;
    }
    if (ch === '#' || ch === '\n' || ch === '\r') {
      this.pos = end;
      if (ch === '#') this.skipComment();
      const length = this.newlineLength(this.pos);
      if (length > 0) {
        this.pos += length;
        this.line++;
      }
      return;
    }
    this.indent(indentWidth(src.slice(this.pos, end)), this.pos, end);
    this.pos = end;
    this.atLineStart = false;
  }

  private indent(column: number, start: number, end: number): void {
    if (!this.baseMeasured) {
      this.indents = [column];
      this.baseMeasured = true;
      return;
    }
    const levels = this.indents;
    if (column > levels[levels.length - 1]!) {
      levels.push(column);
      this.push('INDENT', start, end);
      return;
    }
    let target = column;
    if (!levels.includes(column)) {
      // Inconsistent dedent: go to the nearest open level (the outer one on a tie).
      target = levels.reduce((best, level) => (Math.abs(level - column) < Math.abs(best - column) ? level : best));
      this.problem(`unindent to column ${column} does not match any outer indentation level`);
    }
    while (levels.length > 1 && levels[levels.length - 1]! > target) {
      levels.pop();
      this.push('DEDENT', end, end);
    }
  }

  private skipComment(): void {
    const { src } = this;
    let end = this.pos;
    while (end < src.length && src[end] !== '\n' && src[end] !== '\r') end++;
    this.comments.push({ start: this.pos, end, line: this.line });
    this.pos = end;
  }

  private lineBreak(): void {
    const length = this.newlineLength(this.pos);
    if (this.brackets.length === 0) {
      if (this.logicalLineHasTokens) this.push('NEWLINE', this.pos, this.pos + length);
      this.logicalLineHasTokens = false;
      this.atLineStart = true;
    } else if (this.nextLineStartsStatement(this.pos + length)) {
      for (const open of this.brackets) this.problem(`'${open.char}' was never closed`, open.line);
      this.brackets.length = 0;
      this.push('NEWLINE', this.pos, this.pos + length);
      this.logicalLineHasTokens = false;
      this.atLineStart = true;
    }
    this.pos += length;
    this.line++;
  }

  /** Inside brackets: does the next physical line look like a new statement? */
  private nextLineStartsStatement(at: number): boolean {
    const { src } = this;
    while (src[at] === ' ' || src[at] === '\t' || src[at] === '\f') at++;
    NAME_RE.lastIndex = at;
    const word = NAME_RE.exec(src)?.[0];
    if (word === undefined) return false;
    if (STATEMENT_ONLY_KEYWORDS.has(word)) return !/[\p{XID_Continue}]/u.test(src[at + word.length] ?? '');
    if (!HEADER_KEYWORDS.has(word)) return false;
    let lineEnd = at;
    while (lineEnd < src.length && src[lineEnd] !== '\n' && src[lineEnd] !== '\r') lineEnd++;
    const rest = src.slice(at, lineEnd);
    if (word === 'else') return /^else\s*:/.test(rest);
    // Only trust lines without strings (so '#' starts a comment) that close no outer bracket.
    if (/['"]/.test(rest) || !/:\s*(#.*)?$/.test(rest)) return false;
    let depth = 0;
    for (const ch of rest) {
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      if (depth < 0) return false;
    }
    return true;
  }

  private backslash(): void {
    const { src } = this;
    let after = this.pos + 1;
    while (src[after] === ' ' || src[after] === '\t') after++;
    const length = this.newlineLength(after);
    if (length > 0 || after >= src.length) {
      if (after > this.pos + 1) this.problem('whitespace after line continuation character');
      if (after >= src.length) this.problem('line continuation at end of input');
      this.pos = after + length;
      if (length > 0) this.line++;
      return;
    }
    this.problem("unexpected character '\\'");
    this.push('OP', this.pos, this.pos + 1);
    this.pos++;
  }

  private token(ch: string): void {
    const { src } = this;
    const start = this.pos;
    NAME_RE.lastIndex = start;
    const name = NAME_RE.exec(src)?.[0];
    if (name !== undefined) {
      const quote = src[start + name.length];
      if ((quote === '"' || quote === "'") && STRING_PREFIXES.has(name.toLowerCase())) {
        this.string(start, start + name.length);
      } else {
        this.push(KEYWORD_SET.has(name) ? 'KEYWORD' : 'NAME', start, start + name.length);
        this.pos = start + name.length;
      }
      return;
    }
    if ((ch >= '0' && ch <= '9') || (ch === '.' && /[0-9]/.test(src[start + 1] ?? ''))) {
      NUMBER_RE.lastIndex = start;
      const number = NUMBER_RE.exec(src)![0];
      this.push('NUMBER', start, start + number.length);
      this.pos = start + number.length;
      return;
    }
    if (ch === '"' || ch === "'") {
      this.string(start, start);
      return;
    }
    this.operator(start);
  }

  /** A string literal whose prefix spans [start, quoteAt). Unterminated ones end at the line end. */
  private string(start: number, quoteAt: number): void {
    const { src } = this;
    const quote = src[quoteAt]!;
    const triple = src.startsWith(quote.repeat(3), quoteAt);
    const closing = triple ? quote.repeat(3) : quote;
    let i = quoteAt + closing.length;
    let end = -1;
    while (i < src.length) {
      const ch = src[i];
      if (ch === '\\') {
        i += src.startsWith('\r\n', i + 1) ? 3 : 2;
      } else if (src.startsWith(closing, i)) {
        end = i + closing.length;
        break;
      } else if (!triple && (ch === '\n' || ch === '\r')) {
        break;
      } else {
        i++;
      }
    }
    const firstLine = this.line;
    if (end < 0) {
      end = quoteAt;
      while (end < src.length && src[end] !== '\n' && src[end] !== '\r') end++;
      this.push('STRING', start, end, { unterminated: true });
      this.problem(`unterminated ${triple ? 'triple-quoted ' : ''}string`, firstLine);
    } else {
      this.push('STRING', start, end);
      this.line += countLineBreaks(src.slice(start, end));
    }
    this.pos = end;
  }

  private operator(start: number): void {
    const { src } = this;
    // Longest match first: the longest operator has 3 characters.
    for (let length = 3; length >= 1; length--) {
      const text = src.slice(start, start + length);
      if (text.length === length && OPERATOR_SET.has(text)) {
        this.bracket(text);
        this.push('OP', start, start + length);
        this.pos = start + length;
        return;
      }
    }
    // Not Python: keep it as a one-character OP (a whole surrogate pair) so nothing is lost.
    const codePoint = src.codePointAt(start)!;
    const length = codePoint > 0xffff ? 2 : 1;
    this.problem(`unexpected character '${src.slice(start, start + length)}'`);
    this.push('OP', start, start + length);
    this.pos = start + length;
  }

  private bracket(text: string): void {
    if (text === '(' || text === '[' || text === '{') {
      this.brackets.push({ char: text, line: this.line });
      return;
    }
    const opener = CLOSER_FOR[text];
    if (opener === undefined) return;
    const { brackets } = this;
    if (brackets.length === 0) {
      this.problem(`unmatched '${text}'`);
      return;
    }
    let index = brackets.length - 1;
    while (index >= 0 && brackets[index]!.char !== opener) index--;
    if (index < 0) {
      // Nothing matches: it closes the innermost bracket, whatever that was.
      this.problem(`closing '${text}' does not match '${brackets[brackets.length - 1]!.char}'`);
      brackets.pop();
      return;
    }
    for (let i = brackets.length - 1; i > index; i--) {
      this.problem(`'${brackets[i]!.char}' was never closed`, brackets[i]!.line);
    }
    brackets.length = index;
  }

  private finish(): void {
    const end = this.src.length;
    for (const open of this.brackets) this.problem(`'${open.char}' was never closed`, open.line);
    if (this.logicalLineHasTokens) this.push('NEWLINE', end, end);
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('DEDENT', end, end);
    }
    if (this.options.endmarker) this.push('ENDMARKER', end, end);
  }
}

/** Lexes Python source. Never throws: problems are returned beside the tokens. */
export function lex(source: string, options: LexOptions = {}): LexResult {
  return new PythonLexer(source, options).run();
}
