// Token ids beside each JSONL split (`train.ids.jsonl` next to `train.jsonl`): what the PyTorch
// trainer (trainer/, docs/design.md#data-set-files) reads, so the TypeScript lexer and vocabulary stay the one
// tokenizer and ids, not text, cross over. One JSON object per line, in the order of the JSONL:
//   {"line": n, "task": "fix", "class": "no_bug", "src": [...], "src_ext": [...], "tgt_in": [...], "tgt_out": [...], "oovs": [...]}
// with the fields of EncodedIds (batching.ts): src OOV → <unk>, src_ext OOV → vocab size + k,
// tgt_in <s> then the target (OOV → <unk>), tgt_out the target then </s> in extended ids.
// `line` is the 1-based line of the JSONL the example came from; examples that do not encode are left out.
import type { Vocabulary } from '../model';
import { encodeExample, type EncodedIds } from './batching';
import type { Example } from './examples';

export const IDS_FILE_SUFFIX = '.ids.jsonl';

/** One line of an ids file. */
export interface IdsLine {
  line: number;
  task: EncodedIds['task'];
  class?: string;
  src: number[];
  src_ext: number[];
  tgt_in: number[];
  tgt_out: number[];
  oovs: string[];
}

function toIdsLine(encoded: EncodedIds, line: number): IdsLine {
  const out: IdsLine = { line, task: encoded.task, src: encoded.srcIds, src_ext: encoded.srcExtIds, tgt_in: encoded.tgtInIds, tgt_out: encoded.tgtOutExtIds, oovs: encoded.oovs };
  if (encoded.class !== undefined) out.class = encoded.class;
  return out;
}

function fromIdsLine(l: IdsLine): EncodedIds {
  const out: EncodedIds = { task: l.task, srcIds: l.src, srcExtIds: l.src_ext, tgtInIds: l.tgt_in, tgtOutExtIds: l.tgt_out, oovs: l.oovs };
  if (l.class !== undefined) out.class = l.class;
  return out;
}

/** The ids file of a list of examples (the first being line `firstLine` of its .jsonl), and how many did not encode (left out). */
export function idsJsonl(examples: readonly Example[], vocab: Vocabulary, firstLine = 1): { text: string; skipped: number } {
  const lines: string[] = [];
  let skipped = 0;
  examples.forEach((example, i) => {
    try {
      lines.push(JSON.stringify(toIdsLine(encodeExample(example, vocab), i + firstLine)));
    } catch {
      skipped += 1;
    }
  });
  return { text: lines.length ? `${lines.join('\n')}\n` : '', skipped };
}

/** Reads an ids file (trusted: written by `dataset`); throws naming the file and line on bad JSON. */
export function parseIdsJsonl(text: string, fileName: string): EncodedIds[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return fromIdsLine(JSON.parse(l) as IdsLine);
    } catch (error) {
      throw new Error(`${fileName}:${i + 1}: not JSON (${(error as Error).message}); rebuild it with \`npm run cli -- dataset\``, { cause: error });
    }
  });
}
