// The end of a training run: the best model (by validation loss) is evaluated on the test split in
// every mode, and written with training_metrics.json, training_report.md and training_metrics.svg.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MODEL_FILE_NAMES,
  MODES,
  readModelFiles,
  stringifyModelConfig,
  type Mode,
  type ModelConfig,
  type Vocabulary,
} from '../model';
import { evaluateModelOnFile } from './evaluate-file';
import {
  METRICS_FORMAT,
  runMetrics,
  type InitFrom,
  type MeasuredEval,
  type TrainingMetrics,
} from '../train/metrics-file';
import type { TrainResult, TrainSettings } from '../train/loop';
import type { EvalReport } from '../train/evaluate';
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
  if (!existsSync(join(o.bestDir, MODEL_FILE_NAMES.weights)))
    throw new Error(`${o.bestDir} holds no model: the run ended before its first evaluation`);
  const { test, parameters, count } = await evaluateTestSplit(o.bestDir, o.dataDir, o.testSample, o.modelsDir);
  const r = o.result;
  const statsPath = join(o.dataDir, 'dataset_stats.json');
  const metrics: TrainingMetrics = {
    ...runMetrics({
      created: new Date().toISOString(),
      model: {
        name: o.config.model.name,
        version: o.config.model.version,
        parameters,
        architecture: { ...o.config.architecture },
        vocab_size: o.vocab.size,
      },
      settings: { ...o.settings, batch_size: o.config.training.batch_size },
      run: {
        stop_reason: r.reason,
        steps: r.progress.step,
        epochs_completed: r.progress.epoch,
        wall_time_ms: r.progress.elapsedMs,
        tokens_seen: r.progress.tokensSeen,
        best_val_loss: r.progress.bestValLoss,
        backend: o.backend,
        machine: machineDescription(),
      },
      history: r.history,
      dataset: existsSync(statsPath) ? JSON.parse(readFileSync(statsPath, 'utf8')) : null,
    }),
    test,
    init_from: o.initFrom,
  };
  const config = withTrainingResults(readModelFiles(readModelDir(o.bestDir)).config, metrics, count);
  mkdirSync(o.modelsDir, { recursive: true });
  writeFileSync(join(o.modelsDir, MODEL_FILE_NAMES.config), stringifyModelConfig(config));
  copyFileSync(join(o.bestDir, MODEL_FILE_NAMES.weights), join(o.modelsDir, MODEL_FILE_NAMES.weights));
  copyFileSync(join(o.bestDir, MODEL_FILE_NAMES.tokenizer), join(o.modelsDir, MODEL_FILE_NAMES.tokenizer));
  writeModelReport(o.modelsDir, metrics);
  process.stderr.write(
    `wrote the model, training_metrics.json, training_report.md and training_metrics.svg to ${o.modelsDir}\n`,
  );
}

const fileSha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let runningCodeSha256: string | undefined;

/**
 * The code that turns weights into answers (src/model: tokenizer, network, fix search): figures
 * measured by other code are not this code's figures, though the weights and examples are the same.
 */
export function modelCodeSha256(root?: string): string {
  // The running code's hash is read once: `finish` asks for it with every figure it writes or reuses.
  if (root === undefined)
    return (runningCodeSha256 ??= modelCodeSha256(fileURLToPath(new URL('../model', import.meta.url))));
  const hash = createHash('sha256');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const f of files)
    hash
      .update(`${f.replaceAll('\\', '/')}\0`)
      .update(readFileSync(join(root, f)))
      .update('\0');
  return hash.digest('hex');
}

/**
 * A previous model's figures, when they were measured on the examples now in `path` (same content,
 * same count) by the same model code; else null, and they are measured again. The same path
 * (data/test.jsonl) may hold another dataset's examples (reuse by path would compare figures taken
 * on two test splits), and a change to the fix search changes every model's figures.
 */
