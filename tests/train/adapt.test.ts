import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/platform/node/node';
import { readModelFiles } from '../../src/model';
import { ADAPT_CLASSES, buildAdaptData, type AdaptData } from '../../src/data/adapt-examples';
import { generateFunctions } from '../../src/data/generator';
import { adapt, type AdaptPhase } from '../../src/train/adapt';
import { tinyModelFiles } from '../model/tiny-model';

const TEST_TIMEOUT_MS = 300_000;

describe('adapt', () => {
  let data: AdaptData;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    const functions = generateFunctions(48, 11);
    const files = Array.from({ length: 8 }, (_, i) => ({
      path: `m${i}.py`,
      text: functions
        .slice(i * 6, (i + 1) * 6)
        .map((fn) => fn.text)
        .join('\n\n'),
    }));
    data = buildAdaptData(files, { seed: 1, maxTokens: 64, perClass: 1 });
  });

  it(
    'measures every class before and after, trains on the clock, and returns model files that load',
    async () => {
      const phases: AdaptPhase[] = [];
      const model = await tinyModelFiles();
      const result = await adapt({ model, data, minutes: 0.02, seed: 1, onPhase: (p) => phases.push(p) });
      expect(phases).toEqual(['before', 'training', 'after']);
      expect(Object.keys(result.before)).toEqual([...ADAPT_CLASSES]);
      expect(Object.keys(result.after)).toEqual([...ADAPT_CLASSES]);
      for (const s of Object.values(result.before)) {
        expect(s.exact).toBeLessThanOrEqual(s.n);
        expect(s.low).toBeLessThanOrEqual(s.high);
      }
      expect(result.stopReason).toBe('aborted'); // the clock ended it
      expect(result.steps).toBeGreaterThan(0);
      expect(result.tokens).toBeGreaterThan(0);
      expect(result.backend).toBe('cpu');
      const adapted = readModelFiles(result.adapted);
      const start = readModelFiles(model);
      expect(adapted.config.architecture).toEqual(start.config.architecture);
      const changed = [...adapted.tensors].some(([name, t]) =>
        t.data.some((v, i) => v !== start.tensors.get(name)!.data[i]),
      );
      expect(changed).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects when the caller stops it',
    async () => {
      const controller = new AbortController();
      const stopped = new Error('stopped by the test');
      const run = adapt({
        model: await tinyModelFiles(),
        data,
        minutes: 10,
        seed: 1,
        signal: controller.signal,
        onPhase: (p) => p === 'training' && controller.abort(stopped),
      });
      await expect(run).rejects.toBe(stopped);
    },
    TEST_TIMEOUT_MS,
  );
});
