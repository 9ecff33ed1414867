// How the fuzzer judges a fix answer well-formed: a whole-file answer's text must be its edits
// applied to the input, each on the line it names; an unfixed answer leaves the text alone.
import { describe, expect, it } from 'vitest';
import type { Answer, FileEdit, RunRequest } from '../../src/model';
import { answerProblem } from '../../src/fuzz/context';

const CODE = 'def f(x)\n    return x\n\ndef g(y):\n    return y\n';
const REQUEST: RunRequest = { task: 'fix', mode: 'convergent', code: CODE };

function answer(text: string, status: Answer['status'], edits?: FileEdit[]): Answer {
  return {
    task: 'fix',
    mode: 'convergent',
    text,
    noBug: status === 'no_bug',
    status,
    edits,
    chosen: 0,
    sourceTokens: [],
    refinements: [],
    candidates: [
      {
        text,
        outputTokens: [],
        logProb: -1,
        score: -1,
        parses: true,
        origin: 'beam',
        noBug: false,
        nameCheck: false,
        hasUnknown: false,
        changedLine: null,
        copyProbability: [],
        attention: [],
        problem: null,
      },
    ],
    input: { tokens: 0, usedTokens: 0, truncated: false },
    confidence: 0.5,
    switchedToDivergent: false,
    timing: { totalMs: 0, decodeMs: 0, decodeSteps: 0, msPerStep: 0, tokensPerSecond: 0 },
  };
}
const COLON: FileEdit = { line: 1, before: 'def f(x)', after: 'def f(x):', why: 'parse error', candidates: [] };

describe('fuzz: a fix answer is well-formed', () => {
  it('accepts whole-file edits whose result is the answer text', () => {
    expect(answerProblem(REQUEST, answer(CODE.replace('def f(x)', 'def f(x):'), 'fixed', [COLON]))).toBeNull();
  });

  it('names an answer text that is not its edits applied, and an edit that does not start from its line', () => {
    expect(answerProblem(REQUEST, answer(CODE.replace('def g(y):', 'def g(z):'), 'fixed', [COLON]))).toMatch(
      /not the result of its edits/,
    );
    expect(answerProblem(REQUEST, answer(CODE, 'fixed', [{ ...COLON, line: 2 }]))).toMatch(
      /does not start from that line/,
    );
  });

  it('an unfixed answer must give the input back unchanged', () => {
    expect(answerProblem(REQUEST, answer(CODE, 'unfixed'))).toBeNull();
    expect(answerProblem(REQUEST, answer(CODE.replace('def f(x)', 'def f(x):'), 'unfixed'))).toMatch(/unfixed/);
  });
});
