// Candidate edits the text itself suggests, for the model to score beside its beams
// (docs/design.md#candidates-and-ranking, convergent): small edits at the lines where Lezer's parse
// broke (a missing `:`, `,`, closing bracket, `==` for `=`, a misspelled keyword, an indentation
// level), and name edits (a name read but never bound, or bound but never read, turned into its
// bound near-twin; `Noen` → `None`). Each candidate is the whole text with one physical line
// changed; the caller scores it with the model.
import { isKeyword, lex, type Token, VALUE_KEYWORDS } from '../python/lexer';
import { lineLayout } from '../python/lines';
import { BUILTINS, isRareTwinOfModuleName, keywordTypoFix, typoDistance, unboundNames } from '../python/name-check';
import { checkFragmentSyntax } from '../python/parse-check';
import {
  EDIT_TOKENS_PER_SIDE,
  ERROR_LINE_REACH,
  INDENT_LINES_AFTER,
  INDENT_LINES_BEFORE,
  MAX_PARTIAL_FIXES,
  MAX_TYPO_DISTANCE,
  MIN_ATTRIBUTE_TYPO_LENGTH,
  MIN_PARSED_CANDIDATES,
  MIN_TYPO_NAME_LENGTH,
  PARSE_BUDGET_CHARS,
  PARTIAL_FIX_MIN_LINES_GAINED,
  SHORT_NAME_LETTERS,
  SHORT_NAME_TYPO_DISTANCE,
} from './search-limits';

/** Why an edit was proposed: the evidence behind it (character edits: what does not tokenize). */
export type EditReason = 'parse error' | 'suspect name' | 'unterminated string' | 'stray character' | 'model';

