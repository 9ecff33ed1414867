// A host batch (src/data/host-batch.ts) to the tensors of the network's Batch, and back to nothing.
import * as tf from '@tensorflow/tfjs-core';
import type { HostBatch } from '../data/host-batch';
import type { Batch } from '../model/internals';

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
