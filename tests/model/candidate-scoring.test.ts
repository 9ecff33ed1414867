// Teacher-forced scoring gives the log-probability the decoder gives the same output.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreOutputs } from '../../src/model/net/candidate-scoring';
import { beamSearch } from '../../src/model/net/decoding';
import { DEFAULT_NETWORK_CONFIG, disposeParams, initParams, type NetworkConfig } from '../../src/model/net/parameters';
import { disposeEncoded, encode } from '../../src/model/net/encoder';
import { disposeBatch, makeBatch } from './batch-from-ids';

const TINY: NetworkConfig = {
  ...DEFAULT_NETWORK_CONFIG,
  vocabSize: 20,
  embeddingDim: 8,
  hiddenSize: 8,
  numLayers: 2,
  attentionHeads: 2,
  maxTargetLength: 6,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scoreOutputs', () => {
  it('equals the beam search log-probability of each beam, copies included, in one batch, without leaking tensors', async () => {
    const p = initParams(TINY, 7);
    const batch = makeBatch([[4, 9, 20, 12, 7]], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const beams = await beamSearch(p, enc, { beamWidth: 4 });
    const before = tf.memory().numTensors;
    const scored = await scoreOutputs(
      p,
      enc,
      beams.map((b) => b.ids),
    );
    expect(tf.memory().numTensors).toBe(before);
    scored.forEach((s, i) => {
      expect(s.logProb).toBeCloseTo(beams[i]!.logProb, 4);
      expect(s.tokenLogProbs).toHaveLength(beams[i]!.ids.length);
      expect(s.attention[0]).toHaveLength(5);
    });
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });
});
