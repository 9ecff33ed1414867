// eval's candidate_recall: whether a fix answer held the target among its candidates that compile,
// on answers given by a stand-in model so each figure is known in advance.
import { describe, expect, it } from 'vitest';
import type { AnswerCandidate, CodingOptimizer, RunRequest } from '../../src/model';
import type { Example } from '../../src/data/examples';
import { evaluateExamples } from '../../src/train/evaluate';
import { plainCandidate } from '../model/stand-in-beam';

const BROKEN = 'def f(x)\n    return x\n';
const FIXED = 'def f(x):\n    return x\n';
const WRONG = 'def f(x, ):\n    return x\n';
const FIX: Example = { task: 'fix', input: BROKEN, target: FIXED, class: 'missing_colon' };
const NO_BUG: Example = { task: 'fix', input: FIXED, target: FIXED, class: 'no_bug' };

function candidate(text: string, parses = true): AnswerCandidate {
  return plainCandidate({ text, parses, origin: 'edit' });
}

/** A model that answers each fix with the next of `answers` (its text, then its candidates). */
function standIn(answers: { text: string; candidates: AnswerCandidate[] }[]): CodingOptimizer {
  let next = 0;
  return { run: async (_request: RunRequest) => answers[next++]! } as unknown as CodingOptimizer;
}

describe('eval candidate recall', () => {
  it('counts a target ranked below another edit, but not one only a candidate that fails to parse holds', async () => {
    const report = await evaluateExamples([FIX, FIX, FIX, FIX, NO_BUG], {
      model: standIn([
        { text: FIXED, candidates: [candidate(FIXED)] }, // picked
        { text: WRONG, candidates: [candidate(WRONG), candidate(FIXED)] }, // among, ranked second
        { text: WRONG, candidates: [candidate(WRONG), candidate(FIXED, false)] }, // said not to compile
        { text: BROKEN, candidates: [] }, // nothing found
        { text: FIXED, candidates: [candidate(WRONG)] },
      ]),
      modes: ['convergent'],
    });
    const colon = report.by_class.missing_colon!;
    expect(colon.exact_match).toBe(0.25);
    expect(colon.candidate_recall).toBe(0.5);
    // Only texts with a bug count: a no-bug line has no target to find.
    expect(report.by_class.no_bug).not.toHaveProperty('candidate_recall');
    expect(report.candidate_recall).toBe(0.5);
    expect(report.copy_baseline).not.toHaveProperty('candidate_recall');
  });
});
