// The report says what the shipped weights had behind them: a run from scratch, or a run that
// started from another model's weights (train --init-from), summed back through every such start.
import { describe, expect, it } from 'vitest';
import { initFromMetrics, METRICS_FORMAT, type TrainingMetrics } from '../../src/train/metrics-file';
import { writeTrainingReport } from '../../src/train/report';

function metrics(
  steps: number,
  minutes: number,
  tokens: number,
  initFrom: TrainingMetrics['init_from'] = null,
): TrainingMetrics {
  return {
    format: METRICS_FORMAT,
    format_version: 1,
    created: `2026-11-24T0${steps % 10}:00:00.000Z`,
    model: {
      name: 'm',
      version: '1',
      parameters: 10,
      architecture: {
        embedding_dim: 4,
        num_layers: 1,
        hidden_size: 8,
        attention_heads: 2,
        dropout: 0,
        max_sequence_length: 10,
      },
      vocab_size: 20,
    },
    settings: {
      epochs: 1,
      learningRate: 0.001,
      gradientClipNorm: 1,
      earlyStoppingPatience: 0,
      evalIntervalSteps: 10,
      checkpointIntervalSteps: 10,
      seed: 1,
      batch_size: 4,
    },
    run: {
      stop_reason: 'finished',
      steps,
      epochs_completed: 1,
      wall_time_ms: minutes * 60000,
      tokens_seen: tokens,
      steps_per_second: 1,
      tokens_per_second: 1,
      best_val_loss: 1,
      backend: 'wasm',
      machine: 'test',
    },
    steps: [],
    evals: [],
    epochs: [],
    dataset: null,
    test: null,
    artifacts: {},
    init_from: initFrom,
  };
}

describe('training report: where the weights started', () => {
  it('says so for a run from scratch', () => {
    expect(writeTrainingReport(metrics(100, 10, 1000))).toContain(
      'This run started from randomly initialised weights.',
    );
  });

  it('sums the training behind the weights through every --init-from', () => {
    const first = metrics(2940, 74.7, 4_000_000);
    const second = metrics(500, 20, 1_000_000, initFromMetrics('public/models', first));
    const third = metrics(100, 5, 100_000, initFromMetrics('checkpoints/second', second));
    expect(third.init_from!.before).toEqual({ steps: 3440, wall_time_ms: 94.7 * 60000, tokens_seen: 5_000_000 });
    const report = writeTrainingReport(third);
    expect(report).toContain('This run started from the weights in `checkpoints/second`');
    expect(report).toContain('whose training runs came to 3,440 steps and 94.7 min');
    expect(report).toContain('the training runs came to 3,540 steps, 99.7 min and 5,100,000 tokens');
  });

  it("names the step of the run's best evaluation, where the weights come from", () => {
    const run = metrics(300, 5, 100_000);
    run.evals = [200, 100, 300].map((step, k) => ({
      step,
      epoch: 0,
      valLoss: [0.5, 0.4, 0.45][k]!,
      valTokenAccuracy: 0.8,
      scores: {},
      evalMs: 1,
    }));
    expect(writeTrainingReport(run)).toContain(
      "The weights here are this run's best by validation loss, from step 100 of 300.",
    );
    run.evals[2]!.valLoss = 0.3;
    expect(writeTrainingReport(run)).not.toContain('The weights here are');
  });
});

describe('training report: outside real code beside the previous model', () => {
  const set = (exact: number) => ({
    count: 40,
    exact_match: exact,
    token_accuracy: exact,
    no_harm_rate: exact,
    parse_rate: 1,
  });
  const evalOf = (exact: number, data: string) => ({
    ...set(exact),
    by_task: { fix: set(exact) },
    by_mode: { convergent: set(exact) },
    by_class: { missing_colon: set(exact), no_bug: set(exact) },
    by_mode_class: { convergent: { missing_colon: set(exact), no_bug: set(exact) } },
    copy_baseline: { ...set(0.1), by_task: {}, by_class: { missing_colon: set(0), no_bug: set(1) } },
    modes: ['convergent' as const],
    eval_ms: 1,
    data,
    limit: 80,
    command: `npm run cli -- eval --data ${data}`,
  });

  it('writes the outside section and the per-class change on the test split from measured sections only', () => {
    const m = metrics(100, 10, 1000);
    expect(writeTrainingReport(m)).not.toContain('## Outside real code');
    m.test = evalOf(0.9, 'data/test.jsonl');
    m.outside = evalOf(0.75, 'data/outside/functions.jsonl');
    m.previous = {
      dir: 'old',
      created: 'then',
      test: evalOf(0.925, 'data/test.jsonl'),
      outside: evalOf(0.5, 'data/outside/functions.jsonl'),
    };
    m.outside_complete = evalOf(0.3, 'data/outside/complete.jsonl');
    m.previous.outside_complete = evalOf(0.2, 'data/outside/complete.jsonl');
    const report = writeTrainingReport(m);
    expect(report).toContain('| exact match | 30.0% | 20.0% | 10.0% |');
    expect(report).toContain('## Outside real code');
    expect(report).toContain('| missing_colon | 40 | 75.0% | 50.0% | 0.0% |');
    expect(report).toContain('| no-harm |  | 75.0% | 50.0% | 10.0% |');
    expect(report).toContain('Reproduce with `npm run cli -- eval --data data/outside/functions.jsonl`');
    expect(report).toContain('| missing_colon | 90.0% | 92.5% | -2.5 |');
    expect(report).not.toContain('### Generate on outside code');
    m.outside_generate = { ...evalOf(0.05, 'data/outside/generate.jsonl'), token_accuracy: 0.6 };
    m.previous.outside_generate = { ...evalOf(0.02, 'data/outside/generate.jsonl'), token_accuracy: 0.55 };
    const withGenerate = writeTrainingReport(m);
    expect(withGenerate).toContain('### Generate on outside code');
    expect(withGenerate).toContain('| token accuracy | 60.0% | 55.0% |');
    expect(withGenerate).toContain('| exact match | 5.0% | 2.0% |');
  });
});
