// Drawing outside examples whose texts Python must judge: candidates are drawn in order, judged in
// batches by one call (one python3 process per batch), and the first ones the verdicts accept are
// kept. The order of the items and the draws decide everything, so the result is the same for the
// same seed and the same interpreter.
import { deriveSeed, Rng } from '../model';

/** Whether Python refuses each text (true: it does not compile). */
export type RefusedBy = (texts: readonly string[]) => boolean[];

/** A drawn candidate: the texts to judge, and what to keep given their verdicts (null: nothing). */
export interface CheckedCandidate<R> {
  texts: string[];
  keep(refused: readonly boolean[]): R | null;
}

/** Candidates judged per batch beyond those still wanted: most draws are kept. */
const BATCH_SLACK = 1.5;
/** The smallest batch: a call has a fixed cost (starting the interpreter). */
const MIN_BATCH = 64;

/**
 * Walks `items` from `start`, drawing a candidate from each (null: none), until `want` are kept or
 * the items run out. Returns what was kept and the index after the last item it used.
 */
export function takeChecked<T, R>(
  items: readonly T[],
  start: number,
  want: number,
  draw: (item: T) => CheckedCandidate<R> | null,
  refuses: RefusedBy,
): { kept: R[]; next: number } {
  const kept: R[] = [];
  let next = start;
  while (kept.length < want && next < items.length) {
    const batch: { index: number; candidate: CheckedCandidate<R> }[] = [];
    const size = Math.max(MIN_BATCH, Math.ceil((want - kept.length) * BATCH_SLACK));
    for (let i = next; i < items.length && batch.length < size; i++) {
      const candidate = draw(items[i]!);
      if (candidate !== null) batch.push({ index: i, candidate });
      next = i + 1;
    }
    const verdicts = refuses(batch.flatMap((b) => b.candidate.texts));
    let at = 0;
    for (const { index, candidate } of batch) {
      const result = candidate.keep(verdicts.slice(at, at + candidate.texts.length));
      at += candidate.texts.length;
      if (result === null) continue;
      kept.push(result);
      if (kept.length === want) {
        // The items after this one were drawn but not used: the next taker starts there.
        next = index + 1;
        break;
      }
    }
  }
  return { kept, next };
}

/** A seeded Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], seed: number, label: string): T[] {
  const out = [...items];
  const rng = new Rng(deriveSeed(seed, label));
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
