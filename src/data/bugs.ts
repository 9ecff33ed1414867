// Bug injectors: each named class turns a correct function into a buggy one that differs in exactly
// ONE physical line, so the fix target (tasks.ts `fixTarget`) is that line, corrected.
//
// Visible classes break the code in a way the text itself shows (a syntax error, or a name that is
// used nowhere else); the model is trained on them. Two classes are NOT visible from the text alone:
// `wrong_comparison` (`<` for `<=`) and `off_by_one_range` (`range(n + 1)`) give valid code whose
// intent only a specification could reveal. They are reported (evaluation splits, `by_class`), not
// targeted: training on them would teach the model to change correct comparisons and ranges.

import type { Rng } from '../model';
import { isValueKeyword, lex, type Token, lineLayout, splitLines, fixTarget, TaskError } from '../model/internals';
import { KEYWORD_MISSPELLINGS, misspell, MISSPELLABLE_BUILTINS, WELL_KNOWN_METHODS } from './typos';

export { KEYWORD_MISSPELLINGS, misspell, VALUE_KEYWORD_TYPOS, WELL_KNOWN_METHODS } from './typos';

export interface InjectedBug {
  buggyText: string;
  /** The 1-based physical line that differs; null for `no_bug`. */
  line: number | null;
}

export type BugInjector = (text: string, rng: Rng) => InjectedBug | null;

export interface BugClass {
  name: string;
  description: string;
  /** Seen in the text alone, so the model can be trained and expected to fix it. */
  targeted: boolean;
  inject: BugInjector;
}

/** A statement: its tokens (no NEWLINE/INDENT/DEDENT), from its first to its last physical line. */
interface Statement {
  tokens: Token[];
}

const COMPOUND_KEYWORDS = new Set(['def', 'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'class', 'async']);
// No prototype: a name such as `constructor` must not look like a closing bracket.
const OPENER_OF: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { ')': '(', ']': '[', '}': '{' });

function statements(tokens: readonly Token[]): Statement[] {
  const out: Statement[] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'NEWLINE') {
      if (current.length > 0) out.push({ tokens: current });
      current = [];
    } else if (t.kind !== 'INDENT' && t.kind !== 'DEDENT' && t.kind !== 'ENDMARKER') current.push(t);
  }
  if (current.length > 0) out.push({ tokens: current });
  return out;
}

function splice(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.nextInt(items.length)];
}

/**
 * Every matched bracket pair: nested ones, subscripts and annotations, and pairs whose closer sits on
 * a later line (multi-line calls, lists, parameter lists), where a closing bracket is as easily lost.
 */
function bracketPairs(tokens: readonly Token[]): { open: Token; close: Token }[] {
  const stack: Token[] = [];
  const pairs: { open: Token; close: Token }[] = [];
  for (const t of tokens) {
    if (t.kind !== 'OP') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(t);
    else if (OPENER_OF[t.text] !== undefined) {
      const open = stack.pop();
      if (open !== undefined && open.text === OPENER_OF[t.text]) pairs.push({ open, close: t });
    }
  }
  return pairs;
}

const missingColon: BugInjector = (text, rng) => {
  const headers = statements(lex(text).tokens).filter((s) => COMPOUND_KEYWORDS.has(s.tokens[0]!.text) && s.tokens[s.tokens.length - 1]!.text === ':');
  const colon = pick(rng, headers)?.tokens.at(-1);
  return colon ? { buggyText: splice(text, colon.start, colon.end, ''), line: colon.line } : null;
};

const unclosedBracket: BugInjector = (text, rng) => {
  const pair = pick(rng, bracketPairs(lex(text).tokens));
  return pair ? { buggyText: splice(text, pair.close.start, pair.close.end, ''), line: pair.close.line } : null;
};

/** Two adjacent operands with no operator between them: a syntax error wherever a comma was. */
function isOperandEnd(t: Token): boolean {
  return t.kind === 'NAME' || t.kind === 'NUMBER' || t.kind === 'STRING' || isValueKeyword(t.text) || (t.kind === 'OP' && OPENER_OF[t.text] !== undefined);
}
function isOperandStart(t: Token, previous: Token): boolean {
  // Not '(', '[', '-', '*'...: `f(a (b))` is a call, `f(a -b)` a subtraction. Not string after string.
  if (t.kind === 'STRING') return previous.kind !== 'STRING';
  return t.kind === 'NAME' || t.kind === 'NUMBER' || isValueKeyword(t.text);
}

