// "Your code" in the training worker: the page's chosen files become the split, the training
// examples and the held-out classes, or a refusal with the counts; a run measures the classes
// before its first step and at each evaluation.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPT_CLASSES } from '../../src/data/adapt-examples';
import { AdaptRefusal } from '../../src/data/adapt-files';
import { generateFunctions } from '../../src/data/generator';
import { initNodeBackend } from '../../src/platform/node/node';
import { interleaveClasses, prepareAdapt } from '../../src/worker/training-adapt';
import { prepareData } from '../../src/worker/training-data';
import type { AdaptSource, DataOptions, MetricsDelta, RunSettings } from '../../src/worker/training-protocol';
import { TrainingSession } from '../../src/worker/training-session';

/** `files` modules of `perFile` generated functions each, as the page hands them over. */
function source(files: number, perFile: number, extra: Partial<AdaptSource> = {}): AdaptSource {
  const functions = generateFunctions(files * perFile, 5);
  return {
    kind: 'adapt',
    files: Array.from({ length: files }, (_, i) => ({
      name: `pkg/module_${i}.py`,
      text: functions
        .slice(i * perFile, (i + 1) * perFile)
        .map((fn) => fn.text)
        .join('\n\n'),
    })),
    where: 'myproject',
    listed: files,
    skipped: [],
    skippedFolders: [],
    notPython: 0,
    perClass: 4,
    ...extra,
  };
}

const options = (s: AdaptSource, maxTokens = 100): DataOptions => ({
  source: s,
  validationPercent: 10,
  seed: 3,
  maxTokens,
});

describe('prepareAdapt', () => {
  it('splits by file into disjoint lists, with the held-out classes and every skip counted', () => {
    const s = source(10, 3, {
      files: [
        ...source(10, 3).files,
        { name: 'bad.py', text: 'def f(:\n  pass\n' },
        { name: 'blob.py', text: 'a\u0000b' },
      ],
      skipped: [{ path: 'node_modules/x.py', reason: 'skipped_folder' }],
      listed: 14,
    });
    const made = prepareAdapt(s, options(s));
    const { trainFiles, heldoutFiles } = made.adapt;
    expect(heldoutFiles).toHaveLength(2);
    expect(trainFiles).toHaveLength(8);
    expect(trainFiles.filter((f) => heldoutFiles.includes(f))).toEqual([]);
    expect(made.adapt.skipped).toMatchObject({ skipped_folder: 1, does_not_compile: 1, binary: 1 });
    expect(made.adapt.skippedFiles.map((f) => f.path).sort()).toEqual(['bad.py', 'blob.py', 'node_modules/x.py']);
    expect(Object.keys(made.adapt.heldoutByClass)).toEqual([...ADAPT_CLASSES]);
    for (const [name, n] of Object.entries(made.adapt.heldoutByClass)) expect(n).toBe(made.heldout[name]!.length);
    expect(made.val).toHaveLength(Object.values(made.heldout).flat().length);
  });

  it('refuses too few functions with how many are needed and what was skipped', () => {
    const s = source(3, 4, { skipped: [{ path: 'big.py', reason: 'too_big' }] });
    expect(() => prepareAdapt(s, options(s))).toThrow(AdaptRefusal);
    expect(() => prepareAdapt(s, options(s))).toThrow(
      /hold 12 functions .*at least 20 are needed: add 8 more \(skipped: 1 over 1 MB\)$/,
    );
  });

  it('refuses a folder with no Python, or none that reads, with the counts', () => {
    const none = source(0, 0, { listed: 7, notPython: 7 });
    expect(() => prepareAdapt(none, options(none))).toThrow('no Python file in myproject (7 files looked at)');
    const unreadable = source(0, 0, { files: [{ name: 'a.py', text: 'caf\uFFFD' }], listed: 1 });
    expect(() => prepareAdapt(unreadable, options(unreadable))).toThrow(/could be read .*skipped: 1 not UTF-8 text/);
  });
});

describe('interleaveClasses', () => {
  it('takes one of each class in turn, so the first examples cover every class', () => {
    const ex = (c: string, i: number) => ({ task: 'fix' as const, input: `${c}${i}`, target: '', class: c });
    const byClass = { no_bug: [ex('n', 0), ex('n', 1)], [ADAPT_CLASSES[1]!]: [ex('m', 0)] };
    expect(interleaveClasses(byClass).map((e) => e.input)).toEqual(['n0', 'm0', 'n1']);
  });
});

describe('a run on your code', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('measures the held-out classes before the first step and again at each evaluation', async () => {
    const s = { ...source(12, 4), perClass: 1 };
    const full = prepareData(options(s, 64));
    // Two classes: the convergent search takes about a second per example on the cpu backend.
    const measured = ['no_bug', 'complete'];
    const prepared = { ...full, heldout: Object.fromEntries(measured.map((name) => [name, full.heldout![name]!])) };
    const settings: RunSettings = {
      epochs: 1,
      learningRate: 0.01,
      batchSize: 8,
      gradientClipNorm: 1,
      earlyStoppingPatience: 0,
      evalIntervalSteps: 2,
      evalSampleSize: 0,
      checkpointIntervalSteps: 1000,
      maxSteps: 2,
      seed: 3,
    };
    const deltas: MetricsDelta[] = [];
    const session = await TrainingSession.create(
      prepared,
      { runId: 'adapt', model: { kind: 'scratch', preset: 'tiny' }, settings, resume: false },
      null,
      'cpu',
      {
        metrics: (d) => deltas.push(d),
        state: () => {},
        checkpoint: async () => {},
        warning: () => {},
      },
    );
    const result = await session.run();
    session.dispose();
    const evals = result.history.evals;
    expect(evals.map((e) => e.step)).toEqual([0, 2]);
    for (const e of evals)
      for (const name of measured) {
        const count = e.counts![`class.${name}`]!;
        expect(count.n).toBe(prepared.heldout![name]!.length);
        expect(count.low).toBeLessThanOrEqual(count.high);
      }
    expect(deltas.some((d) => d.measuring?.before === true)).toBe(true);
    expect(deltas.flatMap((d) => d.evals).map((e) => e.step)).toEqual([0, 2]);
  }, 120_000);
});
