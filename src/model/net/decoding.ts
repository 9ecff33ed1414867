// Decoding: greedy, beam search and sampling, all driven by the one decoderStep of decoder.ts.
//
// Each step makes exactly one read-back from the device (one `await tensor.data()` of a packed
// tensor holding what the host needs: chosen ids or top candidates, their log-probabilities, p_gen
// and attention). Choices that need randomness or bookkeeping happen in JavaScript, so sampling
// with a given seed gives the same candidates on every backend.
//
// Token ids are extended ids: ids ≥ vocabSize are copies of the source's own out-of-vocabulary
// tokens (id vocabSize + k is the k-th OOV). They are fed back to the decoder as <unk>.

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from './random.js';
import { tidy, type Params } from './parameters.js';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID } from '../vocab.js';
import {
  type DecoderState,
  type Encoded,
  decoderBlocks,
  disposeDecoderBlocks,
  disposeEncoded,
  disposeState,
  type DecoderBlocks,
} from './encoder.js';
import { type StepOutput, decoderStep } from './decoder.js';

export interface Candidate {
  ids: number[]; // extended ids; ends with </s> when `finished`
  logProb: number; // sum of tokenLogProbs (model log-probability of the whole output)
  score: number; // ranking score: logProb / lengthPenalty for beams, logProb otherwise
  tokenLogProbs: number[]; // per token, from the model (before temperature, top-k, penalties)
  pGen: number[]; // per token: probability of generating rather than copying
  attention: number[][]; // per token: head-averaged attention over the source [T][S]
  finished: boolean; // produced </s> (false: stopped at maxLen)
}

export interface DecodeOptions {
  maxLen?: number; // tokens to generate at most, </s> included (default config.maxTargetLength)
  minLength?: number; // </s> is forbidden before this many tokens (default 0)
}

export interface BeamOptions extends DecodeOptions {
  beamWidth: number;
  lengthPenalty?: number; // α of GNMT's ((5 + length) / 6)^α; 0 ranks by raw log-probability
}

export interface SampleOptions extends DecodeOptions {
  numSamples?: number; // candidates, decoded together as one batch (default 1)
  temperature?: number; // divides log-probabilities; 0 means argmax (default 1)
  topK?: number; // keep the k most likely tokens; 0 keeps all (default 0)
  topP?: number; // keep the smallest set whose probability reaches p; 1 keeps all (default 1)
  repetitionPenalty?: number; // > 1 makes already generated tokens less likely (default 1)
  rng?: Rng; // seeded generator (default new Rng(seed ?? 0))
  seed?: number;
}

/** Rows `rows` of an encoded batch (e.g. one source tiled to the beam width: rows [0, 0, 0, 0]). */
export function gatherEncoded(e: Encoded, rows: number[]): Encoded {
  return tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    const g = <T extends tf.Tensor>(t: T): T => tf.gather(t, idx) as T;
    // One source's copy matrix [1, S, Vext] is not tiled: matMul broadcasts it over the rows, so
    // each step multiplies the same tensor (one [rows, S]·[S, Vext] product, its operand packed
    // once) instead of a [rows, S, Vext] copy per beam search, multiplied entry by entry.
    const copyMatrix = !e.copyMatrix ? null : e.copyMatrix.shape[0] === 1 ? tf.clone(e.copyMatrix) : g(e.copyMatrix);
    return {
      ...e,
      keys: g(e.keys),
      values: g(e.values),
      maskBias: g(e.maskBias),
      copyMatrix,
      initialState: gatherState(e.initialState, idx),
    };
  });
}

/** Rows of a decoder state, e.g. the parents of the surviving beams. */
function gatherState(s: DecoderState, rows: number[] | tf.Tensor1D): DecoderState {
  return tidy(() => {
    const idx = Array.isArray(rows) ? tf.tensor1d(rows, 'int32') : rows;
    return {
      h: s.h.map((t) => tf.gather(t, idx)),
      c: s.c.map((t) => tf.gather(t, idx)),
      context: tf.gather(s.context, idx),
    };
  });
}

/** Added to the log-probability of tokens that may not be produced now. */
const BANNED = -1e9;

const sizes = (enc: Encoded) => {
  const vocab = enc.config.vocabSize;
  return { batch: enc.keys.shape[0], srcLen: enc.keys.shape[2], vocab, extVocab: vocab + enc.numOovs };
};

