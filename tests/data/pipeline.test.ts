// The data pipeline (src/data/pipeline.ts) through its two entry points: the `dataset` command
// (buildDataset, files on disk) and the training worker (prepareData, files in a message). Given the
// same files, seed and split rule, both must write the same examples in the same order; and the
// command's output on a small fixed corpus is pinned by a hash, so any change to what it writes is seen.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, type DatasetOptions } from '../../src/cli/dataset';
import { toJsonl } from '../../src/data/jsonl';
import { NO_AUGMENT } from '../../src/data/pipeline';
import { prepareData, validationSplit } from '../../src/worker/training-data';
import { GOLDEN_SOURCES } from './pipeline-fixture';

/** sha256 of the `dataset` files below for GOLDEN_OPTIONS; changes only when what the command writes changes. */
const GOLDEN_DATASET_SHA256 = '543b4fd8263b4558a1c8f39a31095188a8014a6eec672ccb3e31377597a726b3';
const GOLDEN_FILES = ['train.jsonl', 'val.jsonl', 'test.jsonl', 'test_context.jsonl', 'train.ids.jsonl', 'tokenizer.json'];

let dir: string;
let source: string;
let empty: string;
const files = Object.entries(GOLDEN_SOURCES).map(([name, text]) => ({ name, text }));
const read = (out: string, file: string) => readFileSync(join(out, file), 'utf8');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
  source = join(dir, 'src');
  empty = join(dir, 'empty');
  mkdirSync(empty);
  for (const { name, text } of files) {
    mkdirSync(dirname(join(source, name)), { recursive: true });
    writeFileSync(join(source, name), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one data pipeline for the dataset command and the training worker', () => {
  const common = { seed: 4, maxTokens: 100, vocabSize: 300, perFunction: 1, augment: NO_AUGMENT } as const;

  it('gives the same train and validation examples from the same .py files', () => {
    const out = join(dir, 'python');
    buildDataset({ ...common, source, out, generated: 0, split: validationSplit(20) });
    const worker = prepareData({ source: { kind: 'python', files }, validationPercent: 20, seed: 4, maxTokens: 100 });
    // The worker moves one train example to validation only when validation is empty: not here.
    expect(worker.val.length).toBeGreaterThan(0);
    expect(worker.train.length).toBeGreaterThan(worker.val.length);
    expect(toJsonl(worker.train)).toBe(read(out, 'train.jsonl'));
    expect(toJsonl(worker.val)).toBe(read(out, 'val.jsonl'));
    expect(read(out, 'test.jsonl')).toBe('');
    expect(new Set(worker.train.map((e) => e.task))).toEqual(new Set(['fix', 'complete', 'generate']));
  });

  it('gives the same examples from the generator', () => {
    const out = join(dir, 'builtin');
    buildDataset({ ...common, source: empty, out, generated: 300, split: validationSplit(10) });
    const worker = prepareData({ source: { kind: 'builtin', functions: 300 }, validationPercent: 10, seed: 4, maxTokens: 100 });
    expect(worker.val.length).toBeGreaterThan(0);
    expect(toJsonl(worker.train)).toBe(read(out, 'train.jsonl'));
    expect(toJsonl(worker.val)).toBe(read(out, 'val.jsonl'));
  });
});

describe('the dataset command on a small fixed corpus', () => {
  const GOLDEN_OPTIONS = (out: string): DatasetOptions => ({
    source,
    out,
    seed: 4,
    generated: 60,
    maxTokens: 100,
    vocabSize: 300,
    perFunction: 2,
    augment: { modernize: 0.6, nextLines: 1, contextMaxTokens: 400 },
  });

  it('writes the same files as when the hash was pinned', () => {
    const out = join(dir, 'golden');
    const stats = buildDataset(GOLDEN_OPTIONS(out));
    // Every part of the pipeline has something to do: all splits, long functions, modern rewrites.
    for (const split of ['train', 'val', 'test'] as const) expect(stats.examples[split].count).toBeGreaterThan(0);
    expect(stats.augmentation.test_context_examples).toBeGreaterThan(0);
    expect(stats.augmentation.modernized_functions).toBeGreaterThan(0);
    const hash = createHash('sha256');
    for (const file of GOLDEN_FILES) hash.update(readFileSync(join(out, file)));
    // A change here is a change of every dataset built with these rules: say so where it is made.
    expect(hash.digest('hex')).toBe(GOLDEN_DATASET_SHA256);
  });
});
