// Hybrid fix (docs/design.md#hybrid-fix-samples-joined-by-agreement): the convergent search's
// answer and candidates joined with divergent samples of the same text, chosen by the search's
// ranking plus the samples' agreement. The search's choice stands unless the samples give it
// reason to move:
// - the search went on after an edit that compiled, and most samples of the text after that edit
//   say "no bug": the further edits are dropped (cutUnaskedEdits);
// - the search found nothing that compiles ("unfixed"): the sampled edit that compiles, the one
//   most samples agree on first;
// - at least `minVotes` samples agree on another candidate that compiles ("no bug" of a text that
//   compiles included), and its score with its votes beats the search's choice with its own (each
//   vote worth `voteNats`): that candidate. A typo fix the name channel confirmed is never
//   displaced by one it did not confirm.
import type { Answer, AnswerCandidate, FileEdit } from '../api';
import { lex, tokenTexts } from '../python/lexer';
import { checkPythonSyntax } from '../python/parse-check';
import { editSize } from './fix-search';
import { ALTERNATIVES_PER_EDIT } from './search-limits';

/**
 * minVotes: samples that must give one candidate before their agreement can displace the
 * search's choice (of `alternative_generation_count` drawn). voteNats: the log-probability each
 * vote is worth beside the search's score. unfixedVotes: samples that must give a compiling edit
 * where the search found none. refineVotes: samples of the text after an edit that compiled that
 * must say "no bug" for the search's further edits to be dropped. Chosen on the tune half of the outside functions
 * (docs/model-quality.md#modes-on-outside-code, tools/hybrid-vote-sweep.ts); a mutable object so
 * the sweep can switch the choice off.
 */
export const HYBRID_TUNING = {
  minVotes: 2,
  voteNats: 2,
  unfixedVotes: 1,
  refineVotes: 3,
};

/** What hybrid changes in the search's answer. */
export type HybridFix = Pick<
  Answer,
  'text' | 'noBug' | 'status' | 'edits' | 'candidates' | 'chosen' | 'refinements' | 'switchedToDivergent'
>;

const NO_BUG_KEY = '\u0000no bug';

/** Candidates that say the same thing share a key: "no bug", or the tokens of the text. */
function keyOf(c: AnswerCandidate): string | null {
  if (c.noBug) return NO_BUG_KEY;
  if (c.problem !== null) return null;
  return tokenTexts(lex(c.text).tokens).join('\u0001');
}

function isUsableFor(code: string, inputParses: boolean, c: AnswerCandidate): boolean {
  if (c.problem !== null || !c.parses) return false;
  return c.noBug ? inputParses : c.text !== code;
}

const LINE_BREAK = /\r\n|\r|\n/;

function lineOf(text: string, line: number): string {
  return text.split(LINE_BREAK)[line - 1] ?? '';
}

/**
 * The single edit a switch to `c` makes, listed as the search lists its own; null when `c` changes
 * more than its line (then the answer's refinements say what changed).
 */
function editFor(code: string, c: AnswerCandidate, candidates: readonly AnswerCandidate[]): FileEdit | null {
  if (c.changedLine === null) return null;
  const line = c.changedLine;
  const before = code.split(LINE_BREAK);
  const after = c.text.split(LINE_BREAK);
  const sameElsewhere = before.length === after.length && before.every((l, i) => i === line - 1 || l === after[i]);
  if (!sameElsewhere) return null;
  return {
    line,
    before: before[line - 1] ?? '',
    after: after[line - 1] ?? '',
    why: c.why ?? 'model',
    candidates: candidates.slice(0, ALTERNATIVES_PER_EDIT).map((o) => ({
      line: o.changedLine,
      after: o.changedLine === null ? '' : lineOf(o.text, o.changedLine),
      score: o.score,
      why: o.noBug ? ('no bug' as const) : (o.why ?? 'model'),
    })),
  };
}

/**
 * Joins `samples` (as drawn: repeats count as agreement) into the search's answer for `code`.
 * `editPenalty` scores a sampled edit the search did not have as the search scores its own.
 */