/** Bias rows [1, Vext]: <pad> and <s> are never produced; </s> not before minLength. */
function banBiases(extVocab: number) {
  const make = (banEos: boolean) => {
    const b = new Float32Array(extVocab);
    b[PAD_ID] = BANNED;
    b[BOS_ID] = BANNED;
    if (banEos) b[EOS_ID] = BANNED;
    return tf.tensor2d(b, [1, extVocab]);
  };
  return {
    early: make(true),
    normal: make(false),
    dispose() {
      this.early.dispose();
      this.normal.dispose();
    },
  };
}

/**
 * Run one decoder step on `prevIds` (extended ids), pack what the host needs with `pack`, read it
 * back once. Returns the host copy and the new state; all other step tensors are freed.
 */
async function runStep(
  p: Params,
  blocks: DecoderBlocks,
  enc: Encoded,
  state: DecoderState,
  prevIds: number[],
  pack: (o: StepOutput) => tf.Tensor,
) {
  const V = enc.config.vocabSize;
  const ids = tf.tensor1d(
    prevIds.map((id) => (id >= V ? UNK_ID : id)),
    'int32',
  );
  // A step that throws (a kernel, the device) leaves no tensor behind: the caller frees only what it gets.
  let out: StepOutput;
  try {
    out = decoderStep(p, enc, state, ids, false, undefined, blocks);
  } finally {
    ids.dispose();
  }
  let packed: tf.Tensor;
  try {
    packed = tf.tidy(() => pack(out));
  } catch (error) {
    disposeState(out.state);
    throw error;
  } finally {
    tf.dispose([out.logits, out.logProbs, out.attention, out.headAttention, out.pGen]);
  }
  try {
    return { data: (await packed.data()) as Float32Array, state: out.state };
  } catch (error) {
    disposeState(out.state);
    throw error;
  } finally {
    packed.dispose();
  }
}

/** Free a state unless it is the encoder's initial state (which belongs to `enc`). */
const releaseState = (enc: Encoded, s: DecoderState) => {
  if (s !== enc.initialState) disposeState(s);
};

interface Hyp {
  ids: number[];
  tokenLogProbs: number[];
  pGen: number[];
  attention: number[][];
  logProb: number;
  finished: boolean;
}
const emptyHyp = (): Hyp => ({ ids: [], tokenLogProbs: [], pGen: [], attention: [], logProb: 0, finished: false });
const toCandidate = (h: Hyp, score = h.logProb): Candidate => ({ ...h, score });

/** Most likely token at every step; decodes every row of `enc` together, one candidate per row. */
export async function greedyDecode(p: Params, enc: Encoded, opts: DecodeOptions = {}): Promise<Candidate[]> {
  const { batch, srcLen } = sizes(enc);
  const maxLen = opts.maxLen ?? enc.config.maxTargetLength;
  const bans = banBiases(sizes(enc).extVocab);
  const blocks = decoderBlocks(enc.config, p); // the weights' row blocks, cut once per answer
  const hyps = Array.from({ length: batch }, emptyHyp);
  let state = enc.initialState;
  try {
    for (let t = 0; t < maxLen && hyps.some((h) => !h.finished); t++) {
      const prev = hyps.map((h) => (h.ids.length ? h.ids[h.ids.length - 1] : BOS_ID));
      const ban = t < (opts.minLength ?? 0) ? bans.early : bans.normal;
      const step = await runStep(p, blocks, enc, state, prev, (o) => {
        const lp = tf.add(o.logProbs, ban);
        const id = tf.cast(tf.argMax(lp, 1), 'float32');
        return tf.concat([tf.stack([id, tf.max(lp, 1), o.pGen], 1), o.attention], 1); // [B, 3 + S]
      });
      releaseState(enc, state);
      state = step.state;
      const width = 3 + srcLen;
      hyps.forEach((h, b) => {
        if (h.finished) return;
        const row = step.data.subarray(b * width, (b + 1) * width);
        h.ids.push(row[0]);
        h.tokenLogProbs.push(row[1]);
        h.logProb += row[1];
        h.pGen.push(row[2]);
        h.attention.push(Array.from(row.subarray(3)));
        h.finished = row[0] === EOS_ID;
      });
    }
  } finally {
    releaseState(enc, state);
    bans.dispose();
    disposeDecoderBlocks(blocks);
  }
  return hyps.map((h) => toCandidate(h));
}

/** A beam hypothesis as a linked list of tokens (cheap to extend, walked back once at the end). */
interface BeamNode {
  parent: BeamNode | null;
  id: number;
  tokenLogProb: number;
  pGen: number;
  attention: Float32Array;
  logProb: number;
  length: number;
}

