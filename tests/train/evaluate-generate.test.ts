// eval's generate figures (placeholder share, token F1, every parameter read), on answers given by a
// stand-in model so each figure is known in advance.
import { describe, expect, it } from 'vitest';
import type { CodingOptimizer, RunRequest } from '../../src/model';
import type { Example } from '../../src/data/examples';
import { evaluateExamples } from '../../src/train/evaluate';

const HEADER = 'def first(items, default):\n    """The first item, or default when there is none."""\n';
const REAL = `${HEADER}    return items[0] if items else default\n`;
const GENERATE: Example = { task: 'generate', input: HEADER, target: REAL };
const FIX: Example = { task: 'fix', input: 'def f(x)\n    return x\n', target: 'def f(x):\n    return x\n' };

/** A model that answers generate with `answers` in turn, and fix with the target. */
function standIn(answers: string[]): CodingOptimizer {
  let next = 0;
  return {
    run: async (request: RunRequest) => ({
      text: request.task === 'generate' ? answers[next++]! : FIX.target,
    }),
  } as unknown as CodingOptimizer;
}

describe('eval of generate', () => {
  it('reports the placeholder share, token F1 and every-parameter share of the written bodies', async () => {
    const report = await evaluateExamples([GENERATE, GENERATE, FIX], {
      model: standIn([`${HEADER}    pass\n`, REAL]),
      modes: ['convergent'],
    });
    const generate = report.by_task.generate!;
    expect(generate.trivial_rate).toBe(0.5);
    expect(generate.token_f1).toBe(0.5); // 0 for `pass`, 1 for the real body
    expect(generate.all_params_used_rate).toBe(0.5);
    expect(generate.parse_rate).toBe(1);
    // Only generate answers count, in every group that holds some.
    expect(report.trivial_rate).toBe(0.5);
    expect(report.by_mode.convergent!.token_f1).toBe(0.5);
    expect(report.by_task.fix).not.toHaveProperty('trivial_rate');
  });

  it('counts the copy baseline (the header alone) as a placeholder', async () => {
    const report = await evaluateExamples([GENERATE], { model: standIn([REAL]), modes: ['convergent'] });
    expect(report.copy_baseline.by_task.generate).toMatchObject({
      trivial_rate: 1,
      token_f1: 0,
      all_params_used_rate: 0,
    });
  });
});
