// A training batch as plain typed arrays (what the data pipeline builds, what a worker can post),
// and its conversion to the tensors of the network's Batch.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../model/seq2seq';

export interface HostBatch {
  batchSize: number; // B
  sourceLength: number; // S, the longest source in the batch
  targetLength: number; // T, the longest target (+ </s>) in the batch
  srcIds: Int32Array; // [B*S], OOV → <unk>
  srcExtIds: Int32Array; // [B*S], OOV → vocabSize + k
  srcMask: Float32Array; // [B*S]
  tgtInIds: Int32Array; // [B*T], <s> then the target
  tgtOutExtIds: Int32Array; // [B*T], the target then </s>
  tgtMask: Float32Array; // [B*T]
  numOovs: number; // extended vocabulary = vocabSize + numOovs
}

/** Real (unpadded) tokens in a batch, source and target: the unit of "tokens per second". */
export function realTokens(batch: HostBatch): number {
  let count = 0;
  for (const m of batch.srcMask) count += m;
  for (const m of batch.tgtMask) count += m;
  return count;
}

/** Uploads a host batch; the caller disposes the tensors (disposeBatch). */
export function toTensorBatch(b: HostBatch): Batch {
  const src: [number, number] = [b.batchSize, b.sourceLength];
  const tgt: [number, number] = [b.batchSize, b.targetLength];
  return {
    srcIds: tf.tensor2d(b.srcIds, src, 'int32'),
    srcExtIds: tf.tensor2d(b.srcExtIds, src, 'int32'),
    srcMask: tf.tensor2d(b.srcMask, src, 'float32'),
    tgtInIds: tf.tensor2d(b.tgtInIds, tgt, 'int32'),
    tgtOutExtIds: tf.tensor2d(b.tgtOutExtIds, tgt, 'int32'),
    tgtMask: tf.tensor2d(b.tgtMask, tgt, 'float32'),
    numOovs: b.numOovs,
  };
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.srcIds, b.srcExtIds, b.srcMask, b.tgtInIds, b.tgtOutExtIds, b.tgtMask]);
}
