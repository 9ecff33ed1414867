// How good a written function is, without running it: whether its body is only a placeholder (a
// `pass`, a bare `return`, a constant, a parameter handed back), how many of its tokens the real body
// shares (token F1), and whether it reads every parameter. `eval` reports these for `generate`, and
// the playground says so when an answer is a placeholder rather than presenting it as a solution.
import { lex, type Token } from './python/lexer';
import { splitFunction } from './tasks';

/** What a placeholder body consists of (its one telling statement; `pass`es and docstrings aside). */
export type TrivialBodyKind =
  'empty' | 'pass' | 'ellipsis' | 'docstring' | 'bare-return' | 'constant' | 'parameter' | 'not-implemented';

export interface TrivialBody {
  kind: TrivialBodyKind;
  /** The telling statement as written, on one line (`return False`). */
  statement: string;
}

/** The names a function reads without defining them in its signature, which do not count as parameters. */
const IMPLICIT_PARAMETERS: ReadonlySet<string> = new Set(['self', 'cls']);
/** The keywords that are values: `return None` is a constant. */
const CONSTANT_KEYWORDS: ReadonlySet<string> = new Set(['True', 'False', 'None']);
/** The operators a literal is written with (`-1`, `[]`, `{"a": 1}`, `(0, 0)`). */
const LITERAL_OPERATORS: ReadonlySet<string> = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '-', '+']);
/** Statements that only fill a body: they never make it a solution, whatever follows them. */
const FILLER_KINDS: ReadonlySet<TrivialBodyKind> = new Set(['pass', 'ellipsis', 'docstring']);

interface SplitText {
  headerText: string;
  bodyText: string;
}

/** The signature (and docstring) and the body of a function, or null when the text has no readable header. */
function splitText(functionText: string): SplitText | null {
  try {
    const { headerText } = splitFunction(functionText);
    return { headerText, bodyText: functionText.slice(headerText.length) };
  } catch {
    return null;
  }
}

/** The body's tokens, indentation counted from its first line (a method's body lexes like a function's). */
function bodyTokens(bodyText: string): Token[] {
  return lex(bodyText, { relativeIndent: true }).tokens.filter((t) => t.kind !== 'ENDMARKER');
}

/** The parameter names of a signature, in order, `self` and `cls` included. */
export function parameterNames(headerText: string): string[] {
  const tokens = lex(headerText).tokens;
  const def = tokens.findIndex((t) => t.kind === 'KEYWORD' && t.text === 'def');
  if (def < 0 || tokens[def + 2]?.text !== '(') return [];
  const names: string[] = [];
  let depth = 0;
  for (let i = def + 2; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'OP' && '([{'.includes(token.text)) depth++;
    else if (token.kind === 'OP' && ')]}'.includes(token.text)) {
      if (--depth === 0) break;
    } else if (depth === 1 && token.kind === 'NAME') {
      const before = tokens[i - 1]!.text;
      const after = tokens[i + 1]?.text ?? '';
      if (['(', ',', '*', '**'].includes(before) && [':', '=', ',', ')'].includes(after)) names.push(token.text);
    }
  }
  return names;
}