/** Commas of a def's parameter list before `*args`, `**kwargs` or `/`: without them the header is no syntax. */
function starParamCommas(tokens: readonly Token[]): Token[] {
  const def = tokens.findIndex((t) => t.kind === 'KEYWORD' && t.text === 'def');
  if (def < 0 || tokens[def + 2]?.text !== '(') return [];
  const out: Token[] = [];
  let depth = 0;
  // After a default or an annotation, `x=1 *args` or `x: T *args` would multiply: only bare parameters.
  let hasDefault = false;
  for (let i = def + 2; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (OPENER_OF[t.text] !== undefined && --depth === 0) break;
    else if (depth === 1 && (t.text === '=' || t.text === ':')) hasDefault = true;
    else if (depth === 1 && t.text === ',') {
      if (['*', '**', '/'].includes(tokens[i + 1]?.text ?? '') && tokens[i - 1]?.text !== '*' && (!hasDefault || tokens[i + 1]!.text === '/')) out.push(t);
      hasDefault = false;
    }
  }
  return out;
}

const missingComma: BugInjector = (text, rng) => {
  const tokens = lex(text).tokens;
  const commas = tokens.filter((t, i) => t.text === ',' && t.kind === 'OP' && i > 0 && i + 1 < tokens.length
    && isOperandEnd(tokens[i - 1]!) && isOperandStart(tokens[i + 1]!, tokens[i - 1]!));
  commas.push(...starParamCommas(tokens));
  const comma = pick(rng, commas);
  if (!comma) return null;
  // Keep the operands apart: `f(a,b)` must become `f(a b)`, not `f(ab)`.
  const spaced = /\s/.test(text[comma.end] ?? '');
  return { buggyText: splice(text, comma.start, comma.end, spaced ? '' : ' '), line: comma.line };
};

/** Statements whose expression `=` can never continue: a condition, a return, an assert... */
const EXPRESSION_KEYWORDS = new Set(['if', 'elif', 'while', 'assert', 'return', 'yield']);
/** Where the left operand of an `==` starts, scanning back at its own depth. */
/** At a statement's top level, an `==` whose left operand starts after these can never become an assignment. */
const TOP_LEVEL_OPERAND_STARTS = new Set(['and', 'or', 'not', 'if', 'else', 'lambda', 'in', ':']);
const OPERAND_BOUNDARIES = new Set(['(', '[', '{', ',', ':', '=', 'return', 'if', 'elif', 'while', 'assert', 'yield', 'lambda', 'else', 'in', 'and', 'or', 'not']);

/**
 * Every `==` whose `=` would be a syntax error: in a condition, a return, an assert (not only in
 * `if`), as a boolean operand, inside brackets and in call arguments, except where `=` stays valid
 * Python: `f(x == 1)` would be the keyword argument `f(x = 1)`, and at the top level of an
 * assignment or expression statement `y = a == b` would be the chained `y = a = b`.
 */
function eqCandidates(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const s of statements(tokens)) {
    const stack: { open: Token; isCall: boolean }[] = [];
    s.tokens.forEach((t, i) => {
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        const before = s.tokens[i - 1];
        const isCall = t.text === '(' && before !== undefined && (before.kind === 'NAME' || before.text === ')' || before.text === ']');
        stack.push({ open: t, isCall });
        return;
      }
      if (OPENER_OF[t.text] !== undefined) {
        stack.pop();
        return;
      }
      if (t.text !== '==') return;
      if (stack.length === 0 && EXPRESSION_KEYWORDS.has(s.tokens[0]!.text)) {
        out.push(t);
        return;
      }
      // The left operand: back to the nearest boundary at this depth.
      let depth = 0;
      let j = i - 1;
      for (; j >= 0; j--) {
        const u = s.tokens[j]!;
        if (OPENER_OF[u.text] !== undefined) depth++;
        else if (u.text === '(' || u.text === '[' || u.text === '{') {
          if (depth-- === 0) break;
        } else if (depth === 0 && OPERAND_BOUNDARIES.has(u.text)) break;
      }
      const boundary = s.tokens[j];
      const left = s.tokens.slice(j + 1, i);
      if (stack.length === 0) {
        // Top level of an assignment or expression statement: `y = a and b == c` turns into an
        // assignment to `a and b`, an error; `y = b == c` into the valid `y = b = c`.
        if (boundary !== undefined && TOP_LEVEL_OPERAND_STARTS.has(boundary.text)) out.push(t);
        return;
      }
      const inCall = stack[stack.length - 1]!.isCall;
      const argumentStart = boundary !== undefined && (boundary.text === ',' || boundary === stack[stack.length - 1]!.open);
      if (inCall && argumentStart && left.length === 1 && left[0]!.kind === 'NAME') return;
      out.push(t);
    });
  }
  return out;
}

