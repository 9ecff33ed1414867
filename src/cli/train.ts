// `train`: trains the model on the JSONL splits from `dataset`, with checkpoints that resume exactly,
// a progress line with ETA and tokens per second, and, at the end, the model files plus
// training_metrics.json, training_report.md and training_metrics.svg in --models.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  parseModelConfig,
  presetConfig,
  stringifyModelConfig,
  type ModelConfig,
  type ModelPresetName,
  downloadParams,
  networkFromConfig,
  readModelFiles,
  writeModelFiles,
  disposeParams,
  initParams,
  Vocabulary,
} from '../model';
import { parseJsonl, formatProblem } from '../data/jsonl';
import { encodeExample, makeBatchSource, makeBatches, spread, type EncodedIds } from '../data/batching';
import type { Example } from '../data/examples';
import { readCheckpoint, writeCheckpoint } from '../train/checkpoint-file';
import { restoreParams, train, trainSettingsFromConfig, type Checkpoint, type TrainSettings } from '../train/loop';
import { plannedStepsOf } from '../train/schedule';
import { makeTrainingEvaluator } from '../train/training-eval';
import { initNodeBackend } from '../platform/node/node';
import { DEFAULT_MODEL_DIR, readModelDir, writeModelDir } from './model-dir';
import { ProgressLine } from './progress';
import { finishRun } from './train-finish';
import { initFromMetrics, type TrainingMetrics } from '../train/metrics-file';
import { UsageError } from './usage-error';
import { DEFAULT_EVAL_SHARE, EvalBudget } from '../train/eval-budget';

/** Validation examples decoded in every mode at each evaluation: per-mode figures of 60 examples or more. */
const DEFAULT_EVAL_SAMPLE = 60;

export const usage = `usage: npm run cli -- train [--data data] [--preset seed|small|tiny | --config FILE] [--out checkpoints/run]
                             [--models ${DEFAULT_MODEL_DIR}] [--resume] [--init-from DIR] [--epochs N] [--lr X]
                             [--batch-size N] [--lr-decay-to F] [--lr-decay-steps N] [--max-steps N] [--max-minutes M]
                             [--eval-sample N] [--eval-share F] [--val-batches N]
                             [--test-sample N] [--finish] [--backend wasm|cpu]
  Trains on DATA/train.jsonl (validation: DATA/val.jsonl) with the vocabulary DATA/tokenizer.json,
  all made by \`npm run cli -- dataset\`. Writes OUT/checkpoint.bin every checkpoint interval and on
  Ctrl+C or --max-minutes, so \`--resume\` continues exactly where the run stopped. When training
  ends (epochs done or early stopping), the best model by validation loss is evaluated on
  DATA/test.jsonl and written to --models with its metrics, report and chart. --finish does that
  also when the run stops early (--max-steps, --max-minutes, Ctrl+C): \`--resume --max-steps N --finish\`
  turns a checkpoint at step N into the shipped files without training further. --lr-decay-to F
  lowers the learning rate linearly to F × --lr (--init-from: fine-tuning) at the last planned step,
  epochs × batches per epoch or --lr-decay-steps N: fixed when the run starts and kept in the
  checkpoint, so --max-steps, --max-minutes and --resume do not move it. Each evaluation decodes the
  first --eval-sample N validation examples (default 60) in every mode, exact match with its 95%
  interval; evaluations take at most --eval-share F of the wall time (default 0.15; 1: all run).`;

function readExamples(path: string): Example[] {
  if (!existsSync(path))
    throw new Error(`${path} does not exist: build the data first with \`npm run cli -- dataset\``);
  const parsed = parseJsonl(readFileSync(path, 'utf8'), path, { checkEncodable: false });
  for (const problem of parsed.problems.slice(0, 5)) process.stderr.write(`warning: ${formatProblem(problem)}\n`);
  if (parsed.problems.length > 5)
    process.stderr.write(`warning: ${parsed.problems.length - 5} more bad lines in ${path}\n`);
  return parsed.examples;
}

