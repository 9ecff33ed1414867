// Teacher-forced validation: loss and token accuracy over held-out batches, weighted by tokens.
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkConfig } from '../model';
import { sequenceLoss, type Params } from '../model/internals';
import type { HostBatch } from '../data/host-batch';
import { disposeBatch, toTensorBatch } from './host-batch';

export interface ValidationResult {
  loss: number;
  tokenAccuracy: number;
  targetTokens: number;
}

export async function validate(
  network: NetworkConfig,
  params: Params,
  batches: readonly HostBatch[],
): Promise<ValidationResult> {
  let lossSum = 0;
  let accuracySum = 0;
  let tokens = 0;
  for (const host of batches) {
    const batch = toTensorBatch(host);
    const both = tf.tidy(() => {
      const { loss, accuracy } = sequenceLoss(network, params, batch, { training: false });
      return tf.stack([loss, accuracy]);
    });
    const [loss, accuracy] = Array.from(await both.data());
    both.dispose();
    disposeBatch(batch);
    let count = 0;
    for (const m of host.tgtMask) count += m;
    lossSum += loss! * count;
    accuracySum += accuracy! * count;
    tokens += count;
  }
  if (tokens === 0) return { loss: Number.NaN, tokenAccuracy: Number.NaN, targetTokens: 0 };
  return { loss: lossSum / tokens, tokenAccuracy: accuracySum / tokens, targetTokens: tokens };
}