const assignForEq: BugInjector = (text, rng) => {
  const eq = pick(rng, eqCandidates(lex(text).tokens));
  return eq ? { buggyText: splice(text, eq.start, eq.end, '='), line: eq.line } : null;
};


const misspelledKeyword: BugInjector = (text, rng) => {
  const tokens = lex(text).tokens;
  const names = new Set(tokens.filter((t) => t.kind === 'NAME').map((t) => t.text));
  const candidates: Token[] = [];
  for (const s of statements(tokens)) {
    const header = s.tokens.at(-1)!.text === ':';
    s.tokens.forEach((t, i) => {
      if (t.kind !== 'KEYWORD' || KEYWORD_MISSPELLINGS[t.text] === undefined) return;
      if (isValueKeyword(t.text)) {
        candidates.push(t);
        return;
      }
      // The typo is a name: `retrun`, `retrun -1` or `retrun (x)` would still be valid expressions.
      // It must touch another operand, or stand in a block header (`fi (x):` is no statement).
      const previous = s.tokens[i - 1];
      const next = s.tokens[i + 1];
      const touches = (previous !== undefined && isOperandEnd(previous)) || (next !== undefined && (next.kind === 'KEYWORD' || isOperandStart(next, t)));
      if (touches || (header && i === 0)) candidates.push(t);
    });
  }
  const keyword = pick(rng, candidates);
  if (!keyword) return null;
  const typo = pick(rng, KEYWORD_MISSPELLINGS[keyword.text]!.filter((w) => !names.has(w)));
  return typo ? { buggyText: splice(text, keyword.start, keyword.end, typo), line: keyword.line } : null;
};

const misspelledName: BugInjector = (text, rng) => {
  const tokens = lex(text).tokens;
  const names = tokens.filter((t) => t.kind === 'NAME');
  const uses = new Map<string, Token[]>();
  for (const t of names) uses.set(t.text, [...(uses.get(t.text) ?? []), t]);
  // Any name used twice or more (parameters, locals, attributes, imports: one use then has no twin),
  // and a builtin or a well-known method used once (`lne(x)`, `.apend(x)`).
  const attribute = (t: Token) => tokens[tokens.indexOf(t) - 1]?.text === '.';
  // A builtin read once: called, raised or caught (a parameter named `type` renamed would be no error).
  const readBuiltin = (t: Token) => {
    const i = tokens.indexOf(t);
    return !attribute(t) && (tokens[i + 1]?.text === '(' || tokens[i - 1]?.text === 'raise' || tokens[i - 1]?.text === 'except');
  };
  const known = (name: string, list: Token[]) => (MISSPELLABLE_BUILTINS.has(name) && list.every(readBuiltin)) || (WELL_KNOWN_METHODS.has(name) && list.every(attribute));
  const candidates = [...uses.entries()].filter(([name, list]) => name.length >= 3 && (list.length >= 2 || known(name, list)));
  const chosen = pick(rng, candidates);
  if (!chosen) return null;
  const typo = misspell(chosen[0], rng, new Set(uses.keys()));
  const use = pick(rng, chosen[1]);
  return typo && use ? { buggyText: splice(text, use.start, use.end, typo), line: use.line } : null;
};

const COMPARISON_SWAPS: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '==' };