/** The statements of a body at its own level; null when it holds a block (an `if`, a loop: not a placeholder). */
function topLevelStatements(tokens: readonly Token[]): Token[][] | null {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'INDENT' || token.kind === 'DEDENT') return null;
    if (token.kind === 'NEWLINE') {
      if (current.length > 0) statements.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

const isConstant = (tokens: readonly Token[]) =>
  tokens.length > 0 &&
  tokens.every(
    (t) =>
      t.kind === 'NUMBER' ||
      t.kind === 'STRING' ||
      (t.kind === 'KEYWORD' && CONSTANT_KEYWORDS.has(t.text)) ||
      (t.kind === 'OP' && LITERAL_OPERATORS.has(t.text)),
  );

/** `x` or `(x)`: the one name, or null. */
function soleName(tokens: readonly Token[]): string | null {
  let inner = tokens;
  while (inner.length >= 3 && inner[0]!.text === '(' && inner[inner.length - 1]!.text === ')')
    inner = inner.slice(1, -1);
  return inner.length === 1 && inner[0]!.kind === 'NAME' ? inner[0]!.text : null;
}

/** The placeholder kind of one statement, or null when the statement does something. */
function statementKind(statement: readonly Token[], parameters: readonly string[]): TrivialBodyKind | null {
  const [first, ...rest] = statement;
  if (!first) return null;
  if (first.kind === 'KEYWORD' && first.text === 'pass' && rest.length === 0) return 'pass';
  if (first.kind === 'OP' && first.text === '...' && rest.length === 0) return 'ellipsis';
  if (statement.every((t) => t.kind === 'STRING')) return 'docstring';
  if (first.kind === 'KEYWORD' && first.text === 'return') {
    if (rest.length === 0) return 'bare-return';
    if (isConstant(rest)) return 'constant';
    const name = soleName(rest);
    return name !== null && parameters.includes(name) ? 'parameter' : null;
  }
  if (first.kind === 'KEYWORD' && first.text === 'raise' && rest[0]?.text === 'NotImplementedError') {
    const args = rest.slice(1);
    const isCallOfConstants =
      args.length >= 2 &&
      args[0]!.text === '(' &&
      args[args.length - 1]!.text === ')' &&
      (args.length === 2 || isConstant(args.slice(1, -1)));
    return args.length === 0 || isCallOfConstants ? 'not-implemented' : null;
  }
  return null;
}

/**
 * The placeholder a function's body is, or null when the body does something. A placeholder is made
 * of `pass`, `...` and docstrings only, or ends in a bare `return`, the return of a constant or of
 * one parameter, or `raise NotImplementedError`. A text without a readable `def ...:` header is not
 * judged (null).
 */
export function trivialBody(functionText: string): TrivialBody | null {
  const parts = splitText(functionText);
  if (!parts) return null;
  const statements = topLevelStatements(bodyTokens(parts.bodyText));
  if (!statements) return null;
  if (statements.length === 0) return { kind: 'empty', statement: '' };
  const parameters = parameterNames(parts.headerText);
  const kinds: TrivialBodyKind[] = [];
  for (const statement of statements) {
    const kind = statementKind(statement, parameters);
    if (kind === null) return null;
    kinds.push(kind);
  }
  // The statement that tells what the body does: the first that is not filler, else the first.
  const telling = Math.max(
    0,
    kinds.findIndex((kind) => !FILLER_KINDS.has(kind)),
  );
  const statement = statements[telling]!;
  const written = parts.bodyText.slice(statement[0]!.start, statement[statement.length - 1]!.end);
  return { kind: kinds[telling]!, statement: written.replace(/\s+/g, ' ') };
}

/** The body's token texts (no line or indentation markers), as a multiset. */
function bodyTokenCounts(functionText: string): Map<string, number> {
  const counts = new Map<string, number>();
  const parts = splitText(functionText);
  if (!parts) return counts;
  for (const token of bodyTokens(parts.bodyText))
    if (token.kind !== 'NEWLINE' && token.kind !== 'INDENT' && token.kind !== 'DEDENT')
      counts.set(token.text, (counts.get(token.text) ?? 0) + 1);
  return counts;
}

/**
 * Token F1 of the answer's body against the reference's (bags of tokens, layout markers left out):
 * the harmonic mean of the share of the answer's tokens found in the reference and the share of the
 * reference's tokens found in the answer. 0 when either body is empty or unreadable.
 */
export function bodyTokenF1(answerText: string, referenceText: string): number {
  const answer = bodyTokenCounts(answerText);
  const reference = bodyTokenCounts(referenceText);
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);
  let overlap = 0;
  for (const [text, n] of answer) overlap += Math.min(n, reference.get(text) ?? 0);
  if (overlap === 0) return 0;
  const precision = overlap / total(answer);
  const recall = overlap / total(reference);
  return (2 * precision * recall) / (precision + recall);
}

/** Whether a body token reads `name`: not an attribute (`x.name`) nor a keyword argument (`f(name=1)`). */
function readsName(tokens: readonly Token[], name: string): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'OP' && '([{'.includes(token.text)) depth++;
    else if (token.kind === 'OP' && ')]}'.includes(token.text)) depth--;
    else if (token.kind === 'NAME' && token.text === name) {
      const isAttribute = tokens[i - 1]?.text === '.';
      const isKeywordArgument = depth > 0 && tokens[i + 1]?.text === '=';
      if (!isAttribute && !isKeywordArgument) return true;
    } else if (token.kind === 'STRING' && /^[a-zA-Z]*[fF]/.test(token.text)) {
      // An f-string is one token: a name read in its braces counts.
      if (new RegExp(`\\{[^}]*\\b${name}\\b`).test(token.text)) return true;
    }
  }
  return false;
}

/**
 * Whether the body reads every parameter of the signature (`self` and `cls` aside); null when there
 * is none to read or the text has no readable header.
 */
export function usesEveryParameter(functionText: string): boolean | null {
  const parts = splitText(functionText);
  if (!parts) return null;
  const parameters = parameterNames(parts.headerText).filter((name) => !IMPLICIT_PARAMETERS.has(name));
  if (parameters.length === 0) return null;
  const tokens = bodyTokens(parts.bodyText);
  return parameters.every((name) => readsName(tokens, name));
}

export interface GeneratedBodyQuality {
  /** The body is a placeholder; an answer without a readable header counts as one (it wrote nothing usable). */
  trivial: boolean;
  tokenF1: number;
  /** Null when the function has no parameter besides `self`/`cls`. */
  allParametersUsed: boolean | null;
}

/** The three figures of one written function against the real one. */
export function generatedBodyQuality(answerText: string, referenceText: string): GeneratedBodyQuality {
  const readable = splitText(answerText) !== null;
  const reference = usesEveryParameter(referenceText);
  return {
    trivial: !readable || trivialBody(answerText) !== null,
    tokenF1: bodyTokenF1(answerText, referenceText),
    // An unreadable answer reads none of the parameters the real function has.
    allParametersUsed: readable ? usesEveryParameter(answerText) : reference === null ? null : false,
  };
}