export function joinSamples(
  code: string,
  searched: Answer,
  samples: readonly AnswerCandidate[],
  editPenalty: number,
  tuning: typeof HYBRID_TUNING = HYBRID_TUNING,
): HybridFix {
  const inputParses = checkPythonSyntax(code).ok;
  const votes = new Map<string, number>();
  for (const s of samples) {
    const key = keyOf(s);
    if (key !== null) votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  const withVotes = (c: AnswerCandidate): AnswerCandidate => {
    const key = keyOf(c);
    const n = key === null ? 0 : (votes.get(key) ?? 0);
    if (n === 0) return c;
    const by = c.proposal?.by ?? [];
    return {
      ...c,
      proposal: { ...c.proposal, by: by.includes('model sample') ? by : [...by, 'model sample'], votes: n },
    };
  };
  const known = new Set(searched.candidates.map(keyOf));
  const fresh: AnswerCandidate[] = [];
  for (const s of [...samples].sort((a, b) => b.logProb - a.logProb)) {
    const key = keyOf(s);
    if (known.has(key)) continue;
    known.add(key);
    const size = s.noBug || s.problem !== null ? 0 : editSize(code, s.text);
    fresh.push({ ...s, editSize: size, score: s.logProb - editPenalty * size, proposal: { by: ['model sample'] } });
  }
  // The search's order stands; sampled edits it lacked go after its usable candidates.
  const searchedUsable = searched.candidates.filter((c) => isUsableFor(code, inputParses, c));
  const searchedRest = searched.candidates.filter((c) => !isUsableFor(code, inputParses, c));
  const byScore = (a: AnswerCandidate, b: AnswerCandidate) => b.score - a.score;
  const joined = [
    ...searchedUsable,
    ...fresh.filter((c) => isUsableFor(code, inputParses, c)).sort(byScore),
    ...searchedRest,
    ...fresh.filter((c) => !isUsableFor(code, inputParses, c)).sort(byScore),
  ].map(withVotes);

  return chooseByAgreement(
    code,
    {
      text: searched.text,
      noBug: searched.noBug,
      status: searched.status,
      edits: searched.edits,
      candidates: joined,
      chosen: 0,
      refinements: searched.refinements,
      switchedToDivergent: searched.switchedToDivergent,
    },
    tuning,
  );
}

/**
 * The search's answer cut back after its first edits when the text after them compiles and at
 * least `refineVotes` samples of that text say "no bug" (`noBugVotes`): a further edit the search
 * made there (a name the channel took for a typo, a guess of the model) is one the samples do not
 * ask for. Null when nothing is cut.
 */
export async function cutUnaskedEdits(
  searched: Answer,
  noBugVotes: (text: string) => Promise<number>,
  tuning: typeof HYBRID_TUNING = HYBRID_TUNING,
): Promise<Answer | null> {
  const steps = searched.refinements;
  if (searched.status !== 'fixed' || (searched.edits && searched.edits.length !== steps.length)) return null;
  for (let kept = 1; kept < steps.length; kept++) {
    const text = steps[kept - 1]!.text;
    if (!checkPythonSyntax(text).ok) continue;
    if ((await noBugVotes(text)) < tuning.refineVotes) continue;
    return {
      ...searched,
      text,
      edits: searched.edits?.slice(0, kept),
      refinements: steps.slice(0, kept),
      switchedToDivergent: true,
    };
  }
  return null;
}

/** The votes the samples gave a joined candidate. */
const votesOf = (c: AnswerCandidate) => c.proposal?.votes ?? 0;

/**
 * The search's answer with the samples joined (`joined.candidates`, the search's first candidate
 * first, each with its votes), moved to the candidate the samples' agreement chooses, if any.
 */
export function chooseByAgreement(
  code: string,
  joined: HybridFix,
  tuning: typeof HYBRID_TUNING = HYBRID_TUNING,
): HybridFix {
  const pick = choose(code, joined, tuning);
  if (pick === null) return joined;
  const candidates = [pick, ...joined.candidates.filter((c) => c !== pick)];
  if (pick.noBug)
    return {
      text: code,
      noBug: true,
      status: 'no_bug',
      edits: [],
      candidates,
      chosen: 0,
      refinements: [],
      switchedToDivergent: true,
    };
  const edit = editFor(code, pick, candidates);
  return {
    text: pick.text,
    noBug: false,
    status: 'fixed',
    edits: edit ? [edit] : undefined,
    candidates,
    chosen: 0,
    refinements: pick.changedLine === null ? [] : [{ changedLine: pick.changedLine, text: pick.text }],
    switchedToDivergent: true,
  };
}

/** The candidate the samples' agreement moves the answer to, or null to keep the search's. */
function choose(code: string, joined: HybridFix, tuning: typeof HYBRID_TUNING): AnswerCandidate | null {
  const inputParses = checkPythonSyntax(code).ok;
  const usable = joined.candidates.filter((c) => isUsableFor(code, inputParses, c));
  const mostAgreed = (list: readonly AnswerCandidate[]) =>
    [...list].sort((a, b) => votesOf(b) - votesOf(a) || b.score - a.score)[0] ?? null;
  if (joined.status === 'unfixed')
    return mostAgreed(usable.filter((c) => !c.noBug && votesOf(c) >= tuning.unfixedVotes));
  // Only a one-edit answer is weighed against the samples: each sample is one edit.
  const top = joined.candidates[0];
  if (!top || (joined.edits?.length ?? 0) > 1) return null;
  if (top.noBug ? joined.status !== 'no_bug' : top.text !== joined.text) return null;
  const weight = (c: AnswerCandidate) => c.score + tuning.voteNats * votesOf(c);
  return mostAgreed(
    usable.filter(
      (c) =>
        c !== top &&
        votesOf(c) >= tuning.minVotes &&
        votesOf(c) > votesOf(top) &&
        !(top.nameCheck && !c.nameCheck) &&
        weight(c) > weight(top),
    ),
  );
}
