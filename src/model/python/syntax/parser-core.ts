// The parser's state and its token primitives, as CPython's pegen keeps them: a mark into the
// token list, the furthest token ever fetched (`fill`, where a generic syntax error is reported),
// memo tables for the rules CPython memoizes, and the second-pass switch for the invalid_ rules.
import { KEYWORD, NAME, NEWLINE, OP, type PyToken, type TokenizeError } from './tokenize';

/** A syntax node: an expression, a statement or a pattern. Fields are set per kind (see parse-*.ts). */
export interface Node {
  k: string;
  /** First and last token (indices into the parser's tokens). */
  a: number;
  b: number;
  id?: string;
  /** Constant kind: None, True, False, Ellipsis, number, string, bytes. */
  c?: string;
  v?: Node | null;
  s?: Node;
  l?: (Node | null)[];
  ops?: string[];
  keys?: (Node | null)[];
  kw?: Keyword[];
  gens?: Comprehension[];
  params?: Params;
  t?: Node | null;
  body?: Node[];
  orelse?: Node[];
  finalbody?: Node[];
  handlers?: Node[];
  targets?: Node[];
  decorators?: Node[];
  names?: string[];
  /** ImportFrom: the module's dotted name without its leading dots, and the names as imported (before `as`). */
  module?: string;
  imported?: string[];
  isAsync?: boolean;
  cases?: Node[];
}

export interface Keyword {
  name: string | null;
  value: Node;
  a: number;
  b: number;
}

export interface Comprehension {
  target: Node;
  iter: Node;
  ifs: Node[];
  isAsync: boolean;
}

/** A call's arguments: positional (starred ones included) and keyword (`**` ones with a null name). */
export interface CallArgs {
  l: Node[];
  kw: Keyword[];
}

export interface Arg {
  name: string;
  ann: Node | null;
  a: number;
}

export interface Params {
  posonly: Arg[];
  args: Arg[];
  defaults: Node[];
  vararg: Arg | null;
  kwonly: Arg[];
  kwDefaults: (Node | null)[];
  kwarg: Arg | null;
}

/** A SyntaxError as compile() raises it. `col` is 1-based, as SyntaxError.offset. */
export class PySyntaxError {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly col: number,
    /** 'tokenizer': raised by the tokenizer; 'parser': by the grammar or its actions. */
    readonly source: 'tokenizer' | 'parser' = 'parser',
  ) {}
}

/** What Parser.recall returns when a rule has no memo at the mark. */
export const MISS = Symbol('not memoized');

/** Rules whose results are memoized (CPython marks them `(memo)` or they are left-recursive). */
export const MemoRule = {
  Expression: 0,
  StarExpression: 1,
  Disjunction: 2,
  Conjunction: 3,
  Inversion: 4,
  Factor: 5,
  AwaitPrimary: 6,
  TPrimary: 7,
  Arguments: 8,
  StarTarget: 9,
  TargetWithStarAtom: 10,
  DelTarget: 11,
  SimpleStmt: 12,
  Block: 13,
  Strings: 14,
  InvalidNamedExpression: 15,
  ClosedPattern: 16,
  StarPattern: 17,
} as const;
type MemoRule = (typeof MemoRule)[keyof typeof MemoRule];

export class Parser {
  mark = 0;
  /** How many tokens were fetched: CPython's p->fill. */
  fill = 0;
  invalidPass = false;
  /** Per memoized rule, from a start position: where the rule ended and what it gave. A Map, not
   * a table as long as the text: the invalid_ pass starts fresh memos many times on long files. */
  private memo: (Map<number, [number, unknown]> | undefined)[] = [];

  constructor(
    readonly tokens: PyToken[],
    readonly tokenError: TokenizeError | null,
    /** Parses f-string expressions (their errors start "f-string: "). */
    readonly fstringMode = false,
  ) {}

  /** The token at the mark; fetching past the tokenizer's error raises it, as pegen does. */
  peek(): PyToken {
    const i = this.mark;
    if (i >= this.fill) {
      if (i >= this.tokens.length) throw tokenizerFailure(this.tokenError, this.tokens);
      this.fill = i + 1;
    }
    return this.tokens[i];
  }

  peekAt(i: number): PyToken {
    const saved = this.mark;
    this.mark = i;
    const token = this.peek();
    this.mark = saved;
    return token;
  }

  isOp(text: string): boolean {
    const t = this.peek();
    return t.type === OP && t.text === text;
  }

  isKw(text: string): boolean {
    const t = this.peek();
    return t.type === KEYWORD && t.text === text;
  }

  op(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.mark++;
    return true;
  }

  kw(text: string): boolean {
    if (!this.isKw(text)) return false;
    this.mark++;
    return true;
  }

  /** A soft keyword (match, case, _): a NAME with this text. */
  soft(text: string): boolean {
    const t = this.peek();
    if (t.type !== NAME || t.text !== text) return false;
    this.mark++;
    return true;
  }

  type(type: number): boolean {
    if (this.peek().type !== type) return false;
    this.mark++;
    return true;
  }

  /** A NAME (not a keyword): its Name node, or null. */
  name(): Node | null {
    const t = this.peek();
    if (t.type !== NAME) return null;
    const a = this.mark++;
    return { k: 'Name', a, b: a, id: t.text };
  }

