// Completion with context: a complete example of a long function gives the model the last tokens
// before the line, exactly as the model cuts a long input when it answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleTokens, nextLineExamples, windowCompleteSource } from '../../src/data/examples';
import { parseJsonl, toJsonl } from '../../src/data/jsonl';
import { load, Rng } from '../../src/model';
import { taskSource } from '../../src/model/internals';
import { initNodeBackend } from '../../src/platform/node/node';
import { tinyModelFiles } from '../model/tiny-model';

/** About 230 tokens over 22 lines: more than the model's 100. */
const LONG = `def process(self, records, limit):
    """Process the records."""
${Array.from({ length: 18 }, (_, i) => `    part_${i} = self.handle(records[${i}], limit - ${i})\n`).join('')}    total = part_0 + part_17
    return total
`;
const isCode = (t: string) => !/^<L\d+>$/.test(t);

describe('complete with context', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('keeps a short input whole and cuts a long one to its last code tokens, markers kept', () => {
    const short = taskSource('complete', 'def f(x):\n    y = x\n');
    expect(windowCompleteSource(short, 100)).toEqual(short);
    const full = taskSource('complete', LONG.slice(0, LONG.indexOf('    return total')));
    const cut = windowCompleteSource(full, 100);
    expect(cut[0]).toBe('<complete>');
    expect(cut.slice(1).filter(isCode)).toHaveLength(100);
    expect(cut.slice(1).filter(isCode)).toEqual(full.slice(1).filter(isCode).slice(-100));
    expect(cut.at(-1)).toBe(full.at(-1));
    expect(cut.filter((t) => t === '<L21>')).toHaveLength(1);
  });

  it('encodes a long complete example with the end of its input (and parses it from JSONL)', () => {
    const example = { task: 'complete' as const, input: LONG.slice(0, LONG.indexOf('    return total')), target: '    return total' };
    const tokens = exampleTokens(example);
    expect(tokens.srcTokens.slice(1).filter(isCode)).toHaveLength(100);
    expect(tokens.srcTokens.join(' ')).toMatch(/total = part_0 \+ part_17 <NEWLINE>$/);
    expect(tokens.tgtTokens).toEqual(['<D1>', 'return', 'total', '</s>']);
    const parsed = parseJsonl(toJsonl([example]), 'long.jsonl', { maxTokens: 100 });
    expect(parsed.problems).toEqual([]);
    // fix inputs still have the limit.
    expect(parseJsonl(toJsonl([{ task: 'fix', input: LONG, target: LONG }]), 'long.jsonl', { maxTokens: 100 }).problems[0]!.reason).toMatch(/tokens; the maximum is 100/);
  });

  it('cuts exactly where the model cuts when it answers', async () => {
    const model = await load(await tinyModelFiles());
    const max = model.info.maxSourceLength;
    const code = LONG.slice(0, LONG.indexOf('    total = part_0'));
    const answer = await model.run({ task: 'complete', mode: 'convergent', code });
    model.dispose();
    expect(answer.input.truncated).toBe(true);
    expect(answer.sourceTokens).toEqual(windowCompleteSource(taskSource('complete', code), max));
    expect(exampleTokens({ task: 'complete', input: code, target: '    total = part_0 + part_17' }, max).srcTokens).toEqual(answer.sourceTokens);
  });

  it('makes next-line examples at distinct lines', () => {
    const examples = nextLineExamples(LONG, new Rng(3), 30);
    const targets = examples.map((e) => e.target);
    expect(new Set(targets).size).toBe(targets.length);
    expect(examples.length).toBe(21); // 22 lines, every one but the def line
    for (const e of examples) expect(LONG.startsWith(e.input + e.target)).toBe(true);
  });
});
