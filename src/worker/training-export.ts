// The files a browser run hands over: the model trio (writeModelFiles, as the CLI writes them),
// training_metrics.json built the way src/cli/train-finish.ts builds it (without the test-split
// evaluation: `test: null`), the report and the chart written from that JSON.
import * as tf from '@tensorflow/tfjs-core';
import {
  type ModelConfig,
  downloadParams,
  MODEL_FILE_NAMES,
  writeModelFiles,
  countParams,
  type NetworkConfig,
  type Vocabulary,
} from '../model';
import { writeTrainingChart } from '../train/chart-svg';
import { runMetrics } from '../train/metrics-file';
import type { EvalRecord, StepRecord, TrainSettings } from '../train/loop';
import { writeTrainingReport } from '../train/report';
import type { ExportedFiles, RunSettings } from './training-protocol';

export interface RunRecord {
  config: ModelConfig;
  vocab: Vocabulary;
  params: Record<string, tf.Variable>;
  network: NetworkConfig;
  settings: RunSettings;
  loopSettings: TrainSettings;
  history: { steps: StepRecord[]; evals: EvalRecord[] };
  stopReason: string;
  step: number;
  epochsCompleted: number;
  elapsedMs: number;
  tokensSeen: number;
  bestValLoss: number | null;
  backend: string;
  dataset: Record<string, unknown>;
  /** The optional name files of the starting model: they describe the corpus, not the weights, so they go along. */
  nameFiles?: { identifiers?: string; members?: string };
}

/** What the worker can tell about the machine (no Node `os` here). */
function machineDescription(): string {
  const nav = (globalThis as { navigator?: { userAgent?: string; hardwareConcurrency?: number } }).navigator;
  return `browser worker, ${nav?.hardwareConcurrency ?? '?'} logical cores, ${nav?.userAgent ?? 'unknown user agent'}`;
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

export async function exportRun(r: RunRecord): Promise<ExportedFiles> {
  const created = new Date().toISOString();
  // [training_results]: measured values only, as the CLI writes them (no test evaluation here).
  const config: ModelConfig = {
    ...r.config,
    training_results: {
      steps: r.step,
      epochs_completed: r.epochsCompleted,
      stop_reason: r.stopReason,
      best_val_loss: r.bestValLoss ?? -1,
      wall_time_minutes: Math.round(r.elapsedMs / 600) / 100,
      measured_on: created,
      trained_in: `browser (${r.backend})`,
    },
  };
  const files = writeModelFiles(config, r.vocab, await downloadParams(r.params), {
    trained_in: 'browser',
    steps: String(r.step),
  });
  const metrics = runMetrics({
    created,
    model: {
      name: config.model.name,
      version: config.model.version,
      parameters: countParams(r.network),
      architecture: { ...config.architecture },
      vocab_size: r.vocab.size,
    },
    settings: { ...r.loopSettings, batch_size: r.settings.batchSize },
    run: {
      stop_reason: r.stopReason,
      steps: r.step,
      epochs_completed: r.epochsCompleted,
      wall_time_ms: r.elapsedMs,
      tokens_seen: r.tokensSeen,
      best_val_loss: r.bestValLoss,
      backend: r.backend,
      machine: machineDescription(),
    },
    history: r.history,
    dataset: r.dataset,
  });
  const chart = writeTrainingChart(metrics);
  metrics.artifacts = {
    [MODEL_FILE_NAMES.weights]: files.weights.length,
    [MODEL_FILE_NAMES.config]: utf8Length(files.config),
    [MODEL_FILE_NAMES.tokenizer]: utf8Length(files.tokenizer),
    'training_metrics.svg': utf8Length(chart),
  };
  const metricsText = `${JSON.stringify(metrics, null, 1)}\n`;
  metrics.artifacts['training_metrics.json'] = utf8Length(metricsText);
  // The report's writer names the CLI as its author; this one came from the page.
  const report = writeTrainingReport(metrics).replace(
    'by `npm run cli -- train`',
    'by the in-browser trainer (training tab)',
  );
  const names = Object.fromEntries(Object.entries(r.nameFiles ?? {}).filter(([, text]) => text !== undefined));
  return { ...files, ...names, metrics: metricsText, report, chart, step: r.step };
}
