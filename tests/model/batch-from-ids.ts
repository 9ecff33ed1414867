// A padded training batch built from id lists, for the network tests.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../src/model/net/seq2seq';

/** A padded batch from id lists (extended ids; ids >= vocabSize become <unk> in the inputs). */
export function makeBatch(
  src: number[][],
  tgt: number[][],
  vocab: number,
  numOovs: number,
  padTo?: { s?: number; t?: number },
): Batch {
  const S = padTo?.s ?? Math.max(...src.map((r) => r.length));
  const T = (padTo?.t ?? Math.max(...tgt.map((r) => r.length))) + 1;
  const pad = (r: number[], n: number) => [...r, ...new Array(n - r.length).fill(0)];
  const unk = (r: number[]) => r.map((id) => (id >= vocab ? 1 : id));
  const ints = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
  return {
    srcIds: ints(src.map((r) => pad(unk(r), S))),
    srcExtIds: ints(src.map((r) => pad(r, S))),
    srcMask: tf.tensor2d(
      src.map((r) =>
        pad(
          r.map(() => 1),
          S,
        ),
      ),
    ),
    tgtInIds: ints(tgt.map((r) => pad(unk([2, ...r]), T))),
    tgtOutExtIds: ints(tgt.map((r) => pad([...r, 3], T))),
    tgtMask: tf.tensor2d(
      tgt.map((r) =>
        pad(
          [...r, 3].map(() => 1),
          T,
        ),
      ),
    ),
    numOovs,
  };
}

export const disposeBatch = (b: Batch) =>
  tf.dispose([b.srcIds, b.srcExtIds, b.srcMask, b.tgtInIds, b.tgtOutExtIds, b.tgtMask]);
