// Evaluation with the metrics of docs/design.md#metrics, per task, per mode and per bug class, beside
// the copy baseline. Shared by `npm run cli -- eval`, the trainer's periodic evaluation and the
// report, so every figure the project shows comes from this one piece of code.
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../data/examples';
import { encodeExample } from '../data/batching';
import type { Answer, CodingOptimizer, Mode, NetworkConfig, Vocabulary } from '../model';
import { checkPythonSyntax } from '../model';
import {
  checkCompletionSyntax,
  generatedBodyQuality,
  type GeneratedBodyQuality,
  sequenceLoss,
  type Params,
  isSameTokens,
} from '../model/internals';
import { disposeBatch, toTensorBatch } from './host-batch';
import { packBatch } from '../data/batching';

/** The fields every breakdown holds (contract). Rates are null where no example applies. */
export interface MetricSet {
  count: number;
  exact_match: number | null;
  token_accuracy: number | null;
  no_harm_rate: number | null;
  parse_rate: number | null;
  /**
   * Over the group's generate answers, present only where it has some: the share whose body is a
   * placeholder (`pass`, `return False`, a parameter handed back), the mean token F1 of the body
   * against the real one, and the share that read every parameter (of those with parameters besides
   * self/cls; null when none has).
   */
  trivial_rate?: number;
  token_f1?: number;
  all_params_used_rate?: number | null;
  /**
   * Over the group's fix answers to a text with a bug (the target differs from the input), present
   * only where it has some: the share whose target is among the answer's candidates that compile
   * (the first look's, or the answer itself). Exact match over it is what the ranking picks.
   */
  candidate_recall?: number;
}

export interface EvalReport extends MetricSet {
  by_task: Record<string, MetricSet>;
  by_mode: Record<string, MetricSet>;
  by_class: Record<string, MetricSet>;
  /** by_class for each mode alone (the fix targets are per class in convergent mode). */
  by_mode_class: Record<string, Record<string, MetricSet>>;
  /**
   * Per other field of the lines (the outside sets' kind, size, recoverable, half), all modes: only
   * present when a line has one; a field with more than MAX_FIELD_VALUES values is left out.
   */
  by_field?: Record<string, Record<string, MetricSet>>;
  /** The same metrics for "return the input unchanged" (complete: repeat the last line). */
  copy_baseline: MetricSet & { by_task: Record<string, MetricSet>; by_class: Record<string, MetricSet> };
  modes: Mode[];
  eval_ms: number;
}

/** One scored answer. */
interface Outcome {
  task: string;
  mode: string;
  cls: string | undefined;
  fields?: Readonly<Record<string, unknown>>;
  exact: boolean;
  parses: boolean;
  /** no_bug fix examples only: the code came back unchanged. */
  unharmed: boolean | null;
  tokenAccuracy: number | null;
  /** generate only: how the written function compares with the real one. */
  generated?: GeneratedBodyQuality;
  /** fix of a text with a bug only: the target is among the answer's candidates. */
  recalled?: boolean;
}

/** Whether an answer text equals the target, layout-insensitively (complete: one line, indent ignored). */
function sameAnswer(task: string, answer: string, target: string): boolean {
  if (task === 'complete') return isSameTokens(answer.trim(), target.trim());
  return isSameTokens(answer, target);
}

/** The copy baseline's answer: the input itself (complete: its last non-blank line again). */
function copyBaselineAnswer(example: Example): string {
  if (example.task !== 'complete') return example.input;
  const lines = example.input.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

function parsesFor(task: string, input: string, answer: string): boolean {
  // complete: the line can follow the input (a line opening a block counts once given a body).
  if (task === 'complete') return checkCompletionSyntax(input, answer);
  return checkPythonSyntax(answer).ok;
}

const rate = (values: (boolean | number | null)[]) => {
  const present = values.filter((v): v is boolean | number => v !== null);
  return present.length === 0 ? null : present.reduce<number>((sum, v) => sum + Number(v), 0) / present.length;
};

/** The generate figures of a group, or nothing when it holds no generate answer. */
function generatedFigures(outcomes: readonly Outcome[]): Partial<MetricSet> {
  const judged = outcomes.flatMap((o) => (o.generated ? [o.generated] : []));
  if (judged.length === 0) return {};
  return {
    trivial_rate: rate(judged.map((g) => g.trivial))!,
    token_f1: rate(judged.map((g) => g.tokenF1))!,
    all_params_used_rate: rate(judged.map((g) => g.allParametersUsed)),
  };
}

/** candidate_recall of a group, or nothing when it holds no fix of a text with a bug. */
function recallFigure(outcomes: readonly Outcome[]): Partial<MetricSet> {
  const judged = outcomes.flatMap((o) => (o.recalled === undefined ? [] : [o.recalled]));
  return judged.length === 0 ? {} : { candidate_recall: rate(judged)! };
}

function summarize(outcomes: readonly Outcome[]): MetricSet {
  return {
    count: outcomes.length,
    exact_match: rate(outcomes.map((o) => o.exact)),
    token_accuracy: rate(outcomes.map((o) => o.tokenAccuracy)),
    no_harm_rate: rate(outcomes.map((o) => o.unharmed)),
    parse_rate: rate(outcomes.map((o) => o.parses)),
    ...generatedFigures(outcomes),
    ...recallFigure(outcomes),
  };
}

/** A field with more values than this (a line's source) names lines, not groups of them. */
const MAX_FIELD_VALUES = 20;

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

/** by_field: the metrics per value of each scalar field the lines carry. */
function groupByFields(outcomes: readonly Outcome[]): Record<string, Record<string, MetricSet>> | undefined {
  const values = new Map<string, Set<string>>();
  for (const o of outcomes)
    for (const [key, value] of Object.entries(o.fields ?? {})) {
      const text = scalar(value);
      if (text !== undefined) values.set(key, (values.get(key) ?? new Set()).add(text));
    }
  const keys = [...values.entries()].filter(([, seen]) => seen.size <= MAX_FIELD_VALUES).map(([key]) => key);
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.sort().map((key) => [key, groupBy(outcomes, (o) => scalar(o.fields?.[key]))]));
}

