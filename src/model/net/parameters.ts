// The network's configuration, its parameters (shapes, initial values) and the small layer helpers
// the encoder, the decoder and the loss share (seq2seq.ts has the whole data flow).

import * as tf from '@tensorflow/tfjs-core';
import { type LstmWeights } from './lstm-cell.js';
import { Dropout, Rng, deriveSeed, orthogonal } from './random.js';
import { EOS_ID } from '../vocab.js';

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
export const MASK_NEGATIVE = -1e9;
/** Floor of the mixed copy distribution before the log, so log P stays finite. */
export const LOG_EPSILON = 1e-10;

export function validateConfig(c: NetworkConfig): void {
  const fail = (msg: string): never => {
    throw new Error(`network config: ${msg}`);
  };
  for (const key of [
    'vocabSize',
    'embeddingDim',
    'hiddenSize',
    'numLayers',
    'attentionHeads',
    'maxSourceLength',
    'maxTargetLength',
  ] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) fail(`${key} must be a positive integer, got ${c[key]}`);
  }
  if (c.vocabSize <= EOS_ID) fail(`vocabSize must exceed the ${EOS_ID + 1} special tokens`);
  if (c.hiddenSize % c.attentionHeads !== 0)
    fail(`hiddenSize ${c.hiddenSize} is not divisible by attentionHeads ${c.attentionHeads}`);
  if (c.bidirectionalEncoder && c.hiddenSize % 2 !== 0) fail('a bidirectional encoder needs an even hiddenSize');
  if (!(c.dropout >= 0 && c.dropout < 1)) fail(`dropout must be in [0, 1), got ${c.dropout}`);
}

// ───────────────────────────── parameters ─────────────────────────────

/** Directions of encoder layer `l`: ['fw', 'bw'] for a bidirectional first layer, else ['fw']. */
export function encoderDirections(c: NetworkConfig, l: number): string[] {
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

export function param(p: Params, name: string): tf.Tensor {
  const t = p[name];
  if (!t) throw new Error(`missing parameter "${name}"`);
  return t;
}

export const lstmWeights = (p: Params, prefix: string): LstmWeights => ({
  kernel: param(p, `${prefix}.kernel`),
  recurrent: param(p, `${prefix}.recurrent`),
  bias: param(p, `${prefix}.bias`),
});

/** tf.tidy for functions returning our own interfaces (tidy keeps every tensor they contain). */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

export function makeDropout(c: NetworkConfig, training: boolean, seed?: number): Dropout | null {
  if (!training || c.dropout <= 0) return null;
  return new Dropout(c.dropout, seed ?? Math.floor(Math.random() * 0x7fffffff));
}

// ───────────────────────────── layer helpers ─────────────────────────────

/** Time-major [S, B, H] → [B, heads, S, H/heads] */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  const [s, b, h] = x.shape;
  return tf.transpose(tf.reshape(x, [s, b, heads, h / heads]), [1, 2, 0, 3]) as tf.Tensor4D;
}

/** Apply a [in, out] kernel to the last axis of a rank-2 or rank-3 tensor. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1];
  const y = tf.matMul(tf.reshape(x, [-1, inDim]), kernel as tf.Tensor2D);
  const yb = bias ? tf.add(y, bias) : y;
  return tf.reshape(yb, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
}

/**
 * One-hot as float32. Built as int32 then cast: tfjs-backend-wasm 4.22's OneHot ignores the dtype
 * argument and writes integer bits into a float32 buffer (1 reads as 1.4e-45).
 */
export function floatOneHot(ids: tf.Tensor, depth: number): tf.Tensor {
  return tf.cast(tf.oneHot(tf.cast(ids, 'int32'), depth), 'float32');
}

/**
 * x·kernel (+ bias) where x is `parts` concatenated on the last axis, without building the
 * concatenation: the kernel's rows are cut to match (a contiguous split) and the products summed.
 * Same value as dense(concat(parts), kernel); the gradient avoids the cpu backend's slow
 * non-contiguous split that the backward pass of concat would need. `blocks` are the rows already
 * cut (DecoderBlocks), else the kernel is split here.
 */
export function denseParts(parts: tf.Tensor[], kernel: tf.Tensor, bias?: tf.Tensor, blocks?: tf.Tensor[]): tf.Tensor {
  const rows =
    blocks ??
    tf.split(
      kernel,
      parts.map((t) => t.shape[t.shape.length - 1]),
      0,
    );
  return parts.map((t, i) => dense(t, rows[i], i === 0 ? bias : undefined)).reduce((a, b) => tf.add(a, b));
}

/**
 * The row blocks of the decoder's weights that a step multiplies part by part (layer 0's kernel:
 * token rows and context rows; the combine kernel; the copy gate). Cutting them is a copy of the
 * weights, which on WebGPU was most of a greedy token's time when done at every step: sequenceLoss
 * cuts them once per batch and the decoders once per answer. The same values either way.
 */