function nodeToHyp(node: BeamNode, finished: boolean): Hyp {
  const h = emptyHyp();
  for (let n: BeamNode | null = node; n && n.parent; n = n.parent) {
    h.ids.push(n.id);
    h.tokenLogProbs.push(n.tokenLogProb);
    h.pGen.push(n.pGen);
    h.attention.push(Array.from(n.attention));
  }
  for (const list of [h.ids, h.tokenLogProbs, h.pGen, h.attention]) list.reverse();
  return { ...h, logProb: node.logProb, finished };
}

/**
 * Beam search over one source (enc has batch 1). The live beams are decoded as one batch per step
 * (the encoded source tiled to the beam count). Returns up to beamWidth candidates, best first.
 */
export async function beamSearch(p: Params, enc: Encoded, opts: BeamOptions): Promise<Candidate[]> {
  const { batch, srcLen, extVocab } = sizes(enc);
  if (batch !== 1) throw new Error(`beamSearch decodes one source at a time, got a batch of ${batch}`);
  const K = Math.max(1, Math.floor(opts.beamWidth));
  const maxLen = opts.maxLen ?? enc.config.maxTargetLength;
  const alpha = opts.lengthPenalty ?? 0;
  const norm = (n: BeamNode) => n.logProb / Math.pow((5 + n.length) / 6, alpha);

  const bans = banBiases(extVocab);
  const blocks = decoderBlocks(enc.config, p); // the weights' row blocks, cut once per answer
  const tiled = new Map<number, Encoded>([[1, enc]]); // encoded source tiled to n rows
  const tileTo = (n: number) => {
    if (!tiled.has(n)) tiled.set(n, gatherEncoded(enc, new Array(n).fill(0)));
    return tiled.get(n) as Encoded;
  };
  const root: BeamNode = {
    parent: null,
    id: BOS_ID,
    tokenLogProb: 0,
    pGen: 1,
    attention: new Float32Array(0),
    logProb: 0,
    length: 0,
  };
  let live: BeamNode[] = [root];
  const finished: { node: BeamNode; score: number }[] = [];
  let state = enc.initialState;
  try {
    for (let t = 0; t < maxLen && live.length > 0; t++) {
      const n = live.length;
      const encN = tileTo(n);
      const ban = t < (opts.minLength ?? 0) ? bans.early : bans.normal;
      const k2 = Math.min(2 * K, n * extVocab);
      const step = await runStep(
        p,
        blocks,
        encN,
        state,
        live.map((b) => b.id),
        (o) => {
          const lp = tf.add(o.logProbs, ban); // [n, Vext]
          const total = tf.add(
            lp,
            tf.tensor2d(
              live.map((b) => b.logProb),
              [n, 1],
            ),
          );
          const { values, indices } = tf.topk(tf.reshape(total, [-1]), k2);
          const tokenLp = tf.gather(tf.reshape(lp, [-1]), indices);
          return tf.concat([values, tf.cast(indices, 'float32'), tokenLp, o.pGen, tf.reshape(o.attention, [-1])]);
        },
      );
      const d = step.data;
      const [valuesAt, indicesAt, tokenLpAt, pGenAt, attnAt] = [0, k2, 2 * k2, 3 * k2, 3 * k2 + n];
      const next: BeamNode[] = [];
      const parents: number[] = [];
      for (let j = 0; j < k2 && next.length < K; j++) {
        if (d[valuesAt + j] <= BANNED / 2) break; // only banned tokens left
        const flat = d[indicesAt + j];
        const parentRow = Math.floor(flat / extVocab);
        const parent = live[parentRow];
        const node: BeamNode = {
          parent,
          id: flat - parentRow * extVocab,
          tokenLogProb: d[tokenLpAt + j],
          pGen: d[pGenAt + parentRow],
          attention: d.slice(attnAt + parentRow * srcLen, attnAt + (parentRow + 1) * srcLen),
          logProb: parent.logProb + d[tokenLpAt + j],
          length: parent.length + 1,
        };
        if (node.id === EOS_ID) {
          if (j < K) finished.push({ node, score: norm(node) }); // only </s> among the top K counts
        } else {
          next.push(node);
          parents.push(parentRow);
        }
      }
      // Done when K hypotheses have finished and no live beam scores better than the K-th of them.
      finished.sort((a, b) => b.score - a.score);
      const bestLive = Math.max(...next.map(norm));
      const done = finished.length >= K && !(bestLive > finished[K - 1].score);
      const newState = done || next.length === 0 ? null : gatherState(step.state, parents);
      disposeState(step.state);
      releaseState(enc, state);
      state = newState ?? enc.initialState;
      live = done ? [] : next;
    }
  } finally {
    releaseState(enc, state);
    bans.dispose();
    disposeDecoderBlocks(blocks);
    for (const [n, e] of tiled) if (n !== 1) disposeEncoded(e);
  }
  const results = finished.map((f) => toCandidate(nodeToHyp(f.node, true), f.score));
  if (results.length < K) results.push(...live.map((node) => toCandidate(nodeToHyp(node, false), norm(node))));
  return results.sort((a, b) => b.score - a.score).slice(0, K);
}

