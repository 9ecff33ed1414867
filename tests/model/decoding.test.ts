// Decoding modes over decoderStep: golden outputs of a fixed model, consistency with the training
// loss, sampling controls, no tensor leaks, and a tiny model that learns to copy unseen identifiers.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Candidate,
  beamSearch,
  gatherEncoded,
  greedyDecode,
  sampleDecode,
  sampleToken,
} from '../../src/model/net/decoding';
import { Rng } from '../../src/model/net/random';
import {
  type NetworkConfig,
  type Params,
  DEFAULT_NETWORK_CONFIG,
  disposeParams,
  initParams,
} from '../../src/model/net/parameters';
import { EOS_ID } from '../../src/model/vocab';
import { decoderStep } from '../../src/model/net/decoder';
import { disposeEncoded, disposeState, encode } from '../../src/model/net/encoder';
import { sequenceLoss } from '../../src/model/net/seq2seq';
import { disposeBatch, makeBatch } from './batch-from-ids';

const TINY: NetworkConfig = {
  ...DEFAULT_NETWORK_CONFIG,
  vocabSize: 20,
  embeddingDim: 8,
  hiddenSize: 8,
  numLayers: 2,
  attentionHeads: 2,
  maxTargetLength: 8,
};

const SOURCE = [4, 9, 20, 12, 7]; // 20 = the source's first OOV token