export function reusableEval(
  e: MeasuredEval | null | undefined,
  path: string,
  limit: number,
  codeSha256 = modelCodeSha256(),
): MeasuredEval | null {
  const sameData = e?.data_sha256 !== undefined && e.data_sha256 === fileSha256(path) && e.limit === limit;
  return e && sameData && e.code_sha256 === codeSha256 ? e : null;
}

/** The test split of DATA evaluated in every mode (beside the copy baseline), by the model in `dir`. */
async function evaluateTestSplit(dir: string, dataDir: string, testSample: number, reportedDir: string) {
  const testPath = join(dataDir, 'test.jsonl');
  if (!existsSync(testPath))
    throw new Error(`${testPath} does not exist: point --data at the folder \`npm run cli -- dataset\` wrote`);
  const { report, parameters, count } = await evaluateFile(
    dir,
    testPath,
    testSample,
    [...MODES],
    'test examples',
    false,
  );
  const test = measured(report, testPath, count, 'all', reportedDir);
  return { test, parameters, count, testPath };
}

/** Outside real code (`dataset --outside`), convergent mode, as `eval` reads it (fix files of any length). */
async function evaluateOutside(
  dir: string,
  outsidePath: string,
  limit: number,
  reportedDir: string,
): Promise<MeasuredEval> {
  if (!existsSync(outsidePath))
    throw new Error(`${outsidePath} does not exist: write it with \`npm run cli -- dataset --outside\``);
  const { report, count } = await evaluateFile(dir, outsidePath, limit, ['convergent'], 'outside examples', true);
  return measured(report, outsidePath, count, 'convergent', reportedDir);
}

/** A report with what it read (file, content, count), the code that measured it and the command that reproduces it. */
function measured(report: EvalReport, path: string, count: number, mode: string, reportedDir: string): MeasuredEval {
  const command = `npm run cli -- eval --data ${path} --limit ${count} --mode ${mode} --models ${reportedDir} --json`;
  return {
    ...report,
    data: path,
    data_sha256: fileSha256(path),
    code_sha256: modelCodeSha256(),
    limit: count,
    command,
  };
}

/** `path` evaluated by the model in `dir`, through the code `eval` runs; progress on stderr. */
function evaluateFile(dir: string, path: string, limit: number, modes: Mode[], what: string, asEval: boolean) {
  process.stderr.write(`evaluating ${dir} on ${what} of ${path} in ${modes.join(', ')}…\n`);
  return evaluateModelOnFile(readModelDir(dir), path, {
    modes,
    limit,
    asEval,
    onProgress: (done, total) => done % 50 === 0 && process.stderr.write(`  ${done}/${total}\n`),
  });
}

/** [training_results]: measured values only, next to the settings that produced them. */
function withTrainingResults(config: ModelConfig, metrics: TrainingMetrics, testExamples: number): ModelConfig {
  const r = metrics.run;
  return {
    ...config,
    training_results: {
      steps: r.steps,
      epochs_completed: r.epochs_completed,
      stop_reason: r.stop_reason,
      best_val_loss: r.best_val_loss ?? -1,
      wall_time_minutes: Math.round(r.wall_time_ms / 600) / 100,
      test_exact_match: metrics.test?.exact_match ?? -1,
      test_examples: testExamples,
      measured_on: metrics.created,
    },
  };
}

export interface FinishModelOptions {
  testSample: number;
  /** `dataset --outside`'s functions.jsonl: measured in convergent mode into the metrics' outside section. */
  outside?: string;
  outsideLimit?: number;
  /** The model this one replaces: its figures on the same examples go beside these (measured unless its metrics hold them). */
  previous?: string;
}

/**
 * `finish --models DIR --data DIR`: a model folder whoever trained it (this trainer or the PyTorch
 * one, trainer/) gets the test section of its training_metrics.json, [training_results] in its
 * config, the report and the chart, from the same code as `train --finish`.
 */
