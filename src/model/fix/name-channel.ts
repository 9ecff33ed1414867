// Names as a noisy channel (docs/design.md#names-as-a-noisy-channel). A fix that changes names is
// judged by which spellings the writer more likely meant: P(intended) from the training corpus'
// identifier frequencies (identifiers.json) mixed with the other occurrences in the text, P(typo |
// intended) from an edit model (a swap, a doubled or dropped letter, a neighbouring key, case).
// Against "no bug", where every spelling is meant, the channel gives a log-odds:
//   rename a → b on k tokens:  log P(b) + k·log P(a | b)  −  log P(a)  [− log P(b), b absent elsewhere]
// so a misspelled parameter (`tbale`, read as `table` twice) is renamed, not its two reads, and a
// rename that leaves a name unbound or unbinds one is refused. `self.` before a name needs the text
// to use that name as `self.x`; `module.attr` is checked against the standard library's members.
import { lex, type Token, isValueKeyword } from '../python/lexer';
import { BUILTINS, isRareTwinOfModuleName, typoDistance, unboundNames } from '../python/name-check';
import type { NameLexicon } from '../files/name-files';
import { MAX_TYPO_DISTANCE, MIN_TYPO_NAME_LENGTH } from './search-limits';
import { isNearTwin, type TextEdit } from './edit-candidates';

// The edit model: log-probability of one typo of each kind (a person's slip, not a per-letter
// rate: names are short). The injected and the reported typos are mostly swaps, doubles and drops.
const LOG_P_TYPO = {
  swap: Math.log(0.02),
  doubled: Math.log(0.02),
  dropped: Math.log(0.02),
  /** One of a doubled letter dropped (`fill` → `fil`): the likeliest drop. */
  droppedDouble: Math.log(0.03),
  neighbourKey: Math.log(0.008),
  inserted: Math.log(0.002),
  substituted: Math.log(0.002),
  case: Math.log(0.008),
  /** Two slips in one name. */
  twoEdits: Math.log(0.0001),
};
/** Dropping `self.` before an attribute: one slip, as likely as a swap. */
const LOG_P_SELF_DROPPED = Math.log(0.02);
/**
 * `x` unbound in a method that reads `self.x`: the likelier story is one dropped `self.`, not a
 * module-level `x` beside an attribute of the same name; each further bare read is another slip.
 */
const SELF_SEEN_LOG_ODDS = 2;
/** Share of the prior taken from the text's other occurrences when the corpus dictionary is there. */
const TEXT_SHARE = 0.3;
/** Probability of a spelling seen nowhere (neither the corpus dictionary nor elsewhere in the text). */
const UNSEEN_NAME_P = 1e-7;
/**
 * Log-odds "no bug" starts with: code handed to the fixer is often right, and a pair of real
 * words a letter apart (`node`/`nodes`) must not be merged on the edit model alone.
 */
export const NO_BUG_LOG_ODDS = 3;
/** More for an attribute: nothing binds attributes, so no unbound name backs the rename. */
export const NO_BUG_ATTRIBUTE_LOG_ODDS = 6;

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const KEY_AT = new Map<string, [number, number]>();
ROWS.forEach((row, r) => [...row].forEach((ch, c) => KEY_AT.set(ch, [r, c + r * 0.5])));
const areNeighbourKeys = (a: string, b: string) => {
  const p = KEY_AT.get(a.toLowerCase());
  const q = KEY_AT.get(b.toLowerCase());
  return !!p && !!q && Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1 && a.toLowerCase() !== b.toLowerCase();
};

