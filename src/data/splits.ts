// Train / validation / test splits: by file (all functions of a file go to the same split), fixed
// by seed, so a model is never tested on a file it trained on. Generated functions are assigned by
// their generator index. No function text (normalized tokens) is in two splits: a duplicate is
// dropped from the later split (train, then val, then test), and from its own split too.

import { deriveSeed } from '../model';
import { normalizedKey } from './extract';

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface SplitFractions {
  train: number;
  val: number;
  test: number;
}
export const DEFAULT_SPLIT_FRACTIONS: SplitFractions = { train: 0.8, val: 0.1, test: 0.1 };

/** The split of a key (a file path, a generator label): a hash of seed and key, cut by fractions. */
export function splitOfKey(seed: number, key: string, fractions: SplitFractions = DEFAULT_SPLIT_FRACTIONS): Split {
  const u = deriveSeed(seed, key) / 0x80000000; // uniform in [0, 1)
  const total = fractions.train + fractions.val + fractions.test;
  if (u < fractions.train / total) return 'train';
  return u < (fractions.train + fractions.val) / total ? 'val' : 'test';
}

export function splitOfFile(seed: number, path: string, fractions?: SplitFractions): Split {
  return splitOfKey(seed, `file:${path.replace(/\\/g, '/')}`, fractions);
}

export function splitOfGenerated(seed: number, index: number, fractions?: SplitFractions): Split {
  return splitOfKey(seed, `generated:${index}`, fractions);
}

export interface SplitResult<T> {
  splits: Record<Split, T[]>;
  /** Functions dropped because the same text came earlier (same split or an earlier one). */
  duplicates: Record<Split, number>;
}

/** Groups items by their split and removes duplicate texts as described above (input order kept). */
export function assignSplits<T extends { text: string }>(items: readonly T[], splitOf: (item: T) => Split): SplitResult<T> {
  const bySplit: Record<Split, T[]> = { train: [], val: [], test: [] };
  for (const item of items) bySplit[splitOf(item)].push(item);
  const seen = new Set<string>();
  const splits: Record<Split, T[]> = { train: [], val: [], test: [] };
  const duplicates: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const split of SPLITS) {
    for (const item of bySplit[split]) {
      const key = normalizedKey(item.text);
      if (seen.has(key)) duplicates[split]++;
      else {
        seen.add(key);
        splits[split].push(item);
      }
    }
  }
  return { splits, duplicates };
}
