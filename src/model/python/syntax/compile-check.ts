// compile(text, '<s>', 'exec') without running anything: CPython 3.11's tokenizer, its two parser
// passes (the second with the invalid_ rules, for the specific message), the rule that a tokenizer
// error later in the text outranks a parser error (pegen_errors.c), then the symtable and compiler
// rules. Returns the first SyntaxError compile() would raise, or null.
import { Parser, PySyntaxError, unclosedBracket, type Node } from './parser-core';
import { DEDENT, INDENT, tokenize, type PyToken, type TokenizeError } from './tokenize';
import { grammar } from './rules';
import { setFStringExpressionCheck } from './strings';
import { SymbolTable } from './symtable';
import { CompileRules } from './compile-rules';
import { leadingFutureLine } from './future';

/** compile() reads a str as UTF-8 lines with \n breaks and a final newline. */
export function normalizeSource(text: string): string {
  const source = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return source.length > 0 && !source.endsWith('\n') ? `${source}\n` : source;
}

/**
 * The first SyntaxError compile() raises for `text`, or null when it compiles. A `fragment` is read
 * as lines cut from the body of an async function inside a loop: `return`, `yield`, `await`,
 * `break`, `continue` and `nonlocal` at its own level are allowed, every other rule holds.
 */
export function compileError(text: string, fragment = false, firstPassOnly = false): PySyntaxError | null {
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    return new PySyntaxError('source code string cannot contain null bytes', lineAt(text, nul), 0, 'tokenizer');
  const surrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  if (surrogate)
    return new PySyntaxError(
      'source code cannot contain lone surrogates',
      lineAt(text, surrogate.index),
      0,
      'tokenizer',
    );
  const { tokens, error } = tokenize(normalizeSource(text));
  return parseAndCheck(tokens, error, false, fragment, firstPassOnly);
}

/**
 * Where the first parser pass stopped when `text` does not parse: the furthest token it read (1-based
 * line, 0-based column). An edit after that token leaves everything the parser read as it was, so
 * the parse fails the same way (the fix search's enumeration skips such edits). Null when it parses
 * (a compile-time rule may still refuse it).
 */
export function furthestTokenRead(text: string): { line: number; col: number } | null {
  const { tokens, error, parser, body } = firstPass(text);
  if (body !== null) return null;
  // Every token read: the tokenizer's error stopped it, at the error's place.
  if (error && parser.fill >= tokens.length) return { line: error.line, col: Math.max(0, error.col - 1) };
  const last = parser.lastToken();
  return { line: last.line, col: last.col };
}

/**
 * The line the last top-level statement of `text` starts on, when the text compiles (1 for a text
 * of comments only); null when it does not. Code that follows the text can only extend that
 * statement, so a check of what follows need not parse the ones before it.
 */
export function lastStatementLine(text: string): number | null {
  if (text.includes('\u0000')) return null;
  const { tokens, body } = firstPass(text);
  if (body === null || compileRulesError(body, tokens, false) !== null) return null;
  const last = body[body.length - 1];
  return last ? tokens[last.a].line : 1;
}

/**
 * The parser's first pass over `text` (no invalid_ rules), shared by the two questions above: the
 * statements when it parses, null when it does not (a parser error thrown on the way included).
 */
function firstPass(text: string): {
  tokens: PyToken[];
  error: TokenizeError | null;
  parser: Parser;
  body: Node[] | null;
} {
  const { tokens, error } = tokenize(normalizeSource(text));
  const parser = new Parser(tokens, error, false);
  let body: Node[] | null = null;
  try {
    body = grammar.file(parser);
  } catch (e) {
    if (!(e instanceof PySyntaxError)) throw e;
  }
  return { tokens, error, parser, body };
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n?|\n/).length;
}

/** An f-string's `(expression)`, compiled as the `fstring` start rule; errors read "f-string: ...". */
function fstringExpressionError(source: string): PySyntaxError | null {
  const { tokens, error } = tokenize(`${source}\n`);
  return parseAndCheck(tokens, error, true);
}
setFStringExpressionCheck(fstringExpressionError);

function parseAndCheck(
  tokens: PyToken[],
  tokenError: TokenizeError | null,
  fstring: boolean,
  fragment = false,
  firstPassOnly = false,
): PySyntaxError | null {
  const p = new Parser(tokens, tokenError, fstring);
  const start = fstring ? (q: Parser) => (grammar.starExpressions(q) ? [] : null) : grammar.file;
  let body: Node[] | null;
  try {
    body = start(p);
  } catch (e) {
    return settle(e, p, tokenError);
  }
  if (body !== null) return fstring ? null : compileRulesError(body, tokens, fragment);
  const last = p.lastToken();
  // Whether the text compiles is settled here; the second pass (the invalid_ rules) only finds the
  // message, and re-parses the whole text to do it.
  if (firstPassOnly) return new PySyntaxError('invalid syntax', last.line, last.col + 1);
  p.resetForErrorPass(fstring ? 0 : p.topLevelEnd);
  try {
    start(p);
  } catch (e) {
    return settle(e, p, tokenError);
  }
  // IndentationError's offset for these is the width of the indentation.
  if (last.type === INDENT) return new PySyntaxError('unexpected indent', last.line, last.col);
  if (last.type === DEDENT) return new PySyntaxError('unexpected unindent', last.line, last.col);
  const generic = new PySyntaxError(fstring ? 'f-string: invalid syntax' : 'invalid syntax', last.line, last.col + 1);
  return laterTokenizerError(generic, p, tokenError);
}

/** An error thrown while parsing: a tokenizer error the parser reached stands; others may be outranked. */
function settle(e: unknown, p: Parser, tokenError: TokenizeError | null): PySyntaxError {
  if (!(e instanceof PySyntaxError)) throw e;
  if (e.source === 'tokenizer') return e;
  return laterTokenizerError(e, p, tokenError);
}

/**
 * _PyPegen_tokenize_full_source_to_check_for_errors: the rest of the text is tokenized; a tokenizer
 * error there replaces the parser's, and so does a bracket left open on a line before the error.
 */
function laterTokenizerError(error: PySyntaxError, p: Parser, tokenError: TokenizeError | null): PySyntaxError {
  if (!tokenError) return error;
  if (tokenError.kind === 'direct')
    return new PySyntaxError(tokenError.message, tokenError.line, tokenError.col, 'tokenizer');
  const open = tokenError.brackets[tokenError.brackets.length - 1];
  return open && p.lastToken().line > open.line ? unclosedBracket(tokenError) : error;
}

function compileRulesError(body: Node[], tokens: PyToken[], fragment: boolean): PySyntaxError | null {
  try {
    // A fragment's lines are a function's body: no leading run, every __future__ import is late.
    const futureLine = fragment ? -1 : leadingFutureLine(body, tokens);
    const symbols = new SymbolTable(tokens, fragment);
    symbols.build(body);
    new CompileRules(symbols, tokens, futureLine).check(body, fragment);
    return null;
  } catch (e) {
    if (e instanceof PySyntaxError) return e;
    throw e;
  }
}