/** log P(observed | intended) under the edit model; -Infinity beyond MAX_TYPO_DISTANCE. */
export function logTypo(observed: string, intended: string): number {
  if (observed === intended) return 0;
  const d = typoDistance(observed, intended);
  if (d > MAX_TYPO_DISTANCE) return -Infinity;
  if (d === 2) return LOG_P_TYPO.twoEdits;
  if (observed.length === intended.length) {
    const at = [...intended].findIndex((ch, i) => ch !== observed[i]);
    if (observed[at + 1] === intended[at] && observed[at] === intended[at + 1] && at + 1 < intended.length)
      return LOG_P_TYPO.swap;
    if (observed[at]!.toLowerCase() === intended[at]!.toLowerCase()) return LOG_P_TYPO.case;
    return areNeighbourKeys(observed[at]!, intended[at]!) ? LOG_P_TYPO.neighbourKey : LOG_P_TYPO.substituted;
  }
  if (observed.length === intended.length + 1) {
    const at = [...observed].findIndex((ch, i) => ch !== intended[i]);
    const i = at < 0 ? intended.length : at;
    const extra = observed[i]!;
    if (extra === observed[i - 1] || extra === observed[i + 1]) return LOG_P_TYPO.doubled;
    const near = [observed[i - 1], observed[i + 1]].some((n) => n !== undefined && areNeighbourKeys(n, extra));
    return near ? LOG_P_TYPO.neighbourKey : LOG_P_TYPO.inserted;
  }
  const at = [...intended].findIndex((ch, i) => ch !== observed[i]);
  const i = at < 0 ? observed.length : at;
  const missing = intended[i]!;
  return missing === intended[i - 1] || missing === intended[i + 1] ? LOG_P_TYPO.droppedDouble : LOG_P_TYPO.dropped;
}

/** The text's name tokens (attributes included), for counts. */
const nameTokens = (tokens: readonly Token[]) => tokens.filter((t) => t.kind === 'NAME');

export interface NameChannel {
  /** log P(name) as intended, not counting `excluded` of its occurrences in the text. */
  logPrior(name: string, excluded?: number): number;
  /**
   * The channel's log-odds for `candidate` against "no bug", when the candidate is a name edit it
   * can judge (a rename of one spelling, `self.` added before one name); undefined otherwise.
   * -Infinity: the text refutes it (a rename that leaves a name unbound or unbinds one, `self.`
   * before a name never used as `self.x`).
   */
  judge(candidate: string): number | undefined;
}

