// training_metrics.json of a finished run: one builder for the CLI trainer and the in-browser one.
import { describe, expect, it } from 'vitest';
import { runMetrics, type RunFacts } from '../../src/train/metrics-file';

const facts = (steps: number, wallMs: number): RunFacts => ({
  created: 'now',
  model: { name: 'm', version: '1', parameters: 10, architecture: {}, vocab_size: 5 },
  settings: { batch_size: 2 } as RunFacts['settings'],
  run: {
    stop_reason: 'finished',
    steps,
    epochs_completed: 1,
    wall_time_ms: wallMs,
    tokens_seen: steps * 100,
    best_val_loss: 1,
    backend: 'cpu',
    machine: 'here',
  },
  history: {
    steps: Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      epoch: 0,
      loss: 1,
      accuracy: 0.5,
      gradNorm: 1,
      tokens: 100,
      stepMs: 10,
      tokensPerSecond: 9,
    })),
    evals: [],
  },
  dataset: null,
});

describe('run metrics', () => {
  it('derives the rates from the wall time, and says 0 rather than Infinity for none', () => {
    const m = runMetrics(facts(10, 2000));
    expect(m.run.steps_per_second).toBe(5);
    expect(m.run.tokens_per_second).toBe(500);
    expect(runMetrics(facts(10, 0)).run.steps_per_second).toBe(0);
    expect(m.format).toBe('lstm-coding-optimizer-metrics');
    expect(m.test).toBeNull();
  });

  it('keeps at most 3,000 steps, the last one among them', () => {
    const m = runMetrics(facts(7000, 1000));
    expect(m.steps.length).toBeLessThanOrEqual(3001);
    expect(m.steps.at(-1)!.step).toBe(7000);
    expect(m.epochs).toEqual([{ epoch: 0, train_loss: 1, val_loss: null }]);
  });
});
