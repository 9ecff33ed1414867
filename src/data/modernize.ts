// The modernizer: turns a (mostly old-style, untyped) Python function into plausible modern code,
// since real code today is typed and modern and the standard library is not (docs/design.md#data).
// Rewrites: parameter and return annotations in one style per function (`list[str] | None`,
// `Optional[List[str]]`, `typing.Optional[...]`), annotated defaults and locals, f-strings for `%`
// and `.format`, keyword-only arguments, `async def` with `await`, the walrus operator,
// comprehensions for append loops, and decorators. The meaning need not be kept (the model learns
// syntax and style), but every output parses: each rewrite is checked with the project's parse check
// (Lezer's Python grammar plus the lexer's indentation check) and dropped when it does not.
// Deterministic: the same text and seed give the same output.

import type { Rng } from '../model';
import { checkPythonSyntax } from '../model';
import { lex } from '../model/internals';
import { parseHeader } from './code-edits';
import { addAwaits, annotateLocals, hasAwaitableCalls, toComprehension, toFStrings, toWalrus } from './modernize-body';
import { addDecorator, annotateParams, annotateReturn, keywordOnly, makeAsync, TYPE_STYLES, type TypeHints, type TypeStyle } from './modernize-header';

export { spellType, TYPE_STYLES, type TypeHints, type TypeStyle } from './modernize-header';

export interface ModernizeOptions {
  /** Rewrites that take the function past this many lexer tokens are dropped. Default: no limit. */
  maxTokens?: number;
  /** Known types of parameters and locals (builtin style, `Optional[...]` for "or None"). */
  hints?: TypeHints;
  /** The type spelling; default drawn per function. */
  style?: TypeStyle;
}

export interface Modernized {
  text: string;
  /** The rewrites that were made, in order. */
  applied: string[];
}

/** Chance of each rewrite, where it applies. Annotations dominate, as in typed code bases. */
const REWRITE_CHANCES = {
  fstrings: 0.9,
  comprehension: 0.5,
  walrus: 0.15,
  parameters: 0.85,
  returns: 0.8,
  locals: 0.2,
  keywordOnly: 0.2,
  async: 0.08,
  decorator: 0.15,
} as const;

/** A modernized version of a function (or the function unchanged when nothing applies or it does not parse). */
export function modernize(text: string, rng: Rng, options: ModernizeOptions = {}): Modernized {
  const applied: string[] = [];
  if (!checkPythonSyntax(text).ok || parseHeader(text) === null) return { text, applied };
  const style = options.style ?? TYPE_STYLES[rng.nextInt(TYPE_STYLES.length)]!;
  const hints = options.hints ?? {};
  const maxTokens = options.maxTokens ?? Number.POSITIVE_INFINITY;
  let current = text;
  const step = (name: keyof typeof REWRITE_CHANCES, rewrite: (t: string) => string) => {
    // The draw happens whether or not the rewrite applies, so one rewrite's outcome does not shift the others'.
    const wanted = rng.next() < REWRITE_CHANCES[name];
    const candidate = rewrite(current);
    if (!wanted || !keepRewrite(current, candidate, maxTokens)) return;
    current = candidate;
    applied.push(name);
  };
  step('fstrings', (t) => toFStrings(t, rng));
  step('comprehension', (t) => toComprehension(t, rng));
  step('walrus', (t) => toWalrus(t, rng));
  step('keywordOnly', keywordOnly);
  step('async', (t) => (hasAwaitableCalls(t) ? addAwaits(makeAsync(t), rng) : t));
  step('parameters', (t) => annotateParams(t, rng, style, rng.next() < 0.7 ? 1 : 0.6, hints));
  step('returns', (t) => annotateReturn(t, rng, style, hints));
  step('locals', (t) => annotateLocals(t, rng, style, hints));
  step('decorator', (t) => addDecorator(t, rng));
  return { text: current, applied };
}

/** A rewrite is kept when it changed something, parses, and stays within the token budget. */
export function keepRewrite(before: string, after: string, maxTokens = Number.POSITIVE_INFINITY): boolean {
  return after !== before && lex(after).tokens.length <= maxTokens && checkPythonSyntax(after).ok;
}

/** Modern forms a function shows (for the dataset's statistics). */
export interface ModernFeatures {
  /** A parameter or return annotation in the def header. */
  annotated: boolean;
  return_annotation: boolean;
  fstring: boolean;
  async: boolean;
  walrus: boolean;
  comprehension: boolean;
  decorator: boolean;
  keyword_only: boolean;
}

const MODERN_FEATURE_NAMES: readonly (keyof ModernFeatures)[] = ['annotated', 'return_annotation', 'fstring', 'async', 'walrus', 'comprehension', 'decorator', 'keyword_only'];

export function modernFeatures(text: string): ModernFeatures {
  const header = parseHeader(text);
  const tokens = header?.tokens ?? lex(text).tokens;
  let depth = 0;
  let comprehension = false;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (t.text === 'for' && depth > 0) comprehension = true;
  }
  return {
    annotated: header !== null && (header.arrow >= 0 || header.params.some((p) => p.colon >= 0)),
    return_annotation: header !== null && header.arrow >= 0,
    fstring: tokens.some((t) => t.kind === 'STRING' && /^[rRbBuU]?[fF]/.test(t.text)),
    async: tokens.some((t) => t.text === 'async' || t.text === 'await'),
    walrus: tokens.some((t) => t.text === ':='),
    comprehension,
    decorator: header?.decorated ?? false,
    keyword_only: header !== null && header.params.some((p) => p.tokens.length === 1 && p.tokens[0]!.text === '*'),
  };
}

/** Share of the texts showing each modern form (0..1, 4 decimals). */
export function modernShares(texts: readonly string[]): Record<keyof ModernFeatures, number> & { functions: number } {
  const counts = Object.fromEntries(MODERN_FEATURE_NAMES.map((n) => [n, 0])) as Record<keyof ModernFeatures, number>;
  for (const text of texts) {
    const features = modernFeatures(text);
    for (const name of MODERN_FEATURE_NAMES) if (features[name]) counts[name]++;
  }
  const share = (n: number) => (texts.length === 0 ? 0 : Math.round((10000 * n) / texts.length) / 10000);
  return { functions: texts.length, ...(Object.fromEntries(MODERN_FEATURE_NAMES.map((n) => [n, share(counts[n])])) as Record<keyof ModernFeatures, number>) };
}
