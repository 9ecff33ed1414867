// Every small token edit the syntax check accepts, where a text does not compile (docs/design.md#enumerated-edits):
// inserts of any token of an alphabet (keywords, operators and brackets, the text's names, builtins),
// deletes, substitutions and swaps of neighbours, near the check's error and where its cause lies
// (the end of the line, a bracket left open), and two such edits when no one edit compiles. The
// model ranks what this keeps (fix-search.ts); the per-class rules of edit-candidates.ts stay a prior.
//
// Thousands of texts are checked per window, so the check is cut short where it can be exactly:
// - brackets: a text whose brackets do not pair never compiles, so an edit that leaves the
//   original's unpaired brackets as they are is refused without a parse;
// - the furthest token: the parser failed after reading up to a token; an edit after it leaves
//   what the parser read unchanged, so it fails the same way and is never tried;
// - one check per group of tokens the grammar treats alike (all names, comparison operators,
//   augmented assignments, ...): only when a group's stand-in compiles are its members checked.
import { BUILTINS } from '../python/name-check';
import { KEYWORDS, lex, OPERATORS, type Token } from '../python/lexer';
import { checkFragmentSyntax } from '../python/parse-check';
import { compileError, furthestTokenRead } from '../python/syntax/compile-check';
import {
  ENUMERATION_OPENER_TOKENS,
  ENUMERATION_PARSE_BUDGET_CHARS,
  ENUMERATION_TOKENS_AFTER,
  ENUMERATION_TOKENS_BEFORE,
  MAX_CLOSER_GAPS,
  MAX_ENUMERATED_CHECKS,
  MAX_LITERAL_CHOICES,
  MAX_NAME_CHOICES,
  MAX_SECOND_EDIT_CHECKS,
  SECOND_EDIT_STARTS,
} from './search-limits';
import { lineStructure, statementWindow } from './statement-window';
import { editLine, editOffset, spliceTokens, type TokenEdit, type TokenEditKind } from './token-splice';

export interface EnumeratedEdit {
  /** The whole text after the edit. */
  text: string;
  /** 1-based physical line of the (first) edit. */
  line: number;
  kind: TokenEditKind;
  /** Token edits: 1, or 2 when no one edit compiled. */
  size: 1 | 2;
  /** Code tokens between the edit and the nearest place the check points at (its error, the furthest token read, a bracket left open). */
  distance: number;
}

export interface EnumerationStats {
  /** Texts built (group stand-ins included). */
  tried: number;
  /** Texts parsed (their edited statement alone at least). */
  checked: number;
  /** Texts parsed whole (their statement alone compiled, or could not be judged alone). */
  fullChecks: number;
  /** Texts that compile. */
  compiled: number;
}

export interface Enumeration {
  /** Edits after which the text compiles, nearest the error first. */
  edits: EnumeratedEdit[];
  /** No one edit compiles: the first edits of the two-edit repairs that do, for a pass of their own. */
  partial: EnumeratedEdit[];
  stats: EnumerationStats;
}

export interface EnumerateOptions {
  signal?: AbortSignal;
  /** Texts parsed at most (MAX_ENUMERATED_CHECKS). */
  maxChecks?: number;
  /** Whether two-edit repairs are looked for when no one edit compiles (default true). */
  secondEdits?: boolean;
}

/** Tokens the grammar treats alike: the first stands in for the group. */
const TOKEN_GROUPS: readonly (readonly string[])[] = [
  ['==', '!=', '<', '>', '<=', '>='],
  ['+=', '-=', '*=', '/=', '//=', '%=', '@=', '&=', '|=', '^=', '>>=', '<<=', '**='],
  ['//', '%', '&', '^', '<<', '>>'],
  ['None', 'True', 'False'],
];
/** Every other keyword and operator alone. */
const SINGLE_TOKENS = [...KEYWORDS, ...OPERATORS].filter((t) => !TOKEN_GROUPS.some((g) => g.includes(t)));
/** Soft keywords are names to the lexer but not to the grammar: never an inserted name. */
const NOT_NAMES = new Set(['match', 'case']);
/** Stands in for every name: in no text, so no rule about a name already there (a repeated parameter) refuses it. */
const NAME_STAND_IN = '_enumerated_name_';
/** Stands in for every literal of the text (the grammar reads numbers and strings alike, f-strings aside). */
const LITERAL_STAND_IN = '0';
/** Literals longer than this (docstrings) are never inserted. */
const MAX_LITERAL_LENGTH = 40;
const OPENERS = '([{';
const CLOSERS = ')]}';
/** Checks between looks at the request's AbortSignal. */
const ABORT_CHECK_EVERY = 128;

