// Train examples from the mutation module: a train function with one token inserted, deleted,
// substituted or two neighbours swapped, which Python refuses, the target being the function. The
// named bug classes (bugs.ts) cover the slips someone wrote a rule for; these teach the model the
// slips nobody named, which the fix search's enumeration proposes and the model must rank. Only
// train functions are mutated, and only when asked (`dataset --train-token-edits`): val, test and
// the outside sets stay as they are.
import { checkPythonSyntax, deriveSeed, Rng } from '../model';
import { fixTarget, taskSource, TaskError } from '../model/internals';
import { differingLines } from './bugs';
import type { Example } from './examples';
import { countTokens } from './extract';
import { mutate } from './mutate';

/** The class name these examples carry in train.jsonl (not a bug class of bugs.ts: never measured as one). */
export const TOKEN_EDIT_CLASS = 'token_edit';

/**
 * A fix example of one recoverable one-token mutation of `text`, or null when the draw gives none
 * that Python refuses on exactly one line within `maxTokens` (a mutation Python accepts shows no bug
 * in the text; a deleted name that occurs nowhere else cannot be read back).
 */
export function tokenEditExample(text: string, rng: Rng, maxTokens: number): Example | null {
  const mutation = mutate(text, rng, { size: 1 });
  if (mutation === null || !mutation.recoverable) return null;
  if (countTokens(mutation.text) > maxTokens || checkPythonSyntax(mutation.text).ok) return null;
  if (differingLines(text, mutation.text).length !== 1) return null;
  try {
    fixTarget(text, mutation.text);
    // A literal of the text inserted may hold a line break: the input must still fit the model's lines.
    taskSource('fix', mutation.text);
  } catch (error) {
    if (error instanceof TaskError) return null;
    throw error;
  }
  return { task: 'fix', input: mutation.text, target: text, class: TOKEN_EDIT_CLASS };
}

/**
 * The token-edit examples of one train function: each of `perFunction` draws (a share, so 0.5 is
 * one example for about half the functions) seeded by the function's key.
 */
export function tokenEditExamples(key: string, text: string, seed: number, perFunction: number, maxTokens: number): Example[] {
  const rng = new Rng(deriveSeed(seed, `token-edit:${key}`));
  const draws = Math.floor(perFunction) + (rng.next() < perFunction % 1 ? 1 : 0);
  const out: Example[] = [];
  for (let k = 0; k < draws; k++) {
    const example = tokenEditExample(text, rng, maxTokens);
    if (example) out.push(example);
  }
  return out;
}
