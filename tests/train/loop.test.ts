import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { disposeParams, initParams, type NetworkConfig, Rng } from '../../src/model';
import { NonFiniteLossError, train, TrainState, type Checkpoint, type TrainSettings } from '../../src/train/loop';
import { learningRateAt } from '../../src/train/schedule';
import { EvalBudget } from '../../src/train/eval-budget';
import { validate } from '../../src/train/validate';
import { toyBatch, toySource } from './toy-data';

const network: NetworkConfig = {
  vocabSize: 12,
  embeddingDim: 8,
  hiddenSize: 16,
  numLayers: 1,
  bidirectionalEncoder: false,
  attentionHeads: 2,
  dropout: 0,
  copyMechanism: true,
  maxSourceLength: 10,
  maxTargetLength: 10,
};
const settings: TrainSettings = {
  epochs: 3,
  learningRate: 0.02,
  gradientClipNorm: 1,
  earlyStoppingPatience: 0,
  evalIntervalSteps: 5,
  checkpointIntervalSteps: 5,
  seed: 3,
};
const data = toySource(8, 8, 4, network.vocabSize);
const valBatches = [toyBatch(new Rng(99), 16, 4, network.vocabSize)];

async function run(
  opts: {
    maxSteps?: number;
    resumeFrom?: Checkpoint;
    checkpoints?: Checkpoint[];
    dropout?: number;
    decayToFraction?: number;
    /** The settings as a resuming caller passes them (maxSteps and decayToFraction are then ignored). */
    settings?: TrainSettings;
  } = {},
) {
  const net = { ...network, dropout: opts.dropout ?? 0 };
  const params = initParams(net, 1);
  try {
    const result = await train({
      network: net,
      params,
      data,
      settings: opts.settings ?? { ...settings, maxSteps: opts.maxSteps, decayToFraction: opts.decayToFraction },
      evaluate: async () => {
        const v = await validate(net, params, valBatches);
        return { valLoss: v.loss, valTokenAccuracy: v.tokenAccuracy, scores: {} };
      },
      callbacks: { onCheckpoint: (c) => void opts.checkpoints?.push(c) },
      resumeFrom: opts.resumeFrom,
    });
    const weights = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.from(v.dataSync())]));
    return { result, weights };
  } finally {
    disposeParams(params);
  }
}

