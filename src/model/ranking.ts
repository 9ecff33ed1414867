// How the candidates of an answer are ordered: the checks a decoded output must pass before its
// score counts, the deduplication of samples and the hybrid merge of beams and samples.
import type { AnswerCandidate } from './api';
import type { Task } from './tasks';

/**
 * Highest score first, after three checks that outrank any score:
 * - usable: a fix that cannot be applied or does not parse, or a next line that cannot follow the
 *   code (parse-check.ts checkCompletionSyntax), goes after every one that can;
 * - spelled out: an output holding <unk> (`hasUnknown`) goes after those without. The unknown token stands for a
 *   name or string the model could neither generate nor copy, so its text is wrong for sure;
 * - for fix, an edit that the name check confirms (`nameCheck`, set with the candidate from
 *   name-check.ts isTypoFix) first.
 */
export function rankCandidates(task: Task, candidates: readonly AnswerCandidate[]): AnswerCandidate[] {
  const usable = (c: AnswerCandidate) => (task === 'generate' || (c.parses && c.problem === null) ? 1 : 0);
  const spelled = (c: AnswerCandidate) => (c.hasUnknown ? 0 : 1);
  const typo = (c: AnswerCandidate) => (task === 'fix' && c.nameCheck ? 1 : 0);
  return [...candidates].sort(
    (a, b) => usable(b) - usable(a) || spelled(b) - spelled(a) || typo(b) - typo(a) || b.score - a.score,
  );
}

/** Samples that give the same tokens are one candidate (the most likely sample stays). */
export function dedupeSamples(candidates: readonly AnswerCandidate[]): AnswerCandidate[] {
  const kept: AnswerCandidate[] = [];
  for (const c of [...candidates].sort((a, b) => b.logProb - a.logProb)) {
    if (!kept.some((k) => k.outputTokens.join(' ') === c.outputTokens.join(' '))) kept.push({ ...c, score: c.logProb });
  }
  return kept;
}

/** Hybrid merge: each list's probabilities normalised, weighted, summed for equal outputs. */
export function mergeCandidates(
  task: Task,
  beams: readonly AnswerCandidate[],
  samples: readonly AnswerCandidate[],
  convergentWeight: number,
  divergentWeight: number,
): AnswerCandidate[] {
  const shares = (list: readonly AnswerCandidate[]) => {
    const top = Math.max(...list.map((c) => c.logProb));
    const weights = list.map((c) => Math.exp(c.logProb - top));
    const sum = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / sum);
  };
  const merged = new Map<string, AnswerCandidate>();
  const add = (list: readonly AnswerCandidate[], weight: number) => {
    shares(list).forEach((share, i) => {
      const c = list[i]!;
      const key = c.outputTokens.join(' ');
      const seen = merged.get(key);
      if (seen) seen.score += weight * share;
      else merged.set(key, { ...c, score: weight * share });
    });
  };
  add(beams, convergentWeight);
  add(samples, divergentWeight);
  return rankCandidates(task, [...merged.values()]);
}
