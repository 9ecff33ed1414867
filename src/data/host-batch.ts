// A training batch as plain typed arrays (what the data pipeline builds, what a worker can post),
// and the source the training loop draws them from. Data types: src/train imports them from here.

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

/** The training data, in a deterministic order per epoch so that a resumed run sees the same batches. */
export interface BatchSource {
  batchesPerEpoch(): number;
  batch(epoch: number, index: number): HostBatch;
}

/** Real (unpadded) tokens in a batch, source and target: the unit of "tokens per second". */
export function realTokens(batch: HostBatch): number {
  let count = 0;
  for (const m of batch.srcMask) count += m;
  for (const m of batch.tgtMask) count += m;
  return count;
}