export interface TextEdit {
  /** The whole text after the edit. */
  text: string;
  /** 1-based physical line that changed. */
  line: number;
  why: EditReason;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Keywords a typo is turned back into (value keywords None/True/False included). */
const TYPO_KEYWORDS = [
  'return',
  'while',
  'def',
  'for',
  'if',
  'else',
  'elif',
  'import',
  'in',
  'not',
  'is',
  'and',
  'or',
  'class',
  'try',
  'except',
  'finally',
  'with',
  'yield',
  'lambda',
  'pass',
  'break',
  'continue',
  'raise',
  'from',
  'as',
  'assert',
  'global',
  'del',
  'async',
  'await',
  'None',
  'True',
  'False',
];

/**
 * How far a typo may be from the word it stands for: one letter for short words, two otherwise
 * (two letters of four make another word: `cast` is no typo of `list`).
 */
export function isNearTwin(typo: string, word: string): boolean {
  if (typo === word || Math.abs(typo.length - word.length) > MAX_TYPO_DISTANCE) return false;
  const limit = Math.min(typo.length, word.length) <= SHORT_NAME_LETTERS ? SHORT_NAME_TYPO_DISTANCE : MAX_TYPO_DISTANCE;
  return typoDistance(typo, word) <= limit;
}

const codeTokens = (text: string) =>
  lex(text).tokens.filter((t) => t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT');
const splice = (text: string, start: number, end: number, insert: string) =>
  text.slice(0, start) + insert + text.slice(end);

/** Lines worth editing for a parse error: around Lezer's first error, and lines that open a bracket they do not close. */
function suspectLines(text: string): number[] {
  const check = checkFragmentSyntax(text);
  if (check.ok) return [];
  const lines = new Set<number>();
  const at = check.errorLine ?? 1;
  for (let n = at - ERROR_LINE_REACH; n <= at + ERROR_LINE_REACH; n++) if (n >= 1) lines.add(n);
  const balance = new Map<number, number>();
  for (const t of codeTokens(text)) {
    if (t.kind !== 'OP') continue;
    if ('([{'.includes(t.text)) balance.set(t.line, (balance.get(t.line) ?? 0) + 1);
    if (')]}'.includes(t.text)) balance.set(t.line, (balance.get(t.line) ?? 0) - 1);
  }
  for (const [line, open] of balance) if (open > 0 && line <= at) lines.add(line);
  return [...lines].sort((a, b) => a - b);
}

/** Edits at the parse error: each kept candidate parses, or at least moves the first error further down. */
export function parseErrorCandidates(text: string): TextEdit[] {
  const check = checkFragmentSyntax(text);
  if (check.ok) return [];
  const layout = lineLayout(text);
  const tokens = codeTokens(text);
  const errorAt = check.errorOffset ?? text.length;
  const raw = new Map<string, { line: number; distance: number }>();
  const add = (at: number, end: number, insert: string, line: number) => {
    const candidate = splice(text, at, end, insert);
    if (candidate !== text && !raw.has(candidate)) raw.set(candidate, { line, distance: Math.abs(at - errorAt) });
  };
  for (const n of suspectLines(text)) {
    const line = layout.lines[n - 1];
    if (!line || line.insideToken) continue;
    const onLine = tokens.filter((t) => t.line === n && t.end <= line.end + 1);
    if (onLine.length > 0) {
      const last = onLine[onLine.length - 1]!;
      add(last.end, last.end, ':', n);
      // Only the tokens near the error (or the line's end) get edits on a very long line.
      const nearError = onLine.findIndex((t) => t.end >= errorAt);
      const centre = nearError >= 0 && check.errorLine === n ? nearError : onLine.length - 1;
      const from = Math.max(0, centre - EDIT_TOKENS_PER_SIDE);
      const to = Math.min(onLine.length, centre + EDIT_TOKENS_PER_SIDE + 1);
      // Unclosed openers up to each gap of the line: the closer of the innermost fits there.
      const open: Token[] = [];
      onLine.forEach((t, i) => {
        if (t.kind === 'OP' && '([{'.includes(t.text)) open.push(t);
        else if (t.kind === 'OP' && ')]}'.includes(t.text)) open.pop();
        if (i < from || i >= to) return;
        const next = onLine[i + 1];
        const top = open[open.length - 1];
        if (top) add(t.end, t.end, CLOSER[top.text]!, n);
        if (next) add(t.end, next.start, ', ', n);
        if (t.kind === 'OP' && t.text === '=') add(t.start, t.end, '==', n);
        if (t.kind === 'NAME') {
          for (const word of TYPO_KEYWORDS) if (isNearTwin(t.text, word)) add(t.start, t.end, word, n);
        }
      });
    }
    // Indentation: the levels of the logical lines around it.
    if (line.startsLogicalLine) {
      const levels = new Set<string>();
      const unit = layout.indentWithTabs ? '\t' : ' '.repeat(layout.indentUnit);
      for (const other of layout.lines.slice(Math.max(0, n - 1 - INDENT_LINES_BEFORE), n + INDENT_LINES_AFTER)) {
        if (!other.startsLogicalLine || other.number === n) continue;
        levels.add(other.indentText).add(other.indentText + unit);
        if (other.indentText.endsWith(unit)) levels.add(other.indentText.slice(0, -unit.length));
      }
      for (const indent of levels)
        if (indent !== line.indentText) add(line.start, line.start + line.indentText.length, indent, n);
    }
  }
  // Nearest the error first, as many as the parse budget allows (all of them on a function-sized text).
  const budget = Math.max(MIN_PARSED_CANDIDATES, Math.floor(PARSE_BUDGET_CHARS / Math.max(1, text.length)));
  const checked = [...raw]
    .map(([candidate, at], order) => ({ candidate, ...at, order }))
    .sort((a, b) => (raw.size > budget ? a.distance - b.distance : 0) || a.order - b.order)
    .slice(0, budget);
  const parsing: TextEdit[] = [];
  const progress: { edit: TextEdit; at: number }[] = [];
  for (const { candidate, line } of checked.sort((a, b) => a.order - b.order)) {
    const c = checkFragmentSyntax(candidate);
    if (c.ok) parsing.push({ text: candidate, line, why: 'parse error' });
    else if ((c.errorLine ?? 0) >= (check.errorLine ?? 0) + PARTIAL_FIX_MIN_LINES_GAINED)
      progress.push({ edit: { text: candidate, line, why: 'parse error' }, at: c.errorLine ?? 0 });
  }
  if (parsing.length > 0) return parsing;
  // Two errors: no one edit parses; the edits that get furthest are candidates for the first.
  return progress
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_PARTIAL_FIXES)
    .map((p) => p.edit);
}

/** A def's parameter names, and the name tokens of its parameters' annotations (not their defaults). */
function parameterList(tokens: readonly Token[]): { parameters: Set<string>; annotations: Set<Token> } {
  const parameters = new Set<string>();
  const annotations = new Set<Token>();
  const open = tokens[0]?.text === 'def' ? 2 : tokens[0]?.text === 'async' && tokens[1]?.text === 'def' ? 3 : -1;
  if (tokens[open]?.text !== '(') return { parameters, annotations };
  let depth = 0;
  let part: 'name' | 'annotation' | 'default' = 'name';
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      if (--depth === 0) break;
    } else if (depth === 1 && t.text === ',') part = 'name';
    else if (depth === 1 && t.text === ':' && part === 'name') part = 'annotation';
    else if (depth === 1 && t.text === '=') part = 'default';
    else if (t.kind === 'NAME' && part === 'name' && depth === 1) parameters.add(t.text);
    else if (t.kind === 'NAME' && part === 'annotation') annotations.add(t);
  }
  return { parameters, annotations };
}

