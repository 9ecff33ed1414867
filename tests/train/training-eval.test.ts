import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { disposeParams, readModelFiles, uploadParams } from '../../src/model';
import { makeTrainingEvaluator } from '../../src/train/training-eval';
import { wilsonInterval } from '../../src/train/wilson';
import { tinyModelFiles } from '../model/tiny-model';

describe('the training evaluation', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('gives each per-mode and per-task exact match its count and 95% interval', async () => {
    const host = readModelFiles(await tinyModelFiles());
    const params = uploadParams(host);
    try {
      const sample = [
        {
          task: 'fix' as const,
          input: 'def f(x)\n    return x\n',
          target: 'def f(x):\n    return x\n',
          class: 'missing_colon',
        },
        {
          task: 'fix' as const,
          input: 'def g(a):\n    return a\n',
          target: 'def g(a):\n    return a\n',
          class: 'no_bug',
        },
        { task: 'complete' as const, input: 'def h(a):\n    b = a\n', target: '    return b' },
      ];
      const evaluator = makeTrainingEvaluator({
        config: host.config,
        network: host.network,
        params,
        vocab: host.vocab,
        valBatches: [],
        sample,
      });
      const { scores, counts } = await evaluator.evaluate();
      expect(Object.keys(counts!).sort()).toEqual(Object.keys(scores).sort());
      expect(counts!['mode.convergent']!.n).toBe(3);
      expect(counts!['task.fix']!.n).toBe(6); // two fix examples in three modes
      for (const [key, c] of Object.entries(counts!)) {
        expect(c.exact / c.n).toBeCloseTo(scores[key]!, 10);
        expect({ low: c.low, high: c.high }).toEqual(wilsonInterval(c.exact, c.n));
      }
    } finally {
      disposeParams(params);
    }
  }, 120_000);
});
