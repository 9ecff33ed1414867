// A seq2seq LSTM written directly in tfjs-core ops, used to measure and check the wasm kernels
// on the op mix of a real training step: embedding gather, per-step matMul, gates via tf.split,
// tf.unstack over time, softmax cross-entropy. Not the app's model (that lives in src/model);
// this one only needs to exercise the same kernels and their gradients.
import * as tf from '@tensorflow/tfjs-core';

export interface LstmBenchSizes {
  batch: number;
  sourceLength: number;
  targetLength: number;
  vocabulary: number;
  /** Embedding width and hidden size (equal, as in the seed model). */
  hidden: number;
}

/** Seed size from the project's measurements: batch 32, source 60, target 16, vocab 2000, hidden 256. */
export const SEED_SIZES: LstmBenchSizes = {
  batch: 32,
  sourceLength: 60,
  targetLength: 16,
  vocabulary: 2000,
  hidden: 256,
};

export interface LstmBenchModel {
  sizes: LstmBenchSizes;
  variables: tf.Variable[];
  /** Mean cross-entropy of predicting `target` (teacher forcing) from `source`, both int32 ids. */
  loss(source: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

/** Deterministic pseudo-random values, so cpu and wasm runs start from identical weights. */
export function seededValues(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

export function seededIds(shape: [number, number], vocabulary: number, seed: number): tf.Tensor2D {
  const values = seededValues(shape[0] * shape[1], seed, 1);
  const ids = Int32Array.from(values, (v) => Math.min(vocabulary - 1, Math.floor(((v + 1) / 2) * vocabulary)));
  return tf.tensor2d(ids, shape, 'int32');
}

export function makeLstmBenchModel(sizes: LstmBenchSizes, seed = 1): LstmBenchModel {
  const { vocabulary: v, hidden: h } = sizes;
  let nextSeed = seed;
  const weight = (shape: number[]): tf.Variable => {
    const size = shape.reduce((x, y) => x * y, 1);
    const initial = tf.tensor(seededValues(size, nextSeed++ * 7919, 1 / Math.sqrt(shape[0])), shape);
    const variable = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    return variable;
  };
  const embedding = weight([v, h]);
  const encoder = { wx: weight([h, 4 * h]), wh: weight([h, 4 * h]), b: weight([4 * h]) };
  const decoder = { wx: weight([h, 4 * h]), wh: weight([h, 4 * h]), b: weight([4 * h]) };
  const outW = weight([h, v]);
  const outB = weight([v]);
  const variables = [embedding, encoder.wx, encoder.wh, encoder.b, decoder.wx, decoder.wh, decoder.b, outW, outB];

  type Cell = typeof encoder;
  const step = (cell: Cell, x: tf.Tensor2D, state: { h: tf.Tensor2D; c: tf.Tensor2D }) => {
    const z = tf.add(tf.add(tf.matMul(x, cell.wx), tf.matMul(state.h, cell.wh)), cell.b) as tf.Tensor2D;
    const [i, f, g, o] = tf.split(z, 4, 1);
    const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, c };
  };

  const loss = (source: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar => {
    const b = source.shape[0];
    let state = { h: tf.zeros([b, h]) as tf.Tensor2D, c: tf.zeros([b, h]) as tf.Tensor2D };
    // [batch, time, hidden], unstacked over time (axis 1): exercises the strided Unpack.
    for (const x of tf.unstack(tf.gather(embedding, source), 1)) state = step(encoder, x as tf.Tensor2D, state);
    const targetLength = target.shape[1];
    // Teacher forcing: input is the previous target token (0 = start), output the current one.
    const decoderInput = tf.concat([tf.zeros([b, 1], 'int32'), tf.slice(target, [0, 0], [b, targetLength - 1])], 1);
    const outputs: tf.Tensor2D[] = [];
    for (const x of tf.unstack(tf.gather(embedding, decoderInput), 1)) {
      state = step(decoder, x as tf.Tensor2D, state);
      outputs.push(state.h);
    }
    const hiddenAll = tf.reshape(tf.stack(outputs, 1), [b * targetLength, h]);
    const logits = tf.add(tf.matMul(hiddenAll, outW), outB);
    const labels = tf.oneHot(tf.reshape(target, [b * targetLength]), v);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };

  return { sizes, variables, loss, dispose: () => tf.dispose(variables) };
}
