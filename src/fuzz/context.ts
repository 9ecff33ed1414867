// The fixed things the surfaces fuzz around: a tiny model built in-process from a seed (as the unit
// tests build theirs) for volume, and the shipped model files handed in by the host (Node reads them).
import * as tf from '@tensorflow/tfjs-core';
import {
  type Answer,
  type FileEdit,
  type RunRequest,
  Seq2SeqCodingOptimizer,
  presetConfig,
  downloadParams,
  networkFromConfig,
  readModelFiles,
  uploadParams,
  writeModelFiles,
  type ModelFiles,
  disposeParams,
  initParams,
  Vocabulary,
} from '../model';
import type { HostModel } from '../model/internals';
import type { FuzzContext } from './case';

export interface ModelContext extends FuzzContext {
  /** The tiny model's three files (a 300-token vocabulary, the tiny preset, weights from seed 1). */
  tinyFiles: ModelFiles;
  tinyModel: Seq2SeqCodingOptimizer;
  /** public/models as read from disk. */
  shippedFiles: ModelFiles;
  /** The shipped tokenizer's vocabulary, in id order. */
  shippedTokens: readonly string[];
  /** Built on first use unless built up front (a few hundred code cases run on it). */
  shippedModel(): Seq2SeqCodingOptimizer;
}

export async function tinyModelFiles(seed = 1): Promise<ModelFiles> {
  const vocab = Vocabulary.build(
    new Map([
      ['total', 5],
      ['items', 4],
      ['item', 3],
      ['value', 2],
      ['result', 2],
    ]),
    300,
  );
  const config = presetConfig('tiny');
  // Smaller than the tiny preset, and short answers: the fuzzer is about how inputs are handled, and
  // a decoder step per output token is most of a case's time.
  Object.assign(config.architecture, {
    vocab_size: vocab.size,
    embedding_dim: 8,
    hidden_size: 16,
    max_target_length: 12,
  });
  const params = initParams(networkFromConfig(config), seed);
  const tensors = await downloadParams(params);
  disposeParams(params);
  return writeModelFiles(config, vocab, tensors);
}

/** The model the app builds from three files (the steps of `load()`). */
export function modelFromHost(host: HostModel): Seq2SeqCodingOptimizer {
  return new Seq2SeqCodingOptimizer(host.config, host.network, host.vocab, uploadParams(host), host.warnings);
}

/** `withShippedModel` builds the shipped model now, so that its tensors are not counted as a case's leak. */
export async function createModelContext(
  shippedFiles: ModelFiles,
  withShippedModel: boolean,
  note: (mutation: string) => void = () => {},
): Promise<ModelContext> {
  const tinyFiles = await tinyModelFiles();
  const tinyModel = modelFromHost(readModelFiles(tinyFiles));
  let shipped: Seq2SeqCodingOptimizer | undefined = withShippedModel
    ? modelFromHost(readModelFiles(shippedFiles))
    : undefined;
  const shippedTokens = Vocabulary.fromJSON(shippedFiles.tokenizer).list();
  return {
    numTensors: () => tf.memory().numTensors,
    note,
    tinyFiles,
    tinyModel,
    shippedFiles,
    shippedModel: () => (shipped ??= modelFromHost(readModelFiles(shippedFiles))),
    shippedTokens,
  };
}

/** The lines of a text with their line breaks, so that joining them gives the text back. */
function physicalLines(text: string): string[] {
  return text.split(/(?<=\r\n|\n|\r(?!\n))/);
}

/**
 * Why an answer is not well-formed, or null. For fix it also checks the contract that the app edits
 * only the lines the answer names: the text outside each edit is the input byte for byte.
 */
export function answerProblem(request: RunRequest, answer: Answer): string | null {
  if (typeof answer.text !== 'string') return 'the answer has no text';
  if (answer.candidates.length === 0) return 'the answer has no candidates';
  if (!(answer.chosen >= 0 && answer.chosen < answer.candidates.length))
    return `chosen ${answer.chosen} is not a candidate index`;
  for (const c of answer.candidates) {
    if (typeof c.text !== 'string' || Number.isNaN(c.logProb) || c.logProb > 1e-6)
      return `a candidate has log-probability ${c.logProb}`;
    if (c.copyProbability.some((p) => !(p >= -1e-6 && p <= 1 + 1e-6))) return 'a copy probability is outside [0, 1]';
  }
  if (!(answer.confidence >= 0 && answer.confidence <= 1 + 1e-6))
    return `confidence ${answer.confidence} is outside [0, 1]`;
  if (request.task !== 'fix') return null;
  if (answer.noBug && answer.text !== request.code) return 'the answer says "no bug" but changed the text';
  if (answer.status === 'unfixed' && answer.text !== request.code) return 'an unfixed answer changed the text';
  if (answer.status === 'unfixed' || answer.status === 'no_bug') return null;
  if (answer.edits) return fileEditsProblem(request.code, answer.edits, answer.text);
  // Each edit (the first, then each refinement) replaces the lines from its changedLine on and keeps the rest.
  const chosen = answer.candidates[answer.chosen]!;
  const edits =
    answer.refinements.length > 0
      ? answer.refinements
      : chosen.changedLine !== null && chosen.problem === null
        ? [{ changedLine: chosen.changedLine, text: chosen.text }]
        : [];
  let before = request.code;
  for (const edit of edits) {
    const problem = editProblem(before, edit.text, edit.changedLine);
    if (problem) return problem;
    before = edit.text;
  }
  if (before !== answer.text) return 'the answer text is not the result of its edits';
  return null;
}

/** A whole-file fix: each edit replaces its line's text (line break kept) and nothing else. */
function fileEditsProblem(code: string, edits: readonly FileEdit[], text: string): string | null {
  const lines = physicalLines(code);
  for (const edit of edits) {
    const line = lines[edit.line - 1];
    if (line === undefined) return `an edit names line ${edit.line} of ${lines.length}`;
    const body = line.replace(/\r?\n$|\r$/, '');
    if (body !== edit.before) return `an edit of line ${edit.line} does not start from that line's text`;
    lines[edit.line - 1] = `${edit.after}${line.slice(body.length)}`;
  }
  return lines.join('') === text ? null : 'the answer text is not the result of its edits';
}

function editProblem(before: string, after: string, line: number): string | null {
  const a = physicalLines(before);
  const b = physicalLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  if (head === a.length && head === b.length) return null; // an edit that changed nothing
  if (head < line - 1) return `an edit of line ${line} changed line ${head + 1}`;
  const replacedOld = a.length - tail - head;
  const written = b.length - tail - head;
  if (head > line - 1 + Math.max(0, written) || replacedOld > Math.max(1, written)) {
    return `an edit of line ${line} replaced lines ${head + 1} to ${a.length - tail} of the input`;
  }
  return null;
}