const wrongComparison: BugInjector = (text, rng) => {
  const op = pick(rng, lex(text).tokens.filter((t) => t.kind === 'OP' && COMPARISON_SWAPS[t.text] !== undefined));
  return op ? { buggyText: splice(text, op.start, op.end, COMPARISON_SWAPS[op.text]!), line: op.line } : null;
};

/** Tokens allowed at the top level of a range bound we shift: `n`, `len(x)`, `a.b`, `n - 1`... */
const SHIFTABLE = new Set(['+', '-', '*', '//', '%', '.']);

const offByOneRange: BugInjector = (text, rng) => {
  const tokens = lex(text).tokens;
  const edits: { start: number; end: number; replacement: string; line: number }[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.text !== 'range' || tokens[i]!.kind !== 'NAME' || tokens[i + 1]!.text !== '(') continue;
    const args: Token[][] = [[]];
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (OPENER_OF[t.text] !== undefined && depth-- === 0) break;
      if (depth === 0 && t.text === ',') args.push([]);
      else args[args.length - 1]!.push(t);
    }
    const stop = args.length === 1 ? args[0]! : args[1];
    if (args.length > 3 || !stop || stop.length === 0 || stop.some((t) => t.line !== tokens[i]!.line)) continue;
    let level = 0;
    const plain = stop.every((t) => {
      if (t.text === '(' || t.text === '[') level++;
      else if (t.text === ')' || t.text === ']') level--;
      else if (level === 0) return t.kind === 'NAME' || t.kind === 'NUMBER' || SHIFTABLE.has(t.text);
      return true;
    });
    if (!plain || (stop[0]!.kind === 'OP' && stop[0]!.text !== '(')) continue;
    const last = stop[stop.length - 1]!;
    const before = stop[stop.length - 2];
    if (stop.length >= 3 && last.text === '1' && (before!.text === '-' || before!.text === '+')) {
      // `range(n - 1)` becomes `range(n)`: drop the shift (and the space before it).
      const keep = stop[stop.length - 3]!;
      edits.push({ start: keep.end, end: last.end, replacement: '', line: last.line });
    } else {
      edits.push({ start: last.end, end: last.end, replacement: rng.next() < 0.5 ? ' - 1' : ' + 1', line: last.line });
    }
  }
  const edit = pick(rng, edits);
  return edit ? { buggyText: splice(text, edit.start, edit.end, edit.replacement), line: edit.line } : null;
};

const missingSelf: BugInjector = (text, rng) => {
  const tokens = lex(text).tokens;
  const defAt = tokens.findIndex((t) => t.text === 'def');
  if (tokens[defAt + 3]?.text !== 'self' || tokens[defAt + 2]?.text !== '(') return null;
  // Only attributes that are not also plain names here: `x` alone must then be an undefined name.
  const bare = new Set(tokens.filter((t, i) => t.kind === 'NAME' && tokens[i - 1]?.text !== '.').map((t) => t.text));
  const uses = tokens.filter((t, i) => t.text === 'self' && t.kind === 'NAME' && t.line > 1 && tokens[i + 1]?.text === '.'
    && tokens[i + 2]?.kind === 'NAME' && !bare.has(tokens[i + 2]!.text) && tokens[i - 1]?.text !== '.');
  const use = pick(rng, uses);
  if (!use) return null;
  const dot = tokens[tokens.indexOf(use) + 1]!;
  return { buggyText: splice(text, use.start, dot.end, ''), line: use.line };
};

/**
 * Moves one statement line so Python rejects it: deeper than the line before it when that line opens
 * no block ("unexpected indent"), or out to its header's level when it is a block's first line
 * ("expected an indented block"), or one level out when the next statement stays at its old level
 * (which is then an unexpected indent).
 */
