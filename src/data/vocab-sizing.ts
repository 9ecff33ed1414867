// Choosing the vocabulary size by measurement: for candidate sizes, how many target tokens the
// decoder can emit from its vocabulary, how many more only by copying from the source (pointer-
// generator), and how many neither (an unavoidable <unk>).

import { Vocabulary } from '../model';
import { KEYWORDS, lex, OPERATORS, tokenTexts, type EncodedExample, CORE_NAMES, RESERVED_TOKENS } from '../model/internals';

export const CANDIDATE_VOCAB_SIZES: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];

/** Token counts of function texts (NEWLINE/INDENT/DEDENT as markers), for `Vocabulary.build`. */
export function tokenCounts(functions: Iterable<{ text: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fn of functions) {
    for (const text of tokenTexts(lex(fn.text).tokens)) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

/** The smallest vocabulary `Vocabulary.build` accepts: reserved tokens, keywords, operators, core names. */
export function minimumVocabSize(): number {
  return new Set([...RESERVED_TOKENS, ...KEYWORDS, ...OPERATORS, ...CORE_NAMES]).size;
}

export interface Coverage {
  /** Target tokens counted (every token of every target, `</s>` and markers included). */
  targetTokens: number;
  inVocab: number;
  /** Not in the vocabulary but in the example's source: reachable by the copy mechanism. */
  copyOnly: number;
  /** Neither: the model can only emit <unk>. */
  unknown: number;
}

export function coverage(vocab: Vocabulary, examples: Iterable<Pick<EncodedExample, 'srcTokens' | 'tgtTokens'>>): Coverage {
  const result: Coverage = { targetTokens: 0, inVocab: 0, copyOnly: 0, unknown: 0 };
  for (const { srcTokens, tgtTokens } of examples) {
    let source: Set<string> | undefined;
    for (const token of tgtTokens) {
      result.targetTokens++;
      if (vocab.has(token)) result.inVocab++;
      else if ((source ??= new Set(srcTokens)).has(token)) result.copyOnly++;
      else result.unknown++;
    }
  }
  return result;
}

export interface CoverageRow extends Coverage {
  /** The size asked for, and the size built (never below minimumVocabSize()). */
  requestedSize: number;
  size: number;
  inVocabShare: number;
  copyOnlyShare: number;
  unknownShare: number;
}

/** Coverage of the examples for a vocabulary built from `counts` at each size. */
export function coverageTable(counts: ReadonlyMap<string, number>, sizes: readonly number[], examples: readonly Pick<EncodedExample, 'srcTokens' | 'tgtTokens'>[]): CoverageRow[] {
  return sizes.map((requestedSize) => {
    const vocab = Vocabulary.build(counts, Math.max(requestedSize, minimumVocabSize()));
    const c = coverage(vocab, examples);
    const share = (n: number) => (c.targetTokens === 0 ? 0 : n / c.targetTokens);
    return { requestedSize, size: vocab.size, ...c, inVocabShare: share(c.inVocab), copyOnlyShare: share(c.copyOnly), unknownShare: share(c.unknown) };
  });
}