/**
 * Pick one token from a row of log-probabilities: repetition penalty, temperature, top-k, top-p,
 * then a draw from `rng`. The repetition penalty multiplies the (non-positive) log-probability of
 * tokens already generated, which lowers them for penalty > 1.
 */
export function sampleToken(
  logProbs: ArrayLike<number>,
  generated: ReadonlySet<number>,
  opts: SampleOptions,
  rng: Rng,
): number {
  const temperature = opts.temperature ?? 1;
  const penalty = opts.repetitionPenalty ?? 1;
  const adjusted = Float64Array.from(logProbs, (lp, id) => (penalty !== 1 && generated.has(id) ? lp * penalty : lp));
  const order = Array.from(adjusted.keys()).sort((a, b) => adjusted[b] - adjusted[a]);
  if (temperature <= 0) return order[0];
  const topK = opts.topK && opts.topK > 0 ? Math.min(opts.topK, order.length) : order.length;
  const kept = order.slice(0, topK);
  const weights = kept.map((id) => Math.exp((adjusted[id] - adjusted[kept[0]]) / temperature));
  const topP = opts.topP ?? 1;
  if (topP < 1) {
    const total = weights.reduce((a, b) => a + b, 0);
    let cumulative = 0;
    for (let i = 0; i < weights.length; i++) {
      if (cumulative >= topP * total) weights[i] = 0; // the set already reached p
      cumulative += weights[i];
    }
  }
  return kept[rng.categorical(weights)];
}

/** numSamples candidates from one source (enc batch 1), decoded together, in sample order. */
export async function sampleDecode(p: Params, enc: Encoded, opts: SampleOptions = {}): Promise<Candidate[]> {
  const { batch, srcLen, extVocab } = sizes(enc);
  if (batch !== 1) throw new Error(`sampleDecode decodes one source at a time, got a batch of ${batch}`);
  const n = Math.max(1, Math.floor(opts.numSamples ?? 1));
  const maxLen = opts.maxLen ?? enc.config.maxTargetLength;
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const encN = n === 1 ? enc : gatherEncoded(enc, new Array(n).fill(0));
  const bans = banBiases(extVocab);
  const blocks = decoderBlocks(enc.config, p); // the weights' row blocks, cut once per answer
  const hyps = Array.from({ length: n }, emptyHyp);
  const seen = hyps.map(() => new Set<number>());
  let state = encN.initialState;
  try {
    for (let t = 0; t < maxLen && hyps.some((h) => !h.finished); t++) {
      const prev = hyps.map((h) => (h.ids.length ? h.ids[h.ids.length - 1] : BOS_ID));
      const ban = t < (opts.minLength ?? 0) ? bans.early : bans.normal;
      const step = await runStep(
        p,
        blocks,
        encN,
        state,
        prev,
        (o) => tf.concat([tf.add(o.logProbs, ban), tf.expandDims(o.pGen, 1), o.attention], 1), // [n, Vext + 1 + S]
      );
      releaseState(encN, state);
      state = step.state;
      const width = extVocab + 1 + srcLen;
      hyps.forEach((h, r) => {
        if (h.finished) return;
        const row = step.data.subarray(r * width, (r + 1) * width);
        const id = sampleToken(row.subarray(0, extVocab), seen[r], opts, rng);
        seen[r].add(id);
        h.ids.push(id);
        h.tokenLogProbs.push(row[id]);
        h.logProb += row[id];
        h.pGen.push(row[extVocab]);
        h.attention.push(Array.from(row.subarray(extVocab + 1)));
        h.finished = id === EOS_ID;
      });
    }
  } finally {
    releaseState(encN, state);
    bans.dispose();
    disposeDecoderBlocks(blocks);
    if (encN !== enc) disposeEncoded(encN);
  }
  return hyps.map((h) => toCandidate(h));
}