const badIndentation: BugInjector = (text, rng) => {
  const layout = lineLayout(text);
  const heads = statements(layout.lexed.tokens).map((s) => ({ line: layout.lines[s.tokens[0]!.line - 1]!, opensBlock: s.tokens.at(-1)!.text === ':' }));
  const edits: { line: number; indent: string }[] = [];
  const unit = (indent: string) => (indent.includes('\t') ? '\t' : ' '.repeat(layout.indentUnit));
  for (let k = 1; k < heads.length; k++) {
    const { line, opensBlock } = heads[k]!;
    const previous = heads[k - 1]!;
    const next = heads[k + 1];
    if (line.insideToken) continue;
    if (!previous.opensBlock && line.indentWidth === previous.line.indentWidth) {
      edits.push({ line: line.number, indent: line.indentText + unit(line.indentText) });
    }
    if (previous.opensBlock && line.indentWidth > previous.line.indentWidth) {
      edits.push({ line: line.number, indent: previous.line.indentText });
    } else if (!opensBlock && next !== undefined && next.line.indentWidth === line.indentWidth && line.indentWidth > 0) {
      const outer = line.indentText.slice(0, Math.max(0, line.indentText.length - unit(line.indentText).length));
      edits.push({ line: line.number, indent: outer });
    }
  }
  const edit = pick(rng, edits);
  if (!edit) return null;
  const line = layout.lines[edit.line - 1]!;
  return { buggyText: splice(text, line.start, line.start + line.indentText.length, edit.indent), line: edit.line };
};

const noBug: BugInjector = (text) => ({ buggyText: text, line: null });

/** The registry: every bug class by name (`no_bug` included). */
export const BUG_CLASSES: Readonly<Record<string, BugClass>> = {
  no_bug: { name: 'no_bug', description: 'correct code, to come back unchanged', targeted: true, inject: noBug },
  missing_colon: { name: 'missing_colon', description: "the ':' ending a block header removed", targeted: true, inject: missingColon },
  unclosed_bracket: { name: 'unclosed_bracket', description: 'a closing bracket removed', targeted: true, inject: unclosedBracket },
  missing_comma: { name: 'missing_comma', description: 'a comma between two operands removed', targeted: true, inject: missingComma },
  assign_for_eq: { name: 'assign_for_eq', description: "'==' written '=' in a condition", targeted: true, inject: assignForEq },
  misspelled_keyword: { name: 'misspelled_keyword', description: 'a keyword misspelled (retrun, whlie...)', targeted: true, inject: misspelledKeyword },
  misspelled_name: { name: 'misspelled_name', description: 'one use of a name used twice or more misspelled', targeted: true, inject: misspelledName },
  wrong_comparison: { name: 'wrong_comparison', description: "'<' for '<=', '==' for '!='... (not visible in the text)", targeted: false, inject: wrongComparison },
  off_by_one_range: { name: 'off_by_one_range', description: 'range(n) shifted by one (not visible in the text)', targeted: false, inject: offByOneRange },
  missing_self: { name: 'missing_self', description: "'self.' dropped before an attribute in a method", targeted: true, inject: missingSelf },
  bad_indentation: { name: 'bad_indentation', description: 'a statement line indented so it no longer fits', targeted: true, inject: badIndentation },
};

export const BUG_CLASS_NAMES: readonly string[] = Object.keys(BUG_CLASSES);
/** The classes that break code (no `no_bug`). */
export const BUG_NAMES: readonly string[] = BUG_CLASS_NAMES.filter((name) => name !== 'no_bug');

/** Physical line numbers (1-based) where two texts differ; lines past the shorter text count. */
export function differingLines(a: string, b: string): number[] {
  const la = splitLines(a);
  const lb = splitLines(b);
  const out: number[] = [];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const x = la[i];
    const y = lb[i];
    if (!x || !y || a.slice(x.start, x.end) !== b.slice(y.start, y.end)) out.push(i + 1);
  }
  return out;
}

/**
 * Injects a bug of the named class, or null when the class does not apply to this function. The
 * result is checked: exactly one line differs and `fixTarget` can describe the repair.
 */
export function injectBug(className: string, text: string, rng: Rng): InjectedBug | null {
  const bugClass = BUG_CLASSES[className];
  if (!bugClass) throw new Error(`unknown bug class "${className}"; known: ${BUG_CLASS_NAMES.join(', ')}`);
  const bug = bugClass.inject(text, rng);
  if (bug === null || bug.line === null) return bug;
  const differing = differingLines(text, bug.buggyText);
  if (differing.length !== 1 || differing[0] !== bug.line) return null;
  try {
    fixTarget(text, bug.buggyText);
  } catch (error) {
    if (error instanceof TaskError) return null;
    throw error;
  }
  return bug;
}
