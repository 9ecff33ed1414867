// The cheap half of choosing the vocabulary by measurement: no training, only counts. For word
// vocabularies (the most frequent tokens, as `Vocabulary.build` picks them) and for identifier
// pieces learnt by BPE, how many identifier occurrences of held-out functions each covers whole,
// how many the model would have to copy (and could, having seen the name earlier in the
// function), and what subwords cost in sequence length against the model's token limit.
import { Vocabulary } from '../model';
import { KEYWORDS, lex, tokenTexts } from '../model/internals';
import { BpeEncoder, learnBpe, type Bpe } from './bpe';
import { minimumVocabSize } from './vocab-sizing';

export const STUDY_WORD_SIZES: readonly number[] = [2000, 4000, 8000];
export const STUDY_SUBWORD_SIZES: readonly number[] = [4000, 8000];

const KEYWORD_SET = new Set(KEYWORDS);

/** The token texts of a function and which of them are identifiers (NAME tokens, not keywords). */
export interface StudyFunction {
  tokens: string[];
  identifier: boolean[];
}

export function studyFunction(text: string): StudyFunction {
  const lexed = lex(text).tokens.filter((token) => token.kind !== 'ENDMARKER');
  return {
    tokens: tokenTexts(lexed),
    identifier: lexed.map((token) => token.kind === 'NAME' && !KEYWORD_SET.has(token.text)),
  };
}

export interface WordRow {
  size: number;
  /** Identifier occurrences in the held-out functions. */
  identifiers: number;
  /** Shares of those: in the vocabulary; not (the copy rate needed); of those, seen earlier in the function. */
  inVocab: number;
  copyNeeded: number;
  copyableFromPrefix: number;
  /** Neither in the vocabulary nor earlier in the function: only a wider source could give it. */
  unreachable: number;
  /** Every token (identifiers, literals, keywords, markers), for reference. */
  allTokensInVocab: number;
}

export interface SubwordRow {
  /** Whole vocabulary: fixed tokens, the alphabet and the merges. */
  size: number;
  alphabet: number;
  merges: number;
  identifiers: number;
  /** Shares of identifier occurrences: one piece (the name is in the vocabulary whole); spelt with a character outside the alphabet. */
  wholePiece: number;
  unknownCharacter: number;
  /** Mean pieces per identifier occurrence, and the share needing three or more. */
  piecesPerIdentifier: number;
  threeOrMorePieces: number;
  /** Mean tokens per function with identifiers split, over the same with words, and the share still within maxTokens. */
  lengthRatio: number;
  withinLimit: number;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Identifier counts (every occurrence) of the learning functions: what BPE learns from. */
export function identifierCounts(functions: Iterable<StudyFunction>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fn of functions)
    fn.tokens.forEach((token, i) => {
      if (fn.identifier[i]) counts.set(token, (counts.get(token) ?? 0) + 1);
    });
  return counts;
}

/** Coverage of the held-out functions by a word vocabulary of each size built from `counts`. */
export function wordRows(
  counts: ReadonlyMap<string, number>,
  sizes: readonly number[],
  heldOut: readonly StudyFunction[],
): WordRow[] {
  return sizes.map((size) => {
    const vocab = Vocabulary.build(counts, Math.max(size, minimumVocabSize()));
    let identifiers = 0;
    let inVocab = 0;
    let copyable = 0;
    let tokens = 0;
    let tokensInVocab = 0;
    for (const fn of heldOut) {
      const seen = new Set<string>();
      fn.tokens.forEach((token, i) => {
        tokens++;
        const known = vocab.has(token);
        if (known) tokensInVocab++;
        if (fn.identifier[i]) {
          identifiers++;
          if (known) inVocab++;
          else if (seen.has(token)) copyable++;
        }
        seen.add(token);
      });
    }
    return {
      size: vocab.size,
      identifiers,
      inVocab: share(inVocab, identifiers),
      copyNeeded: share(identifiers - inVocab, identifiers),
      copyableFromPrefix: share(copyable, identifiers),
      unreachable: share(identifiers - inVocab - copyable, identifiers),
      allTokensInVocab: share(tokensInVocab, tokens),
    };
  });
}

/** The merges that fill a vocabulary of `size` beside the fixed tokens and the alphabet. */
export function mergesFor(size: number, alphabet: number): number {
  return Math.max(0, size - minimumVocabSize() - alphabet);
}

/** Coverage and length cost of identifier pieces learnt by BPE (one learning, cut at each size). */
export function subwordRows(
  counts: ReadonlyMap<string, number>,
  sizes: readonly number[],
  heldOut: readonly StudyFunction[],
  maxTokens: number,
  minCount = 2,
): SubwordRow[] {
  const alphabetOnly = learnBpe(counts, 0, minCount).alphabet.length;
  const full = learnBpe(counts, Math.max(...sizes.map((size) => mergesFor(size, alphabetOnly))), minCount);
  return sizes.map((size) => {
    const bpe: Bpe = { alphabet: full.alphabet, merges: full.merges.slice(0, mergesFor(size, full.alphabet.length)) };
    const encoder = new BpeEncoder(bpe);
    let identifiers = 0;
    let whole = 0;
    let unknown = 0;
    let pieces = 0;
    let threePlus = 0;
    let wordTokens = 0;
    let pieceTokens = 0;
    let within = 0;
    for (const fn of heldOut) {
      let length = 0;
      fn.tokens.forEach((token, i) => {
        if (!fn.identifier[i]) {
          length++;
          return;
        }
        const n = encoder.encode(token).length;
        identifiers++;
        pieces += n;
        length += n;
        if (n === 1) whole++;
        if (n >= 3) threePlus++;
        if (!encoder.isKnown(token)) unknown++;
      });
      wordTokens += fn.tokens.length;
      pieceTokens += length;
      if (length <= maxTokens) within++;
    }
    return {
      size: minimumVocabSize() + bpe.alphabet.length + bpe.merges.length,
      alphabet: bpe.alphabet.length,
      merges: bpe.merges.length,
      identifiers,
      wholePiece: share(whole, identifiers),
      unknownCharacter: share(unknown, identifiers),
      piecesPerIdentifier: share(pieces, identifiers),
      threeOrMorePieces: share(threePlus, identifiers),
      lengthRatio: share(pieceTokens, wordTokens),
      withinLimit: share(within, heldOut.length),
    };
  });
}

/** Token counts of the learning functions (markers included), for the word vocabularies. */
export function tokenCountsOf(functions: Iterable<StudyFunction>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fn of functions) for (const token of fn.tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}
