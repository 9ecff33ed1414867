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

import * as tf from '@tensorflow/tfjs-core';
import { type LstmState, type LstmWeights, lstmStep, runLstmTimeMajor } from './lstm-cell.js';
import { Dropout, Rng, deriveSeed, orthogonal } from './random.js';

/** Special token ids shared with the vocabulary. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;
export const EOS_ID = 3;

export interface NetworkConfig {
  vocabSize: number; // generation vocabulary; ids 0 <pad>, 1 <unk>, 2 <s>, 3 </s>
  embeddingDim: number; // width of the token embedding (shared by source and target)
  hiddenSize: number; // LSTM width H; also the width of encoder states, attention and context
  numLayers: number; // LSTM layers in the encoder and, one bridge each, in the decoder
  bidirectionalEncoder: boolean; // encoder layer 0 runs both ways, H/2 each, concatenated to H
  attentionHeads: number; // heads of the scaled dot-product attention; must divide H
  dropout: number; // drop rate on embeddings, between layers and before the output (training only)
  copyMechanism: boolean; // pointer-generator copy from the source over an extended vocabulary
  maxSourceLength: number; // longest source in code tokens (callers cut inputs to it; the encoder runs any length)
  maxTargetLength: number; // default decoding length limit, in tokens
}

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  vocabSize: 2000,
  embeddingDim: 128,
  hiddenSize: 256,
  numLayers: 2,
  bidirectionalEncoder: true,
  attentionHeads: 4,
  dropout: 0.2,
  copyMechanism: true,
  maxSourceLength: 100,
  maxTargetLength: 100,
};

/** Parameters by dotted name. Loaded weights may be plain tensors; initParams gives variables. */
export type Params = Record<string, tf.Tensor>;

/** Added to attention scores at padded source positions before the softmax. */
const MASK_NEGATIVE = -1e9;
/** Floor of the mixed copy distribution before the log, so log P stays finite. */
export const LOG_EPSILON = 1e-10;

export function validateConfig(c: NetworkConfig): void {
  const fail = (msg: string): never => {
    throw new Error(`network config: ${msg}`);
  };
  for (const key of ['vocabSize', 'embeddingDim', 'hiddenSize', 'numLayers', 'attentionHeads', 'maxSourceLength', 'maxTargetLength'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) fail(`${key} must be a positive integer, got ${c[key]}`);
  }
  if (c.vocabSize <= EOS_ID) fail(`vocabSize must exceed the ${EOS_ID + 1} special tokens`);
  if (c.hiddenSize % c.attentionHeads !== 0) fail(`hiddenSize ${c.hiddenSize} is not divisible by attentionHeads ${c.attentionHeads}`);
  if (c.bidirectionalEncoder && c.hiddenSize % 2 !== 0) fail('a bidirectional encoder needs an even hiddenSize');
  if (!(c.dropout >= 0 && c.dropout < 1)) fail(`dropout must be in [0, 1), got ${c.dropout}`);
}

// ───────────────────────────── parameters ─────────────────────────────

/** Directions of encoder layer `l`: ['fw', 'bw'] for a bidirectional first layer, else ['fw']. */
function encoderDirections(c: NetworkConfig, l: number): string[] {
  return c.bidirectionalEncoder && l === 0 ? ['fw', 'bw'] : ['fw'];
}

/** The expected shape of every parameter, by name. The weights loader checks files against it. */
export function paramShapes(c: NetworkConfig): Record<string, number[]> {
  validateConfig(c);
  const { vocabSize: V, embeddingDim: E, hiddenSize: H, numLayers: L } = c;
  const s: Record<string, number[]> = { embedding: [V, E] };
  for (let l = 0; l < L; l++) {
    for (const dir of encoderDirections(c, l)) {
      const h = encoderDirections(c, l).length === 2 ? H / 2 : H; // each direction H/2
      const p = `encoder.l${l}.${dir}`;
      s[`${p}.kernel`] = [l === 0 ? E : H, 4 * h];
      s[`${p}.recurrent`] = [h, 4 * h];
      s[`${p}.bias`] = [4 * h];
    }
  }
  for (let l = 0; l < L; l++) {
    for (const part of ['h', 'c']) {
      s[`bridge.l${l}.${part}.kernel`] = [H, H];
      s[`bridge.l${l}.${part}.bias`] = [H];
    }
  }
  for (let l = 0; l < L; l++) {
    s[`decoder.l${l}.kernel`] = [l === 0 ? E + H : H, 4 * H]; // layer 0: token embedding ⊕ previous context
    s[`decoder.l${l}.recurrent`] = [H, 4 * H];
    s[`decoder.l${l}.bias`] = [4 * H];
  }
  for (const m of ['query', 'key', 'value', 'output']) s[`attention.${m}`] = [H, H];
  s['combine.kernel'] = [2 * H, H];
  s['combine.bias'] = [H];
  s['out.kernel'] = [H, V];
  s['out.bias'] = [V];
  if (c.copyMechanism) {
    s['copy.gate'] = [2 * H + E, 1]; // over [context, top hidden, token embedding]
    s['copy.bias'] = [1];
  }
  return s;
}

