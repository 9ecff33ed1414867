// The sequence-to-sequence network: parameters, encoder, attention, decoder step with
// pointer-generator copy, and the teacher-forced training loss. Plain tfjs-core ops; the backend is
// whatever the host selected.
//
// Data flow (B batch, S source length, T target length, H hidden, E embedding, V vocabulary):
//
//   srcIds [B,S] ─ embedding ─ LSTM l0 (bidirectional: H/2 each way) ─ LSTM l1 … ─ states [B,S,H]
//                                  │ final (h, c) of each layer ─ bridge (dense, tanh)
//                                  ▼
//   prev token ─ embedding ⊕ previous context ─ decoder LSTM l0 … l(L−1) ─ top h [B,H]
//   top h ─ multi-head attention over states ─ context [B,H], attention [B,S]
//   [top h, context] ─ combine (tanh) ─ out ─ vocabulary logits [B,V]
//   p_gen = σ(w·[context, top h, token embedding] + b)
//   P(w) = p_gen·softmax(logits)(w) + (1 − p_gen)·Σ_{i: src_i = w} attention_i   (extended vocab)
//
// The pieces: parameters.ts (config, parameters, layer helpers), encoder.ts, decoder.ts; here the
// teacher-forced training loss that runs them together.

import * as tf from '@tensorflow/tfjs-core';
import { type NetworkConfig, type Params, floatOneHot, makeDropout, param, tidy } from './parameters.js';
import { type SourceBatch, decoderBlocks, encodeWith } from './encoder.js';
import { outputHead, projectTokens, recurrentStep } from './decoder.js';

// ───────────────────────────── training loss ─────────────────────────────

export interface Batch extends SourceBatch {
  tgtInIds: tf.Tensor2D; // int32 [B, T]: <s> then the target, OOV → <unk>
  tgtOutExtIds: tf.Tensor2D; // int32 [B, T]: the target then </s>, in extended ids
  tgtMask: tf.Tensor2D; // [B, T], 1 at real target tokens
}

export interface LossOptions {
  training?: boolean; // dropout on (default false)
  dropoutSeed?: number; // makes the dropout masks repeatable; vary it per step
}

/**
 * Teacher-forced loss: mean negative log-likelihood over real target tokens, and token accuracy
 * (argmax = target). The recurrence runs step by step; the output layer and the copy mixture run
 * once over all steps. Works inside tf.variableGrads / optimizer.minimize; to keep the accuracy from
 * there, tf.keep it inside the closure (see lossAndGrads).
 */
export function sequenceLoss(
  c: NetworkConfig,
  p: Params,
  batch: Batch,
  opts: LossOptions = {},
): { loss: tf.Scalar; accuracy: tf.Scalar } {
  const drop = makeDropout(c, opts.training ?? false, opts.dropoutSeed);
  return tidy(() => {
    const e = encodeWith(c, p, batch, drop);
    const blocks = decoderBlocks(c, p); // once per batch, not per step
    let embT = tf.gather(param(p, 'embedding'), tf.transpose(batch.tgtInIds)) as tf.Tensor3D; // [T, B, E]
    if (drop) embT = drop.apply(embT);
    const embSteps = tf.unstack(embT) as tf.Tensor2D[]; // time-major: the split is free
    const projSteps = tf.unstack(projectTokens(p, embT, blocks)) as tf.Tensor2D[]; // all steps in one matMul
    let state = e.initialState;
    const tops: tf.Tensor2D[] = [];
    const contexts: tf.Tensor2D[] = [];
    const attentions: tf.Tensor2D[] = [];
    for (const x of projSteps) {
      const r = recurrentStep(p, e, state, x, drop, blocks);
      state = r.state;
      tops.push(r.top);
      contexts.push(r.state.context);
      attentions.push(r.attention);
    }
    const steps = (ts: tf.Tensor2D[]) => tf.stack(ts, 1) as tf.Tensor3D; // T × [B, ·] → [B, T, ·]
    const o = outputHead(p, e, steps(tops), steps(contexts), steps(embSteps), steps(attentions), drop, blocks);
    const target = tf.cast(batch.tgtOutExtIds, 'int32');
    const extVocab = o.logProbs.shape[2];
    const targetLogP = tf.sum(tf.mul(o.logProbs, floatOneHot(target, extVocab)), 2); // [B, T]
    const mask = tf.cast(batch.tgtMask, 'float32');
    const count = tf.maximum(tf.sum(mask), 1);
    const loss = tf.div(tf.neg(tf.sum(tf.mul(targetLogP, mask))), count) as tf.Scalar;
    const correct = tf.cast(tf.equal(tf.argMax(o.logProbs, 2), target), 'float32');
    const accuracy = tf.div(tf.sum(tf.mul(correct, mask)), count) as tf.Scalar;
    return { loss, accuracy };
  });
}

/**
 * tfjs-core registers no gradients by itself; the host does, once: in a bundle
 * `import '@tensorflow/tfjs-core/dist/register_all_gradients'`, in Node `import '@tensorflow/tfjs'`
 * (the core's ESM files cannot be imported by Node directly).
 */
export function assertGradientsRegistered(): void {
  if (!tf.getGradient('BatchMatMul') || !tf.getGradient('Softmax')) {
    throw new Error(
      "tfjs gradients are not registered: import '@tensorflow/tfjs-core/dist/register_all_gradients' (bundler) or '@tensorflow/tfjs' (Node) once in the host",
    );
  }
}

/**
 * After a gradient computation that threw, tfjs keeps the tensors its tape saved for the backward
 * pass (it frees them only once a backward pass ends): free them, or each failed step leaks a forward pass.
 */
function releaseTape(): void {
  const state = tf.engine().state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const saved of node.saved ?? []) saved.dispose();
  state.activeTape = [];
}

/** Loss, accuracy and gradients for every trainable variable in `p` (the caller disposes all three). */
export function lossAndGrads(c: NetworkConfig, p: Record<string, tf.Variable>, batch: Batch, opts: LossOptions = {}) {
  assertGradientsRegistered();
  let accuracy: tf.Scalar | null = null;
  let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    // The tidy frees the loss if the backward pass throws (a kernel, the device).
    computed = tf.tidy(() =>
      tf.variableGrads(() => {
        const r = sequenceLoss(c, p, batch, opts);
        accuracy = tf.keep(r.accuracy);
        return r.loss;
      }, Object.values(p)),
    );
  } catch (error) {
    (accuracy as tf.Scalar | null)?.dispose();
    releaseTape();
    throw error;
  }
  const { value, grads } = computed;
  // variableGrads keys gradients by variable name; give them back under our parameter names.
  const byName: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(p)) if (grads[v.name]) byName[name] = grads[v.name];
  return { loss: value, accuracy: accuracy as unknown as tf.Scalar, grads: byName };
}