/** The golden model: initParams(TINY, 2024), output side ×6 and embedding ×10 so choices are decisive. */
function goldenModel(): Params {
  const p = initParams(TINY, 2024);
  for (const [name, v] of Object.entries(p)) {
    if (name === 'embedding') v.assign(tf.tidy(() => tf.mul(v, 10)));
    else if (!name.startsWith('encoder') && !name.startsWith('decoder')) v.assign(tf.tidy(() => tf.mul(v, 6)));
  }
  return p;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tiling one source to the beams', () => {
  it('keeps the copy matrix untiled (matMul broadcasts it) and gives the same step as tiling it', () => {
    const p = goldenModel();
    const batch = makeBatch([SOURCE], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const beams = gatherEncoded(enc, [0, 0, 0]);
    expect(beams.copyMatrix!.shape[0]).toBe(1);
    expect(beams.keys.shape[0]).toBe(3);
    const tiledCopy = tf.tile(enc.copyMatrix!, [3, 1, 1]) as tf.Tensor3D;
    const ids = tf.tensor1d([2, 4, 7], 'int32');
    const broadcast = decoderStep(p, beams, beams.initialState, ids);
    const tiled = decoderStep(p, { ...beams, copyMatrix: tiledCopy }, beams.initialState, ids);
    expect(broadcast.logProbs.shape).toEqual(tiled.logProbs.shape);
    const [a, b] = [broadcast.logProbs.dataSync(), tiled.logProbs.dataSync()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    for (const step of [broadcast, tiled]) {
      tf.dispose([step.logits, step.logProbs, step.attention, step.headAttention, step.pGen]);
      disposeState(step.state);
    }
    tf.dispose([tiledCopy, ids]);
    disposeEncoded(beams);
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });
});

describe('golden outputs of a fixed-seed model', () => {
  // Recorded once on the cpu backend (tfjs 4.22) from goldenModel() and SOURCE; they guard against
  // accidental changes to initialisation, the network or the decoders. Greedy margins are ≥ 0.01
  // nats, far above float32 rounding. Re-record only for an intended change, and say so.
  const LOGITS_STEP0 = [
    5.638708, -3.082306, -3.767714, -5.794824, 7.196619, -6.916521, -4.578285, -2.216384, -3.067137, 3.938311, 0.490885,
    -4.674464, 1.993453, -5.363846, -0.6384354, 2.301565, -1.381735, 2.570339, -4.892544, 4.205016,
  ];
  const P_GEN_STEP0 = 0.0646653;
  const GREEDY = [4, 7, 4, 4, 4, 4, 4, 4];
  const BEAM = [
    [4, 7, 7, 4, 4, 4, 4, 4],
    [4, 7, 4, 4, 4, 4, 4, 4],
    [4, 7, 4, 12, 4, 4, 4, 4],
  ];

  it('reproduces the recorded logits, greedy ids and beam ids', async () => {
    const p = goldenModel();
    const batch = makeBatch([SOURCE], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const step = decoderStep(p, enc, enc.initialState, tf.tensor1d([2], 'int32'));
    Array.from(step.logits.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(LOGITS_STEP0[i], 4));
    expect(step.pGen.dataSync()[0]).toBeCloseTo(P_GEN_STEP0, 5);
    tf.dispose([step.logits, step.logProbs, step.attention, step.headAttention, step.pGen]);
    disposeState(step.state);
    expect((await greedyDecode(p, enc))[0].ids).toEqual(GREEDY);
    expect((await beamSearch(p, enc, { beamWidth: 3, lengthPenalty: 0.6 })).map((c) => c.ids)).toEqual(BEAM);
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });
});

describe('decoders', () => {
  const checkShape = (c: Candidate, srcLen: number) => {
    expect(c.tokenLogProbs.length).toBe(c.ids.length);
    expect(c.pGen.length).toBe(c.ids.length);
    expect(c.attention.length).toBe(c.ids.length);
    expect(c.logProb).toBeCloseTo(
      c.tokenLogProbs.reduce((a, b) => a + b, 0),
      4,
    );
    for (const row of c.attention) {
      expect(row.length).toBe(srcLen);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(c.ids.every((id) => id !== 0 && id !== 2)).toBe(true); // never <pad> or <s>
    expect(c.finished).toBe(c.ids[c.ids.length - 1] === EOS_ID);
  };

  it('agree with the teacher-forced loss, and beam width 1 is greedy', async () => {
    const p = goldenModel();
    const batch = makeBatch([SOURCE], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const [greedy] = await greedyDecode(p, enc, { maxLen: 6 });
    const beams = await beamSearch(p, enc, { beamWidth: 4, lengthPenalty: 0, maxLen: 6 });
    const [one] = await beamSearch(p, enc, { beamWidth: 1, maxLen: 6 });
    expect(one.ids).toEqual(greedy.ids);
    expect(beams[0].logProb).toBeGreaterThanOrEqual(greedy.logProb - 1e-6);
    for (const c of [greedy, ...beams]) {
      checkShape(c, SOURCE.length);
      // Score the candidate with sequenceLoss (teacher forcing): −loss·tokens must be its logProb.
      const body = c.finished ? c.ids.slice(0, -1) : c.ids;
      const scored = makeBatch([SOURCE], [body], 20, 1);
      const mask = tf.tensor2d([
        body
          .concat(c.finished ? [3] : [])
          .map(() => 1)
          .concat(c.finished ? [] : [0]),
      ]);
      const loss = tf.tidy(() => sequenceLoss(TINY, p, { ...scored, tgtMask: mask }).loss.dataSync()[0]);
      expect(-loss * c.ids.length).toBeCloseTo(c.logProb, 3);
      mask.dispose();
      disposeBatch(scored);
    }
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });

  it('samples repeatably by seed; temperature 0 and top-k 1 are greedy; minLength holds', async () => {
    const p = goldenModel();
    const batch = makeBatch([SOURCE], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const [greedy] = await greedyDecode(p, enc);
    const a = await sampleDecode(p, enc, { numSamples: 4, temperature: 1.5, topP: 0.95, seed: 3 });
    const b = await sampleDecode(p, enc, { numSamples: 4, temperature: 1.5, topP: 0.95, seed: 3 });
    expect(a.map((c) => c.ids)).toEqual(b.map((c) => c.ids));
    a.forEach((c) => checkShape(c, SOURCE.length));
    expect(new Set(a.map((c) => c.ids.join(' '))).size).toBeGreaterThan(1);
    expect((await sampleDecode(p, enc, { temperature: 0 }))[0].ids).toEqual(greedy.ids);
    expect((await sampleDecode(p, enc, { topK: 1, seed: 9 }))[0].ids).toEqual(greedy.ids);
    const [long] = await greedyDecode(p, enc, { minLength: 8, maxLen: 8 });
    expect(long.ids.includes(EOS_ID)).toBe(false);
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });

  it('sampleToken applies top-k, top-p and the repetition penalty', () => {
    const lp = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
    const rng = new Rng(1);
    const draws = (opts: Parameters<typeof sampleToken>[2], seen = new Set<number>()) =>
      new Set(Array.from({ length: 300 }, () => sampleToken(lp, seen, opts, rng)));
    expect(draws({ topK: 2 })).toEqual(new Set([0, 1]));
    expect(draws({ topP: 0.7 })).toEqual(new Set([0, 1])); // 0.5 < 0.7 ≤ 0.8
    expect(draws({ topP: 0.5 })).toEqual(new Set([0]));
    expect(sampleToken(lp, new Set([0]), { temperature: 0, repetitionPenalty: 3 }, rng)).toBe(1); // 3·log 0.5 < log 0.3
  });

  it('leaks no tensors over 1,000 greedy steps, beams and samples', async () => {
    const p = initParams(TINY, 5);
    const batch = makeBatch([SOURCE], [[4]], 20, 1);
    const enc = encode(TINY, p, batch);
    const before = tf.memory().numTensors;
    const [long] = await greedyDecode(p, enc, { minLength: 1000, maxLen: 1000 });
    expect(long.ids.length).toBe(1000);
    await beamSearch(p, enc, { beamWidth: 4, minLength: 100, maxLen: 100 });
    await sampleDecode(p, enc, { numSamples: 3, minLength: 100, maxLen: 100 });
    expect(tf.memory().numTensors).toBe(before);
    disposeEncoded(enc);
    disposeBatch(batch);
    disposeParams(p);
  });
});

describe('copy mechanism', () => {
  it('learns to copy unseen out-of-vocabulary identifiers exactly', async () => {
    // Toy task: the target is the source. About a third of the source tokens are identifiers the
    // vocabulary has never seen; the encoder reads them as <unk>, so only copying can produce them.
    const V = 20;
    const MAX_OOVS = 4;
    const config: NetworkConfig = {
      ...DEFAULT_NETWORK_CONFIG,
      vocabSize: V,
      embeddingDim: 16,
      hiddenSize: 16,
      numLayers: 1,
      attentionHeads: 2,
      dropout: 0,
      maxTargetLength: 10,
    };
    const rng = new Rng(7);
    const example = (): (number | string)[] =>
      Array.from({ length: 3 + rng.nextInt(4) }, () =>
        rng.next() < 0.35 ? `name_${rng.nextInt(1e6)}` : 4 + rng.nextInt(V - 4),
      );
    /** Extended ids of a token list: an OOV string becomes V + (its index among the source's OOVs). */
    const extend = (tokens: (number | string)[]) => {
      const oovs: string[] = [];
      const ids = tokens.map((t) => {
        if (typeof t === 'number') return t;
        if (!oovs.includes(t)) oovs.push(t);
        return V + Math.min(oovs.indexOf(t), MAX_OOVS - 1);
      });
      return { ids, oovs };
    };
    const toBatch = (exs: (number | string)[][]) => {
      const ids = exs.map((e) => extend(e).ids);
      return makeBatch(ids, ids, V, MAX_OOVS);
    };

    const p = initParams(config, 3);
    const opt = tf.train.adam(0.02);
    for (let step = 0; step < 100; step++) {
      const batch = toBatch(Array.from({ length: 16 }, example));
      opt.minimize(() => sequenceLoss(config, p, batch).loss, true)?.dispose();
      disposeBatch(batch);
    }
    opt.dispose();

    const unseen: (number | string)[] = [5, 'totally_new_identifier', 11, 'other_name', 'totally_new_identifier'];
    const tests = [unseen, ...Array.from({ length: 5 }, example)];
    for (const tokens of tests) {
      const { ids, oovs } = extend(tokens);
      const batch = makeBatch([ids], [ids], V, MAX_OOVS);
      const enc = encode(config, p, batch);
      const [out] = await greedyDecode(p, enc);
      const words = out.ids.filter((id) => id !== EOS_ID).map((id) => (id >= V ? oovs[id - V] : id));
      expect(words).toEqual(tokens);
      expect(out.finished).toBe(true);
      disposeEncoded(enc);
      disposeBatch(batch);
    }
    disposeParams(p);
  });
});
