// The inference worker's message handling with a fake host (its posts collected, the tiny model's
// files handed over as if downloaded): load → progress → loaded, run → answer, cancel, a kernel
// that fails in the middle of a run, and requests the handler cannot use.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelFiles } from '../../src/model';
import { initNodeBackend } from '../../src/platform/node/node';
import { createInferenceHandler, NO_ID } from '../../src/worker/inference-handler';
import type { InferenceResponse, WorkerFault } from '../../src/worker/protocol';
import { tinyModelFiles } from '../model/tiny-model';

const CODE = 'def total(items):\n    return sum(items)\n';
const LOAD = { type: 'load', id: 1, options: { modelsUrl: '/models/', refresh: false } };

let files: ModelFiles;

beforeAll(async () => {
  await initNodeBackend('cpu');
  files = await tinyModelFiles();
});

function fakeHost() {
  const posted: InferenceResponse[] = [];
  const waiting = new Map<number, () => void>();
  const faults: WorkerFault[] = [];
  const handler = createInferenceHandler({
    post: (message) => {
      posted.push(message);
      if (message.type !== 'progress' && message.id !== null) waiting.get(message.id)?.();
    },
    initBackend: async (requested) => ({ backend: requested ?? 'cpu' }) as never,
    watchDevice: () => {},
    fetchModelFiles: async (_url, _refresh, onProgress) => {
      const total = files.weights.byteLength;
      onProgress(total / 2, total, 'lstm_weights.bin');
      onProgress(total, total, 'lstm_weights.bin');
      return { files, fromCache: false, bytes: total, commit: async () => {} };
    },
    injectFault: (fault) => faults.push(fault),
  });
  /** The answers other than load progress, as `id type`. */
  const answers = () => posted.filter((m) => m.type !== 'progress').map((m) => `${m.id} ${m.type}`);
  /** Settles when request `id` is answered (a run's answer comes after `receive` returns). */
  const answered = (id: number) => new Promise<void>((resolve) => waiting.set(id, resolve));
  return { handler, posted, faults, answers, answered };
}

const run = (id: number, code = CODE) => ({ type: 'run', id, request: { task: 'fix', mode: 'convergent', code } });

/**
 * Registers `kernelName` for the current backend as a wrapper that counts its calls and calls
 * `before(n)` ahead of the n-th (which may throw); `restore` puts the kernel back.
 */
function wrapKernel(kernelName: string, before: (call: number) => void = () => {}) {
  const backend = tf.getBackend();
  const original = tf.getKernel(kernelName, backend)!;
  let calls = 0;
  tf.unregisterKernel(kernelName, backend);
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      before(++calls);
      return original.kernelFunc(args);
    },
  });
  return {
    calls: () => calls,
    restore() {
      tf.unregisterKernel(kernelName, backend);
      tf.registerKernel(original);
    },
  };
}

class KernelFault extends Error {
  override name = 'KernelFault';
}

