// What a fix search considered, for the person to read (the playground's "What the search
// considered"): how many candidate texts were built and how many compiled over all its passes, and
// why each ranked candidate was proposed (a per-class rule, an enumerated token edit, a character
// edit, the name channel, the model's beams or samples). fix-search.ts tags each pass's candidates
// here; the answer carries the tally and the first five (docs/design.md#what-the-search-considered).
import type { AnswerCandidate, Proposal, ProposalSource, SearchSummary } from '../api';
import type { CharacterEdit } from './character-edits';
import type { TextEdit } from './edit-candidates';
import type { EnumeratedEdit, EnumerationStats } from './enumerate-edits';

/** Candidates the summary lists (the ranked first ones). */
export const SUMMARY_TOP_CANDIDATES = 5;

/** The counts a search adds up over its passes (fix-search.ts adds to it, the optimizer reads it). */
export interface SearchTally {
  generated: number;
  compiled: number;
  ranked: number;
  passes: number;
  samples: number;
}

export function emptyTally(): SearchTally {
  return { generated: 0, compiled: 0, ranked: 0, passes: 0, samples: 0 };
}

/** What one pass of the search built, by source. */
export interface PassSources {
  rules: readonly TextEdit[];
  characters: readonly CharacterEdit[];
  /** Name edits: the text's near-twins and imported modules' members. */
  names: readonly TextEdit[];
  /** The enumerated edits handed to the model. */
  enumerated: readonly EnumeratedEdit[];
  /** Null when the text compiles (nothing was enumerated). */
  enumeration: EnumerationStats | null;
  beams: readonly AnswerCandidate[];
}

/** The source a candidate's origin tells, where no pass tagged it. */
function fallbackSource(c: AnswerCandidate): ProposalSource {
  if (c.noBug) return 'no bug';
  return c.origin === 'sample' ? 'model sample' : c.origin === 'beam' ? 'model beam' : 'rule';
}

function enumeratedEditText(e: EnumeratedEdit): string {
  return e.size === 2 ? `${e.kind} ×2` : e.kind;
}

/**
 * The ranked candidates of one pass, each with its proposal; the pass's counts added to `tally`.
 * A text the enumeration also built is counted once among the compiled ones.
 */
export function recordPass(
  ranked: readonly AnswerCandidate[],
  sources: PassSources,
  tally?: SearchTally,
): AnswerCandidate[] {
  const by = new Map<string, Proposal>();
  const add = (text: string, source: ProposalSource, edit?: string) => {
    const seen = by.get(text) ?? { by: [] };
    if (!seen.by.includes(source)) seen.by.push(source);
    if (edit !== undefined) seen.edit ??= edit;
    by.set(text, seen);
  };
  for (const e of sources.rules) add(e.text, 'rule');
  for (const e of sources.characters) add(e.text, 'character edit');
  for (const e of sources.names) add(e.text, 'name channel');
  for (const e of sources.enumerated) add(e.text, 'enumeration', enumeratedEditText(e));
  for (const b of sources.beams) if (!b.noBug && b.problem === null) add(b.text, 'model beam');
  const tagged = ranked.map((c) => {
    const found = c.noBug ? undefined : by.get(c.text);
    const proposal: Proposal = c.noBug
      ? { by: sources.beams.some((b) => b.noBug) ? ['no bug', 'model beam'] : ['no bug'] }
      : found
        ? { ...found, by: [...found.by] }
        : { by: [fallbackSource(c)] };
    return { ...c, proposal };
  });
  if (tally) {
    const enumeratedTexts = new Set(sources.enumerated.map((e) => e.text));
    const stats = sources.enumeration;
    tally.generated +=
      (stats?.tried ?? 0) +
      sources.rules.length +
      sources.characters.length +
      sources.names.length +
      sources.beams.length;
    tally.compiled +=
      (stats?.compiled ?? 0) + ranked.filter((c) => c.parses && !c.noBug && !enumeratedTexts.has(c.text)).length;
    tally.ranked += ranked.length;
    tally.passes += 1;
  }
  return tagged;
}

/** Samples drawn for an answer: each adds one generated text, and one compiled text when it parses. */
export function recordSamples(samples: readonly AnswerCandidate[], tally: SearchTally): void {
  tally.samples += samples.length;
  tally.generated += samples.length;
  tally.compiled += samples.filter((s) => s.parses && s.problem === null && !s.noBug).length;
}

/** The summary an answer carries: the tally and its first candidates with their proposals. */
export function summarizeSearch(tally: SearchTally, candidates: readonly AnswerCandidate[]): SearchSummary {
  return {
    ...tally,
    top: candidates.slice(0, SUMMARY_TOP_CANDIDATES).map((c, index) => ({
      index,
      line: c.noBug ? null : c.changedLine,
      score: c.score,
      compiles: c.parses && c.problem === null,
      proposal: c.proposal ?? { by: [fallbackSource(c)] },
    })),
  };
}
