// The dataset command, on a small folder written to a temp dir: what it reads, skips and writes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, parseClassBoost, parseTrainMix, type DatasetOptions } from '../../src/cli/dataset';
import { normalizedKey } from '../../src/data/extract';
import { findPythonFiles } from '../../src/data/python-files';
import { parseJsonl } from '../../src/data/jsonl';
import { Vocabulary } from '../../src/model';

const ROOT = resolve(__dirname, '../..');
const MODULE = (n: number) => Array.from({ length: 6 }, (_, i) => `def f${n}_${i}(items, limit):
    """Keep the items under the limit (${n}, ${i})."""
    kept = []
    for item in items:
        if item < limit + ${i}:
            kept.append(item)
    return kept
`).join('\n');

let dir: string;
let source: string;
// The classic dataset (no train augmentation) unless a test asks for it.
const options = (out: string): DatasetOptions => ({ source, out, seed: 1, generated: 300, maxTokens: 100, vocabSize: 300, perFunction: 1, augment: { modernize: 0, nextLines: 0 } });

/** A function of about 170 tokens: longer than the model reads, for complete examples only. */
const LONG_FUNCTION = `def long_one(self, items, limit):
${Array.from({ length: 12 }, (_, i) => `    value_${i} = self.compute(items[${i}], limit + ${i})\n`).join('')}    return value_0 + value_11
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataset-'));
  source = join(dir, 'lib');
  for (const sub of ['pkg', 'pkg/tests', 'site-packages', '__pycache__']) mkdirSync(join(source, sub), { recursive: true });
  for (let n = 0; n < 12; n++) writeFileSync(join(source, 'pkg', `mod${n}.py`), MODULE(n));
  writeFileSync(join(source, 'pkg/tests/test_mod.py'), MODULE(99));
  writeFileSync(join(source, 'site-packages/other.py'), MODULE(98));
  writeFileSync(join(source, '__pycache__/cached.py'), MODULE(97));
  // By seed 1, long.py falls in train and long_d.py in test (splitOfFile).
  writeFileSync(join(source, 'pkg', 'long.py'), LONG_FUNCTION);
  writeFileSync(join(source, 'pkg', 'long_d.py'), LONG_FUNCTION.replace('long_one', 'long_two'));
  writeFileSync(join(source, 'latin1.py'), Buffer.from([0x64, 0x65, 0x66, 0x20, 0xe9, 0x0a])); // not UTF-8
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataset command', () => {
  it('finds .py files, skipping installed packages, caches and test folders', () => {
    const files = findPythonFiles(source, (path) => readdirSync(path, { withFileTypes: true }));
    expect(files).toContain('pkg/mod0.py');
    expect(files).toContain('latin1.py');
    expect(files.some((f) => f.includes('tests/') || f.includes('site-packages') || f.includes('__pycache__'))).toBe(false);
    expect(files).toHaveLength(15);
  });

  it('writes the splits, the vocabulary and the stats, consistent with each other', () => {
    const out = join(dir, 'out');
    const stats = buildDataset(options(out));
    expect(stats.files).toMatchObject({ found: 15, read: 14, unreadable: 1 });
    expect(stats.files.unreadable_files[0]!.file).toBe('latin1.py');
    expect(stats.functions.extracted).toBe(12 * 6);

    const keys: Set<string>[] = [];
    for (const split of ['train', 'val', 'test'] as const) {
      const { examples, problems } = parseJsonl(readFileSync(join(out, `${split}.jsonl`), 'utf8'), `${split}.jsonl`);
      expect(problems).toEqual([]);
      expect(examples.length).toBe(stats.examples[split].count);
      const byTask = { fix: 0, complete: 0, generate: 0 };
      for (const e of examples) byTask[e.task]++;
      expect(byTask).toMatchObject(Object.fromEntries(Object.entries(stats.examples[split].by_task)));
      // Function texts (targets of fix and generate) never cross splits.
      keys.push(new Set(examples.filter((e) => e.task !== 'complete').map((e) => normalizedKey(e.target))));
      if (split === 'train') expect(examples.some((e) => e.class === 'wrong_comparison' || e.class === 'off_by_one_range')).toBe(false);
    }
    for (const key of keys[0]!) expect(keys[1]!.has(key) || keys[2]!.has(key)).toBe(false);
    for (const key of keys[1]!) expect(keys[2]!.has(key)).toBe(false);

    const vocab = Vocabulary.fromJSON(readFileSync(join(out, 'tokenizer.json'), 'utf8'));
    expect(vocab.size).toBe(300);
    const written = JSON.parse(readFileSync(join(out, 'dataset_stats.json'), 'utf8'));
    expect(written.vocabulary.fingerprint).toBe(vocab.fingerprint());
    expect(written.vocabulary.coverage.map((r: { requestedSize: number }) => r.requestedSize)).toEqual([250, 300, 500, 1000, 2000, 4000, 8000]);
    expect(written.examples.train.count + written.examples.val.count + written.examples.test.count).toBeGreaterThan(250);
  });

  it('is deterministic for a seed', () => {
    buildDataset(options(join(dir, 'a')));
    buildDataset(options(join(dir, 'b')));
    expect(readFileSync(join(dir, 'a/train.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b/train.jsonl'), 'utf8'));
    buildDataset({ ...options(join(dir, 'c')), seed: 2 });
    expect(readFileSync(join(dir, 'c/train.jsonl'), 'utf8')).not.toBe(readFileSync(join(dir, 'a/train.jsonl'), 'utf8'));
  });

  it('changes only the train split with --train-mix and --train-class-boost', () => {
    buildDataset({ ...options(join(dir, 'mix-a')), perFunction: 3 });
    const stats = buildDataset({ ...options(join(dir, 'mix-b')), perFunction: 3, trainMix: { fix: 0.2, complete: 0.8, generate: 0 }, trainClassBoost: { misspelled_name: 3 } });
    for (const split of ['val', 'test', 'tokenizer'] as const) {
      const file = split === 'tokenizer' ? 'tokenizer.json' : `${split}.jsonl`;
      expect(readFileSync(join(dir, 'mix-b', file), 'utf8')).toBe(readFileSync(join(dir, 'mix-a', file), 'utf8'));
    }
    const before = JSON.parse(readFileSync(join(dir, 'mix-a/dataset_stats.json'), 'utf8')).examples.train.by_task;
    const after = stats.examples.train.by_task;
    expect(after.complete! / stats.examples.train.count).toBeGreaterThan(0.6);
    expect(after.complete!).toBeGreaterThan(2 * before.complete);
    expect(after.generate ?? 0).toBe(0);
    expect(stats.settings.train_mix).toMatchObject({ fix: 0.2, complete: 0.8, generate: 0, noBug: 0.15 });
    expect(stats.settings.train_class_boost).toEqual({ misspelled_name: 3 });
  });

  it('draws other train examples with --train-seed, val, test and vocabulary unchanged', () => {
    buildDataset({ ...options(join(dir, 'ts-a')), perFunction: 2 });
    const stats = buildDataset({ ...options(join(dir, 'ts-b')), perFunction: 2, trainSeed: 7 });
    for (const file of ['val.jsonl', 'test.jsonl', 'tokenizer.json'])
      expect(readFileSync(join(dir, 'ts-b', file), 'utf8')).toBe(readFileSync(join(dir, 'ts-a', file), 'utf8'));
    const lines = (name: string) => new Set(readFileSync(join(dir, name, 'train.jsonl'), 'utf8').trim().split('\n'));
    const a = lines('ts-a');
    const b = lines('ts-b');
    expect([...b].filter((line) => a.has(line)).length).toBeLessThan(0.5 * b.size);
    expect(stats.settings.train_seed).toBe(7);
  });

  it('reads --train-mix and --train-class-boost, and says what is wrong with a bad one', () => {
    expect(parseTrainMix('fix=0.5, complete=0.4,generate=0.1')).toEqual({ fix: 0.5, complete: 0.4, generate: 0.1 });
    expect(parseClassBoost('misspelled_name=2')).toEqual({ misspelled_name: 2 });
    expect(() => parseTrainMix('fix:0.5')).toThrow(/"fix:0.5" is not name=number/);
    expect(() => parseTrainMix('fixes=0.5')).toThrow(/unknown name "fixes"; use fix, complete, generate, noBug/);
    expect(() => parseTrainMix('fix=0,complete=0,generate=0')).toThrow(/all 0/);
    expect(() => parseTrainMix('noBug=2')).toThrow(/at most 1/);
    expect(() => parseClassBoost('wrong_comparison=2')).toThrow(/unknown name "wrong_comparison"/);
  });

  it('runs from the command line and refuses bad options', () => {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const ok = spawnSync(tsx, ['src/cli/main.ts', 'dataset', '--source', source, '--out', join(dir, 'cli'), '--generated', '50', '--vocab-size', '300', '--measure-outside', 'no'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(ok.stderr).toContain('reading 15 .py files');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/files: 14 read, 1 unreadable/);
    expect(ok.stdout).toMatch(/modern forms \(annotated, f-string, async, walrus\): train before [\d.]+% .* after [\d.]+% .*; outside skipped/);
    expect(ok.stdout).toMatch(/size {2}in-vocab {2}copy-only {2}unknown/);
    const bad = spawnSync(tsx, ['src/cli/main.ts', 'dataset', '--seed', 'x'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--seed must be an integer/);
    const badShare = spawnSync(tsx, ['src/cli/main.ts', 'dataset', '--modernize', '1.5'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(badShare.status).toBe(2);
    expect(badShare.stderr).toMatch(/--modernize must be a share from 0 to 1, got "1.5"/);
  });

  it('augments the train split only: modern code, next lines, long functions for completion', () => {
    const plain = buildDataset(options(join(dir, 'plain')));
    const stats = buildDataset({ ...options(join(dir, 'augmented')), augment: { modernize: 0.8, nextLines: 2, contextMaxTokens: 400 } });
    for (const split of ['val', 'test'] as const) {
      expect(readFileSync(join(dir, 'augmented', `${split}.jsonl`), 'utf8')).toBe(readFileSync(join(dir, 'plain', `${split}.jsonl`), 'utf8'));
    }
    expect(stats.modern_forms.train_before).toEqual(plain.modern_forms.train_after);
    expect(stats.modern_forms.train_after.annotated).toBeGreaterThan(stats.modern_forms.train_before.annotated + 0.4);
    expect(stats.augmentation.modernized_functions).toBeGreaterThan(0);
    expect(stats.augmentation.next_line_examples).toBeGreaterThan(1.5 * (stats.functions.by_source.source.train + stats.functions.by_source.generated.train));
    expect(stats.examples.train.by_task.complete).toBeGreaterThan(stats.augmentation.next_line_examples);
    // Long functions are read for completion only, from their end: in train, and in test_context.jsonl.
    expect(stats.augmentation.context_functions).toEqual({ train: 1, val: 0, test: 1 });
    expect(plain.augmentation.context_functions).toEqual({ train: 1, val: 0, test: 1 });
    const train = parseJsonl(readFileSync(join(dir, 'augmented', 'train.jsonl'), 'utf8'), 'train.jsonl').examples;
    expect(train.filter((e) => e.task === 'complete' && e.input.includes('def long_one'))).toHaveLength(2);
    expect(train.filter((e) => e.task !== 'complete').some((e) => e.input.includes('long_one'))).toBe(false);
    const context = parseJsonl(readFileSync(join(dir, 'augmented', 'test_context.jsonl'), 'utf8'), 'test_context.jsonl');
    expect(context.problems).toEqual([]);
    expect(context.examples).toHaveLength(1);
    expect(context.examples[0]!.input).toContain('def long_two');
    expect(stats.examples.test.count).toBe(plain.examples.test.count);
  });
});