export function countParams(c: NetworkConfig): number {
  return Object.values(paramShapes(c)).reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
}

/** Initial values of one parameter, decided by its name. Each name has its own random stream. */
function initialValues(name: string, shape: number[], seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const rng = new Rng(deriveSeed(seed, name));
  if (name === 'embedding') {
    for (let i = 0; i < size; i++) out[i] = rng.uniform(-0.1, 0.1);
  } else if (name.endsWith('.recurrent')) {
    // One orthogonal [h, h] block per gate, side by side: [h, 4h].
    const h = shape[0];
    for (let gate = 0; gate < 4; gate++) {
      const q = orthogonal(h, rng);
      for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) out[i * 4 * h + gate * h + j] = q[j][i];
    }
  } else if (/^(encoder|decoder)\.l\d+(\.fw|\.bw)?\.bias$/.test(name)) {
    const h = shape[0] / 4;
    out.fill(1, h, 2 * h); // forget gate bias 1: remember by default
  } else if (shape.length === 2) {
    // Glorot uniform: every kernel and projection.
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
  } // other biases stay 0
  return out;
}

/** Fresh trainable parameters, deterministic in `seed`. Free them with disposeParams. */
export function initParams(c: NetworkConfig, seed: number): Record<string, tf.Variable> {
  const params: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(paramShapes(c))) {
    // No variable names: tfjs names must be unique per engine, and two models may coexist.
    params[name] = tf.tidy(() => tf.variable(tf.tensor(initialValues(name, shape, seed), shape), true));
  }
  return params;
}

export function disposeParams(params: Params): void {
  for (const t of Object.values(params)) t.dispose();
}

function param(p: Params, name: string): tf.Tensor {
  const t = p[name];
  if (!t) throw new Error(`missing parameter "${name}"`);
  return t;
}

const lstmWeights = (p: Params, prefix: string): LstmWeights => ({
  kernel: param(p, `${prefix}.kernel`),
  recurrent: param(p, `${prefix}.recurrent`),
  bias: param(p, `${prefix}.bias`),
});

/** tf.tidy for functions returning our own interfaces (tidy keeps every tensor they contain). */
function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

function makeDropout(c: NetworkConfig, training: boolean, seed?: number): Dropout | null {
  if (!training || c.dropout <= 0) return null;
  return new Dropout(c.dropout, seed ?? Math.floor(Math.random() * 0x7fffffff));
}

// ───────────────────────────── encoder ─────────────────────────────

export interface SourceBatch {
  srcIds: tf.Tensor2D; // int32 [B, S], OOV tokens mapped to <unk>
  srcExtIds: tf.Tensor2D; // int32 [B, S], OOV tokens as vocabSize + k (k-th distinct OOV of the batch)
  srcMask: tf.Tensor2D; // [B, S], 1 at real tokens, 0 at padding (right-padded)
  numOovs: number; // extended vocabulary = vocabSize + numOovs
}

/** Decoder state: h and c per layer [B, H], and the last attention context [B, H] (input feeding). */
export interface DecoderState {
  h: tf.Tensor2D[];
  c: tf.Tensor2D[];
  context: tf.Tensor2D;
}

/** Everything the decoder needs from the source, computed once per source. */
export interface Encoded {
  config: NetworkConfig;
  keys: tf.Tensor4D; // [B, heads, S, H/heads] projected encoder states
  values: tf.Tensor4D; // [B, heads, S, H/heads]
  maskBias: tf.Tensor4D; // [B, 1, 1, S]: 0 at real tokens, −1e9 at padding
  copyMatrix: tf.Tensor3D | null; // [B, S, V + numOovs] one-hot of extended source ids (copy only)
  numOovs: number;
  initialState: DecoderState; // from the bridge
}

/** Time-major [S, B, H] → [B, heads, S, H/heads] */
function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [s, b, h] = x.shape;
  return tf.transpose(tf.reshape(x, [s, b, heads, h / heads]), [1, 2, 0, 3]) as tf.Tensor4D;
}

/** Apply a [in, out] kernel to the last axis of a rank-2 or rank-3 tensor. */
function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const y = tf.matMul(tf.reshape(x, [-1, inDim]), kernel as tf.Tensor2D);
  const yb = bias ? tf.add(y, bias) : y;
  return tf.reshape(yb, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
}

