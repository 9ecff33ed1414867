// What the dataset does to make its train split look like real, modern code: a share of the train
// functions modernized (modernize.ts; generated ones by the generator's own modern mode, which knows
// their types), and extra next-line (complete) examples, from functions of every length the model
// can read the end of. Val and test are left as they were, so their figures compare across datasets.

import { Rng, deriveSeed } from '../model';
import type { Example } from './examples';
import { nextLineExamples } from './examples';
import { countTokens } from './extract';
import { generateFunctionAt } from './generator';
import { modernize } from './modernize';

export interface AugmentSettings {
  /** Share of the train functions rewritten in modern style (0 turns it off). */
  modernize: number;
  /** Extra complete examples per train function, at distinct lines (0 turns it off). */
  nextLines: number;
  /**
   * Functions longer than the model's input (up to this many lexer tokens) are extracted too, for
   * complete examples only: the model reads the last tokens before the line.
   */
  contextMaxTokens: number;
}

export const DEFAULT_AUGMENT: AugmentSettings = { modernize: 0.6, nextLines: 2, contextMaxTokens: 400 };

/** A function of the dataset, as src/cli/dataset.ts keeps it. */
export interface DatasetFunction {
  text: string;
  origin: 'source' | 'generated';
  /** file:line, or generated:index. */
  key: string;
}

/**
 * The function's train text: with chance `share` modernized (within `maxTokens`), else unchanged.
 * Generated functions are made again in the generator's modern mode, which starts from the same
 * classic function and annotates it with the types its names really have.
 */
export function modernizedText(fn: DatasetFunction, seed: number, share: number, maxTokens: number): string {
  if (share <= 0) return fn.text;
  if (fn.origin === 'generated') {
    const index = Number(fn.key.slice('generated:'.length));
    const modern = generateFunctionAt(seed, index, { modern: share }).text;
    return countTokens(modern) <= maxTokens ? modern : fn.text;
  }
  const rng = new Rng(deriveSeed(seed, `modernize:${fn.key}`));
  if (rng.next() >= share) return fn.text;
  return modernize(fn.text, rng, { maxTokens }).text;
}

/** The extra next-line examples of one train function. */
export function extraNextLines(fn: DatasetFunction, seed: number, count: number): Example[] {
  return count <= 0 ? [] : nextLineExamples(fn.text, new Rng(deriveSeed(seed, `next-lines:${fn.key}`)), count);
}
