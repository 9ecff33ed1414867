// Each crash, hang or unclear refusal the fuzzer found, as a test named after its case (seed 1):
// the input built here directly, and the case replayed through the fuzzer's own runner. A case that
// took too long is held to a count that made it slow (texts lexed, parsed or split into lines),
// not to a clock.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readModelDir } from '../../src/cli/model-dir';
import { createModelContext, type ModelContext } from '../../src/fuzz/context';
import { runCase } from '../../src/fuzz/surfaces';
import { parseModelConfig, ModelFileError, readSafetensors } from '../../src/model';
import { checkPythonSyntax } from '../../src/model';
import {
  parseErrorCandidates,
  fixFile,
  MAX_LOOK_ONLY_WINDOWS,
  MAX_LOOKS_PER_FILE,
  MAX_PARTIAL_FIXES,
  PARSE_BUDGET_CHARS,
} from '../../src/model/internals';
import { parseJsonl } from '../../src/data/jsonl';
import { createInferenceHandler } from '../../src/worker/inference-handler';
import type { InferenceResponse } from '../../src/worker/protocol';
import { initNodeBackend } from '../../src/platform/node/node';

/** The lengths of the texts read while `reads.on`: by our lexer, into lines, and by the syntax check. */
const reads = vi.hoisted(() => ({ on: false, lexed: [] as number[], split: [] as number[], parsed: [] as number[] }));
vi.mock('../../src/model/python/lexer', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/model/python/lexer')>();
  const lex: typeof actual.lex = (source, options) => {
    if (reads.on) reads.lexed.push(source.length);
    return actual.lex(source, options);
  };
  return { ...actual, lex };
});
vi.mock('../../src/model/python/syntax/compile-check', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/model/python/syntax/compile-check')>();
  const compileError: typeof actual.compileError = (text) => {
    if (reads.on) reads.parsed.push(text.length);
    return actual.compileError(text);
  };
  return { ...actual, compileError };
});
vi.mock('../../src/model/python/lines', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/model/python/lines')>();
  const splitLines: typeof actual.splitLines = (source) => {
    if (reads.on) reads.split.push(source.length);
    return actual.splitLines(source);
  };
  return { ...actual, splitLines };
});

/** What `body` reads: the lengths of the texts it lexes, splits into lines and checks for syntax. */
async function countReads<T>(
  body: () => Promise<T> | T,
): Promise<{ value: T; lexed: number[]; split: number[]; parsed: number[] }> {
  reads.lexed = [];
  reads.split = [];
  reads.parsed = [];
  reads.on = true;
  try {
    return { value: await body(), lexed: reads.lexed, split: reads.split, parsed: reads.parsed };
  } finally {
    reads.on = false;
  }
}
const atLeast = (chars: number, lengths: readonly number[]) => lengths.filter((n) => n >= chars).length;
const total = (lengths: readonly number[]) => lengths.reduce((sum, n) => sum + n, 0);

const SHIPPED_CONFIG = readFileSync('public/models/model_config.toml', 'utf8');
let context: ModelContext;

/** A weights file whose header is `header` (tensor data: none). */
function weightsWithHeader(header: Record<string, unknown>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length).fill(0x20);
  new DataView(out.buffer).setUint32(0, json.length, true);
  new DataView(out.buffer).setUint32(4, 0, true);
  out.set(json, 8);
  return out;
}
const METADATA = { format: 'lstm-coding-optimizer', format_version: '1' };

function handlerWithTinyModel() {
  const responses: InferenceResponse[] = [];
  const handler = createInferenceHandler({
    post: (m) => responses.push(m),
    initBackend: async () => ({ backend: 'wasm' }) as never,
    watchDevice: () => {},
    fetchModelFiles: async () => ({ files: context.tinyFiles, fromCache: false, bytes: 0, commit: async () => {} }),
    injectFault: () => {},
  });
  return { handler, responses };
}