/**
 * One-hot as float32. Built as int32 then cast: tfjs-backend-wasm 4.22's OneHot ignores the dtype
 * argument and writes integer bits into a float32 buffer (1 reads as 1.4e-45).
 */
function floatOneHot(ids: tf.Tensor, depth: number): tf.Tensor {
  return tf.cast(tf.oneHot(tf.cast(ids, 'int32'), depth), 'float32');
}

/**
 * x·kernel (+ bias) where x is `parts` concatenated on the last axis, without building the
 * concatenation: the kernel's rows are cut to match (a contiguous split) and the products summed.
 * Same value as dense(concat(parts), kernel); the gradient avoids the cpu backend's slow
 * non-contiguous split that the backward pass of concat would need. `blocks` are the rows already
 * cut (DecoderBlocks), else the kernel is split here.
 */
function denseParts(parts: tf.Tensor[], kernel: tf.Tensor, bias?: tf.Tensor, blocks?: tf.Tensor[]): tf.Tensor {
  const rows = blocks ?? tf.split(kernel, parts.map((t) => t.shape[t.shape.length - 1]), 0);
  return parts.map((t, i) => dense(t, rows[i], i === 0 ? bias : undefined)).reduce((a, b) => tf.add(a, b));
}

/**
 * The row blocks of the decoder's weights that a step multiplies part by part (layer 0's kernel:
 * token rows and context rows; the combine kernel; the copy gate). Cutting them is a copy of the
 * weights, which on WebGPU was most of a greedy token's time when done at every step: sequenceLoss
 * cuts them once per batch and the decoders once per answer. The same values either way.
 */
export interface DecoderBlocks {
  tokenRows: tf.Tensor; // decoder.l0.kernel[:E]
  contextRows: tf.Tensor; // decoder.l0.kernel[E:]
  combine: tf.Tensor[]; // combine.kernel rows for [top, context]
  copyGate: tf.Tensor[] | null; // copy.gate rows for [context, top, token embedding]
}

export function decoderBlocks(c: NetworkConfig, p: Params): DecoderBlocks {
  const E = c.embeddingDim;
  const H = c.hiddenSize;
  const [tokenRows, contextRows] = tf.split(param(p, 'decoder.l0.kernel'), [E, H], 0);
  return {
    tokenRows,
    contextRows,
    combine: tf.split(param(p, 'combine.kernel'), [H, H], 0),
    copyGate: c.copyMechanism ? tf.split(param(p, 'copy.gate'), [H, H, E], 0) : null,
  };
}

export function disposeDecoderBlocks(b: DecoderBlocks): void {
  tf.dispose([b.tokenRows, b.contextRows, ...b.combine, ...(b.copyGate ?? [])]);
}

export function encode(
  c: NetworkConfig,
  p: Params,
  src: SourceBatch,
  opts: { training?: boolean; dropoutSeed?: number } = {},
): Encoded {
  return encodeWith(c, p, src, makeDropout(c, opts.training ?? false, opts.dropoutSeed));
}

function encodeWith(c: NetworkConfig, p: Params, src: SourceBatch, drop: Dropout | null): Encoded {
  const [batch, srcLen] = src.srcIds.shape;
  // No length check here: max_sequence_length limits the code tokens of an input (the CodingOptimizer
  // cuts longer inputs and says so); the task token and line markers come on top, and the LSTM runs any length.
  return tidy(() => {
    // The encoder runs time-major ([S, B, ·]): see lstm-cell.ts.
    const mask = tf.cast(src.srcMask, 'float32') as tf.Tensor2D;
    const maskT = tf.transpose(mask) as tf.Tensor2D; // [S, B]
    let x = tf.gather(param(p, 'embedding'), tf.transpose(src.srcIds)) as tf.Tensor3D; // [S, B, E]
    if (drop) x = drop.apply(x);
    const finals: LstmState[] = [];
    for (let l = 0; l < c.numLayers; l++) {
      const runs = encoderDirections(c, l).map((dir) =>
        runLstmTimeMajor(x, maskT, lstmWeights(p, `encoder.l${l}.${dir}`), undefined, dir === 'bw'),
      );
      // Both directions side by side: [S, B, H/2] ⊕ [S, B, H/2] → [S, B, H].
      const merge = <T extends tf.Tensor>(ts: T[], axis: number): T => (ts.length === 1 ? ts[0] : (tf.concat(ts, axis) as T));
      x = merge(runs.map((r) => r.sequence), 2);
      finals.push({ h: merge(runs.map((r) => r.state.h), 1), c: merge(runs.map((r) => r.state.c), 1) });
      if (drop && l < c.numLayers - 1) x = drop.apply(x);
    }
    const heads = c.attentionHeads;
    const initialState: DecoderState = {
      h: finals.map((f, l) => tf.tanh(dense(f.h, param(p, `bridge.l${l}.h.kernel`), param(p, `bridge.l${l}.h.bias`))) as tf.Tensor2D),
      c: finals.map((f, l) => tf.tanh(dense(f.c, param(p, `bridge.l${l}.c.kernel`), param(p, `bridge.l${l}.c.bias`))) as tf.Tensor2D),
      context: tf.zeros([batch, c.hiddenSize]) as tf.Tensor2D,
    };
    return {
      config: c,
      keys: splitHeads(dense(x, param(p, 'attention.key')) as tf.Tensor3D, heads),
      values: splitHeads(dense(x, param(p, 'attention.value')) as tf.Tensor3D, heads),
      maskBias: tf.reshape(tf.mul(tf.sub(1, mask), MASK_NEGATIVE), [batch, 1, 1, srcLen]) as tf.Tensor4D,
      copyMatrix: c.copyMechanism
        ? (floatOneHot(src.srcExtIds, c.vocabSize + src.numOovs) as tf.Tensor3D)
        : null,
      numOovs: src.numOovs,
      initialState,
    };
  });
}

