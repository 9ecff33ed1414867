// The decoder: one step of the LSTM stack with input feeding, multi-head attention, the output
// layer and the pointer-generator copy mixture (seq2seq.ts has the whole data flow).

import * as tf from '@tensorflow/tfjs-core';
import { LOG_EPSILON, type Params, dense, denseParts, lstmWeights, makeDropout, param, tidy } from './parameters.js';
import { type DecoderBlocks, type DecoderState, type Encoded, decoderBlocks } from './encoder.js';
import { lstmStep } from './lstm-cell.js';
import { Dropout } from './random.js';

// ───────────────────────────── decoder ─────────────────────────────

/**
 * Multi-head scaled dot-product attention of one query per row over the encoded source.
 * query [B, H] → context [B, H], weights [B, heads, S].
 */
function attend(p: Params, e: Encoded, query: tf.Tensor2D): { context: tf.Tensor2D; weights: tf.Tensor3D } {
  const [batch, heads, srcLen, headDim] = e.keys.shape;
  const q = tf.reshape(tf.matMul(query, param(p, 'attention.query') as tf.Tensor2D), [batch, heads, 1, headDim]);
  const scores = tf.add(tf.div(tf.matMul(q, e.keys, false, true), Math.sqrt(headDim)), e.maskBias); // [B, heads, 1, S]
  const weights = tf.softmax(scores) as tf.Tensor4D;
  const perHead = tf.reshape(tf.matMul(weights, e.values), [batch, heads * headDim]) as tf.Tensor2D; // heads side by side
  const context = tf.matMul(perHead, param(p, 'attention.output') as tf.Tensor2D) as tf.Tensor2D;
  return { context, weights: tf.reshape(weights, [batch, heads, srcLen]) as tf.Tensor3D };
}

/** The token part of decoder layer 0's input projection, tokenEmb·kernel[:E] + bias, for any shape [..., E]. */
export function projectTokens(p: Params, tokenEmb: tf.Tensor, blocks: DecoderBlocks): tf.Tensor {
  return dense(tokenEmb, blocks.tokenRows, param(p, 'decoder.l0.bias'));
}

/**
 * The recurrent half of a step: LSTM layers, then attention with the top layer's h as query.
 * Layer 0 reads [token embedding, previous context] (input feeding); its token part arrives
 * already projected (tokenProj [B, 4H], see projectTokens) so training projects all steps at once.
 */
export function recurrentStep(
  p: Params,
  e: Encoded,
  s: DecoderState,
  tokenProj: tf.Tensor2D,
  drop: Dropout | null,
  blocks: DecoderBlocks,
) {
  const h: tf.Tensor2D[] = [];
  const c: tf.Tensor2D[] = [];
  let proj = tf.add(tokenProj, tf.matMul(s.context, blocks.contextRows as tf.Tensor2D)) as tf.Tensor2D;
  for (let l = 0; l < s.h.length; l++) {
    const w = lstmWeights(p, `decoder.l${l}`);
    const next = lstmStep(proj, s.h[l], s.c[l], w.recurrent);
    h.push(next.h);
    c.push(next.c);
    if (l + 1 < s.h.length) {
      const below = drop ? drop.apply(next.h) : next.h;
      const above = lstmWeights(p, `decoder.l${l + 1}`);
      proj = dense(below, above.kernel, above.bias) as tf.Tensor2D;
    }
  }
  const top = h[h.length - 1];
  const { context, weights } = attend(p, e, top);
  return { state: { h, c, context }, top, headWeights: weights, attention: tf.mean(weights, 1) as tf.Tensor2D };
}

/**
 * Pointer-generator mixture over the extended vocabulary, as log-probabilities:
 * log(p_gen·P_vocab + (1 − p_gen)·attention·copyMatrix), floored at LOG_EPSILON.
 * vocabLogits [B, T, V], attention [B, T, S], copyMatrix [B, S, Vext], pGen [B, T] → [B, T, Vext].
 * The copy term is a batchMatMul with a one-hot matrix: differentiable, no scatter needed.
 */
