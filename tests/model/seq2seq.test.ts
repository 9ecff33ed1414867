// The network: parameters, LSTM cell, masking, copy distribution, loss, gradients, backends.
// Tiny seeded models only; gradients are checked on the cpu backend against central differences.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmStep, runLstmLayer } from '../../src/model/net/lstm-cell';
import { splitGates } from '../../src/model/net/lstm-ops';
import { Rng } from '../../src/model/net/random';
import {
  type NetworkConfig,
  DEFAULT_NETWORK_CONFIG,
  countParams,
  disposeParams,
  initParams,
  paramShapes,
} from '../../src/model/net/parameters';
import { copyDistribution, decoderStep } from '../../src/model/net/decoder';
import { disposeEncoded, disposeState, encode } from '../../src/model/net/encoder';
import { lossAndGrads, sequenceLoss } from '../../src/model/net/seq2seq';
import { disposeBatch, makeBatch } from './batch-from-ids';

const TINY: NetworkConfig = {
  ...DEFAULT_NETWORK_CONFIG,
  vocabSize: 20,
  embeddingDim: 8,
  hiddenSize: 8,
  numLayers: 2,
  attentionHeads: 2,
  maxTargetLength: 12,
};

const rand = (shape: number[], rng: Rng, scale = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale),
    shape,
  );

/**
 * Compare tf.grads of a scalar function with central differences in float32. eps 1e-2 balances
 * truncation (~eps²) against rounding (~1e-7·|f|/eps); tolerance atol + rtol·|g|.
 */
function gradCheck(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  eps = 1e-2,
  atol = 5e-4,
  rtol = 2e-2,
): number {
  const analytic = tf
    .grads(f)(inputs)
    .map((g) => {
      const d = g.dataSync().slice();
      g.dispose();
      return d;
    });
  let worst = 0;
  inputs.forEach((x, k) => {
    const base = x.dataSync().slice();
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number) =>
        tf.tidy(() => {
          const v = base.slice();
          v[i] += delta;
          const xs = inputs.map((t, j) => (j === k ? tf.tensor(v, x.shape) : t));
          return f(...xs).dataSync()[0];
        });
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const err = Math.abs(numeric - analytic[k][i]);
      worst = Math.max(worst, err / (atol + rtol * Math.abs(numeric)));
      expect(err, `input ${k} entry ${i}: analytic ${analytic[k][i]} numeric ${numeric}`).toBeLessThanOrEqual(
        atol + rtol * Math.abs(numeric),
      );
    }
  });
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('parameters', () => {
  it('has a stable name and shape for every parameter, deterministic in the seed', () => {
    const shapes = paramShapes(TINY);
    expect(Object.keys(shapes)).toContain('encoder.l0.bw.recurrent');
    expect(shapes['encoder.l0.fw.kernel']).toEqual([8, 16]); // bidirectional: H/2 = 4 per direction
    expect(shapes['encoder.l1.fw.kernel']).toEqual([8, 32]);
    expect(shapes['decoder.l0.kernel']).toEqual([16, 32]); // embedding ⊕ context
    expect(shapes['copy.gate']).toEqual([24, 1]);
    const a = initParams(TINY, 7);
    const b = initParams(TINY, 7);
    const c = initParams(TINY, 8);
    for (const [name, shape] of Object.entries(shapes)) {
      expect(a[name].shape, name).toEqual(shape);
      expect(Array.from(a[name].dataSync())).toEqual(Array.from(b[name].dataSync()));
    }
    expect(Array.from(a['out.kernel'].dataSync())).not.toEqual(Array.from(c['out.kernel'].dataSync()));
    expect(Array.from(a['decoder.l1.bias'].dataSync().slice(8, 16))).toEqual(new Array(8).fill(1)); // forget gate
    const total = Object.values(a).reduce((n, v) => n + v.size, 0);
    expect(total).toBe(countParams(TINY));
    expect(countParams(DEFAULT_NETWORK_CONFIG)).toBe(3_397_457); // hidden 256, 2 layers, vocab 2000, emb 128
    for (const p of [a, b, c]) disposeParams(p);
  });

  it('initialises recurrent kernels with orthogonal gate blocks', () => {
    const p = initParams(TINY, 1);
    const err = tf.tidy(() => {
      const block = tf.slice(p['decoder.l0.recurrent'], [0, 8], [8, 8]); // forget-gate block
      return tf.max(tf.abs(tf.sub(tf.matMul(block, block, true), tf.eye(8)))).dataSync()[0];
    });
    expect(err).toBeLessThan(1e-5);
    disposeParams(p);
  });
});