export function disposeState(s: DecoderState): void {
  tf.dispose([...s.h, ...s.c, s.context]);
}

export function disposeEncoded(e: Encoded): void {
  tf.dispose([e.keys, e.values, e.maskBias]);
  if (e.copyMatrix) e.copyMatrix.dispose();
  disposeState(e.initialState);
}

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
function projectTokens(p: Params, tokenEmb: tf.Tensor, blocks: DecoderBlocks): tf.Tensor {
  return dense(tokenEmb, blocks.tokenRows, param(p, 'decoder.l0.bias'));
}

/**
 * The recurrent half of a step: LSTM layers, then attention with the top layer's h as query.
 * Layer 0 reads [token embedding, previous context] (input feeding); its token part arrives
 * already projected (tokenProj [B, 4H], see projectTokens) so training projects all steps at once.
 */
function recurrentStep(p: Params, e: Encoded, s: DecoderState, tokenProj: tf.Tensor2D, drop: Dropout | null, blocks: DecoderBlocks) {
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
export function copyDistribution(vocabLogits: tf.Tensor3D, attention: tf.Tensor3D, copyMatrix: tf.Tensor3D, pGen: tf.Tensor2D): tf.Tensor3D {
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
function outputHead(p: Params, e: Encoded, top: tf.Tensor3D, context: tf.Tensor3D, tokenEmb: tf.Tensor3D, attention: tf.Tensor3D, drop: Dropout | null, blocks: DecoderBlocks) {
  let hidden = tf.tanh(denseParts([top, context], param(p, 'combine.kernel'), param(p, 'combine.bias'), blocks.combine));
  if (drop) hidden = drop.apply(hidden);
  const logits = dense(hidden, param(p, 'out.kernel'), param(p, 'out.bias')) as tf.Tensor3D; // [B, T, V]
  if (!e.copyMatrix) {
    return { logits, logProbs: tf.logSoftmax(logits) as tf.Tensor3D, pGen: tf.ones([attention.shape[0], attention.shape[1]]) as tf.Tensor2D };
  }
  const gate = denseParts([context, top, tokenEmb], param(p, 'copy.gate'), param(p, 'copy.bias'), blocks.copyGate ?? undefined);
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
export function sequenceLoss(c: NetworkConfig, p: Params, batch: Batch, opts: LossOptions = {}): { loss: tf.Scalar; accuracy: tf.Scalar } {
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
    throw new Error("tfjs gradients are not registered: import '@tensorflow/tfjs-core/dist/register_all_gradients' (bundler) or '@tensorflow/tfjs' (Node) once in the host");
  }
}

/** Loss, accuracy and gradients for every trainable variable in `p` (the caller disposes all three). */
export function lossAndGrads(c: NetworkConfig, p: Record<string, tf.Variable>, batch: Batch, opts: LossOptions = {}) {
  assertGradientsRegistered();
  let accuracy: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const r = sequenceLoss(c, p, batch, opts);
    accuracy = tf.keep(r.accuracy);
    return r.loss;
  }, Object.values(p));
  // variableGrads keys gradients by variable name; give them back under our parameter names.
  const byName: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(p)) if (grads[v.name]) byName[name] = grads[v.name];
  return { loss: value, accuracy: accuracy as unknown as tf.Scalar, grads: byName };
}
