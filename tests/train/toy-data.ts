// A toy task for loop tests: the target is the source reversed. Ids 4.. are ordinary tokens.
import { Rng } from '../../src/model';
import type { BatchSource, HostBatch } from '../../src/data/host-batch';

export function toyBatch(rng: Rng, batchSize: number, length: number, vocabSize: number): HostBatch {
  const S = length;
  const T = length + 1;
  const b: HostBatch = {
    batchSize,
    sourceLength: S,
    targetLength: T,
    numOovs: 0,
    srcIds: new Int32Array(batchSize * S),
    srcExtIds: new Int32Array(batchSize * S),
    srcMask: new Float32Array(batchSize * S),
    tgtInIds: new Int32Array(batchSize * T),
    tgtOutExtIds: new Int32Array(batchSize * T),
    tgtMask: new Float32Array(batchSize * T),
  };
  for (let i = 0; i < batchSize; i++) {
    const tokens = Array.from({ length }, () => 4 + rng.nextInt(vocabSize - 4));
    const reversed = [...tokens].reverse();
    for (let s = 0; s < S; s++) {
      b.srcIds[i * S + s] = tokens[s]!;
      b.srcExtIds[i * S + s] = tokens[s]!;
      b.srcMask[i * S + s] = 1;
    }
    for (let t = 0; t < T; t++) {
      b.tgtInIds[i * T + t] = t === 0 ? 2 : reversed[t - 1]!;
      b.tgtOutExtIds[i * T + t] = t < length ? reversed[t]! : 3;
      b.tgtMask[i * T + t] = 1;
    }
  }
  return b;
}

/** Deterministic batches per (epoch, index), like the real pipeline. */
export function toySource(
  batches: number,
  batchSize: number,
  length: number,
  vocabSize: number,
  seed = 7,
): BatchSource {
  return {
    batchesPerEpoch: () => batches,
    batch: (epoch, index) => toyBatch(new Rng(seed * 1000 + epoch * 100 + index), batchSize, length, vocabSize),
  };
}
