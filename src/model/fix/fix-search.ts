// Convergent fix of one window (a function, or lines around an error) that the model reads whole:
// the model's beams beside the edits the text suggests (edit-candidates.ts), each scored by the
// model, ranked as docs/design.md#candidates-and-ranking says, then refined while there is evidence of another bug.
import type { AnswerCandidate } from '../api';
import type { ScoredOutput } from '../net/candidate-scoring';
import { nameCandidates, parseErrorCandidates, type EditReason, type TextEdit } from './edit-candidates';
import { lex, tokenTexts } from '../python/lexer';
import { isTypoFix } from '../python/name-check';
import { guessChecks } from './unexplained-guess';
import { CHANNEL_TIE_NATS, FIRST_PARTIAL_FIX_TRIES, LATER_PARTIAL_FIX_TRIES } from './search-limits';
import { checkFragmentSyntax } from '../python/parse-check';
import { enumerateEdits, type EnumeratedEdit, type EnumerationStats } from './enumerate-edits';
import { characterEdits } from './character-edits';
import { MAX_ENUMERATED_CANDIDATES } from './search-limits';
import { fixTarget, isSameTokens, TaskError } from '../tasks';
import { EOS, NOBUG, UNK } from '../vocab';
import { EMPTY_NAME_LEXICON, type NameLexicon } from '../files/name-files';
import { memberCandidates, nameChannel } from './name-channel';
import { recordPass, type SearchTally } from './search-summary';

/** What the search needs of a model: its beams for a text, and the log-probability of given outputs. */
export interface FixModel {
  beams(text: string): Promise<AnswerCandidate[]>;
  /** Teacher-forced log-probability of each fix output (tokens without </s>) for `text`. */
  score(text: string, outputs: readonly (readonly string[])[]): Promise<ScoredOutput[]>;
}

export interface FixSearchOptions {
  /** Names bound outside the window (module level): never suspect. */
  known?: ReadonlySet<string>;
  /** The name files' dictionary and member list (the name channel); without them, the text's own counts. */
  names?: NameLexicon;
  /** Log-probability taken off per token an edit changes (smaller edits preferred). */
  editPenalty: number;
  /** A further edit with no parse error or suspect name behind it must beat "no bug" by this (log-probability). */
  refineMargin: number;
  /** Passes at most (the first included). */
  iterations: number;
  /** No parse error or suspect name led here: even the first edit must beat "no bug" by firstMargin. */
  lookOnly?: boolean;
  /** The margin of a first edit with no evidence behind it (default refineMargin). */
  firstMargin?: number;
  /** Log-probability taken off an enumerated edit no per-class rule proposed (the rules stay a prior). */
  enumeratedPenalty?: number;
  /** Log-probability taken off per code token between an enumerated edit and the error. */
  distancePenalty?: number;
  /**
   * Log-probability taken off a beam that neither a rule nor the enumeration proposed, where the
   * text does not compile: a free rewrite, never smaller than the enumeration's edits.
   */
  beamPenalty?: number;
  /** Rank by edit size and distance alone: no beams, every candidate's log-probability 0 (what the model adds). */
  withoutModel?: boolean;
  /** Cancels the search (the request's signal). */
  signal?: AbortSignal;
  /** Counts of what each pass built and kept (search-summary.ts), added to over the passes. */
  tally?: SearchTally;
}

export type FixStatus = 'fixed' | 'no_bug' | 'unfixed';

export interface FixStep {
  changedLine: number;
  text: string;
  why: EditReason;
  candidates: AnswerCandidate[];
}

export interface FixSearchResult {
  status: FixStatus;
  text: string;
  /** The first pass's candidates, ranked. */
  candidates: AnswerCandidate[];
  steps: FixStep[];
}

/** Where two token lists differ: a[start, endA) became b[start, endB), the common prefix and suffix left out. */
export function changedSpan(a: readonly string[], b: readonly string[]): { start: number; endA: number; endB: number } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, endA, endB };
}