describe('fuzz cases found and fixed (seed 1)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    context = await createModelContext(readModelDir('public/models'), false);
  });

  it('fuzz config case 35: beam_width = 4294967297 is refused (it loaded, and hung every request)', async () => {
    const config = SHIPPED_CONFIG.replace('beam_width = 5', 'beam_width = 4294967297');
    expect(() => parseModelConfig(config)).toThrow(
      /\[inference\] beam_width must be an integer from 1 to 64, found 4294967297/,
    );
    expect((await runCase('config', 1, 35, context)).outcome).toBe('refused');
  });

  it('fuzz config case 188: alternative_generation_count = 2147483647 is refused (it loaded, and hung divergent requests)', async () => {
    const config = SHIPPED_CONFIG.replace(
      'alternative_generation_count = 5',
      'alternative_generation_count = 2147483647',
    );
    expect(() => parseModelConfig(config)).toThrow(/alternative_generation_count must be an integer from 1 to 64/);
    expect(() =>
      parseModelConfig(
        SHIPPED_CONFIG.replace('solution_refinement_iterations = 3', 'solution_refinement_iterations = 100000'),
      ),
    ).toThrow(/from 1 to 10/);
    expect((await runCase('config', 1, 188, context)).outcome).toBe('refused');
  });

  it('fuzz weights case 481: a metadata value {"toString": 1e21} is refused with the file\'s name, not a TypeError', async () => {
    const bytes = weightsWithHeader({ __metadata__: { ...METADATA, model_name: { toString: 1e21 } } });
    expect(() => readSafetensors(bytes)).toThrow(ModelFileError);
    expect(() => readSafetensors(bytes)).toThrow(
      /__metadata__\.model_name is an object, but safetensors metadata values must be strings/,
    );
    expect((await runCase('weights', 1, 481, context)).outcome).toBe('refused');
  });

  it('fuzz weights case 194: dtype "isPrototypeOf" (an Object.prototype name) is an unknown dtype, not one that "needs NaN" bytes', async () => {
    for (const dtype of ['isPrototypeOf', 'constructor', 'toString', '__proto__']) {
      const bytes = weightsWithHeader({ __metadata__: METADATA, w: { dtype, shape: [1], data_offsets: [0, 0] } });
      expect(() => readSafetensors(bytes)).toThrow(`tensor "w" has unknown dtype "${dtype}"`);
    }
    expect((await runCase('weights', 1, 194, context)).detail).toMatch(/unknown dtype "isPrototypeOf"/);
  });

  it('fuzz protocol case 29: a null message gets a ProtocolError answer (the worker threw a TypeError reading its id)', async () => {
    const { handler, responses } = handlerWithTinyModel();
    await handler.receive(null);
    expect(responses).toEqual([
      {
        type: 'error',
        id: -1,
        error: { name: 'ProtocolError', message: 'a worker message must be an object {type, id, ...}, found null' },
      },
    ]);
    expect((await runCase('protocol', 1, 29, context)).outcome).toBe('refused');
  });

  it('fuzz protocol case 14: an unknown message type and a run before any load are ProtocolErrors naming the problem', async () => {
    const { handler, responses } = handlerWithTinyModel();
    await handler.receive({ type: 'Run', id: 1 });
    await handler.receive({
      type: 'run',
      id: 2,
      request: { task: 'fix', mode: 'convergent', code: 'def f(x):\n    return x\n' },
    });
    await handler.receive({ type: 'dispose', id: 3 });
    expect(
      responses.map((r) => (r.type === 'error' ? `${r.id} ${r.error.name}: ${r.error.message}` : `${r.id} ${r.type}`)),
    ).toEqual([
      '1 ProtocolError: unknown message type the string "Run"; expected one of init, load, run, cancel, dispose, fault-test',
      '2 ProtocolError: run 2 came before a model was loaded: lstm_weights.bin has not loaded yet (send "load" first)',
      '3 disposed',
    ]);
    expect((await runCase('protocol', 1, 14, context)).outcome).toBe('refused');
  });

  it('fuzz protocol case 54: a cancel of an unknown id is ignored, so a later run with that id is answered (it was skipped)', async () => {
    const { handler, responses } = handlerWithTinyModel();
    await handler.receive({ type: 'cancel', id: 1, target: 3 });
    await handler.receive({ type: 'load', id: 2, options: { modelsUrl: '/models/', refresh: false } });
    await handler.receive({
      type: 'run',
      id: 3,
      request: { task: 'fix', mode: 'convergent', code: 'def f(x):\n    return x\n' },
    });
    await handler.receive({ type: 'dispose', id: 4 });
    expect(responses.filter((r) => r.type !== 'progress').map((r) => `${r.id} ${r.type}`)).toEqual([
      '2 loaded',
      '3 answer',
      '4 disposed',
    ]);
    expect((await runCase('protocol', 1, 54, context)).outcome).toBe('accepted');
  });

  it('fuzz code case 240: 100,000 nested brackets are refused at once (Lezer took over 10 s on them)', async () => {
    // One bracket per line, so that the line-length limit does not refuse it first.
    const code = `x = ${'(\n'.repeat(50_000)}1${')\n'.repeat(50_000)}`;
    const refused = await countReads(() =>
      expect(context.tinyModel.run({ task: 'complete', mode: 'divergent', code })).rejects.toThrow(
        /line 201 nests brackets or blocks deeper than Python allows \(200 brackets/,
      ),
    );
    expect(refused.parsed).toEqual([]); // refused before any syntax check (Lezer took over 10 s on it)
    expect(checkPythonSyntax(`x = ${'['.repeat(201)}${']'.repeat(201)}\n`)).toMatchObject({ ok: false, errorLine: 1 });
    expect(checkPythonSyntax(`x = ${'['.repeat(200)}${']'.repeat(200)}\n`).ok).toBe(true);
    expect((await runCase('code', 1, 240, context)).outcome).toBe('refused');
  });

  it("fuzz code case 5: a 100,000-character line is refused (each candidate's parse check took half a second)", async () => {
    const code = `def f(x):\n    return ${'x + '.repeat(25_000)}x\n`;
    await expect(context.tinyModel.run({ task: 'complete', mode: 'hybrid', code })).rejects.toThrow(
      /line 2 is 100,012 characters long; lines over 20,000/,
    );
    await expect(
      context.tinyModel.run({ task: 'fix', mode: 'convergent', code: 'x = 1\n'.repeat(100_000) }),
    ).rejects.toThrow(/the code is 600,000 characters; the most this model reads is 500,000/);
    expect((await runCase('code', 1, 5, context)).outcome).toBe('refused');
  });

  it('fuzz code case 450: a 10,000-character line is answered within the parse budget (each of ~7,500 candidate edits was parsed whole)', async () => {
    // A parse error on one huge line: the candidate edits near it are checked within the budget.
    const code = `def f(x):\n    return ${'x + '.repeat(2500)}x +\n`;
    const candidates = await countReads(() => parseErrorCandidates(code));
    const edits = candidates.value;
    // ~7,500 candidates were parsed whole before the bound (44 s): now the parse budget, and the
    // text's own check in parseErrorCandidates and in suspectLines.
    expect(candidates.parsed.length).toBeGreaterThan(1); // the counter sees the check's work
    expect(total(candidates.parsed)).toBeLessThanOrEqual(PARSE_BUDGET_CHARS + 2 * code.length);
    expect(edits.length).toBeLessThanOrEqual(MAX_PARTIAL_FIXES);
    const run = await countReads(() => context.tinyModel.run({ task: 'fix', mode: 'convergent', code }));
    const answer = run.value;
    // The whole answer (48 s before the bound): one look's parse budget, and the checks around it.
    expect(total(run.parsed)).toBeLessThanOrEqual(2 * PARSE_BUDGET_CHARS);
    expect(answer.status === 'unfixed' ? answer.text : code).toBe(code);
    context.shippedModel(); // built before the case, so that its weights are not counted as the case's leak
    expect((await runCase('code', 1, 450, context)).outcome).toBe('accepted');
  }, 60_000);

  it('fuzz code cases 58, 150 and 5850: a 5,000-line file is read once, and with no sign of a bug 16 windows of it', async () => {
    const lines: string[] = [];
    for (let i = 0; lines.length < 5000; i++)
      lines.push(`def f${i}(items):`, '    s = 0', '    for item in items:', '        s += item', '    return s');
    const code = `${lines.join('\n')}\n`;
    const fixed = await countReads(() =>
      fixFile(
        code,
        {
          fits: (text) => text.length < 200,
          fix: async (text) => ({ status: 'no_bug', text, candidates: [], steps: [] }),
        },
        MAX_LOOKS_PER_FILE,
      ),
    );
    // Cases 150 and 5850 (the shipped model) took over 10 s under load with a look at each of 40 functions.
    expect(fixed.value.looks).toBe(MAX_LOOK_ONLY_WINDOWS);
    // The whole file is read a fixed few times (its module names, its functions, two parse checks),
    // not once per window: splitLines and lexing per window took about 4 s.
    expect(atLeast(code.length, fixed.parsed)).toBeGreaterThan(0);
    for (const wholeFileReads of [fixed.lexed, fixed.split, fixed.parsed])
      expect(atLeast(code.length, wholeFileReads)).toBeLessThanOrEqual(4);
    expect((await runCase('code', 1, 58, context)).outcome).toBe('accepted');
    context.shippedModel(); // built before the case, so that its weights are not counted as the case's leak
    for (const k of [150, 5850]) expect((await runCase('code', 1, k, context)).outcome).toBe('accepted');
  }, 120_000);

  it('fuzz jsonl case 42 (seed 7): a 2 MB target is refused before it is lexed', async () => {
    const line = JSON.stringify({
      task: 'generate',
      input: 'def f(x):\n    """Identity."""\n',
      target: 'a = 1\n'.repeat(400_000),
    });
    const parsed = await countReads(() => parseJsonl(line, 'big.jsonl'));
    expect(parsed.value.problems).toEqual([
      { file: 'big.jsonl', line: 1, reason: '"target" is 2400000 characters; at most 100000 fit an example' },
    ]);
    expect(parsed.lexed).toEqual([]);
    expect((await runCase('jsonl', 7, 42, context)).outcome).toBe('refused');
  });

  it('fuzz weights case 191: __metadata__ nested 100,000 deep is refused (describing it overflowed the stack)', async () => {
    const header = `{"__metadata__":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    const json = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + json.length);
    new DataView(bytes.buffer).setUint32(0, json.length, true);
    bytes.set(json, 8);
    expect(() => readSafetensors(bytes)).toThrow(
      /__metadata__\.a is an object, but safetensors metadata values must be strings\. Write it as a string, e\.g\. "a": "\{…\}"/,
    );
    expect((await runCase('weights', 1, 191, context)).outcome).toBe('refused');
  });

  it('fuzz weights case 4868: a header of 80,000 tensors is refused before they are checked one by one', async () => {
    const header: Record<string, unknown> = { __metadata__: METADATA };
    for (let i = 0; i < 80_000; i++) header[`extra_${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
    const bytes = weightsWithHeader(header);
    expect(() => readSafetensors(bytes)).toThrow(
      'the header lists 80000 tensors; a weights file of this project holds a few dozen (at most 10000 are read)',
    );
    expect((await runCase('weights', 1, 4868, context)).outcome).toBe('refused');
  });
});