/** The channel for one text; `known` are names bound outside it (module level), never typos. */
export function nameChannel(base: string, lexicon: NameLexicon, known: ReadonlySet<string> = new Set()): NameChannel {
  const tokens = lex(base).tokens;
  const names = nameTokens(tokens);
  const textCount = new Map<string, number>();
  for (const t of names) textCount.set(t.text, (textCount.get(t.text) ?? 0) + 1);
  const textShare = lexicon.corpusTotal > 0 ? TEXT_SHARE : 1;
  const logPrior = (name: string, excluded = 0) => {
    const inText = Math.max(0, (textCount.get(name) ?? 0) - excluded);
    const corpus = lexicon.corpusTotal > 0 ? lexicon.corpusCount(name) / lexicon.corpusTotal : 0;
    const text = names.length > 0 ? inText / names.length : 0;
    return Math.log((1 - textShare) * corpus + textShare * text + UNSEEN_NAME_P);
  };
  const unboundBefore = unboundNames(base);
  const selfAttributes = new Set(
    tokens
      .filter((t, i) => t.kind === 'NAME' && tokens[i - 1]?.text === '.' && tokens[i - 2]?.text === 'self')
      .map((t) => t.text),
  );
  const isAttribute = (i: number) => tokens[i - 1]?.text === '.';

  const judgeRename = (after: readonly Token[], changed: number[]): number | undefined => {
    const from = tokens[changed[0]!]!.text;
    const to = after[changed[0]!]!.text;
    const valueKeyword = isValueKeyword(to);
    if (!changed.every((i) => tokens[i]!.text === from && after[i]!.text === to)) return undefined;
    if (tokens[changed[0]!]!.kind !== 'NAME' || (after[changed[0]!]!.kind !== 'NAME' && !valueKeyword))
      return undefined;
    const typo = logTypo(from, to);
    if (typo === -Infinity) return undefined;
    const attribute = changed.every(isAttribute);
    if (changed.some(isAttribute) !== attribute) return undefined;
    const k = changed.length;
    const toElsewhere = (textCount.get(to) ?? 0) > 0;
    const odds = logPrior(to) * (toElsewhere || valueKeyword ? 0 : 1) + k * typo - logPrior(from, k);
    if (attribute) {
      const module = moduleOf(tokens, changed[0]!, (name) => unboundBefore.has(name));
      const members = module ? lexicon.members(module) : undefined;
      // `os.paht`: the module has no such member and has the twin; the member list is the evidence.
      if (members) return members.has(from) ? -Infinity : members.has(to) ? odds - NO_BUG_LOG_ODDS : -Infinity;
      // Other attributes are never confirmed: real ones a letter apart and used once abound
      // (nothing binds attributes), so such a rename stays the model's pick against "no bug".
      return Math.min(0, odds - NO_BUG_ATTRIBUTE_LOG_ODDS);
    }
    return odds - NO_BUG_LOG_ODDS;
  };

  return {
    logPrior,
    judge(candidate) {
      const after = lex(candidate).tokens;
      if (after.length === tokens.length) {
        const changed: number[] = [];
        for (let i = 0; i < tokens.length; i++) if (tokens[i]!.text !== after[i]!.text) changed.push(i);
        // A keyword argument's name (`f(daat=data)`) binds nothing here: name-check.ts judges those.
        const keywordArgument = (i: number) =>
          tokens[i + 1]?.text === '=' && ['(', ','].includes(tokens[i - 1]?.text ?? '');
        if (changed.length === 0 || changed.some(keywordArgument)) return undefined;
        const odds = judgeRename(after, changed);
        if (odds === undefined || changed.every(isAttribute)) return odds;
        // Consistency: fewer unbound names, none new, and nothing module-level or builtin renamed away.
        const now = unboundNames(candidate);
        const from = tokens[changed[0]!]!.text;
        const to = after[changed[0]!]!.text;
        const consistent = now.size < unboundBefore.size && [...now].every((n) => unboundBefore.has(n));
        const bindsKnown = known.has(from) || BUILTINS.has(from);
        // One unbound name swapped for another (`Entry[K, V]` → `Entry[K, K]`, both module-level)
        // confirms nothing.
        const swapsUnbound = now.has(to) && !isRareTwinOfModuleName(tokens, from, to);
        return consistent && !bindsKnown && !swapsUnbound ? odds : -Infinity;
      }
      return judgeSelf(after);
    },
  };

  /** `self.` added before every read of one unbound name (k tokens): judged; else undefined. */
  function judgeSelf(after: readonly Token[]): number | undefined {
    const extra = after.length - tokens.length;
    if (extra <= 0 || extra % 2 !== 0) return undefined;
    let name: string | undefined;
    let k = 0;
    let j = 0;
    let called = false;
    for (let i = 0; i < tokens.length; i++, j++) {
      if (tokens[i]!.text === after[j]?.text) continue;
      if (after[j]!.text !== 'self' || after[j + 1]?.text !== '.' || tokens[i]!.kind !== 'NAME') return undefined;
      if (name !== undefined && name !== tokens[i]!.text) return undefined;
      name = tokens[i]!.text;
      called ||= tokens[i + 1]?.text === '(';
      k++;
      j += 2;
      if (tokens[i]!.text !== after[j]!.text) return undefined;
    }
    if (name === undefined || j !== after.length) return undefined;
    // A module-level name, or a standard-library module (`os.path`, read unbound), is no attribute.
    if (known.has(name) || lexicon.members(name) !== undefined) return -Infinity;
    // Confirmed: the method reads `self.<name>` elsewhere and `name` alone is bound nowhere.
    if (selfAttributes.has(name) && unboundBefore.has(name)) return SELF_SEEN_LOG_ODDS + (k - 1) * LOG_P_SELF_DROPPED;
    // Without `self.<name>` in the text, the name must still be unbound, or every bare use of it
    // moves (a local assigned and never read), and be no call nor a class or constant: a module
    // function (`edit_config(`) or class a method reads is the commonest unbound name. Such an
    // edit is the model's pick against "no bug", never confirmed.
    const bareUses = tokens.filter((t, i) => t.kind === 'NAME' && t.text === name && !isAttribute(i)).length;
    const movable = unboundBefore.has(name) || k === bareUses;
    return movable && !called && /^_*[a-z]/.test(name) ? 0 : -Infinity;
  }
}

