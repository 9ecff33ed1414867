import { describe, expect, it } from 'vitest';
import {
  ADAPT_CLASSES,
  buildAdaptData,
  COMPLETE_CLASS,
  HELDOUT_SHARE,
  MIN_FUNCTIONS,
  splitByFile,
} from '../../src/data/adapt-examples';
import { AdaptRefusal, type PythonFile } from '../../src/data/adapt-files';
import { normalizedKey } from '../../src/data/extract';
import { generateFunctions } from '../../src/data/generator';

/** `files` files of `perFile` generated functions each. */
function pythonFiles(files: number, perFile: number, seed = 5): PythonFile[] {
  const functions = generateFunctions(files * perFile, seed);
  return Array.from({ length: files }, (_, i) => ({
    path: `pkg/module_${i}.py`,
    text: functions
      .slice(i * perFile, (i + 1) * perFile)
      .map((fn) => fn.text)
      .join('\n\n'),
  }));
}

const OPTIONS = { seed: 3, maxTokens: 100, perClass: 30 };

describe('splitByFile', () => {
  it('holds out a fifth of the files, disjoint from the rest, the same for the same seed', () => {
    const files = Array.from({ length: 30 }, (_, i) => ({ path: `f${i}.py` }));
    const a = splitByFile(files, 7);
    expect(a.heldout).toHaveLength(Math.round(30 * HELDOUT_SHARE));
    expect(a.train).toHaveLength(30 - a.heldout.length);
    const trainPaths = new Set(a.train.map((f) => f.path));
    expect(a.heldout.every((f) => !trainPaths.has(f.path))).toBe(true);
    expect(splitByFile([...files].reverse(), 7)).toEqual(a);
    expect(splitByFile(files, 8)).not.toEqual(a);
    expect(splitByFile(files.slice(0, 2), 7).heldout).toHaveLength(1);
  });
});

describe('buildAdaptData', () => {
  const data = buildAdaptData(pythonFiles(10, 8), OPTIONS);

  it('trains and measures on disjoint files and functions', () => {
    expect(data.trainFiles.length + data.heldoutFiles.length).toBe(10);
    expect(data.trainFiles.filter((f) => data.heldoutFiles.includes(f))).toEqual([]);
    const trainTargets = new Set(data.train.filter((e) => e.task === 'fix').map((e) => normalizedKey(e.target)));
    const heldoutFixes = Object.values(data.heldout)
      .flat()
      .filter((e) => e.task === 'fix');
    expect(heldoutFixes.length).toBeGreaterThan(0);
    expect(heldoutFixes.filter((e) => trainTargets.has(normalizedKey(e.target)))).toEqual([]);
  });

  it('makes held-out examples of every class, several per function, distinct, up to perClass', () => {
    expect(Object.keys(data.heldout)).toEqual([...ADAPT_CLASSES]);
    expect(data.heldout[COMPLETE_CLASS]!.every((e) => e.task === 'complete')).toBe(true);
    for (const name of ADAPT_CLASSES) {
      const examples = data.heldout[name]!;
      expect(examples.length).toBeLessThanOrEqual(OPTIONS.perClass);
      expect(new Set(examples.map((e) => e.input + e.target)).size).toBe(examples.length);
    }
    // More misspelled-name examples than held-out functions: several bugs per function.
    const misspelled = data.heldout['misspelled_name']!;
    expect(misspelled.length).toBeGreaterThan(data.functions.heldout);
    expect(new Set(misspelled.map((e) => e.target)).size).toBeLessThan(misspelled.length);
    // Correct code comes back once per function: no_bug has at most one example each.
    expect(data.heldout['no_bug']!.length).toBeLessThanOrEqual(data.functions.heldout);
    expect(data.train.some((e) => e.task === 'complete')).toBe(true);
    expect(new Set(data.train.filter((e) => e.task === 'fix').map((e) => e.class)).size).toBe(ADAPT_CLASSES.length - 1);
  });

  it('leaves out a held-out function whose code is also in a training file', () => {
    const files = pythonFiles(10, 8);
    const copied = files.map((f) => ({ ...f, text: `${f.text}\n\n${files[0]!.text}` }));
    const withCopies = buildAdaptData(copied, OPTIONS);
    expect(withCopies.functions.heldoutDuplicates).toBeGreaterThan(0);
  });

  it('is the same for the same seed', () => {
    expect(buildAdaptData(pythonFiles(10, 8), OPTIONS)).toEqual(data);
  });

  it('refuses too few functions, saying how many are needed', () => {
    const few = pythonFiles(3, 5);
    expect(() => buildAdaptData(few, OPTIONS)).toThrow(AdaptRefusal);
    expect(() => buildAdaptData(few, OPTIONS)).toThrow(
      `3 Python files hold 15 functions the model can read (at most 100 tokens); at least ${MIN_FUNCTIONS} are needed: add 5 more`,
    );
  });

  it('refuses functions all in one file (the split is by file) and no files at all', () => {
    expect(() => buildAdaptData(pythonFiles(1, 25), OPTIONS)).toThrow(/all 25 functions are in one file .*at least 2 files/);
    expect(() => buildAdaptData([], OPTIONS)).toThrow(/no Python file/);
  });
});
