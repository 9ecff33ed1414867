// The bench's yardstick, a tf.layers seq2seq of the same size, builds, trains and decodes for one
// and two layers (two layers once failed inside tf.layers: see withOwnKwargs).
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayersBaseline } from '../../src/bench/bench-baseline';
import type { NetworkConfig } from '../../src/model';

const network = (numLayers: number): NetworkConfig => ({
  vocabSize: 40,
  embeddingDim: 8,
  hiddenSize: 16,
  numLayers,
  bidirectionalEncoder: true,
  attentionHeads: 2,
  dropout: 0,
  copyMechanism: true,
  maxSourceLength: 10,
  maxTargetLength: 10,
});

describe('tf.layers baseline', () => {
  beforeAll(async () => {
    await tfjs.setBackend('cpu');
  });

  it.each([1, 2])('%i layer(s): trains (loss goes down) and decodes step by step', async (layers) => {
    const model = buildLayersBaseline(network(layers), 6, 4);
    const src = tfjs.tensor2d(
      [
        [4, 5, 6, 7, 8, 9],
        [9, 8, 7, 6, 5, 4],
      ],
      undefined,
      'int32',
    );
    const tin = tfjs.tensor2d(
      [
        [2, 5, 6, 7],
        [2, 8, 7, 6],
      ],
      undefined,
      'int32',
    );
    const tout = tfjs.tensor2d([
      [5, 6, 7, 3],
      [8, 7, 6, 3],
    ]);
    const losses: number[] = [];
    for (let i = 0; i < 15; i++) losses.push(await model.trainStep(src, tin, tout));
    expect(losses.at(-1)!).toBeLessThan(losses[0]! - 0.01); // Adam at 1e-3: slow, but down
    const states = model.initialStates(tfjs.slice(src, [0, 0], [1, 6]) as tfjs.Tensor2D);
    expect(states).toHaveLength(2 * layers);
    const step = model.decodeStep(tfjs.tensor2d([[2]], [1, 1], 'int32'), states);
    expect(step.states).toHaveLength(2 * layers);
    expect((await step.next.data())[0]).toBeLessThan(40);
    tfjs.dispose([src, tin, tout, step.next, ...states, ...step.states]);
    model.dispose();
  });
});
