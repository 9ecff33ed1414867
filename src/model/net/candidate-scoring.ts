// Teacher-forced scoring: the model's log-probability of given outputs (each ending with </s>), so
// edits that the text suggests (edit-candidates.ts) are ranked on the same scale as the beams. All
// outputs of one source are decoded as one batch; one read-back per chunk.
import * as tf from '@tensorflow/tfjs-core';
import { gatherEncoded } from './decoding';
import type { Params } from './parameters';
import { BOS_ID, UNK_ID } from '../vocab';
import { decoderBlocks, disposeDecoderBlocks, disposeEncoded, disposeState, type Encoded } from './encoder';
import { decoderStep, type StepOutput } from './decoder';

/** Rows decoded together at most (memory stays small on every backend). */
const CHUNK = 24;

export interface ScoredOutput {
  logProb: number;
  tokenLogProbs: number[];
  /** Per token: probability of generating rather than copying, and the attention over the source. */
  pGen: number[];
  attention: number[][];
}

/** Log-probability of each target (extended ids, </s> included) given the encoded source (batch 1). */
export async function scoreOutputs(
  p: Params,
  enc: Encoded,
  targets: readonly (readonly number[])[],
): Promise<ScoredOutput[]> {
  const out: ScoredOutput[] = [];
  for (let from = 0; from < targets.length; from += CHUNK)
    out.push(...(await scoreChunk(p, enc, targets.slice(from, from + CHUNK))));
  return out;
}

async function scoreChunk(p: Params, enc: Encoded, targets: readonly (readonly number[])[]): Promise<ScoredOutput[]> {
  const n = targets.length;
  if (n === 0) return [];
  const vocab = enc.config.vocabSize;
  const extVocab = vocab + enc.numOovs;
  const steps = Math.max(...targets.map((t) => t.length));
  const tiled = n === 1 ? enc : gatherEncoded(enc, new Array(n).fill(0));
  const blocks = decoderBlocks(enc.config, p);
  let state = tiled.initialState;
  const picked: tf.Tensor[] = []; // per step [n, 2 + S]: token log-probability, p_gen, attention
  try {
    for (let t = 0; t < steps; t++) {
      const prev = targets.map((ids) => (t === 0 ? BOS_ID : (ids[t - 1] ?? UNK_ID)));
      const ids = tf.tensor1d(
        prev.map((id) => (id >= vocab ? UNK_ID : id)),
        'int32',
      );
      // A step that throws (a kernel, the device) leaves no tensor behind: its state is the one the finally frees.
      let o: StepOutput;
      try {
        o = decoderStep(p, tiled, state, ids, false, undefined, blocks);
      } finally {
        ids.dispose();
      }
      if (state !== tiled.initialState) disposeState(state);
      state = o.state;
      const flat = targets.map((ids, row) => row * extVocab + Math.min(ids[t] ?? 0, extVocab - 1));
      try {
        picked.push(
          tf.tidy(() =>
            tf.concat(
              [tf.stack([tf.gather(tf.reshape(o.logProbs, [-1]), tf.tensor1d(flat, 'int32')), o.pGen], 1), o.attention],
              1,
            ),
          ),
        );
      } finally {
        tf.dispose([o.logits, o.logProbs, o.attention, o.headAttention, o.pGen]);
      }
    }
    const stacked = tf.stack(picked, 1); // [n, steps, 2 + S]
    let data: Float32Array;
    try {
      data = (await stacked.data()) as Float32Array;
    } finally {
      stacked.dispose();
    }
    const width = stacked.shape[2]!;
    return targets.map((ids, row) => {
      const at = (t: number) => data.subarray((row * steps + t) * width, (row * steps + t + 1) * width);
      const rows = ids.map((_, t) => at(t));
      const tokenLogProbs = rows.map((r) => r[0]!);
      return {
        logProb: tokenLogProbs.reduce((a, b) => a + b, 0),
        tokenLogProbs,
        pGen: rows.map((r) => r[1]!),
        attention: rows.map((r) => Array.from(r.subarray(2))),
      };
    });
  } finally {
    tf.dispose(picked);
    if (state !== tiled.initialState) disposeState(state);
    disposeDecoderBlocks(blocks);
    if (tiled !== enc) disposeEncoded(tiled);
  }
}