/** Parses left, and characters parsed left (a huge line makes each parse dear). */
interface Budget {
  checks: number;
  chars: number;
}

interface Group {
  stand: string;
  /** The tokens the group offers; null: the stand-in is itself the only one. */
  members: readonly string[] | null;
}

const isCode = (t: Token) =>
  t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT' && t.kind !== 'ENDMARKER';

/** Whether the brackets of a token sequence pair up, each closer with its own opener. */
function bracketsPair(texts: readonly string[]): boolean {
  const stack: string[] = [];
  for (const t of texts) {
    const open = OPENERS.indexOf(t);
    if (open >= 0) stack.push(CLOSERS[open]!);
    else if (CLOSERS.includes(t) && stack.pop() !== t) return false;
  }
  return stack.length === 0;
}

const isBracket = (t: string) => t.length === 1 && (OPENERS.includes(t) || CLOSERS.includes(t));

function compiles(text: string): { ok: boolean; errorLine: number } {
  try {
    const error = compileError(text, true, true);
    return { ok: error === null, errorLine: error?.line ?? 0 };
  } catch {
    return { ok: false, errorLine: 0 };
  }
}

/** The index of the first code token ending after `offset` (tokens.length past the last). */
function tokenAt(tokens: readonly Token[], offset: number): number {
  const i = tokens.findIndex((t) => t.end > offset);
  return i < 0 ? tokens.length : i;
}

/** The text's names by how often it uses them, then the builtins: the names an insert draws from. */
function nameChoices(tokens: readonly Token[]): string[] {
  const counts = new Map<string, number>();
  for (const t of tokens)
    if (t.kind === 'NAME' && !NOT_NAMES.has(t.text)) counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
  const own = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  return [...own, ...[...BUILTINS].filter((b) => !counts.has(b))].slice(0, MAX_NAME_CHOICES);
}

/** The text's own short literals by how often it uses them: a deleted `""` is read back from another. */
function literalChoices(tokens: readonly Token[]): string[] {
  const counts = new Map<string, number>();
  for (const t of tokens)
    if ((t.kind === 'NUMBER' || t.kind === 'STRING') && t.text.length <= MAX_LITERAL_LENGTH && !t.text.includes('\n'))
      counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([literal]) => literal)
    .slice(0, MAX_LITERAL_CHOICES);
}

/** Openers still open where the parser stopped (or at the end). */
function openBrackets(tokens: readonly Token[], until: number): number[] {
  const stack: number[] = [];
  for (let i = 0; i < Math.min(until, tokens.length); i++) {
    const t = tokens[i]!.text;
    if (OPENERS.includes(t) && tokens[i]!.kind === 'OP') stack.push(i);
    else if (CLOSERS.includes(t) && tokens[i]!.kind === 'OP') stack.pop();
  }
  return stack;
}