/** Tokens an edit changes: edit distance of the token texts after the common prefix and suffix. */
export function editSize(before: string, after: string): number {
  // `self.` is one edit (a missing `self.` costs what a missing colon costs), not two tokens.
  const units = (text: string) =>
    tokenTexts(lex(text).tokens).reduce<string[]>((out, t) => {
      if (t === '.' && out[out.length - 1] === 'self') out[out.length - 1] = 'self.';
      else out.push(t);
      return out;
    }, []);
  const a = units(before);
  const b = units(after);
  const { start, endA, endB } = changedSpan(a, b);
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/** A fix output for an edit (`<Ln> <Dk> tokens`), or null when the task format cannot express it. */
function outputFor(base: string, edit: TextEdit): string[] | null {
  try {
    const target = fixTarget(edit.text, base);
    return target[target.length - 1] === EOS ? target.slice(0, -1) : target;
  } catch (error) {
    if (error instanceof TaskError) return null;
    throw error;
  }
}

function editCandidate(base: string, edit: TextEdit, outputTokens: string[], scored: ScoredOutput): AnswerCandidate {
  return {
    text: edit.text,
    outputTokens,
    logProb: scored.logProb,
    score: scored.logProb,
    parses: checkFragmentSyntax(edit.text).ok,
    origin: 'edit',
    why: edit.why,
    noBug: false,
    nameCheck: isTypoFix(base, edit.text),
    hasUnknown: false,
    changedLine: edit.line,
    copyProbability: scored.pGen.map((p) => 1 - p),
    attention: scored.attention,
    problem: null,
  };
}

/**
 * Orders fix candidates: usable first (applies, parses; "no bug" is not usable when the input
 * does not parse), then spelled out (no <unk>), then name-check confirmed (among those, by the name
 * channel's log-odds: the model breaks near ties), then character edits of a text that does not
 * tokenize (by their support: the model never saw the literals they cut), then the model's
 * log-probability less the edit penalty and the prior of an edit no rule proposed (`priors`, nats:
 * an enumerated edit's, a beam's nothing proposed). Equal
 * texts are merged (the higher score stays).
 */
export function rankFix(
  base: string,
  candidates: readonly AnswerCandidate[],
  editPenalty: number,
  channelOdds: ReadonlyMap<string, number> = new Map(),
  priors: ReadonlyMap<string, number> = new Map(),
  characterSupport: ReadonlyMap<string, number> = new Map(),
): AnswerCandidate[] {
  const inputParses = checkFragmentSyntax(base).ok;
  const byText = new Map<string, AnswerCandidate>();
  for (const c of candidates) {
    // A beam that writes the line back as it was says "no bug" too: it shares no bug's text, so it
    // must count as no bug, or it would hide the no-bug candidate and leave an edit to win.
    const noBug = c.noBug || (c.problem === null && c.text === base);
    const size = noBug ? 0 : editSize(base, c.text);
    const prior = noBug ? 0 : (priors.get(c.text) ?? 0);
    const scored: AnswerCandidate = { ...c, noBug, editSize: size, score: c.logProb - editPenalty * size - prior };
    const key = c.problem === null ? c.text : `problem:${c.outputTokens.join(' ')}`;
    const seen = byText.get(key);
    if (!seen || scored.score > seen.score)
      byText.set(key, seen && seen.why && !scored.why ? { ...scored, why: seen.why } : scored);
  }
  const usable = (c: AnswerCandidate) =>
    c.parses && c.problem === null && (inputParses || !c.noBug) && (c.noBug || c.text !== base) ? 1 : 0;
  const spelled = (c: AnswerCandidate) => (c.hasUnknown ? 0 : 1);
  const typo = (c: AnswerCandidate) => (c.nameCheck ? 1 : 0);
  // The channel's log-odds in steps of CHANNEL_TIE_NATS: within one step, the model decides.
  const odds = (c: AnswerCandidate) =>
    c.nameCheck ? Math.floor((channelOdds.get(c.text) ?? 0) / CHANNEL_TIE_NATS) : 0;
  const mended = (c: AnswerCandidate) => (characterSupport.has(c.text) ? 1 : 0);
  const support = (c: AnswerCandidate) => characterSupport.get(c.text) ?? 0;
  return [...byText.values()].sort(
    (a, b) =>
      usable(b) - usable(a) ||
      spelled(b) - spelled(a) ||
      typo(b) - typo(a) ||
      odds(b) - odds(a) ||
      mended(b) - mended(a) ||
      support(b) - support(a) ||
      b.score - a.score,
  );
}

export function isUsable(base: string, c: AnswerCandidate | undefined): c is AnswerCandidate {
  return (
    c !== undefined && c.parses && c.problem === null && (c.noBug ? checkFragmentSyntax(base).ok : c.text !== base)
  );
}

/** One pass: beams and suggested edits for `base`, scored and ranked. */
export async function fixPass(base: string, model: FixModel, options: FixSearchOptions): Promise<AnswerCandidate[]> {
  // Guesses no bug explains are dropped: `self.` before a loop variable or class name (`**kargs` of
  // `for kargs in` turned into `**self.kargs`), a name swapped for another word
  // (`transform_callback(...)` → `len(...)`).
  const explained = guessChecks(base).explains;
  // A beam that only moves whitespace Python ignores changes nothing: it is no fix either.
  const noOp = (b: AnswerCandidate) => !b.noBug && b.problem === null && b.text !== base && isSameTokens(base, b.text);
  options.signal?.throwIfAborted();
  const beams = options.withoutModel ? [] : (await model.beams(base)).filter((b) => explained(b.text) && !noOp(b));
  const lexicon = options.names ?? EMPTY_NAME_LEXICON;
  const characters = characterEdits(base);
  const rules = parseErrorCandidates(base);
  const names = [...nameCandidates(base, options.known), ...memberCandidates(base, lexicon)];
  const ruled = [...rules, ...characters, ...names].filter((e) => e.why !== 'model' || explained(e.text));
  const { edits: enumerated, priors, found, stats } = enumeratedEdits(base, ruled, options);
  const edits = [...ruled, ...enumerated];
  if (options.beamPenalty && !checkFragmentSyntax(base).ok) {
    const proposed = new Set(edits.map((e) => e.text));
    for (const b of beams)
      if (!b.noBug && b.problem === null && !proposed.has(b.text)) priors.set(b.text, options.beamPenalty);
  }
  const beamTexts = new Set(beams.filter((b) => b.problem === null).map((b) => b.text));
  const fresh = edits.filter((e) => !beamTexts.has(e.text));
  const outputs = fresh.map((e) => outputFor(base, e));
  const scorable = fresh
    .map((e, i) => ({ edit: e, output: outputs[i] }))
    .filter((x): x is { edit: TextEdit; output: string[] } => x.output !== null);
  const needNoBug = !beams.some((b) => b.noBug);
  const outputsToScore = [...scorable.map((x) => x.output), ...(needNoBug ? [[NOBUG]] : [])];
  options.signal?.throwIfAborted();
  const scored = options.withoutModel
    ? outputsToScore.map((): ScoredOutput => ({ logProb: 0, tokenLogProbs: [], pGen: [], attention: [] }))
    : await model.score(base, outputsToScore);
  const candidates = [
    ...beams.map((b) => {
      const edit = edits.find((e) => e.text === b.text);
      return edit ? { ...b, why: edit.why } : b;
    }),
  ];
  scorable.forEach((x, i) => candidates.push(editCandidate(base, x.edit, x.output, scored[i]!)));
  if (needNoBug) {
    const noBug = scored[scored.length - 1]!;
    candidates.push({
      text: base,
      outputTokens: [NOBUG],
      logProb: noBug.logProb,
      score: 0,
      parses: checkFragmentSyntax(base).ok,
      origin: 'edit',
      noBug: true,
      nameCheck: false,
      hasUnknown: false,
      changedLine: null,
      copyProbability: noBug.pGen.map((p) => 1 - p),
      attention: noBug.attention,
      problem: null,
    });
  }
  // The name channel judges every name edit, beams included: it confirms a typo fix (nameCheck),
  // or drops an edit the text refutes (a rename of a name bound and read consistently, `self.`
  // before a name the text never uses as an attribute).
  const channel = nameChannel(base, lexicon, options.known);
  const channelOdds = new Map<string, number>();
  const judged = candidates.flatMap((c) => {
    if (c.noBug || c.problem !== null || c.text === base) return [c];
    const odds = channel.judge(c.text);
    if (odds === undefined) return [c];
    if (odds === -Infinity) return [];
    channelOdds.set(c.text, odds);
    return [{ ...c, nameCheck: odds > 0 }];
  });
  const ranked = rankFix(
    base,
    judged.filter((c) => !c.outputTokens.includes(UNK) || c.origin === 'edit'),
    options.editPenalty,
    channelOdds,
    priors,
    new Map(characters.map((e) => [e.text, e.support])),
  );
  // Each candidate says why it was proposed; the pass's counts go to the answer's summary.
  return recordPass(ranked, { rules, characters, names, enumerated: found, enumeration: stats, beams }, options.tally);
}

/**
 * The enumerated edits no rule proposed (enumerate-edits.ts), nearest the error first, as many as
 * the model scores; each with its prior (log-probability taken off): the enumeration's penalty and
 * its distance to the error.
 */
function enumeratedEdits(
  base: string,
  ruled: readonly TextEdit[],
  options: FixSearchOptions,
): { edits: TextEdit[]; priors: Map<string, number>; found: EnumeratedEdit[]; stats: EnumerationStats | null } {
  const priors = new Map<string, number>();
  if (checkFragmentSyntax(base).ok) return { edits: [], priors, found: [], stats: null };
  const ruledTexts = new Set(ruled.map((e) => e.text));
  const found = enumerateEdits(base, { signal: options.signal });
  const fresh = [...found.edits, ...found.partial].filter((e) => !ruledTexts.has(e.text));
  const kept = fresh.slice(0, MAX_ENUMERATED_CANDIDATES);
  for (const e of kept)
    priors.set(e.text, (options.enumeratedPenalty ?? 0) + (options.distancePenalty ?? 0) * e.distance);
  return {
    edits: kept.map((e) => ({ text: e.text, line: e.line, why: 'parse error' as const })),
    priors,
    found: kept,
    stats: found.stats,
  };
}

/** A parse error in the text, or a name edit the text confirms. */
function hasEvidence(base: string, c: AnswerCandidate): boolean {
  return !checkFragmentSyntax(base).ok || c.why === 'suspect name' || c.nameCheck;
}

/** The edit's log-probability beats the "no bug" answer's by at least `margin`. */
function beatsNoBug(c: AnswerCandidate, ranked: readonly AnswerCandidate[], margin: number): boolean {
  const noBug = ranked.find((r) => r.noBug);
  return !noBug || c.logProb - noBug.logProb >= margin;
}

/** Convergent fix of a window, with refinement passes while there is evidence of another bug. */
export async function searchFix(
  base: string,
  model: FixModel,
  options: FixSearchOptions,
  progressTries = FIRST_PARTIAL_FIX_TRIES,
): Promise<FixSearchResult> {
  const first = await fixPass(base, model, options);
  const best = first[0];
  if (!isUsable(base, best)) {
    // Two syntax errors: no one edit parses. An edit that repairs one of them (the parser's own
    // suggestion first, then the best-ranked edits) is kept only when the next pass then gets the
    // text to parse.
    const suggested = first.filter((c) => c.origin === 'edit' && c.why === 'parse error' && !c.parses).slice(0, 1);
    const ranked = first.filter((c) => !c.noBug && !c.parses && c.problem === null && c.text !== base && !c.hasUnknown);
    const progress = [...new Set([...suggested, ...ranked])].slice(0, progressTries);
    for (const step of options.iterations > 1 ? progress : []) {
      const rest = await searchFix(
        step.text,
        model,
        { ...options, iterations: options.iterations - 1 },
        LATER_PARTIAL_FIX_TRIES,
      );
      if (rest.status === 'fixed') {
        const fixStep: FixStep = {
          changedLine: step.changedLine ?? 0,
          text: step.text,
          why: step.why ?? 'model',
          candidates: first,
        };
        return { status: 'fixed', text: rest.text, candidates: first, steps: [fixStep, ...rest.steps] };
      }
    }
    return { status: 'unfixed', text: base, candidates: first, steps: [] };
  }
  if (best.noBug) return { status: 'no_bug', text: base, candidates: first, steps: [] };
  if (
    options.lookOnly &&
    !hasEvidence(base, best) &&
    !beatsNoBug(best, first, options.firstMargin ?? options.refineMargin)
  )
    return { status: 'no_bug', text: base, candidates: first, steps: [] };
  const steps: FixStep[] = [
    { changedLine: best.changedLine ?? 0, text: best.text, why: best.why ?? 'model', candidates: first },
  ];
  const seen = new Set([base, best.text]);
  let current = best.text;
  while (steps.length < options.iterations) {
    const ranked = await fixPass(current, model, options);
    const next = ranked[0];
    if (!isUsable(current, next) || next.noBug || seen.has(next.text)) break;
    // After an edit that compiled, only the check or the name channel asks for another.
    const compiled = checkFragmentSyntax(current).ok;
    if (compiled ? !next.nameCheck : !hasEvidence(current, next) && !beatsNoBug(next, ranked, options.refineMargin))
      break;
    seen.add(next.text);
    steps.push({ changedLine: next.changedLine ?? 0, text: next.text, why: next.why ?? 'model', candidates: ranked });
    current = next.text;
  }
  return { status: 'fixed', text: current, candidates: first, steps };
}
