// One fine-tuning run of the training worker (TrainingSession) with fake hooks in place of the
// worker's messages: the tiny preset from scratch on a few dozen generated examples, on the cpu
// backend. A run reports progress and ends; pause, resume and stop; a step that fails (a loss that
// is not finite, a kernel that throws) ends the run with a named error and leaves no tensor; what
// a run cannot start from is refused with a clear message.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExample, type Example } from '../../src/data/examples';
import { generateFunctions } from '../../src/data/generator';
import { Rng } from '../../src/model';
import { initNodeBackend } from '../../src/platform/node/node';
import type { PreparedData } from '../../src/worker/training-data';
import type { MetricsDelta, RunSettings, RunState, StartOptions } from '../../src/worker/training-protocol';
import { toWireError } from '../../src/worker/training-protocol';
import { TrainingSession } from '../../src/worker/training-session';

const BATCH_SIZE = 4;

/** Examples from generated functions, as the built-in source makes them (seeded). */
function examples(count: number, seed: number): Example[] {
  const rng = new Rng(seed);
  return generateFunctions(count, seed).flatMap((f) => buildExample(f.text, rng) ?? []);
}

function preparedData(train: Example[], val: Example[]): PreparedData {
  return {
    train,
    val,
    summary: {
      kind: 'builtin',
      trainExamples: train.length,
      valExamples: val.length,
      functions: train.length + val.length,
      duplicates: 0,
      notUsable: 0,
      byTask: {},
      byClass: {},
      files: [],
      problems: [],
      problemCount: 0,
      prepareMs: 0,
    },
  };
}

const SETTINGS: RunSettings = {
  epochs: 1,
  learningRate: 0.01,
  batchSize: BATCH_SIZE,
  gradientClipNorm: 1,
  earlyStoppingPatience: 0,
  evalIntervalSteps: 1000,
  evalSampleSize: 0,
  checkpointIntervalSteps: 1000,
  maxSteps: null,
  seed: 3,
};
const start = (settings: Partial<RunSettings> = {}): StartOptions => ({
  runId: 'test-run',
  model: { kind: 'scratch', preset: 'tiny' },
  settings: { ...SETTINGS, ...settings },
  resume: false,
});

/**
 * Hooks that keep what the session reports. `onCheckpoint` and `onState` run when the session
 * reports one: a checkpoint's step is fixed by the settings, where metric deltas come as the clock allows.
 */
function fakeHooks(onCheckpoint: (step: number) => void = () => {}, onState: (state: RunState) => void = () => {}) {
  const deltas: MetricsDelta[] = [];
  const states: [RunState, number][] = [];
  const checkpoints: { step: number; bytes: Uint8Array }[] = [];
  const warnings: string[] = [];
  return {
    deltas,
    states,
    checkpoints,
    warnings,
    hooks: {
      metrics: (delta: MetricsDelta) => deltas.push(delta),
      state: (state: RunState, step: number) => {
        states.push([state, step]);
        onState(state);
      },
      checkpoint: async (step: number, _epoch: number, bytes: Uint8Array) => {
        checkpoints.push({ step, bytes });
        onCheckpoint(step);
      },
      warning: (message: string) => warnings.push(message),
    },
  };
}

let data: PreparedData;

beforeAll(async () => {
  await initNodeBackend('cpu');
  data = preparedData(examples(24, 5), examples(4, 6));
});