export async function finishModelDir(modelsDir: string, dataDir: string, options: FinishModelOptions): Promise<void> {
  const metricsPath = join(modelsDir, 'training_metrics.json');
  const metrics = readMetrics(metricsPath);
  const { test, count } = await evaluateTestSplit(modelsDir, dataDir, options.testSample, modelsDir);
  metrics.test = test;
  const outsideLimit = options.outsideLimit ?? 360;
  // complete.jsonl and generate.jsonl beside the outside functions, when dataset --outside wrote them.
  const beside = (name: string) => {
    const path = options.outside ? join(dirname(options.outside), name) : null;
    return path !== null && existsSync(path) ? path : null;
  };
  const completePath = beside('complete.jsonl');
  const generatePath = beside('generate.jsonl');
  if (options.outside) metrics.outside = await evaluateOutside(modelsDir, options.outside, outsideLimit, modelsDir);
  if (completePath) metrics.outside_complete = await evaluateOutside(modelsDir, completePath, outsideLimit, modelsDir);
  if (generatePath) metrics.outside_generate = await evaluateOutside(modelsDir, generatePath, outsideLimit, modelsDir);
  if (options.previous) {
    const before = readMetrics(join(options.previous, 'training_metrics.json'));
    const prevTest =
      reusableEval(before.test, test.data, test.limit) ??
      (await evaluateTestSplit(options.previous, dataDir, options.testSample, options.previous)).test;
    const prevOutside = options.outside
      ? (reusableEval(before.outside, options.outside, metrics.outside!.limit) ??
        (await evaluateOutside(options.previous, options.outside, outsideLimit, options.previous)))
      : null;
    const prevComplete = completePath
      ? (reusableEval(before.outside_complete, completePath, metrics.outside_complete!.limit) ??
        (await evaluateOutside(options.previous, completePath, outsideLimit, options.previous)))
      : null;
    const prevGenerate = generatePath
      ? (reusableEval(before.outside_generate, generatePath, metrics.outside_generate!.limit) ??
        (await evaluateOutside(options.previous, generatePath, outsideLimit, options.previous)))
      : null;
    metrics.previous = {
      dir: options.previous,
      created: before.created,
      test: prevTest,
      outside: prevOutside,
      outside_complete: prevComplete,
      outside_generate: prevGenerate,
    };
  }
  const statsPath = join(dataDir, 'dataset_stats.json');
  if (!metrics.dataset && existsSync(statsPath)) metrics.dataset = JSON.parse(readFileSync(statsPath, 'utf8'));
  const config = withTrainingResults(readModelFiles(readModelDir(modelsDir)).config, metrics, count);
  writeFileSync(join(modelsDir, MODEL_FILE_NAMES.config), stringifyModelConfig(config));
  writeModelReport(modelsDir, metrics);
  process.stderr.write(
    `wrote the test section of training_metrics.json, training_report.md and training_metrics.svg to ${modelsDir}\n`,
  );
}

function readMetrics(path: string): TrainingMetrics {
  if (!existsSync(path))
    throw new Error(
      `${path} does not exist: finish reads the training metrics its trainer wrote (python3 -m trainer train, or npm run cli -- train)`,
    );
  const metrics = JSON.parse(readFileSync(path, 'utf8')) as TrainingMetrics;
  if (metrics.format !== METRICS_FORMAT)
    throw new Error(`${path}: format is ${JSON.stringify(metrics.format)}, expected "${METRICS_FORMAT}"`);
  return metrics;
}

/** Writes the metrics, the chart and the report (which lists every artifact's real size). */
function writeModelReport(dir: string, metrics: TrainingMetrics): void {
  writeFileSync(join(dir, 'training_metrics.svg'), writeTrainingChart(metrics));
  const names = [MODEL_FILE_NAMES.weights, MODEL_FILE_NAMES.config, MODEL_FILE_NAMES.tokenizer, 'training_metrics.svg'];
  metrics.artifacts = Object.fromEntries(names.map((name) => [name, statSync(join(dir, name)).size]));
  writeFileSync(join(dir, 'training_metrics.json'), `${JSON.stringify(metrics, null, 1)}\n`);
  metrics.artifacts['training_metrics.json'] = statSync(join(dir, 'training_metrics.json')).size;
  writeFileSync(join(dir, 'training_report.md'), writeTrainingReport(metrics));
}