/** `use` is in the annotation of `name: …` on its own line (`node: nodes.Node | None = …`): a name
 * is not bound yet in its own annotation, so `nodes` there is no typo of `node`. */
function annotatesItself(tokens: readonly Token[], use: Token, name: string): boolean {
  const at = tokens.indexOf(use);
  let start = at;
  while (start > 0 && tokens[start - 1]!.line === use.line) start--;
  if (tokens[start]?.text !== name || tokens[start + 1]?.text !== ':') return false;
  return !tokens.slice(start + 2, at).some((t) => t.text === '=');
}

/**
 * Name edits: a name read but never bound (nor known from the module: `known`) replaced by a bound
 * near-twin, a builtin, a known name or a value keyword; a name bound once and never read replaced
 * by the unbound near-twin that is read; `x` turned into `self.x` where the method uses `self.x`.
 */
export function nameCandidates(text: string, known: ReadonlySet<string> = new Set()): TextEdit[] {
  const unbound = [...unboundNames(text)].filter((u) => !known.has(u));
  const tokens = codeTokens(text);
  const names = tokens.filter((t, i) => t.kind === 'NAME' && tokens[i - 1]?.text !== '.');
  const attributes = new Set(
    tokens
      .filter((t, i) => t.kind === 'NAME' && tokens[i - 1]?.text === '.' && tokens[i - 2]?.text === 'self')
      .map((t) => t.text),
  );
  const unboundSet = new Set(unbound);
  const bound = new Set(names.map((t) => t.text).filter((n) => !unboundSet.has(n)));
  // The function's own name is bound, but a typo of it is far rarer than a module-level name beside it.
  const ownName =
    tokens[0]?.text === 'def' || tokens[0]?.text === 'async' ? tokens.find((t) => t.kind === 'NAME')?.text : undefined;
  const parses = checkFragmentSyntax(text).ok;
  const edits = new Map<string, TextEdit>();
  const add = (candidate: string, line: number, why: EditReason = 'suspect name') => {
    if (edits.has(candidate) || (parses && !checkFragmentSyntax(candidate).ok)) return;
    edits.set(candidate, { text: candidate, line, why });
  };
  const readCount = (name: string) => names.filter((t) => t.text === name).length;
  const upper = (name: string) => /^[A-Z]/.test(name);
  const signature = parameterList(tokens);
  for (const u of unbound) {
    const uses = names.filter((t) => t.text === u);
    const called = uses.some((t) => tokens[tokens.indexOf(t) + 1]?.text === '(');
    const isModule = uses.some((t) => tokens[tokens.indexOf(t) + 1]?.text === '.');
    // Twins: names the function binds or reads, module-level names, value keywords; a builtin it
    // does not use only for a call (`lne(x)`), and nothing but a bound name before `.` (`slef.x`; `st.x` is a module).
    // Value keywords are capitalised (`Noen`, `Ture`): a lower-case name (`note`) is no typo of them.
    const pool = new Set([
      ...bound,
      ...known,
      ...(isModule || !/^[A-Z]/.test(u) ? [] : VALUE_KEYWORDS),
      ...(called ? BUILTINS : []),
      // `except ValeuError:`: a capitalised builtin is an exception class, read without a call.
      ...(/^[A-Z]/.test(u) ? [...BUILTINS].filter((b) => /^[A-Z]/.test(b)) : []),
    ]);
    if (ownName) pool.delete(ownName);
    // In a parameter's annotation (`node: nodes.Node`, `node: Node`) a name is a type from the
    // module: never a parameter (not bound yet) nor None/True/False.
    if (uses.every((t) => signature.annotations.has(t)))
      for (const n of [...signature.parameters, ...VALUE_KEYWORDS]) pool.delete(n);
    // Before `.` an unbound name is mostly a module (`nx.utils`): only a name the function binds is its twin (`slef`, `lleaf`).
    // Names the function binds outside a window arrive in `known` (`slf.visit` beside `self`).
    if (isModule) for (const n of [...pool]) if ((!bound.has(n) && !known.has(n)) || BUILTINS.has(n)) pool.delete(n);
    // Read once beside an unbound near-twin read twice or more (`ree.Scope` beside `tree.Flow`,
    // `node: Nod` beside `-> Node`): both come from the module, and the rarer one is the typo.
    for (const n of unbound) if (isRareTwinOfModuleName(tokens, u, n)) pool.add(n);
    // `Path` beside `path` is a class beside a variable; a two-letter name has too many twins; a typo
    // keeps the case of the first letter (`RecurT` is a type, not a misspelled `recur`).
    for (const n of [...pool])
      if (
        n.toLowerCase() === u.toLowerCase() ||
        // `en(x)` for `len(x)`: a called two-letter name may still lack a builtin's letter.
        (u.length < MIN_TYPO_NAME_LENGTH &&
          !VALUE_KEYWORDS.includes(n) &&
          !(called && BUILTINS.has(n) && n.length === MIN_TYPO_NAME_LENGTH)) ||
        (upper(n) !== upper(u) && !VALUE_KEYWORDS.includes(n))
      )
        pool.delete(n);
    // Only the nearest twins: `Noen` is one swap from `None`, two edits from `open`.
    const twins = isKeyword(u) ? [] : [...pool].filter((twin) => isNearTwin(u, twin));
    const nearest = Math.min(...twins.map((twin) => typoDistance(u, twin)));
    for (const twin of twins.filter((t) => typoDistance(u, t) === nearest)) {
      // A name read twice or more is no typo (`Node` is no misspelled `None`); its binding may be.
      // `self` and `cls` are never the typo: a misspelled first parameter leaves them unbound.
      const use = uses.length === 1 && u !== 'self' && u !== 'cls' ? uses[0]! : undefined;
      if (use && !annotatesItself(tokens, use, twin)) add(splice(text, use.start, use.end, twin), use.line);
      // The binding is the typo: `coutns = {}` bound once and never read, while `counts` is read
      // twice or more (read once, the read is the likelier typo). Never a def's name or parameter.
      const binding = names.find((t) => t.text === twin);
      const previous = binding ? tokens[tokens.indexOf(binding) - 1] : undefined;
      if (
        binding &&
        bound.has(twin) &&
        readCount(twin) === 1 &&
        previous?.text !== 'def' &&
        previous?.text !== 'class'
      ) {
        add(splice(text, binding.start, binding.end, u), binding.line);
      }
    }
    if (bound.has('self') && u !== 'self') {
      // `x` for `self.x`: confirmed when the method uses `self.x` elsewhere, else only the model's guess.
      for (const use of uses)
        add(splice(text, use.start, use.start, 'self.'), use.line, attributes.has(u) ? 'suspect name' : 'model');
    }
  }
  // A method's first parameter a letter from `self` and never read (`def __exit__(selff, etype)`).
  const first = tokens[tokens.findIndex((t) => t.text === 'def') + 3];
  if (first?.kind === 'NAME' && tokens[tokens.indexOf(first) - 1]?.text === '(' && !bound.has('self')) {
    if (
      first.text.length >= MIN_TYPO_NAME_LENGTH &&
      typoDistance(first.text, 'self') === 1 &&
      readCount(first.text) === 1
    )
      add(splice(text, first.start, first.end, 'self'), first.line);
  }
  // A local assigned once and never read, a letter or two from a local that is read (`reetval =
  // arg` beside `return retval`): the assignment was meant for the twin. Only the model can tell.
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'OP' && '([{'.includes(t.text)) depth++;
    else if (t.kind === 'OP' && ')]}'.includes(t.text)) depth--;
    const startsLine = i === 0 || tokens[i - 1]!.line < t.line;
    const assigned = t.kind === 'NAME' && depth === 0 && startsLine && tokens[i + 1]?.text === '=';
    if (!assigned || readCount(t.text) !== 1 || t.text.startsWith('_')) continue;
    const twins = [...bound].filter((n) => readCount(n) >= 2 && isNearTwin(t.text, n) && upper(n) === upper(t.text));
    for (const twin of twins) add(splice(text, t.start, t.end, twin), t.line, 'model');
  }
  attributeCandidates(text, tokens).forEach((e) => add(e.text, e.line, 'model'));
  keywordCandidates(text, tokens, unboundSet).forEach((e) => add(e.text, e.line, e.why));
  return [...edits.values()];
}

