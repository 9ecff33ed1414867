import { describe, expect, it } from 'vitest';
import { encodeExample } from '../../src/data/batching';
import { buildExample, type Example } from '../../src/data/examples';
import { generateFunctions } from '../../src/data/generator';
import { idsJsonl, parseIdsJsonl } from '../../src/data/ids-file';
import { tokenCounts } from '../../src/data/vocab-sizing';
import { Rng, Vocabulary } from '../../src/model';

const functions = generateFunctions(80, 5);
const examples = functions.map((f, i) => buildExample(f.text, new Rng(i))!).filter((e): e is Example => e !== null);
const vocab = Vocabulary.build(tokenCounts(functions.slice(0, 10)), 300);

describe('ids files (what the PyTorch trainer reads)', () => {
  it('hold the ids encodeExample gives, line by line, with the JSONL line they came from', () => {
    const bad: Example = { task: 'complete', input: 'def f():\n', target: 'a\nb' }; // a complete target of two lines does not encode
    const { text, skipped } = idsJsonl([...examples, bad], vocab);
    expect(skipped).toBe(1);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { line: number; src_ext: number[] });
    expect(lines.map((l) => l.line)).toEqual(examples.map((_, i) => i + 1));
    expect(lines.some((l) => l.src_ext.some((id) => id >= vocab.size))).toBe(true); // copy ids are there
    expect(parseIdsJsonl(text, 'x.ids.jsonl')).toEqual(examples.map((e) => encodeExample(e, vocab)));
  });

  it('refuses a line that is not JSON, naming file and line', () => {
    expect(() => parseIdsJsonl('{"line":1}\n{oops\n', 'train.ids.jsonl')).toThrow(/train\.ids\.jsonl:2: not JSON/);
  });
});
