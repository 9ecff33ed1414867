// Whole files through windows: a stand-in model that always prefers "no bug", so every edit made
// comes from the parse error and the suspect names, mapped back to the person's text.
import { describe, expect, it } from 'vitest';
import { InputError, type AnswerCandidate } from '../../src/model/api';
import { searchFix, type FixModel } from '../../src/model/fix/fix-search';
import { checkPythonSyntax } from '../../src/model/python/parse-check';
import { fixFile, functionSpans, moduleNames, windowAround } from '../../src/model/fix/whole-file';
import { ALTERNATIVES_PER_EDIT, MAX_LOOKS_PER_FILE } from '../../src/model/fix/search-limits';
import { NOBUG } from '../../src/model/vocab';

const noBugCandidate = (text: string): AnswerCandidate => ({
  text,
  outputTokens: [NOBUG],
  logProb: -0.01,
  score: -0.01,
  parses: checkPythonSyntax(text).ok,
  origin: 'beam',
  noBug: true,
  nameCheck: false,
  hasUnknown: false,
  changedLine: null,
  copyProbability: [],
  attention: [],
  problem: null,
});

const noBugModel: FixModel = {
  beams: async (text) => [noBugCandidate(text)],
  score: async (_, outputs) => outputs.map(() => ({ logProb: -20, tokenLogProbs: [], pGen: [], attention: [] })),
};

/** The model reads at most 12 lines here: every function of the file fits, the file does not. */
const fits = (text: string) => text.split('\n').length <= 13;
const fixer = {
  fits,
  fix: (text: string, known: ReadonlySet<string>, lookOnly: boolean) =>
    searchFix(text, noBugModel, { known, lookOnly, editPenalty: 0.5, refineMargin: 2, iterations: 3 }),
};

function makeFile(count: number): string {
  const parts = ['import os', 'from typing import Optional', '', 'LIMIT = 10', ''];
  for (let i = 0; i < count; i++) {
    parts.push(
      `def helper_${i}(items: list, name: Optional[str] = None) -> int:`,
      '    total = 0',
      '    for item in items:',
      '        if item > LIMIT:',
      '            total += item',
      `    return total + len(os.sep) + ${i}`,
      '',
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}

describe('whole files', () => {
  const file = makeFile(25); // 205 lines
  const lines = file.split('\n');
  const colonLine = lines.indexOf('def helper_17(items: list, name: Optional[str] = None) -> int:') + 1;
  const nameLine = colonLine + 8 * 4 + 5; // the return line of helper_21
  const buggy = lines
    .map((l, i) =>
      i + 1 === colonLine ? l.slice(0, -1) : i + 1 === nameLine ? l.replace('return total', 'return totl') : l,
    )
    .join('\n');

  it('fixes a parse error and a suspect name far apart in a 200-line file, each edit on its own line', async () => {
    expect(lines.length).toBeGreaterThan(200);
    expect(fits(file)).toBe(false);
    const result = await fixFile(buggy, fixer);
    expect(result.status).toBe('fixed');
    expect(result.text).toBe(file);
    expect(result.edits.map((e) => [e.line, e.why])).toEqual([
      [colonLine, 'parse error'],
      [nameLine, 'suspect name'],
    ]);
    expect(result.edits[1]!.before).toBe('    return totl + len(os.sep) + 21');
    expect(result.edits[1]!.after).toBe('    return total + len(os.sep) + 21');
  });

  it(`lists the first ${ALTERNATIVES_PER_EDIT} candidates of each edit`, async () => {
    const broken = 'def f(x)\n    return x\n';
    const alternatives = Array.from({ length: ALTERNATIVES_PER_EDIT + 3 }, (_, i) => ({
      ...noBugCandidate(`def f(x):\n    return x + ${i}\n`),
      noBug: false,
      changedLine: 2,
      score: -i,
    }));
    const result = await fixFile(broken, {
      fits: () => true,
      fix: async () => ({
        status: 'fixed',
        text: alternatives[0]!.text,
        candidates: alternatives,
        steps: [{ changedLine: 2, text: alternatives[0]!.text, why: 'parse error', candidates: alternatives }],
      }),
    });
    expect(result.edits.map((e) => e.candidates.map((c) => c.after))).toEqual([
      alternatives.slice(0, ALTERNATIVES_PER_EDIT).map((_, i) => `    return x + ${i}`),
    ]);
  });

  it(`stops after ${MAX_LOOKS_PER_FILE} windows: a file with more parse errors comes back unfixed`, async () => {
    const functions = MAX_LOOKS_PER_FILE + 5;
    const missingColons = makeFile(functions).replace(/ -> int:\n/g, ' -> int\n');
    expect(checkPythonSyntax(missingColons).ok).toBe(false);
    const result = await fixFile(missingColons, fixer);
    expect(result.looks).toBe(MAX_LOOKS_PER_FILE);
    expect(result.status).toBe('unfixed');
    expect(result.text).toBe(missingColons);
    // The same file with fewer errors than the limit is fixed.
    const fewer = makeFile(MAX_LOOKS_PER_FILE - 5).replace(/ -> int:\n/g, ' -> int\n');
    expect((await fixFile(fewer, fixer)).text).toBe(makeFile(MAX_LOOKS_PER_FILE - 5));
  });

  it('leaves a correct file alone: module-level names (imports, constants) are no suspects', async () => {
    const result = await fixFile(file, fixer);
    expect(result.status).toBe('no_bug');
    expect(result.text).toBe(file);
    expect(moduleNames(file)).toEqual(
      new Set(['os', 'Optional', 'LIMIT', ...Array.from({ length: 25 }, (_, i) => `helper_${i}`)]),
    );
  });

  it('gives the model the enclosing function as the window, or the lines around the error', () => {
    expect(windowAround(buggy, colonLine + 1, fits)).toEqual({ start: colonLine, end: colonLine + 5 });
    expect(functionSpans(file)).toHaveLength(25);
    const long = `def big(x):\n${'    x = x + 1\n'.repeat(40)}    return x +\n`;
    const span = windowAround(long, 42, fits);
    expect(span.end - span.start).toBeLessThanOrEqual(12);
    expect(span.start).toBeGreaterThan(1);
    expect(span.end).toBeGreaterThanOrEqual(42);
  });

  it('refuses more than 5,000 lines, naming the limit', async () => {
    await expect(fixFile('x = 1\n'.repeat(5001), fixer)).rejects.toThrow(InputError);
    await expect(fixFile('x = 1\n'.repeat(5001), fixer)).rejects.toThrow(/5001 lines; fix reads at most 5000/);
  });
});

describe('whole files: methods', () => {
  it('fixes a method inside a class: the window is dedented for the model and indented back', async () => {
    const method = (i: number, bug: boolean) => [
      `    def size_${i}(self, items: list) -> int${bug ? '' : ':'}`,
      '        total = 0',
      '        for item in items:',
      '            total += item',
      bug ? '        return totl' : '        return total',
      '',
    ];
    const text = (bug: boolean) =>
      `class Box:\n${Array.from({ length: 30 }, (_, i) => method(i, bug && i === 20).join('\n')).join('\n')}\n`;
    const result = await fixFile(text(true), fixer);
    expect(result.text).toBe(text(false));
    expect(result.edits.map((e) => e.after.trim())).toEqual(['def size_20(self, items: list) -> int:', 'return total']);
  });
});