describe('inference handler', () => {
  it('loads with progress in phase order, then answers a run with the tensors it loaded with', async () => {
    const { handler, posted, answers } = fakeHost();
    await handler.receive({ type: 'init', id: 0, backend: null });
    await handler.receive(LOAD);
    const phases = posted.flatMap((m) => (m.type === 'progress' ? [m.progress.phase] : []));
    expect([...new Set(phases)]).toEqual(['fetch', 'parse', 'upload', 'warmup']);
    const loaded = posted.find((m) => m.type === 'loaded');
    expect(loaded?.type === 'loaded' && loaded.report.origin).toBe('network');
    const tensors = loaded?.type === 'loaded' ? loaded.report.numTensors : -1;
    await handler.receive(run(2));
    await handler.receive({ type: 'dispose', id: 3 });
    expect(answers()).toEqual(['0 ready', '1 loaded', '2 answer', '3 disposed']);
    const answer = posted.find((m) => m.type === 'answer');
    expect(answer?.type === 'answer' && answer.numTensors).toBe(tensors);
    expect(answer?.type === 'answer' && answer.answer.task).toBe('fix');
    // What the fix search considered crosses with the answer.
    expect(answer?.type === 'answer' && answer.answer.search?.ranked).toBeGreaterThan(0);
  });

  it('skips a run cancelled while queued, and answers the runs around it', async () => {
    const { handler, answers } = fakeHost();
    await handler.receive(LOAD);
    await handler.receive(run(2));
    await handler.receive(run(3));
    await handler.receive({ type: 'cancel', id: 4, target: 3 });
    await handler.receive(run(5));
    await handler.receive({ type: 'dispose', id: 6 });
    expect(answers()).toEqual(['1 loaded', '2 answer', '3 cancelled', '5 answer', '6 disposed']);
  });

  it('drops the answer of a run cancelled while it runs', async () => {
    const { handler, answers } = fakeHost();
    await handler.receive(LOAD);
    // The cancel arrives during the run's first decoder step.
    const wrapped = wrapKernel('Softmax', (call) => {
      if (call === 1) void handler.receive({ type: 'cancel', id: 3, target: 2 });
    });
    try {
      await handler.receive(run(2));
      await handler.receive({ type: 'dispose', id: 4 });
    } finally {
      wrapped.restore();
    }
    expect(wrapped.calls()).toBeGreaterThan(1); // the run went on to its end
    expect(answers()).toEqual(['1 loaded', '2 cancelled', '4 disposed']);
  });

  // Where a run can fail: the decoder's first attention softmax, a later step's, the beams'
  // top-k, and the run's last softmax (the teacher-forced scoring of the edits comes last).
  it.each([
    ['Softmax', 1],
    ['Softmax', 4],
    ['TopK', 2],
    ['Softmax', 'last'],
  ] as const)(
    'answers a run whose %s kernel fails (call %s) with an error of its name, and leaks no tensor',
    async (kernel, when) => {
      const { handler, posted, answers, answered } = fakeHost();
      await handler.receive(LOAD);
      const loaded = posted.find((m) => m.type === 'loaded');
      const modelTensors = loaded?.type === 'loaded' ? loaded.report.numTensors : -1;
      let failAt = when === 'last' ? 0 : when;
      if (when === 'last') {
        const counted = wrapKernel(kernel);
        const done = answered(0);
        await handler.receive(run(0));
        await done;
        counted.restore();
        failAt = counted.calls();
      }
      const before = tf.memory().numTensors;
      const wrapped = wrapKernel(kernel, (call) => {
        if (call === failAt) throw new KernelFault('the device ran out of memory');
      });
      try {
        const failed = answered(2);
        await handler.receive(run(2));
        await failed;
      } finally {
        wrapped.restore();
      }
      expect(posted.find((m) => m.type === 'error')).toEqual({
        type: 'error',
        id: 2,
        error: { name: 'KernelFault', message: 'the device ran out of memory' },
      });
      expect(tf.memory().numTensors).toBe(before);
      // The model still answers, and its tensors go with it.
      await handler.receive(run(3));
      await handler.receive({ type: 'dispose', id: 4 });
      expect(answers().filter((a) => !a.startsWith('0 '))).toEqual(['1 loaded', '2 error', '3 answer', '4 disposed']);
      expect(tf.memory().numTensors).toBe(before - modelTensors);
    },
  );

  it('refuses requests it cannot use with a ProtocolError naming the field, and goes on', async () => {
    const { handler, posted, faults } = fakeHost();
    const bad: [unknown, number, RegExp][] = [
      ['run', NO_ID, /a worker message must be an object \{type, id, \.\.\.\}, found the string "run"/],
      [{ type: 'run' }, NO_ID, /"run" message: id must be an integer, found nothing/],
      [
        { type: 'run', id: 7, request: { task: 'translate', mode: 'convergent', code: CODE } },
        7,
        /request\.task must be fix, complete or generate, found the string "translate"/,
      ],
      [
        { type: 'run', id: 8, request: { task: 'fix', mode: 'convergent', code: 42 } },
        8,
        /request\.code must be a string of Python code, found number 42/,
      ],
      [
        { type: 'load', id: 9, options: { modelsUrl: '/models/', refresh: 'yes' } },
        9,
        /options\.refresh must be true or false/,
      ],
      [{ type: 'cancel', id: 10 }, 10, /target must be the id of a run, found nothing/],
      [{ type: 'fault-test', id: 11, fault: 'melt' }, 11, /fault must be crash or lose-device/],
      [{ type: 'init', id: 15, backend: 'wasm', threads: 0 }, 15, /threads must be a whole number of threads from 1/],
    ];
    for (const [message, id, reason] of bad) {
      posted.length = 0;
      await handler.receive(message);
      expect(posted).toHaveLength(1);
      const answer = posted[0]!;
      expect(answer.type === 'error' && answer.id).toBe(id);
      expect(answer.type === 'error' && answer.error.name).toBe('ProtocolError');
      expect(answer.type === 'error' ? answer.error.message : '').toMatch(reason);
    }
    // A run before any load names the missing step; a good fault request still reaches the host.
    posted.length = 0;
    await handler.receive(run(12));
    await handler.receive({ type: 'fault-test', id: 13, fault: 'crash' });
    await handler.receive({ type: 'dispose', id: 14 });
    expect(posted[0]).toMatchObject({ type: 'error', id: 12, error: { name: 'ProtocolError' } });
    expect(posted[0]?.type === 'error' && posted[0].error.message).toMatch(/send "load" first/);
    expect(faults).toEqual(['crash']);
  });
});