  isNewline(): boolean {
    return this.peek().type === NEWLINE;
  }

  /** `&&tok`: the token must be there, or "expected 'tok'" at once. */
  forced(text: string): void {
    if (this.op(text)) return;
    const t = this.peek();
    throw new PySyntaxError(`expected '${text}'`, t.line, t.col + 1);
  }

  /**
   * The memoized result of `rule` at the mark, moving the mark past it, or MISS. Like pegen's
   * _PyPegen_is_memoized it fetches the token at the mark first.
   */
  recall(rule: MemoRule): unknown {
    this.peek();
    const hit = this.memo[rule]?.get(this.mark);
    if (hit === undefined) return MISS;
    this.mark = hit[0];
    return hit[1];
  }

  /** Records `rule`'s result at `pos` (the mark is where it ended). */
  remember(rule: MemoRule, pos: number, node: unknown): void {
    (this.memo[rule] ??= new Map()).set(pos, [this.mark, node]);
  }

  /** Runs `rule` at the mark through its memo table. */
  memoized<T>(rule: MemoRule, parse: () => T | null): T | null {
    const pos = this.mark;
    const hit = this.recall(rule);
    if (hit !== MISS) return hit as T | null;
    const node = parse();
    if (node === null) this.mark = pos;
    this.remember(rule, pos, node);
    return node;
  }

  /** Where the first pass's top-level statements ended: the statement that failed starts here. */
  topLevelEnd = 0;

  /**
   * Starts the second pass: the same tokens, no memo, invalid_ rules on. A `file` starts at the
   * failed top-level statement, not at 0: every statement before it parsed, and an invalid_ rule
   * only raises or fails, so re-parsing them finds nothing (a refused 5,000-line file costs one
   * statement more, not a second whole parse). Critic-diff checks it against CPython.
   */
  resetForErrorPass(start = 0): void {
    this.memo = [];
    this.mark = start;
    this.invalidPass = true;
  }

  /** Runs `parse` with the invalid_ rules off and a memo of its own. */
  withoutInvalidRules<T>(parse: () => T): T {
    const savedMemo = this.memo;
    const savedPass = this.invalidPass;
    this.memo = [];
    this.invalidPass = false;
    try {
      return parse();
    } finally {
      this.memo = savedMemo;
      this.invalidPass = savedPass;
    }
  }

  /** The last token fetched (p->tokens[p->fill-1]). */
  lastToken(): PyToken {
    return this.tokens[Math.max(0, this.fill - 1)];
  }

  /** RAISE_SYNTAX_ERROR: at the last token fetched. */
  raise(message: string): never {
    const t = this.lastToken();
    throw new PySyntaxError(this.prefixed(message), t.line, t.col + 1);
  }

  /** RAISE_SYNTAX_ERROR_KNOWN_LOCATION / _RANGE: at a node's (or token's) start. */
  raiseAt(at: Node | number, message: string): never {
    const t = this.tokens[typeof at === 'number' ? at : at.a];
    throw new PySyntaxError(this.prefixed(message), t.line, t.col + 1);
  }

  /** An error at a line and 0-based column. */
  raiseAtPosition(message: string, line: number, col: number): never {
    throw new PySyntaxError(this.prefixed(message), line, col + 1);
  }

  private prefixed(message: string): string {
    return this.fstringMode ? `f-string: ${message}` : message;
  }
}

/** The error pegen raises when the parser fetches the token the tokenizer failed on. */
export function tokenizerFailure(error: TokenizeError | null, tokens: PyToken[]): PySyntaxError {
  if (!error) return new PySyntaxError('invalid syntax', tokens[tokens.length - 1]?.line ?? 1, 0);
  if (error.kind === 'eof' && error.brackets.length > 0) return unclosedBracket(error);
  return new PySyntaxError(error.message, error.line, error.col, 'tokenizer');
}

export function unclosedBracket(error: TokenizeError): PySyntaxError {
  const open = error.brackets[error.brackets.length - 1];
  return new PySyntaxError(`'${open.char}' was never closed`, open.line, open.col + 1, 'tokenizer');
}

/** Which parameter list a params rule reads: def's or lambda's (grammar.ts names it in signatures). */
export interface ParamStyle {
  /** The token that ends the list: ')' for def, ':' for lambda. */
  close: string;
  annotations: boolean;
}

export const DEF_STYLE: ParamStyle = { close: ')', annotations: true };
export const LAMBDA_STYLE: ParamStyle = { close: ':', annotations: false };

/** A parameter and its default value, if it has one. */
export type WithDefault = [Arg, Node | null];

// Combinators the rule files share (they call no rule of their own).

/** `','.rule+`: one or more, comma separated (the comma before a failing item is given back). */
export function gather<T>(p: Parser, item: (p: Parser) => T | null, separator = ','): T[] | null {
  const first = item(p);
  if (first === null) return null;
  const items = [first];
  for (;;) {
    const m = p.mark;
    if (!p.op(separator)) break;
    const next = item(p);
    if (next === null) {
      p.mark = m;
      break;
    }
    items.push(next);
  }
  return items;
}

/** `rule*`: zero or more. */
export function many<T>(p: Parser, item: () => T | null): T[] {
  const items: T[] = [];
  for (let next = item(); next !== null; next = item()) items.push(next);
  return items;
}