describe('training loop', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('lowers the loss on a toy task and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const { result } = await run();
    expect(tf.memory().numTensors).toBe(before);
    const losses = result.history.steps.map((s) => s.loss);
    expect(losses).toHaveLength(24);
    const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(last).toBeLessThan(first * 0.8);
    expect(result.history.evals.length).toBeGreaterThanOrEqual(4);
    expect(result.reason).toBe('finished');
  });

  it('skips due evaluations that would exceed their share of the wall time, and reports the share', async () => {
    const params = initParams(network, 1);
    const EVAL_MS = 200;
    try {
      const result = await train({
        network,
        params,
        data,
        settings,
        evalBudget: new EvalBudget(0.01),
        evaluate: async () => {
          await new Promise((resolve) => setTimeout(resolve, EVAL_MS));
          return { valLoss: 1, valTokenAccuracy: 0, scores: {} };
        },
      });
      // 24 steps, interval 5, 8 batches an epoch: 7 evaluations due; at a 1% share of a run of a
      // few seconds, only the first (always allowed) and perhaps one more may run.
      expect(result.history.evals.length).toBeGreaterThanOrEqual(1);
      expect(result.history.evals.length).toBeLessThan(4);
      const first = result.history.evals[0]!;
      expect(first.evalShare).toBeGreaterThan(0);
      expect(first.evalShare).toBeLessThanOrEqual(1);
    } finally {
      disposeParams(params);
    }
  });

  it('keeps run state in the TrainState a caller passes in: a pause is not training time', async () => {
    const params = initParams(network, 1);
    const state = new TrainState();
    let pausedMs = 0;
    let elapsedAtPause = 0;
    try {
      const result = await train({
        network,
        params,
        data,
        state,
        settings: { ...settings, maxSteps: 6 },
        evaluate: async () => ({ valLoss: 1, valTokenAccuracy: 0, scores: {} }),
        callbacks: {
          pauseGate: async () => {
            if (state.progress.step !== 3) return;
            elapsedAtPause = state.elapsedMs();
            const started = performance.now();
            await new Promise((resolve) => setTimeout(resolve, 300));
            pausedMs = performance.now() - started;
            expect(state.elapsedMs()).toBe(elapsedAtPause); // the clock stood still
          },
        },
      });
      expect(pausedMs).toBeGreaterThanOrEqual(250);
      expect(state.progress).toEqual(result.progress);
      expect(state.history.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(state.progress.tokensSeen).toBe(state.history.steps.reduce((sum, s) => sum + s.tokens, 0));
      expect(state.elapsedMs()).toBe(result.progress.elapsedMs);
    } finally {
      disposeParams(params);
    }
  });

  it('resumes from a checkpoint exactly as if never interrupted (dropout on)', async () => {
    const whole = await run({ dropout: 0.2 });
    const checkpoints: Checkpoint[] = [];
    const first = await run({ maxSteps: 10, checkpoints, dropout: 0.2 });
    expect(first.result.reason).toBe('max-steps');
    const at10 = checkpoints.find((c) => c.progress.step === 10)!;
    expect(at10.progress.epoch).toBe(1);
    const resumed = await run({ resumeFrom: at10, dropout: 0.2 });
    expect(resumed.result.history.steps.map((s) => s.loss)).toEqual(whole.result.history.steps.map((s) => s.loss));
    expect(resumed.weights).toEqual(whole.weights);
  });

  it('decays the learning rate linearly to the given fraction, and resumes exactly with it', async () => {
    const decaying = { learningRate: 0.02, decayToFraction: 0.1, plannedSteps: 24 };
    expect(learningRateAt(1, decaying)).toBeCloseTo(0.02, 12);
    expect(learningRateAt(24, decaying)).toBeCloseTo(0.002, 12);
    expect(learningRateAt(12.5, decaying)).toBeCloseTo(0.011, 12);
    expect(learningRateAt(24, { learningRate: settings.learningRate, plannedSteps: 24 })).toBe(settings.learningRate);

    const constant = await run();
    const checkpoints: Checkpoint[] = [];
    const whole = await run({ decayToFraction: 0.1, checkpoints });
    expect(whole.weights).not.toEqual(constant.weights);
    const at10 = checkpoints.find((c) => c.progress.step === 10)!;
    expect(at10.settings.decayToFraction).toBe(0.1); // what a resuming caller passes back
    const resumed = await run({ resumeFrom: at10, decayToFraction: at10.settings.decayToFraction });
    expect(resumed.weights).toEqual(whole.weights);
  });

  it("keeps the horizon of the run's start when a resume brings a new maxSteps", async () => {
    // As the CLI's --resume --max-steps N: the checkpoint's settings back, with another maxSteps.
    const straight = await run({ maxSteps: 16, decayToFraction: 0.1 });
    const checkpoints: Checkpoint[] = [];
    await run({ maxSteps: 10, decayToFraction: 0.1, checkpoints });
    const at10 = checkpoints.find((c) => c.progress.step === 10)!;
    expect(at10.settings.plannedSteps).toBe(24); // 3 epochs of 8 batches, whatever maxSteps said
    const resumedCheckpoints: Checkpoint[] = [];
    const resumed = await run({
      resumeFrom: at10,
      settings: { ...at10.settings, maxSteps: 16 },
      checkpoints: resumedCheckpoints,
    });
    expect(resumed.result.progress.step).toBe(16);
    const at16 = resumedCheckpoints.at(-1)!;
    expect(at16.settings.plannedSteps).toBe(24);
    const rateAt = (step: number, c: Checkpoint) =>
      learningRateAt(step, { ...c.settings, plannedSteps: c.settings.plannedSteps! });
    expect(rateAt(15, at16)).toBe(rateAt(15, at10));
    expect(rateAt(15, at16)).toBeLessThan(settings.learningRate); // it does decay
    // every step ran at the rate a run that never stopped used
    expect(resumed.weights).toEqual(straight.weights);
  });

  it('stops on a NaN loss without touching the weights', async () => {
    const params = initParams(network, 1);
    const poisoned = tf.tidy(() => tf.fill(params['embedding']!.shape, Number.NaN));
    params['embedding']!.assign(poisoned as tf.Tensor);
    poisoned.dispose();
    const before = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.from(v.dataSync())]));
    const error = await train({
      network,
      params,
      data,
      settings,
      evaluate: async () => ({ valLoss: 0, valTokenAccuracy: 0, scores: {} }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(
      /step 1 \(epoch 1\): the loss \(NaN\) is not finite; the weights were not updated/,
    );
    const after = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.from(v.dataSync())]));
    expect(after).toEqual(before);
    disposeParams(params);
  });

  it('stops when aborted and hands over a checkpoint', async () => {
    const controller = new AbortController();
    const checkpoints: Checkpoint[] = [];
    const params = initParams(network, 1);
    const result = await train({
      network,
      params,
      data,
      settings: { ...settings, checkpointIntervalSteps: 0 },
      evaluate: async () => ({ valLoss: 1, valTokenAccuracy: 0, scores: {} }),
      callbacks: { onStep: (s) => s.step === 3 && controller.abort(), onCheckpoint: (c) => void checkpoints.push(c) },
      signal: controller.signal,
    });
    disposeParams(params);
    expect(result.reason).toBe('aborted');
    expect(result.progress.step).toBe(3);
    expect(checkpoints.map((c) => c.progress.step)).toEqual([3]);
  });

  it('stops early when validation loss stops improving', async () => {
    const params = initParams(network, 1);
    const result = await train({
      network,
      params,
      data,
      settings: { ...settings, earlyStoppingPatience: 2, evalIntervalSteps: 2 },
      evaluate: async () => ({ valLoss: 1, valTokenAccuracy: 0, scores: {} }),
    });
    disposeParams(params);
    expect(result.reason).toBe('early-stopped');
    expect(result.progress.step).toBe(6);
  });
});