describe('LSTM cell', () => {
  it('splits gates in the order i, f, g, o like tf.split', () => {
    tf.tidy(() => {
      const z = rand([3, 12], new Rng(1)) as tf.Tensor2D;
      splitGates(z).forEach((g, i) =>
        expect(Array.from(g.dataSync())).toEqual(Array.from(tf.split(z, 4, 1)[i].dataSync())),
      );
    });
  });

  it('lstmStep gradients match central differences', () => {
    const rng = new Rng(2);
    const inputs = [rand([2, 12], rng), rand([2, 3], rng), rand([2, 3], rng), rand([3, 12], rng, 0.5)];
    const wh = rand([2, 3], rng);
    const wc = rand([2, 3], rng);
    const f = (x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, r: tf.Tensor) => {
      const s = lstmStep(x as tf.Tensor2D, h as tf.Tensor2D, c as tf.Tensor2D, r);
      return tf.add(tf.sum(tf.mul(s.h, wh)), tf.sum(tf.mul(s.c, wc))) as tf.Scalar;
    };
    gradCheck(f, inputs);
    tf.dispose([...inputs, wh, wc]);
  });

  it('masks padding: a padded sequence gives the unpadded result, in both directions', () => {
    tf.tidy(() => {
      const rng = new Rng(3);
      const w = { kernel: rand([4, 12], rng, 0.5), recurrent: rand([3, 12], rng, 0.5), bias: rand([12], rng, 0.1) };
      const x = rand([1, 5, 4], rng);
      const padded = tf.concat([x, rand([1, 2, 4], rng)], 1) as tf.Tensor3D; // garbage in the padding
      const mask = tf.tensor2d([[1, 1, 1, 1, 1, 0, 0]]);
      for (const reverse of [false, true]) {
        const a = runLstmLayer(x as tf.Tensor3D, null, w, undefined, reverse);
        const b = runLstmLayer(padded, mask, w, undefined, reverse);
        expect(tf.max(tf.abs(tf.sub(a.state.h, b.state.h))).dataSync()[0]).toBeLessThan(1e-6);
        expect(tf.max(tf.abs(tf.sub(a.outputs, tf.slice(b.outputs, [0, 0, 0], [1, 5, 3])))).dataSync()[0]).toBeLessThan(
          1e-6,
        );
        expect(Array.from(tf.slice(b.outputs, [0, 5, 0], [1, 2, 3]).dataSync()).map(Math.abs)).toEqual(
          new Array(6).fill(0),
        );
      }
    });
  });
});

