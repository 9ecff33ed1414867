import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../src/train/checkpoint-file';
import { freshProgress, type Checkpoint } from '../../src/train/loop';
import { writeSafetensors } from '../../src/model/internals';

describe('checkpoint file', () => {
  it('round-trips parameters, optimizer moments, progress, settings and history', () => {
    const checkpoint: Checkpoint = {
      progress: { ...freshProgress(), step: 7, epoch: 1, batchInEpoch: 2, bestValLoss: 1.25 },
      settings: {
        epochs: 3,
        learningRate: 0.01,
        gradientClipNorm: 1,
        earlyStoppingPatience: 2,
        evalIntervalSteps: 5,
        checkpointIntervalSteps: 5,
        seed: 3,
      },
      params: {
        'a.kernel': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        b: { shape: [3], data: new Float32Array([5, 6, 7]) },
      },
      optimizer: {
        step: 7,
        moments: { 'a.kernel': { m: new Float32Array([0.1, 0.2, 0.3, 0.4]), v: new Float32Array([1, 1, 1, 1]) } },
      },
      history: {
        steps: [
          { step: 1, epoch: 0, loss: 2, accuracy: 0.1, gradNorm: 3, tokens: 10, stepMs: 5, tokensPerSecond: 2000 },
        ],
        evals: [],
      },
    };
    const back = readCheckpoint(writeCheckpoint(checkpoint)).checkpoint;
    expect(back.progress).toEqual(checkpoint.progress);
    expect(back.settings).toEqual(checkpoint.settings);
    expect(back.history).toEqual(checkpoint.history);
    expect(back.optimizer.step).toBe(7);
    expect(Array.from(back.params['a.kernel']!.data)).toEqual([1, 2, 3, 4]);
    expect(back.params['a.kernel']!.shape).toEqual([2, 2]);
    expect(Array.from(back.optimizer.moments['a.kernel']!.m)).toEqual(
      Array.from(checkpoint.optimizer.moments['a.kernel']!.m),
    );
    // As `train --resume` reads it: a Node Buffer (whose slice() is a view into a larger buffer).
    const pooled = Buffer.concat([Buffer.alloc(3), Buffer.from(writeCheckpoint(checkpoint))]).subarray(3);
    const fromBuffer = readCheckpoint(pooled).checkpoint;
    expect(fromBuffer.params['b']!.data).toHaveLength(3);
    expect(Array.from(fromBuffer.params['a.kernel']!.data)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a weights file given as a checkpoint, saying what to do', () => {
    const weights = writeSafetensors(new Map([['x', { shape: [1], data: new Float32Array([1]) }]]));
    expect(() => readCheckpoint(weights, 'lstm_weights.bin')).toThrow(
      /not a training checkpoint .* start a new run without --resume/,
    );
  });
});
