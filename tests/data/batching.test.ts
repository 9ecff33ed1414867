import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeExample, makeBatches, makeBatchSource, packBatch, paddingFraction, spread } from '../../src/data/batching';
import { buildExample, type Example } from '../../src/data/examples';
import { generateFunctions } from '../../src/data/generator';
import { Rng, disposeParams, initParams, type NetworkConfig, Vocabulary } from '../../src/model';
import { sequenceLoss, BOS_ID, EOS_ID, UNK_ID } from '../../src/model/internals';
import { disposeBatch, toTensorBatch } from '../../src/train/host-batch';
import { tokenCounts } from '../../src/data/vocab-sizing';

const functions = generateFunctions(600, 21);
const examples = functions.map((f, i) => buildExample(f.text, new Rng(i))!).filter((e): e is Example => e !== null);
// A small vocabulary, so that many names are out of it and must be copied.
const vocab = Vocabulary.build(tokenCounts(functions.slice(0, 50)), 300);
const encoded = examples.map((e) => encodeExample(e, vocab));

describe('encodeExample', () => {
  it('maps OOV to <unk> in the inputs and to copy ids in the output, <s> first and </s> last', () => {
    const example: Example = { task: 'fix', input: 'def max(zebra_count)\n    return zebra_count\n', target: 'def max(zebra_count):\n    return zebra_count\n', class: 'missing_colon' };
    const e = encodeExample(example, vocab);
    expect(e.oovs).toEqual(['zebra_count']);
    const copyId = vocab.size; // the first OOV of the source
    expect(e.srcIds.filter((id) => id === UNK_ID)).toHaveLength(2);
    expect(e.srcExtIds.filter((id) => id === copyId)).toHaveLength(2);
    // target: <L1> <D0> def max ( zebra_count ) : </s>
    expect(e.tgtOutExtIds).toEqual([vocab.id('<L1>'), vocab.id('<D0>'), vocab.id('def'), vocab.id('max'), vocab.id('('), copyId, vocab.id(')'), vocab.id(':'), EOS_ID]);
    expect(e.tgtInIds).toEqual([BOS_ID, vocab.id('<L1>'), vocab.id('<D0>'), vocab.id('def'), vocab.id('max'), vocab.id('('), UNK_ID, vocab.id(')'), vocab.id(':')]);
    expect(e.class).toBe('missing_colon');
  });

  it('uses <unk> for target tokens neither in the vocabulary nor in the source', () => {
    const e = encodeExample({ task: 'complete', input: 'def f(x):\n', target: '    return brand_new_name' }, vocab);
    expect(e.tgtOutExtIds).toContain(UNK_ID);
    expect(e.tgtOutExtIds.every((id) => id < vocab.size + e.oovs.length)).toBe(true);
  });
});

describe('makeBatches', () => {
  it('packs batches in the HostBatch layout: shapes, right padding, masks, per-example OOVs', () => {
    const batch = packBatch(encoded.slice(0, 3));
    const S = Math.max(...encoded.slice(0, 3).map((e) => e.srcIds.length));
    const T = Math.max(...encoded.slice(0, 3).map((e) => e.tgtOutExtIds.length));
    expect([batch.batchSize, batch.sourceLength, batch.targetLength]).toEqual([3, S, T]);
    expect(batch.srcIds.length).toBe(3 * S);
    expect(batch.tgtInIds.length).toBe(3 * T);
    expect(batch.numOovs).toBe(Math.max(...encoded.slice(0, 3).map((e) => e.oovs.length)));
    encoded.slice(0, 3).forEach((e, b) => {
      expect(Array.from(batch.srcExtIds.slice(b * S, b * S + e.srcIds.length))).toEqual(e.srcExtIds);
      expect(Array.from(batch.srcMask.slice(b * S, (b + 1) * S))).toEqual(Array.from({ length: S }, (_, i) => (i < e.srcIds.length ? 1 : 0)));
      expect(Array.from(batch.tgtMask.slice(b * T, (b + 1) * T)).reduce((a, m) => a + m, 0)).toBe(e.tgtOutExtIds.length);
      expect(batch.tgtInIds[b * T]).toBe(BOS_ID);
      expect(batch.oovs[b]).toEqual(e.oovs);
    });
  });

  it('uses every example once, deterministically per seed', () => {
    const batches = makeBatches(encoded, { batchSize: 16, seed: 4 });
    expect(batches.reduce((n, b) => n + b.batchSize, 0)).toBe(encoded.length);
    expect(batches.length).toBe(Math.ceil(encoded.length / 16));
    const again = makeBatches(encoded, { batchSize: 16, seed: 4 });
    expect(again.map((b) => Array.from(b.srcIds))).toEqual(batches.map((b) => Array.from(b.srcIds)));
    const other = makeBatches(encoded, { batchSize: 16, seed: 5 });
    expect(other.map((b) => Array.from(b.srcIds))).not.toEqual(batches.map((b) => Array.from(b.srcIds)));
  });

  it('length bucketing wastes much less on padding than random batches', () => {
    const random = paddingFraction(makeBatches(encoded, { batchSize: 16, seed: 1, bucket: false }));
    const bucketed = paddingFraction(makeBatches(encoded, { batchSize: 16, seed: 1 }));
    expect(random).toBeGreaterThan(0.3);
    expect(bucketed).toBeLessThan(random * 0.6);
  });

  it('serves a fresh order each epoch, the same for the same epoch', () => {
    const source = makeBatchSource(encoded, { batchSize: 32, seed: 2 });
    expect(source.batchesPerEpoch()).toBe(Math.ceil(encoded.length / 32));
    const first = Array.from(source.batch(0, 0).srcIds);
    expect(Array.from(source.batch(1, 0).srcIds)).not.toEqual(first);
    expect(Array.from(source.batch(0, 0).srcIds)).toEqual(first);
    expect(() => source.batch(0, source.batchesPerEpoch())).toThrow(/does not exist/);
  });
});

describe('batches feed the network', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives a finite teacher-forced loss on a real batch (copy ids within the extended vocabulary)', () => {
    const config: NetworkConfig = {
      vocabSize: vocab.size, embeddingDim: 8, hiddenSize: 8, numLayers: 1, bidirectionalEncoder: false,
      attentionHeads: 2, dropout: 0, copyMechanism: true, maxSourceLength: 200, maxTargetLength: 200,
    };
    const params = initParams(config, 1);
    const host = makeBatches(encoded.slice(0, 8), { batchSize: 8, seed: 1 })[0]!;
    const batch = toTensorBatch(host);
    try {
      const { loss, accuracy } = sequenceLoss(config, params, batch);
      const value = loss.dataSync()[0]!;
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
      tf.dispose([loss, accuracy]);
    } finally {
      disposeBatch(batch);
      disposeParams(params);
    }
  });
});

describe('spread', () => {
  it('takes validation batches from the whole list, not its first stretch', () => {
    const items = Array.from({ length: 611 }, (_, i) => i);
    const picked = spread(items, 20);
    expect(picked).toHaveLength(20);
    expect(picked[0]).toBe(0);
    expect(picked[19]).toBeGreaterThan(570);
    expect(new Set(picked).size).toBe(20);
    expect(spread([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });
});