/**
 * Keyword typos in a call passing a bound name of the same spelling (`daat=data`): see
 * name-check.ts `keywordTypoFix`. The name check confirms these, so they are suspect names.
 */
function keywordCandidates(text: string, tokens: readonly Token[], unbound: ReadonlySet<string>): TextEdit[] {
  return tokens.flatMap((t, i) => {
    const twin = keywordTypoFix(tokens, i, unbound);
    return twin ? [{ text: splice(text, t.start, t.end, twin), line: t.line, why: 'suspect name' as const }] : [];
  });
}

/**
 * Attribute typos (`app.curren_tbuffer`, `self.valid_mode`): an attribute used once beside a
 * near-twin used elsewhere. Nothing binds attributes, so the text cannot confirm these: they are
 * the model's to pick (why `model`), against "no bug".
 */
function attributeCandidates(text: string, tokens: readonly Token[]): TextEdit[] {
  const attributes = tokens.filter((t, i) => t.kind === 'NAME' && tokens[i - 1]?.text === '.');
  const counts = new Map<string, number>();
  for (const t of tokens) if (t.kind === 'NAME') counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
  const edits: TextEdit[] = [];
  for (const a of attributes) {
    if (counts.get(a.text) !== 1 || a.text.length < MIN_ATTRIBUTE_TYPO_LENGTH) continue;
    // `self._outputs` in `def outputs`: a leading underscore marks the attribute behind a property,
    // not a typo.
    const bare = (name: string) => name.replace(/^_+/, '');
    const twins = [...counts.keys()].filter(
      (n) => n.toLowerCase() !== a.text.toLowerCase() && bare(n) !== bare(a.text) && isNearTwin(a.text, n),
    );
    const nearest = Math.min(...twins.map((n) => typoDistance(a.text, n)));
    for (const twin of twins.filter((n) => typoDistance(a.text, n) === nearest))
      edits.push({ text: splice(text, a.start, a.end, twin), line: a.line, why: 'model' });
  }
  return edits;
}