describe('copy distribution', () => {
  // Source ext ids [5, 21, 5] (21 = second OOV slot), vocab 6 + 3 OOV slots: Vext 9.
  const copyMatrix = () =>
    tf.cast(
      tf.oneHot(
        tf.tensor2d(
          [
            [5, 7, 5],
            [2, 6, 8],
          ],
          undefined,
          'int32',
        ),
        9,
      ),
      'float32',
    ) as tf.Tensor3D;

  it('is a distribution that adds the attention of repeated source tokens', () => {
    tf.tidy(() => {
      const logits = rand([2, 1, 6], new Rng(4)) as tf.Tensor3D;
      const attn = tf.tensor3d([[[0.2, 0.5, 0.3]], [[0.6, 0.3, 0.1]]]);
      const lp = copyDistribution(logits, attn, copyMatrix(), tf.tensor2d([[0.25], [0.5]]));
      const p = tf.exp(lp);
      expect(Array.from(tf.sum(p, 2).dataSync()).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
      const pVocab = tf.softmax(logits).dataSync();
      // Row 0, token 5 is in the vocabulary and at source positions 0 and 2: 0.25·P_vocab + 0.75·0.5.
      expect(p.dataSync()[5]).toBeCloseTo(0.25 * pVocab[5] + 0.75 * 0.5, 5);
      expect(p.dataSync()[7]).toBeCloseTo(0.75 * 0.5, 5); // OOV slot: copy only
      expect(lp.dataSync()[8]).toBeCloseTo(Math.log(1e-10), 3); // OOV slot absent from row 0: floored
    });
  });

  it('has gradients that match central differences', () => {
    const rng = new Rng(5);
    const inputs = [rand([2, 2, 6], rng), rand([2, 2, 3], rng), rand([2, 2], rng)];
    const w = rand([2, 2, 9], rng);
    const cm = copyMatrix();
    const f = (logits: tf.Tensor, scores: tf.Tensor, gate: tf.Tensor) =>
      tf.sum(
        tf.mul(
          w,
          copyDistribution(
            logits as tf.Tensor3D,
            tf.softmax(scores) as tf.Tensor3D,
            cm,
            tf.sigmoid(gate) as tf.Tensor2D,
          ),
        ),
      ) as tf.Scalar;
    gradCheck(f, inputs);
    tf.dispose([...inputs, w, cm]);
  });
});

describe('sequence loss', () => {
  const src = [
    [4, 5, 20, 6, 7],
    [8, 21, 9],
  ];
  const tgt = [
    [5, 20, 6],
    [21, 8, 10, 11],
  ];

  it('has gradients that match central differences, end to end', () => {
    const p = initParams(TINY, 11);
    const batch = makeBatch(src, tgt, 20, 2);
    const g = lossAndGrads(TINY, p, batch);
    expect(Object.keys(g.grads).sort()).toEqual(Object.keys(p).sort());
    const loss = () => tf.tidy(() => sequenceLoss(TINY, p, batch).loss.dataSync()[0]);
    const eps = 1e-2;
    for (const name of [
      'embedding',
      'encoder.l0.bw.kernel',
      'encoder.l0.fw.recurrent',
      'encoder.l1.fw.bias',
      'bridge.l1.c.kernel',
      'decoder.l0.kernel',
      'decoder.l1.recurrent',
      'attention.key',
      'attention.query',
      'combine.kernel',
      'out.kernel',
      'copy.gate',
    ]) {
      const grad = g.grads[name].dataSync();
      const order = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a]));
      const v = p[name];
      const base = v.dataSync().slice();
      for (const i of order.slice(0, 3)) {
        const at = (d: number) => {
          const t = base.slice();
          t[i] += d;
          v.assign(tf.tensor(t, v.shape));
          return loss();
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(base, v.shape));
        expect(Math.abs(numeric - grad[i]), `${name}[${i}] analytic ${grad[i]} numeric ${numeric}`).toBeLessThan(
          3e-4 + 2e-2 * Math.abs(numeric),
        );
      }
    }
    tf.dispose([g.loss, g.accuracy, ...Object.values(g.grads)]);
    disposeBatch(batch);
    disposeParams(p);
  });

  it('ignores padding: one sequence alone and in a padded batch give the same loss and steps', async () => {
    const p = initParams(TINY, 12);
    const alone = makeBatch([src[1]], [tgt[1]], 20, 2);
    const padded = makeBatch([src[1], src[0]], [tgt[1], tgt[0]], 20, 2, { s: 9, t: 6 });
    const onlyFirst = tf.tensor2d([
      [1, 1, 1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ]);
    const lossAlone = tf.tidy(() => sequenceLoss(TINY, p, alone).loss.dataSync()[0]);
    const lossPadded = tf.tidy(() => sequenceLoss(TINY, p, { ...padded, tgtMask: onlyFirst }).loss.dataSync()[0]);
    expect(Math.abs(lossAlone - lossPadded)).toBeLessThan(1e-5);
    const ea = encode(TINY, p, alone);
    const eb = encode(TINY, p, padded);
    const sa = decoderStep(p, ea, ea.initialState, tf.tensor1d([2], 'int32'));
    const sb = decoderStep(p, eb, eb.initialState, tf.tensor1d([2, 2], 'int32'));
    const row = (t: tf.Tensor) => Array.from(t.dataSync().slice(0, t.size / t.shape[0]));
    const close = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 1e-5);
    expect(close(row(sa.logProbs), row(sb.logProbs))).toBe(true);
    expect(close(row(sa.attention), row(sb.attention).slice(0, 3))).toBe(true);
    expect(row(sb.attention).slice(3)).toEqual(new Array(6).fill(0)); // nothing attends to padding
    tf.dispose([
      sa.logits,
      sa.logProbs,
      sa.attention,
      sa.headAttention,
      sa.pGen,
      sb.logits,
      sb.logProbs,
      sb.attention,
      sb.headAttention,
      sb.pGen,
      onlyFirst,
    ]);
    disposeState(sa.state);
    disposeState(sb.state);
    disposeEncoded(ea);
    disposeEncoded(eb);
    disposeBatch(alone);
    disposeBatch(padded);
    disposeParams(p);
  });

  it('trains under optimizer.minimize without leaking; dropout is repeatable by seed', () => {
    const p = initParams(TINY, 13);
    const batch = makeBatch(src, tgt, 20, 2);
    const before = tf.memory().numTensors;
    const value = (o: { training?: boolean; dropoutSeed?: number }) =>
      tf.tidy(() => sequenceLoss(TINY, p, batch, o).loss.dataSync()[0]);
    expect(value({ training: true, dropoutSeed: 1 })).toBe(value({ training: true, dropoutSeed: 1 }));
    expect(value({ training: true, dropoutSeed: 1 })).not.toBe(value({ training: true, dropoutSeed: 2 }));
    expect(value({ training: false, dropoutSeed: 1 })).toBe(value({}));
    const opt = tf.train.adam(0.01);
    const first = value({});
    for (let i = 0; i < 20; i++)
      opt.minimize(() => sequenceLoss(TINY, p, batch, { training: true, dropoutSeed: i }).loss, true)?.dispose();
    expect(value({})).toBeLessThan(first);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
    disposeParams(p);
  });
});

describe('backends', () => {
  it('gives the same forward results on cpu and wasm within 1e-4', async () => {
    const p = initParams(TINY, 14);
    const batch = makeBatch(
      [
        [4, 5, 20, 6, 7],
        [8, 21, 9],
      ],
      [
        [5, 20, 6],
        [21, 8, 10, 11],
      ],
      20,
      2,
    );
    const run = () =>
      tf.tidy(() => {
        const r = sequenceLoss(TINY, p, batch);
        const e = encode(TINY, p, batch);
        const s = decoderStep(p, e, e.initialState, tf.tensor1d([2, 2], 'int32'));
        return [
          r.loss.dataSync()[0],
          r.accuracy.dataSync()[0],
          ...Array.from(s.logProbs.dataSync()),
          ...Array.from(s.pGen.dataSync()),
        ];
      });
    const onCpu = run();
    expect(await tf.setBackend('wasm')).toBe(true);
    try {
      const onWasm = run();
      const worst = Math.max(...onCpu.map((v, i) => Math.abs(v - onWasm[i])));
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await tf.setBackend('cpu');
    }
    disposeBatch(batch);
    disposeParams(p);
  });
});