describe('TrainingSession', () => {
  it('runs to the end: progress as it goes, every step in the deltas, a checkpoint at the end', async () => {
    const before = tf.memory().numTensors;
    const fake = fakeHooks();
    const session = await TrainingSession.create(data, start(), null, 'cpu', fake.hooks);
    const steps = Math.ceil(data.train.length / BATCH_SIZE);
    expect(session.info).toMatchObject({ totalSteps: steps, startStep: 0, resumed: false, backend: 'cpu' });
    const result = await session.run();
    expect(result.reason).toBe('finished');
    expect(result.progress.step).toBe(steps);
    expect(fake.deltas.flatMap((d) => d.steps.map((s) => s.step))).toEqual(
      Array.from({ length: steps }, (_, i) => i + 1),
    );
    expect(fake.deltas.at(-1)!.progress).toMatchObject({ step: steps, totalSteps: steps });
    expect(fake.checkpoints.map((c) => c.step)).toEqual([steps]);
    const files = await session.exportFiles();
    expect(files.step).toBe(steps);
    expect(files.weights.byteLength).toBeGreaterThan(0);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pauses and resumes between steps, reporting each state with its step', async () => {
    let session: TrainingSession | null = null;
    const fake = fakeHooks(
      (step) => {
        if (step === 2) session!.pause();
      },
      // Resumed once the pause is reported (a task later: the session waits by then).
      (state) => {
        if (state === 'paused') setTimeout(() => session!.resume(), 0);
      },
    );
    session = await TrainingSession.create(data, start({ checkpointIntervalSteps: 2 }), null, 'cpu', fake.hooks);
    const result = await session.run();
    expect(result.reason).toBe('finished');
    expect(fake.states).toEqual([
      ['paused', 2],
      ['running', 2],
    ]);
    session.dispose();
  });

  it('stops when told to (the abort signal): the run ends "aborted" where it was, with a checkpoint there', async () => {
    const before = tf.memory().numTensors;
    let session: TrainingSession | null = null;
    const fake = fakeHooks((step) => {
      if (step === 2) session!.stop();
    });
    session = await TrainingSession.create(
      data,
      start({ epochs: 3, checkpointIntervalSteps: 2 }),
      null,
      'cpu',
      fake.hooks,
    );
    const result = await session.run();
    expect(result.reason).toBe('aborted');
    expect(result.progress.step).toBe(2);
    expect(fake.checkpoints.at(-1)!.step).toBe(2);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from its own checkpoint at the step it was saved', async () => {
    let session: TrainingSession | null = null;
    const first = fakeHooks((step) => {
      if (step === 2) session!.stop();
    });
    session = await TrainingSession.create(data, start({ checkpointIntervalSteps: 2 }), null, 'cpu', first.hooks);
    await session.run();
    session.dispose();
    const saved = first.checkpoints[0]!.bytes;
    const buffer = saved.slice().buffer;
    const second = fakeHooks();
    const resumed = await TrainingSession.create(data, { ...start(), resume: true }, buffer, 'cpu', second.hooks);
    expect(resumed.info).toMatchObject({ startStep: 2, resumed: true });
    const result = await resumed.run();
    expect(result.reason).toBe('finished');
    expect(second.deltas[0]!.replace).toBe(true); // the charts restart from the saved history
    expect(second.deltas.flatMap((d) => (d.replace ? [] : d.steps.map((s) => s.step)))[0]).toBe(3);
    resumed.dispose();
  });

  it('ends on a loss that is not finite with a NonFiniteLossError, and leaves no tensor', async () => {
    const before = tf.memory().numTensors;
    let session: TrainingSession | null = null;
    const fake = fakeHooks((step) => {
      if (step === 1) session!.poisonWeights();
    });
    session = await TrainingSession.create(data, start({ checkpointIntervalSteps: 1 }), null, 'cpu', fake.hooks);
    const error = await session.run().catch((e: unknown) => e);
    const wire = toWireError(error);
    expect(wire.name).toBe('NonFiniteLossError');
    expect(wire.message).toMatch(/^training stopped at step 2 .* is not finite/);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ends on a kernel that throws in a step with that error, and leaves no tensor', async () => {
    const before = tf.memory().numTensors;
    class KernelFault extends Error {
      override name = 'KernelFault';
    }
    const session = await TrainingSession.create(data, start(), null, 'cpu', fakeHooks().hooks);
    // The embedding's gradient, in the second step's backward pass.
    const original = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
    let calls = 0;
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        if (++calls === 3) throw new KernelFault('the device ran out of memory');
        return original.kernelFunc(args);
      },
    });
    let error: unknown;
    try {
      error = await session.run().catch((e: unknown) => e);
    } finally {
      tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
      tf.registerKernel(original);
    }
    expect(toWireError(error)).toEqual({ name: 'KernelFault', message: 'the device ran out of memory' });
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses what a run cannot start from, saying why', async () => {
    const before = tf.memory().numTensors;
    const hooks = fakeHooks().hooks;
    const unencodable = preparedData([{ task: 'fix', input: 'def f(x):\n    return x\n', target: '' }], []);
    await expect(TrainingSession.create(unencodable, start(), null, 'cpu', hooks)).rejects.toThrow(
      'none of the 1 training examples can be encoded for this model',
    );
    const notACheckpoint = new TextEncoder().encode('not a checkpoint').buffer;
    await expect(
      TrainingSession.create(data, { ...start(), resume: true }, notACheckpoint, 'cpu', hooks),
    ).rejects.toThrow(/the saved checkpoint/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
