// A beam of a stand-in model: the fix output `tokens` applied to `base`, as the real model's beam
// would come back. Tests that rank candidates build their stand-in models from it.
import type { AnswerCandidate } from '../../src/model/api';
import { checkPythonSyntax } from '../../src/model/python/parse-check';
import { applyFixAnswer } from '../../src/model/tasks';
import { NOBUG } from '../../src/model/vocab';

export function standInBeam(
  base: string,
  tokens: string[],
  logProb: number,
  compiles: (text: string) => boolean = (text) => checkPythonSyntax(text).ok,
): AnswerCandidate {
  const applied = applyFixAnswer(base, tokens);
  const text = applied.ok ? applied.text : base;
  return {
    text,
    outputTokens: tokens,
    logProb,
    score: logProb,
    parses: applied.ok && compiles(text),
    origin: 'beam',
    noBug: tokens[0] === NOBUG,
    nameCheck: false,
    hasUnknown: false,
    changedLine: applied.ok ? applied.changedLine : null,
    copyProbability: [],
    attention: [],
    problem: applied.ok ? null : applied.error,
  };
}

/** A candidate with the given fields and neutral defaults (a beam on line 1 that compiles, log-probability 0). */
export function plainCandidate(fields: Partial<AnswerCandidate> & { text: string }): AnswerCandidate {
  return {
    outputTokens: [],
    logProb: 0,
    score: 0,
    parses: true,
    origin: 'beam',
    noBug: false,
    nameCheck: false,
    hasUnknown: false,
    changedLine: 1,
    copyProbability: [],
    attention: [],
    problem: null,
    ...fields,
  };
}
