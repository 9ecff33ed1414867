// The end of a training run: the best model (by validation loss) is evaluated on the test split in
// every mode, and written with training_metrics.json, training_report.md and training_metrics.svg.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import type { ModelConfig } from '../model/config';
import { stringifyModelConfig } from '../model/config';
import { MODES } from '../model/api';
import { load, MODEL_FILE_NAMES } from '../model/index';
import { readModelFiles } from '../model/model-files';
import type { Vocabulary } from '../model/vocab';
import { parseJsonl } from '../data/jsonl';
import { evaluateExamples } from '../train/evaluate';
import { epochSummary, METRICS_FORMAT, thinSteps, type InitFrom, type TrainingMetrics } from '../train/metrics-file';
import type { TrainResult, TrainSettings } from '../train/loop';
import { writeTrainingChart } from '../train/chart-svg';
import { writeTrainingReport } from '../train/report';
import { readModelDir } from './model-dir';

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${platform()} ${release()}, Node ${process.version}`;
}

export interface FinishOptions {
  config: ModelConfig;
  vocab: Vocabulary;
  bestDir: string;
  modelsDir: string;
  dataDir: string;
  result: TrainResult;
  settings: TrainSettings;
  backend: string;
  testSample: number;
  initFrom: InitFrom | null;
}

export async function finishRun(o: FinishOptions): Promise<void> {
  if (!existsSync(join(o.bestDir, MODEL_FILE_NAMES.weights))) throw new Error(`${o.bestDir} holds no model: the run ended before its first evaluation`);
  const files = readModelDir(o.bestDir);
  const host = readModelFiles(files);
  const model = await load(files);
  const testPath = join(o.dataDir, 'test.jsonl');
  const examples = parseJsonl(readFileSync(testPath, 'utf8'), testPath, { checkEncodable: false }).examples.slice(0, o.testSample);
  process.stderr.write(`evaluating the best model on ${examples.length} test examples in ${MODES.length} modes…\n`);
  const test = await evaluateExamples(examples, {
    model, network: host.network, params: model.params, vocab: host.vocab, modes: [...MODES],
    onProgress: (done, total) => done % 50 === 0 && process.stderr.write(`  ${done}/${total}\n`),
  });
  model.dispose();

  const r = o.result;
  const statsPath = join(o.dataDir, 'dataset_stats.json');
  const metrics: TrainingMetrics = {
    format: METRICS_FORMAT,
    format_version: 1,
    created: new Date().toISOString(),
    model: { name: o.config.model.name, version: o.config.model.version, parameters: model.info.parameters, architecture: { ...o.config.architecture }, vocab_size: o.vocab.size },
    settings: { ...o.settings, batch_size: o.config.training.batch_size },
    run: {
      stop_reason: r.reason, steps: r.progress.step, epochs_completed: r.progress.epoch, wall_time_ms: r.progress.elapsedMs,
      tokens_seen: r.progress.tokensSeen, steps_per_second: (r.progress.step * 1000) / r.progress.elapsedMs,
      tokens_per_second: (r.progress.tokensSeen * 1000) / r.progress.elapsedMs, best_val_loss: r.progress.bestValLoss,
      backend: o.backend, machine: machineDescription(),
    },
    steps: thinSteps(r.history.steps, 3000).map(({ step, epoch, loss, accuracy, tokensPerSecond }) => ({ step, epoch, loss, accuracy, tokensPerSecond })),
    evals: r.history.evals,
    epochs: epochSummary(r.history.steps, r.history.evals),
    dataset: existsSync(statsPath) ? JSON.parse(readFileSync(statsPath, 'utf8')) : null,
    test: { ...test, data: testPath, limit: examples.length, command: `npm run cli -- eval --data ${testPath} --limit ${examples.length} --mode all --models ${o.modelsDir} --json` },
    artifacts: {},
    init_from: o.initFrom,
  };
  // [training_results]: measured values only, next to the settings that produced them.
  const config: ModelConfig = {
    ...host.config,
    training_results: {
      steps: r.progress.step, epochs_completed: r.progress.epoch, stop_reason: r.reason,
      best_val_loss: r.progress.bestValLoss ?? -1, wall_time_minutes: Math.round(r.progress.elapsedMs / 600) / 100,
      test_exact_match: test.exact_match ?? -1, test_examples: examples.length, measured_on: metrics.created,
    },
  };
  mkdirSync(o.modelsDir, { recursive: true });
  writeFileSync(join(o.modelsDir, MODEL_FILE_NAMES.config), stringifyModelConfig(config));
  copyFileSync(join(o.bestDir, MODEL_FILE_NAMES.weights), join(o.modelsDir, MODEL_FILE_NAMES.weights));
  copyFileSync(join(o.bestDir, MODEL_FILE_NAMES.tokenizer), join(o.modelsDir, MODEL_FILE_NAMES.tokenizer));
  writeModelReport(o.modelsDir, metrics);
  process.stderr.write(`wrote the model, training_metrics.json, training_report.md and training_metrics.svg to ${o.modelsDir}\n`);
}

/** Writes the metrics, the chart and the report (which lists every artifact's real size). */
export function writeModelReport(dir: string, metrics: TrainingMetrics): void {
  writeFileSync(join(dir, 'training_metrics.svg'), writeTrainingChart(metrics));
  const names = [MODEL_FILE_NAMES.weights, MODEL_FILE_NAMES.config, MODEL_FILE_NAMES.tokenizer, 'training_metrics.svg'];
  metrics.artifacts = Object.fromEntries(names.map((name) => [name, statSync(join(dir, name)).size]));
  writeFileSync(join(dir, 'training_metrics.json'), `${JSON.stringify(metrics, null, 1)}\n`);
  metrics.artifacts['training_metrics.json'] = statSync(join(dir, 'training_metrics.json')).size;
  writeFileSync(join(dir, 'training_report.md'), writeTrainingReport(metrics));
}