/** The offset of the furthest token the parser read, when the text does not parse. */
function furthestOffset(text: string, lineStarts: readonly number[]): number | null {
  let stop;
  try {
    stop = furthestTokenRead(text);
  } catch {
    return null;
  }
  return stop === null ? null : (lineStarts[stop.line - 1] ?? text.length) + stop.col;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Distance-1 edits of `text` that compile; `budget` counts the parses left (shared by the caller). */
function enumerateOnce(
  text: string,
  budget: Budget,
  signal: AbortSignal | undefined,
  stats: EnumerationStats,
  failed?: { edit: EnumeratedEdit; errorLine: number }[],
  /** Parse edits that leave the brackets unpaired too: looking for first edits of two, not repairs. */
  unpairedToo = false,
): EnumeratedEdit[] | null {
  const refusal = checkFragmentSyntax(text);
  if (refusal.ok) return null;
  const lexed = lex(text);
  // A text that does not lex (an unterminated string, a stray character) needs character edits,
  // not token edits; brackets that do not pair and indentation are token edits' work.
  if (lexed.problems.some((p) => /string|character|continuation/.test(p.message))) return [];
  const tokens = lexed.tokens.filter(isCode);
  if (tokens.length === 0) return [];
  const texts = tokens.map((t) => t.text);
  const starts = lineStartsOf(text);
  const furthest = furthestOffset(text, starts);
  budget.chars -= text.length;
  const errorIndex = tokenAt(tokens, refusal.errorOffset ?? text.length);
  const furthestIndex = furthest === null ? errorIndex : tokenAt(tokens, furthest);
  const anchors = new Set([errorIndex, furthestIndex]);
  const sites = new Set<number>();
  const addRange = (from: number, to: number) => {
    for (let i = Math.max(0, from); i <= Math.min(tokens.length, to); i++) sites.add(i);
  };
  for (const a of anchors) addRange(a - ENUMERATION_TOKENS_BEFORE, a + ENUMERATION_TOKENS_AFTER);
  const closerGaps = new Map<number, string>();
  for (const opener of openBrackets(tokens, Math.max(...anchors))) {
    anchors.add(opener);
    addRange(opener - ENUMERATION_OPENER_TOKENS, opener + ENUMERATION_OPENER_TOKENS);
    const closer = CLOSERS[OPENERS.indexOf(texts[opener]!)]!;
    for (let g = opener + 1; g <= Math.min(tokens.length, opener + MAX_CLOSER_GAPS); g++)
      if (!closerGaps.has(g)) closerGaps.set(g, closer);
  }
  const anchorList = [...anchors];
  const distanceOf = (i: number) => Math.min(...anchorList.map((a) => Math.abs(a - i)));
  const lastOnLine = (i: number) =>
    i === tokens.length - 1 || text.slice(tokens[i]!.end, tokens[i + 1]!.start).includes('\n');
  const originalPairs = bracketsPair(texts);
  const structure = lineStructure(text, tokens);
  /** The edited statement alone first (cheap, never stricter), then the whole text. */
  const check = (candidate: string, edit: TokenEdit): { ok: boolean; errorLine: number } => {
    stats.checked++;
    if (stats.checked % ABORT_CHECK_EVERY === 0) signal?.throwIfAborted();
    const window = statementWindow(candidate, text, tokens, structure, edit);
    budget.chars -= window?.length ?? 0;
    if (window !== null && !compiles(window).ok) return { ok: false, errorLine: 0 };
    stats.fullChecks++;
    budget.chars -= candidate.length;
    return compiles(candidate);
  };

  const planned: { edit: TokenEdit; members: readonly string[] | null; distance: number }[] = [];
  const names = nameChoices(tokens);
  const groups: Group[] = [
    ...TOKEN_GROUPS.map((g) => ({ stand: g[0]!, members: g })),
    ...SINGLE_TOKENS.map((t) => ({ stand: t, members: null })),
    { stand: NAME_STAND_IN, members: names },
    { stand: LITERAL_STAND_IN, members: literalChoices(tokens) },
  ];
  const plan = (edit: TokenEdit, members: readonly string[] | null, at: number) =>
    planned.push({ edit, members, distance: distanceOf(at) });
  for (const i of [...sites].sort((a, b) => a - b)) {
    for (const g of groups) plan({ kind: 'insert', from: i, to: i, after: [g.stand] }, g.members, i);
    if (i > 0 && lastOnLine(i - 1))
      for (const g of groups)
        plan({ kind: 'insert', from: i, to: i, after: [g.stand], atLineEnd: true }, g.members, i - 1);
    if (i >= tokens.length) continue;
    const token = tokens[i]!;
    plan({ kind: 'delete', from: i, to: i + 1, after: [] }, null, i);
    for (const g of groups) {
      // A name for a name changes nothing the grammar sees: the name channel's work, not this one's.
      if (g.stand === NAME_STAND_IN && token.kind === 'NAME') continue;
      if (g.stand === LITERAL_STAND_IN && (token.kind === 'NUMBER' || token.kind === 'STRING')) continue;
      if (g.members === null && g.stand === token.text) continue;
      plan({ kind: 'substitute', from: i, to: i + 1, after: [g.stand] }, g.members, i);
    }
    const next = tokens[i + 1];
    if (next && !lastOnLine(i) && next.text !== token.text)
      plan({ kind: 'swap', from: i, to: i + 2, after: [next.text, token.text] }, null, i);
  }
  for (const [g, closer] of closerGaps) {
    if (!sites.has(g)) plan({ kind: 'insert', from: g, to: g, after: [closer] }, null, g);
    if (g > 0 && lastOnLine(g - 1) && !sites.has(g))
      plan({ kind: 'insert', from: g, to: g, after: [closer], atLineEnd: true }, null, g - 1);
  }

  const edited = (edit: TokenEdit) => [...texts.slice(0, edit.from), ...edit.after, ...texts.slice(edit.to)];
  const seen = new Set<string>([text]);
  const found: EnumeratedEdit[] = [];
  const accept = (edit: TokenEdit, after: readonly string[], distance: number): boolean => {
    const e = { ...edit, after };
    const candidate = spliceTokens(text, tokens, e);
    if (candidate === null || seen.has(candidate)) return false;
    seen.add(candidate);
    stats.tried++;
    if (budget.checks <= 0 || budget.chars <= 0) return false;
    budget.checks--;
    const result = check(candidate, e);
    const enumerated: EnumeratedEdit = { text: candidate, line: editLine(tokens, e), kind: e.kind, size: 1, distance };
    if (result.ok) {
      stats.compiled++;
      found.push(enumerated);
    } else failed?.push({ edit: enumerated, errorLine: result.errorLine });
    return result.ok;
  };
  planned.sort((a, b) => a.distance - b.distance);
  for (const { edit, members, distance } of planned) {
    if (budget.checks <= 0 || budget.chars <= 0) break;
    // The parser never read past the furthest token: an edit after it fails the same way.
    if (furthest !== null && editOffset(tokens, edit) > furthest) continue;
    const touched = [...texts.slice(edit.from, edit.to), ...edit.after];
    if (!unpairedToo && (touched.some(isBracket) ? !bracketsPair(edited(edit)) : !originalPairs)) continue;
    if (edit.after[0] === NAME_STAND_IN || (edit.after[0] === LITERAL_STAND_IN && members !== null)) {
      // The stand-in is no candidate: it only says whether names fit there.
      const standIn = spliceTokens(text, tokens, edit);
      if (standIn === null || seen.has(standIn)) continue;
      seen.add(standIn);
      stats.tried++;
      budget.checks--;
      if (!check(standIn, edit).ok) continue;
      for (const name of members ?? []) accept(edit, [name], distance);
      continue;
    }
    if (!accept(edit, edit.after, distance) || members === null) continue;
    for (const member of members.slice(1)) accept(edit, [member], distance);
  }
  return found;
}

/**
 * The token edits of distance 1 after which `text` compiles; when there is none, those of distance
 * 2 that start from the edits getting the parser furthest. Empty when the text compiles.
 */
export function enumerateEdits(text: string, options: EnumerateOptions = {}): Enumeration {
  const stats: EnumerationStats = { tried: 0, checked: 0, fullChecks: 0, compiled: 0 };
  const budget = { checks: options.maxChecks ?? MAX_ENUMERATED_CHECKS, chars: ENUMERATION_PARSE_BUDGET_CHARS };
  const failed: { edit: EnumeratedEdit; errorLine: number }[] = [];
  const once = enumerateOnce(text, budget, options.signal, stats, failed);
  if (once === null) return { edits: [], partial: [], stats };
  const byDistance = (a: EnumeratedEdit, b: EnumeratedEdit) => a.distance - b.distance;
  if (once.length > 0 || options.secondEdits === false) return { edits: once.sort(byDistance), partial: [], stats };
  // Two edits: from each of the first edits that let the parser read furthest, one more.
  const originalLine = compiles(text).errorLine;
  // Brackets left unpaired refuse every edit but a bracket's without a parse: what the others
  // leave to do is only known by parsing them.
  const second = { checks: MAX_SECOND_EDIT_CHECKS, chars: budget.chars };
  if (failed.length === 0) enumerateOnce(text, second, options.signal, stats, failed, true);
  const starts = failed
    .filter((f) => f.errorLine > originalLine)
    .sort((a, b) => b.errorLine - a.errorLine || a.edit.distance - b.edit.distance)
    .slice(0, SECOND_EDIT_STARTS);
  const edits: EnumeratedEdit[] = [];
  const partial: EnumeratedEdit[] = [];
  for (const start of starts) {
    const share = {
      checks: Math.min(second.checks, Math.ceil(MAX_SECOND_EDIT_CHECKS / SECOND_EDIT_STARTS)),
      chars: second.chars,
    };
    const before = share.checks;
    const more = enumerateOnce(start.edit.text, share, options.signal, stats, undefined) ?? [];
    second.checks -= before - share.checks;
    second.chars = share.chars;
    if (more.length > 0) partial.push(start.edit);
    for (const m of more)
      edits.push({
        ...m,
        line: Math.min(start.edit.line, m.line),
        kind: start.edit.kind,
        size: 2,
        distance: start.edit.distance + m.distance,
      });
  }
  return { edits: edits.sort(byDistance), partial, stats };
}