function encodeAll(examples: Example[], vocab: Vocabulary): { encoded: EncodedIds[]; skipped: number } {
  const encoded: EncodedIds[] = [];
  let skipped = 0;
  for (const example of examples) {
    try {
      encoded.push(encodeExample(example, vocab));
    } catch {
      skipped += 1;
    }
  }
  return { encoded, skipped };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: 'data' },
      preset: { type: 'string' },
      config: { type: 'string' },
      out: { type: 'string', default: 'checkpoints/run' },
      models: { type: 'string', default: DEFAULT_MODEL_DIR },
      resume: { type: 'boolean', default: false },
      'init-from': { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-steps': { type: 'string' },
      'lr-decay-to': { type: 'string' },
      'lr-decay-steps': { type: 'string' },
      'max-minutes': { type: 'string' },
      'eval-sample': { type: 'string', default: String(DEFAULT_EVAL_SAMPLE) },
      'eval-share': { type: 'string', default: String(DEFAULT_EVAL_SHARE) },
      'val-batches': { type: 'string', default: '20' },
      finish: { type: 'boolean', default: false },
      'test-sample': { type: 'string', default: '300' },
      backend: { type: 'string' },
    },
  });
  const num = (name: string, text: string | undefined, min: number): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min)
      throw new UsageError(`--${name} must be a number >= ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
  if (values.preset && values.config) throw new UsageError('give --preset or --config, not both');
  if (values.preset && !['seed', 'small', 'tiny'].includes(values.preset))
    throw new UsageError(`unknown preset "${values.preset}": use seed, small or tiny`);

  const report = await initNodeBackend(values.backend ?? null);
  const vocab = Vocabulary.fromJSON(readFileSync(join(values.data!, 'tokenizer.json'), 'utf8'));
  let config: ModelConfig = values.config
    ? parseModelConfig(readFileSync(values.config, 'utf8'), values.config).config
    : presetConfig((values.preset ?? 'seed') as ModelPresetName);
  config.architecture.vocab_size = vocab.size;
  const t = config.training;
  t.epochs = num('epochs', values.epochs, 1) ?? t.epochs;
  t.learning_rate = num('lr', values.lr, 0) ?? t.learning_rate;
  t.batch_size = num('batch-size', values['batch-size'], 1) ?? t.batch_size;
  const network = networkFromConfig(config);

  const checkpointPath = join(values.out!, 'checkpoint.bin');
  let resumeFrom: Checkpoint | undefined;
  if (values.resume) {
    if (!existsSync(checkpointPath))
      throw new Error(`${checkpointPath} does not exist: start without --resume (or point --out at the run)`);
    const saved = readCheckpoint(readFileSync(checkpointPath), checkpointPath);
    resumeFrom = saved.checkpoint;
    config = parseModelConfig(saved.metadata['model_config'] ?? '', `${checkpointPath} (model_config)`).config;
    process.stderr.write(`resuming at step ${resumeFrom.progress.step} (epoch ${resumeFrom.progress.epoch + 1})\n`);
  }
  const settings: TrainSettings = resumeFrom?.settings ?? trainSettingsFromConfig(t);
  settings.maxSteps = num('max-steps', values['max-steps'], 1);
  if (!resumeFrom && values['lr-decay-to'] !== undefined) {
    const f = num('lr-decay-to', values['lr-decay-to'], 0)!;
    if (f > 1) throw new UsageError(`--lr-decay-to is a fraction of --lr between 0 and 1, got ${f}`);
    settings.decayToFraction = f;
  }
  if (values['lr-decay-steps'] !== undefined) {
    if (resumeFrom)
      throw new UsageError(
        `--lr-decay-steps is fixed when a run starts: resume without it (${checkpointPath} keeps the run's horizon)`,
      );
    settings.plannedSteps = num('lr-decay-steps', values['lr-decay-steps'], 1);
  }

  const trainSet = encodeAll(readExamples(join(values.data!, 'train.jsonl')), vocab);
  const valExamples = readExamples(join(values.data!, 'val.jsonl'));
  const valSet = encodeAll(valExamples, vocab);
  process.stderr.write(
    `data: ${trainSet.encoded.length} training examples (${trainSet.skipped} skipped), ${valSet.encoded.length} validation; backend ${report.backend}\n`,
  );
  const data = makeBatchSource(trainSet.encoded, { batchSize: t.batch_size, seed: settings.seed });
  settings.plannedSteps = plannedStepsOf(settings, data.batchesPerEpoch()); // the report names it
  const valBatches = spread(
    makeBatches(valSet.encoded, { batchSize: t.batch_size, seed: 1, shuffle: false }),
    num('val-batches', values['val-batches'], 1) ?? Number.POSITIVE_INFINITY,
  );

  const params = initParams(network, settings.seed);
  if (values['init-from'] && !resumeFrom) {
    const base = readModelFiles(readModelDir(values['init-from']));
    restoreParams(params, Object.fromEntries(base.tensors));
  }
  // What the starting weights had behind them, for the report (given again with --resume).
  const baseMetricsPath = values['init-from'] ? join(values['init-from'], 'training_metrics.json') : null;
  const initFrom =
    baseMetricsPath && existsSync(baseMetricsPath)
      ? initFromMetrics(values['init-from']!, JSON.parse(readFileSync(baseMetricsPath, 'utf8')) as TrainingMetrics)
      : null;
  mkdirSync(values.out!, { recursive: true });
  const bestDir = join(values.out!, 'best');
  const evaluator = makeTrainingEvaluator({
    config,
    network,
    params,
    vocab,
    valBatches,
    bestSoFar: resumeFrom?.progress.bestValLoss ?? null,
    sample: valExamples.slice(0, num('eval-sample', values['eval-sample'], 0)),
    onBest: async () => writeModelDir(bestDir, writeModelFiles(config, vocab, await downloadParams(params))),
  });

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const maxMinutes = num('max-minutes', values['max-minutes'], 0);
  const timer = maxMinutes !== undefined ? setTimeout(stop, maxMinutes * 60_000) : undefined;
  const totalSteps = settings.maxSteps ?? settings.epochs * data.batchesPerEpoch();
  const progress = new ProgressLine(totalSteps, resumeFrom?.progress.step ?? 0);
  const evalShare = num('eval-share', values['eval-share'], 0)!;
  if (!(evalShare > 0 && evalShare <= 1))
    throw new UsageError(`--eval-share is a share of the wall time in (0, 1], got ${evalShare}`);
  try {
    const result = await train({
      network,
      params,
      settings,
      data,
      resumeFrom,
      signal: controller.signal,
      evaluate: evaluator.evaluate,
      evalBudget: evalShare < 1 ? new EvalBudget(evalShare) : undefined,
      callbacks: {
        onStep: (s) => progress.update(s, data.batchesPerEpoch(), settings.epochs),
        onEval: (e) =>
          progress.log(
            `eval @ step ${e.step}: val loss ${e.valLoss.toFixed(4)}, token accuracy ${(e.valTokenAccuracy * 100).toFixed(1)}%` +
              Object.entries(e.scores)
                .map(([k, v]) => {
                  const c = e.counts?.[k];
                  const interval = c ? ` [${(c.low * 100).toFixed(0)}–${(c.high * 100).toFixed(0)}, n ${c.n}]` : '';
                  return `, ${k} ${(v * 100).toFixed(1)}%${interval}`;
                })
                .join('') +
              ` (${(e.evalMs / 1000).toFixed(1)} s` +
              (e.evalShare !== undefined ? `, ${(e.evalShare * 100).toFixed(0)}% of the run so far)` : ')'),
          ),
        onCheckpoint: (c) => {
          const bytes = writeCheckpoint(c, { model_config: stringifyModelConfig(config) });
          writeFileSync(`${checkpointPath}.tmp`, bytes);
          renameSync(`${checkpointPath}.tmp`, checkpointPath); // never a half-written checkpoint
        },
        onWarning: (m) => progress.log(`warning: ${m}`),
      },
    });
    progress.done();
    process.stderr.write(
      `stopped: ${result.reason} at step ${result.progress.step} after ${(result.progress.elapsedMs / 60000).toFixed(1)} min of training\n`,
    );
    if ((result.reason === 'aborted' || result.reason === 'max-steps') && !values.finish) {
      process.stderr.write(
        `checkpoint: ${checkpointPath}; continue with \`npm run cli -- train --resume --out ${values.out}\`\n`,
      );
      return 0;
    }
    await finishRun({
      config,
      vocab,
      bestDir,
      modelsDir: values.models!,
      dataDir: values.data!,
      result,
      settings,
      backend: report.backend,
      testSample: num('test-sample', values['test-sample'], 1)!,
      initFrom,
    });
    return 0;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    disposeParams(params);
  }
}
