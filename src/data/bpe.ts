// Byte-pair encoding of identifiers (Sennrich et al. 2016), for the vocabulary study: learnt on
// identifier counts, a word is its characters with an end-of-word mark on the last one, and the most
// frequent adjacent pair is merged, over and over. Pure and deterministic (ties break by text).

/** Marks a word's last symbol, so `get` inside `get_item` and a whole `get` stay distinct pieces. */
export const END_OF_WORD = '</w>';

export interface Bpe {
  /** Single characters (with and without END_OF_WORD) seen in the learning words: the base pieces. */
  alphabet: string[];
  /** Merges in the order learnt: [left, right], the piece is left + right. */
  merges: [string, string][];
}

/** A word's symbols before any merge: its characters, the last marked (`ab` → `a`, `b</w>`). */
export function wordSymbols(word: string): string[] {
  const chars = [...word];
  if (chars.length === 0) return [];
  chars[chars.length - 1] += END_OF_WORD;
  return chars;
}

/** Symbol ids of a pair in one number (ids stay far below 2^26, so the product is an exact integer). */
const PAIR_BASE = 1 << 26;

/** Max-heap of pair keys by count (lazy: stale entries are skipped when popped). */
class PairHeap {
  private readonly items: { count: number; key: number; text: string }[] = [];

  push(count: number, key: number, text: string): void {
    const items = this.items;
    items.push({ count, key, text });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): { count: number; key: number } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < items.length && this.before(items[left]!, items[best]!)) best = left;
      if (right < items.length && this.before(items[right]!, items[best]!)) best = right;
      if (best === i) break;
      [items[i], items[best]] = [items[best]!, items[i]!];
      i = best;
    }
    return top;
  }

  /** Higher count first; equal counts by the pair's text, so learning never depends on map order. */
  private before(a: { count: number; text: string }, b: { count: number; text: string }): boolean {
    return a.count > b.count || (a.count === b.count && a.text < b.text);
  }
}

/**
 * Learns up to `merges` merges from word counts (words seen fewer than minCount times are left out).
 * Stops early when no pair occurs twice: a merge for one occurrence teaches nothing.
 */
export function learnBpe(counts: ReadonlyMap<string, number>, merges: number, minCount = 1): Bpe {
  const symbolId = new Map<string, number>();
  const symbols: string[] = [];
  const idOf = (symbol: string) => {
    let id = symbolId.get(symbol);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(symbol);
      symbolId.set(symbol, id);
    }
    return id;
  };
  const words: number[][] = [];
  const freqs: number[] = [];
  const sorted = [...counts.entries()].filter(([, n]) => n >= minCount).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [word, count] of sorted) {
    const ids = wordSymbols(word).map(idOf);
    if (ids.length === 0) continue;
    words.push(ids);
    freqs.push(count);
  }
  const alphabet = [...symbols].sort();

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const pairText = (key: number) => `${symbols[Math.floor(key / PAIR_BASE)]!}\u0000${symbols[key % PAIR_BASE]!}`;
  const addPairs = (w: number, sign: 1 | -1) => {
    const ids = words[w]!;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i]! * PAIR_BASE + ids[i + 1]!;
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * freqs[w]!);
      if (sign === 1) {
        let set = pairWords.get(key);
        if (set === undefined) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);
  const heap = new PairHeap();
  for (const [key, count] of pairCount) heap.push(count, key, pairText(key));

  const learnt: [string, string][] = [];
  while (learnt.length < merges) {
    const top = heap.pop();
    if (top === undefined) break;
    const current = pairCount.get(top.key) ?? 0;
    if (current !== top.count) continue; // stale: its count changed since it was pushed
    if (current < 2) break;
    const left = Math.floor(top.key / PAIR_BASE);
    const right = top.key % PAIR_BASE;
    const merged = idOf(symbols[left]! + symbols[right]!);
    learnt.push([symbols[left]!, symbols[right]!]);
    const touched = new Set<number>();
    for (const w of pairWords.get(top.key) ?? []) {
      const ids = words[w]!;
      let has = false;
      for (let i = 0; i + 1 < ids.length; i++) if (ids[i] === left && ids[i + 1] === right) has = true;
      if (!has) continue;
      // Take the word's pairs out, merge, put its new pairs in: counts stay exact.
      for (let i = 0; i + 1 < ids.length; i++) touched.add(ids[i]! * PAIR_BASE + ids[i + 1]!);
      addPairs(w, -1);
      const next: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === left && ids[i + 1] === right) {
          next.push(merged);
          i++;
        } else next.push(ids[i]!);
      }
      words[w] = next;
      addPairs(w, 1);
      for (let i = 0; i + 1 < next.length; i++) touched.add(next[i]! * PAIR_BASE + next[i + 1]!);
    }
    pairCount.delete(top.key);
    for (const key of touched) {
      const count = pairCount.get(key) ?? 0;
      if (count > 0 && key !== top.key) heap.push(count, key, pairText(key));
    }
  }
  return { alphabet, merges: learnt };
}

/** Encodes words with learnt merges (lowest rank first, as learnt); caches each word's pieces. */
export class BpeEncoder {
  private readonly ranks = new Map<string, number>();
  private readonly alphabet: Set<string>;
  private readonly cache = new Map<string, string[]>();

  constructor(bpe: Bpe) {
    bpe.merges.forEach(([a, b], rank) => this.ranks.set(`${a}\u0000${b}`, rank));
    this.alphabet = new Set(bpe.alphabet);
  }

  /** The pieces of a word; a character outside the alphabet stays a piece of its own (see isKnown). */
  encode(word: string): string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let pieces = wordSymbols(word);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < pieces.length; i++) {
        const rank = this.ranks.get(`${pieces[i]!}\u0000${pieces[i + 1]!}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const [a, b] = [pieces[best]!, pieces[best + 1]!];
      const next: string[] = [];
      for (let i = 0; i < pieces.length; i++) {
        if (i + 1 < pieces.length && pieces[i] === a && pieces[i + 1] === b) {
          next.push(a + b);
          i++;
        } else next.push(pieces[i]!);
      }
      pieces = next;
    }
    this.cache.set(word, pieces);
    return pieces;
  }

  /** Whether every character of the word is in the alphabet (else it needs <unk> or a copy). */
  isKnown(word: string): boolean {
    return wordSymbols(word).every((symbol) => this.alphabet.has(symbol));
  }
}
