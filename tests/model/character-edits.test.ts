// Character edits for text that does not tokenize: the candidates (a closing quote at each
// plausible place, a stray character removed or made ASCII), their ranking against a beam that
// deletes the string (a stand-in model scoring as the shipped one does), and the shipped model's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelDir } from '../../src/cli/model-dir';
import { load } from '../../src/model';
import { characterEdits } from '../../src/model/fix/character-edits';
import { searchFix, type FixModel } from '../../src/model/fix/fix-search';
import { checkFragmentSyntax } from '../../src/model/python/parse-check';
import { NOBUG } from '../../src/model/vocab';
import { standInBeam } from './stand-in-beam';
import { initNodeBackend } from '../../src/platform/node/node';

const OPEN_STRING = 'def show(x):\n    message = "value is: + str(x)\n    print(message)\n';
const CLOSED_AFTER_IS = 'def show(x):\n    message = "value is: " + str(x)\n    print(message)\n';
const CLOSED_AT_END = 'def show(x):\n    message = "value is: + str(x)"\n    print(message)\n';

const texts = (code: string) => characterEdits(code).map((e) => e.text);

describe('character edits', () => {
  it('closes an open string before each `+ , ) ] } :` and at the line end, keeping those that compile', () => {
    const edits = characterEdits(OPEN_STRING);
    expect(edits.map((e) => e.text)).toEqual([CLOSED_AFTER_IS, CLOSED_AT_END]);
    expect(edits.every((e) => e.line === 2 && e.why === 'unterminated string')).toBe(true);
    // `str(x)` read as code reads two names the text knows: more support than the line-end quote.
    expect(edits[0]!.support).toBeGreaterThan(edits[1]!.support);
  });

  it("closes a call's string before its `)`, not before a `,` that makes an unknown name", () => {
    const code = 'def greet():\n    print("Hello, world)\n';
    const edits = characterEdits(code);
    const best = [...edits].sort((a, b) => b.support - a.support)[0];
    expect(best?.text).toBe('def greet():\n    print("Hello, world")\n');
  });

  it('closes a triple-quoted string at the end of a later line', () => {
    const code = 'def double(a):\n    """Return a doubled.\n    return a * 2\n';
    expect(texts(code)).toContain('def double(a):\n    """Return a doubled."""\n    return a * 2\n');
  });

  it('makes curly quotes straight, both of a pair at once', () => {
    expect(texts('def greet():\n    print(\u201chello\u201d)\n')).toEqual(['def greet():\n    print("hello")\n']);
    expect(texts('s = \u2018abc\u2019\n')).toEqual(["s = 'abc'\n"]);
  });

  it('removes a stray `$` with the space before it, or makes a dash ASCII', () => {
    expect(texts('def one():\n    x = 1 $\n    return x\n')).toEqual(['def one():\n    x = 1\n    return x\n']);
    expect(texts('$y = 2\n')).toEqual(['y = 2\n']);
    const dash = characterEdits('total = a \u2013 b\n');
    expect(dash.map((e) => [e.text, e.why])).toEqual([['total = a - b\n', 'stray character']]);
  });

  it('proposes nothing for text that tokenizes, and only edits that compile', () => {
    expect(characterEdits('def f(x)\n    return x\n')).toEqual([]);
    expect(characterEdits('x = "fine"\n')).toEqual([]);
    // The quote belongs after `b`, not at any place on the open string's line: nothing compiles.
    const missed = characterEdits('items = ["a", "b, "c"]\n');
    expect(missed.every((e) => checkFragmentSyntax(e.text).ok)).toBe(true);
    expect(missed).toEqual([]);
  });
});

/** Scores as the shipped model does here: the string deleted is likeliest, the cut literal least. */
function standIn(): FixModel {
  const beam = (tokens: string[], logProb: number) =>
    standInBeam(OPEN_STRING, tokens, logProb, (text) => checkFragmentSyntax(text).ok);
  return {
    beams: async (text) =>
      text === OPEN_STRING
        ? [beam(['<L2>', '<D1>', 'message', '=', 'x'], -1.4), beam([NOBUG], -0.5)]
        : [beam([NOBUG], -0.1)],
    score: async (_text, outputs) =>
      outputs.map((o) => ({
        logProb: o.includes('"value is: "') ? -34 : o.includes('"value is: + str(x)"') ? -8 : -20,
        tokenLogProbs: [],
        pGen: [],
        attention: [],
      })),
  };
}

describe('character edits in the fix search', () => {
  it('the closing quote after `is: ` wins over a beam that deletes the string, though the model scores it lowest', async () => {
    const result = await searchFix(OPEN_STRING, standIn(), { editPenalty: 0.5, refineMargin: 2, iterations: 3 });
    expect(result.status).toBe('fixed');
    expect(result.text).toBe(CLOSED_AFTER_IS);
    expect(result.steps.map((s) => s.why)).toEqual(['unterminated string']);
    expect(result.candidates.map((c) => c.text)).toContain('def show(x):\n    message = x\n    print(message)\n');
  });
});

describe('character edits with the shipped model', () => {
  let model: Awaited<ReturnType<typeof load>>;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    model = await load(readModelDir('public/models'));
  });
  afterAll(() => model?.dispose());

  it('`message = "value is: + str(x)` gets its string closed after `is: `', async () => {
    const answer = await model.run({ task: 'fix', mode: 'convergent', code: OPEN_STRING });
    expect(answer.text).toBe(CLOSED_AFTER_IS);
    expect(answer.candidates.map((c) => c.text)).toContain(CLOSED_AFTER_IS);
  });
});