function groupBy(outcomes: readonly Outcome[], key: (o: Outcome) => string | undefined): Record<string, MetricSet> {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const k = key(o);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  return Object.fromEntries(
    [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, list]) => [k, summarize(list)]),
  );
}

/** A generate answer's comparison with the real function (nothing for the other tasks). */
function generatedQuality(example: Example, answer: string): Pick<Outcome, 'generated'> {
  return example.task === 'generate' ? { generated: generatedBodyQuality(answer, example.target) } : {};
}

/**
 * Whether a fix answer held the target among its candidates that compile (or gave it): asked only
 * of a text with a bug, for which the target differs from the input.
 */
function recallOf(example: Example, answer: Answer | null, text: string): Pick<Outcome, 'recalled'> {
  if (example.task !== 'fix' || isSameTokens(example.input, example.target)) return {};
  const among = (answer?.candidates ?? []).some(
    (c) => c.parses && c.problem === null && !c.noBug && isSameTokens(c.text, example.target),
  );
  return { recalled: among || sameAnswer(example.task, text, example.target) };
}

/** Teacher-forced token accuracy of one example (mode-independent). */
async function exampleTokenAccuracy(
  network: NetworkConfig,
  params: Params,
  vocab: Vocabulary,
  example: Example,
): Promise<number | null> {
  let host;
  try {
    host = packBatch([encodeExample(example, vocab)]);
  } catch {
    return null;
  }
  const batch = toTensorBatch(host);
  const accuracy = tf.tidy(() => sequenceLoss(network, params, batch, { training: false }).accuracy);
  const value = (await accuracy.data())[0]!;
  accuracy.dispose();
  disposeBatch(batch);
  return value;
}

export interface EvaluateOptions {
  model: CodingOptimizer;
  /** For teacher-forced token accuracy; omit to skip it. */
  network?: NetworkConfig;
  params?: Params;
  vocab?: Vocabulary;
  modes: Mode[];
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export async function evaluateExamples(examples: readonly Example[], options: EvaluateOptions): Promise<EvalReport> {
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const baseline: Outcome[] = [];
  const total = examples.length * options.modes.length;
  let done = 0;
  for (const example of examples) {
    if (options.signal?.aborted) break;
    const tokenAccuracy =
      options.network && options.params && options.vocab
        ? await exampleTokenAccuracy(options.network, options.params, options.vocab, example)
        : null;
    const isNoBug = example.task === 'fix' && example.class === 'no_bug';
    const copy = copyBaselineAnswer(example);
    baseline.push({
      task: example.task,
      mode: 'copy',
      cls: example.class,
      tokenAccuracy: null,
      exact: sameAnswer(example.task, copy, example.target),
      parses: parsesFor(example.task, example.input, copy),
      unharmed: isNoBug ? true : null,
      ...generatedQuality(example, copy),
    });
    for (const mode of options.modes) {
      // An input the model refuses counts as a wrong answer.
      const answer: Answer | null = await options.model
        .run({ task: example.task, mode, code: example.input })
        .catch(() => null);
      const text = answer?.text ?? '';
      outcomes.push({
        task: example.task,
        mode,
        cls: example.class,
        fields: example.fields,
        tokenAccuracy,
        exact: sameAnswer(example.task, text, example.target),
        parses: parsesFor(example.task, example.input, text),
        unharmed: isNoBug ? isSameTokens(text, example.input) : null,
        ...generatedQuality(example, text),
        ...recallOf(example, answer, text),
      });
      options.onProgress?.(++done, total);
    }
  }
  const byField = groupByFields(outcomes);
  return {
    ...summarize(outcomes),
    ...(byField === undefined ? {} : { by_field: byField }),
    by_task: groupBy(outcomes, (o) => o.task),
    by_mode: groupBy(outcomes, (o) => o.mode),
    by_class: groupBy(outcomes, (o) => o.cls),
    by_mode_class: Object.fromEntries(
      options.modes.map((mode) => [
        mode,
        groupBy(
          outcomes.filter((o) => o.mode === mode),
          (o) => o.cls,
        ),
      ]),
    ),
    copy_baseline: {
      ...summarize(baseline),
      by_task: groupBy(baseline, (o) => o.task),
      by_class: groupBy(baseline, (o) => o.cls),
    },
    modes: options.modes,
    eval_ms: performance.now() - started,
  };
}