/**
 * `os.paht` → `os.path`: an attribute of a standard-library module (imported in the text, or read
 * unbound under a module's name) that the module lacks, replaced by its nearest members.
 */
export function memberCandidates(text: string, lexicon: NameLexicon): TextEdit[] {
  if (!lexicon.has.members) return [];
  const tokens = lex(text).tokens;
  const unbound = unboundNames(text);
  const edits: TextEdit[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'NAME' || tokens[i - 1]?.text !== '.' || t.text.length < MIN_TYPO_NAME_LENGTH) return;
    const module = moduleOf(tokens, i, (name) => unbound.has(name));
    const members = module ? lexicon.members(module) : undefined;
    if (!members || members.has(t.text)) return;
    const twins = [...members].filter((m) => isNearTwin(t.text, m));
    const nearest = Math.min(...twins.map((m) => typoDistance(t.text, m)));
    for (const twin of twins.filter((m) => typoDistance(t.text, m) === nearest))
      edits.push({ text: text.slice(0, t.start) + twin + text.slice(t.end), line: t.line, why: 'suspect name' });
  });
  return edits;
}

/** The standard-library module an attribute at `tokens[i]` is read from (`os` of `os.paht`, `os.path` of `os.path.jion`). */
function moduleOf(tokens: readonly Token[], i: number, isUnbound: (name: string) => boolean): string | undefined {
  const parts: string[] = [];
  let at = i - 2;
  while (at >= 0 && tokens[at]!.kind === 'NAME') {
    parts.unshift(tokens[at]!.text);
    if (tokens[at - 1]?.text !== '.') break;
    at -= 2;
  }
  if (parts.length === 0 || tokens[at - 1]?.text === '.') return undefined;
  const alias = importedAs(tokens).get(parts[0]!);
  // A name the text binds itself (`path = ...`) is no module, unless an import bound it.
  if (alias === undefined && !isUnbound(parts[0]!)) return undefined;
  return [alias ?? parts[0]!, ...parts.slice(1)].join('.');
}

/** `import os`, `import numpy as np`, `from os import path`: local name → module path. */
function importedAs(tokens: readonly Token[]): Map<string, string> {
  const out = new Map<string, string>();
  const dotted = (j: number): [string, number] => {
    let path = '';
    while (tokens[j]?.kind === 'NAME' || tokens[j]?.text === '.') path += tokens[j++]!.text;
    return [path, j];
  };
  for (let i = 0; i < tokens.length; i++) {
    const from = tokens[i]!.text === 'from' ? dotted(i + 1) : undefined;
    if (tokens[i]!.text !== 'import' && !from) continue;
    let j = from ? from[1] : i;
    if (tokens[j]?.text !== 'import') continue;
    if (from) i = j;
    do {
      const [path, end] = from ? [tokens[j + 1]?.text ?? '', j + 2] : dotted(j + 1);
      const alias = tokens[end]?.text === 'as' ? tokens[end + 1]?.text : undefined;
      if (path !== '')
        out.set(alias ?? path.split('.')[0]!, from ? `${from[0]}.${path}` : alias ? path : path.split('.')[0]!);
      j = alias ? end + 2 : end;
    } while (tokens[j]?.text === ',');
  }
  return out;
}