export function copyDistribution(
  vocabLogits: tf.Tensor3D,
  attention: tf.Tensor3D,
  copyMatrix: tf.Tensor3D,
  pGen: tf.Tensor2D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, steps, vocab] = vocabLogits.shape;
    const extra = copyMatrix.shape[2] - vocab;
    let pVocab = tf.softmax(vocabLogits) as tf.Tensor3D;
    if (extra > 0) pVocab = tf.concat([pVocab, tf.zeros([batch, steps, extra])], 2); // OOVs: copy only
    const pCopy = tf.matMul(attention, copyMatrix); // [B, T, Vext]
    const g = tf.expandDims(pGen, 2);
    const mixed = tf.add(tf.mul(g, pVocab), tf.mul(tf.sub(1, g), pCopy));
    return tf.log(tf.maximum(mixed, LOG_EPSILON)) as tf.Tensor3D;
  });
}

/** The output half, over any number of steps: [B, T, ·] in, log-probabilities [B, T, Vext] out. */
export function outputHead(
  p: Params,
  e: Encoded,
  top: tf.Tensor3D,
  context: tf.Tensor3D,
  tokenEmb: tf.Tensor3D,
  attention: tf.Tensor3D,
  drop: Dropout | null,
  blocks: DecoderBlocks,
) {
  let hidden = tf.tanh(
    denseParts([top, context], param(p, 'combine.kernel'), param(p, 'combine.bias'), blocks.combine),
  );
  if (drop) hidden = drop.apply(hidden);
  const logits = dense(hidden, param(p, 'out.kernel'), param(p, 'out.bias')) as tf.Tensor3D; // [B, T, V]
  if (!e.copyMatrix) {
    return {
      logits,
      logProbs: tf.logSoftmax(logits) as tf.Tensor3D,
      pGen: tf.ones([attention.shape[0], attention.shape[1]]) as tf.Tensor2D,
    };
  }
  const gate = denseParts(
    [context, top, tokenEmb],
    param(p, 'copy.gate'),
    param(p, 'copy.bias'),
    blocks.copyGate ?? undefined,
  );
  const pGen = tf.sigmoid(tf.squeeze(gate, [2])) as tf.Tensor2D;
  return { logits, logProbs: copyDistribution(logits, attention, e.copyMatrix, pGen), pGen };
}

export interface StepOutput {
  logits: tf.Tensor2D; // [B, V] vocabulary logits before the copy mixture
  logProbs: tf.Tensor2D; // [B, V + numOovs] final log-probabilities (just [B, V] without copy)
  state: DecoderState; // the state after this token (the caller disposes the old one)
  attention: tf.Tensor2D; // [B, S] head-averaged attention (the copy distribution)
  headAttention: tf.Tensor3D; // [B, heads, S]
  pGen: tf.Tensor1D; // [B] probability of generating rather than copying (1 without copy)
}

/**
 * One decoder step for every decoding mode. prevTokenIds [B] int32 are the previous output tokens
 * in the generation vocabulary (map copied OOV ids ≥ vocabSize to <unk> before calling).
 */
export function decoderStep(
  p: Params,
  e: Encoded,
  state: DecoderState,
  prevTokenIds: tf.Tensor1D,
  training = false,
  dropoutSeed?: number,
  blocks?: DecoderBlocks, // cut once per answer by the caller (decoding.ts); else cut here
): StepOutput {
  const drop = makeDropout(e.config, training, dropoutSeed);
  return tidy(() => {
    const b = blocks ?? decoderBlocks(e.config, p);
    let emb = tf.gather(param(p, 'embedding'), prevTokenIds) as tf.Tensor2D;
    if (drop) emb = drop.apply(emb);
    const r = recurrentStep(p, e, state, projectTokens(p, emb, b) as tf.Tensor2D, drop, b);
    const x3 = <T extends tf.Tensor>(t: T) => tf.expandDims(t, 1) as tf.Tensor3D;
    const o = outputHead(p, e, x3(r.top), x3(r.state.context), x3(emb), x3(r.attention), drop, b);
    return {
      logits: tf.squeeze(o.logits, [1]) as tf.Tensor2D,
      logProbs: tf.squeeze(o.logProbs, [1]) as tf.Tensor2D,
      state: r.state,
      attention: r.attention,
      headAttention: r.headWeights,
      pGen: tf.squeeze(o.pGen, [1]) as tf.Tensor1D,
    };
  });
}
