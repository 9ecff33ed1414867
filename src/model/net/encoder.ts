// The encoder: embeddings, the LSTM stack (first layer bidirectional), attention keys and values,
// and the bridge to the decoder's first state (seq2seq.ts has the whole data flow).

import * as tf from '@tensorflow/tfjs-core';
import {
  MASK_NEGATIVE,
  type NetworkConfig,
  type Params,
  dense,
  encoderDirections,
  floatOneHot,
  lstmWeights,
  makeDropout,
  param,
  splitHeads,
  tidy,
} from './parameters.js';
import { type LstmState, runLstmTimeMajor } from './lstm-cell.js';
import { Dropout } from './random.js';

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

export function encodeWith(c: NetworkConfig, p: Params, src: SourceBatch, drop: Dropout | null): Encoded {
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
      const merge = <T extends tf.Tensor>(ts: T[], axis: number): T =>
        ts.length === 1 ? ts[0] : (tf.concat(ts, axis) as T);
      x = merge(
        runs.map((r) => r.sequence),
        2,
      );
      finals.push({
        h: merge(
          runs.map((r) => r.state.h),
          1,
        ),
        c: merge(
          runs.map((r) => r.state.c),
          1,
        ),
      });
      if (drop && l < c.numLayers - 1) x = drop.apply(x);
    }
    const heads = c.attentionHeads;
    const initialState: DecoderState = {
      h: finals.map(
        (f, l) =>
          tf.tanh(dense(f.h, param(p, `bridge.l${l}.h.kernel`), param(p, `bridge.l${l}.h.bias`))) as tf.Tensor2D,
      ),
      c: finals.map(
        (f, l) =>
          tf.tanh(dense(f.c, param(p, `bridge.l${l}.c.kernel`), param(p, `bridge.l${l}.c.bias`))) as tf.Tensor2D,
      ),
      context: tf.zeros([batch, c.hiddenSize]) as tf.Tensor2D,
    };
    return {
      config: c,
      keys: splitHeads(dense(x, param(p, 'attention.key')) as tf.Tensor3D, heads),
      values: splitHeads(dense(x, param(p, 'attention.value')) as tf.Tensor3D, heads),
      maskBias: tf.reshape(tf.mul(tf.sub(1, mask), MASK_NEGATIVE), [batch, 1, 1, srcLen]) as tf.Tensor4D,
      copyMatrix: c.copyMechanism ? (floatOneHot(src.srcExtIds, c.vocabSize + src.numOovs) as tf.Tensor3D) : null,
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
