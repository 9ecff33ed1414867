// What `dataset` writes about a dataset beside it (dataset_stats.json) and prints when done.
import type { TaskMix } from '../data/examples';
import type { modernShares } from '../data/modernize';
import type { AugmentSettings } from '../data/train-augment';
import { SPLITS, type Split } from '../data/splits';
import type { CoverageRow } from '../data/vocab-sizing';
import type { OutsideShares } from './outside-shares';

export interface LengthStats {
  source_max: number;
  source_mean: number;
  source_p95: number;
  target_max: number;
  target_mean: number;
  target_p95: number;
}

export interface DatasetStats {
  format: 'lstm-coding-optimizer-dataset-stats';
  settings: {
    source: string;
    seed: number;
    train_seed: number;
    generated: number;
    max_tokens: number;
    vocab_size: number;
    per_function: number;
    train_mix: TaskMix;
    train_class_boost: Record<string, number>;
    /** --train-token-edits: extra one-token-mutation fix examples per train function (absent in older files). */
    train_token_edits?: number;
    skipped_dirs: readonly string[];
  };
  files: {
    found: number;
    read: number;
    with_functions: number;
    unreadable: number;
    unreadable_files: { file: string; reason: string }[];
  };
  functions: {
    extracted: number;
    generated: number;
    by_source: Record<'source' | 'generated', Record<Split, number>>;
    duplicates_dropped: Record<Split, number>;
    not_usable: number;
  };
  /** Examples left out because the model cannot read them (absent in older files). */
  unencodable_examples?: Record<Split, number>;
  examples: Record<Split, { count: number; by_task: Record<string, number>; by_class: Record<string, number> }>;
  lengths: Record<Split, LengthStats>;
  vocabulary: {
    size: number;
    built_from: 'train';
    fingerprint: string;
    minimum_size: number;
    coverage_split: 'val';
    coverage: CoverageRow[];
  };
  timing_ms: { read_and_extract: number; examples: number; encode_and_coverage: number; total: number };
  augmentation: AugmentSettings & {
    /** Train functions (within --max-tokens) changed by --modernize. */
    modernized_functions: number;
    /** Functions over --max-tokens (up to --context-max-tokens), per split, used for complete only. */
    context_functions: Record<Split, number>;
    /** Complete examples in train from --next-lines (short and long functions). */
    next_line_examples: number;
    /** Train fix examples of one-token mutations (class token_edit). */
    token_edit_examples?: number;
    /** Train complete examples whose input is longer than the model reads (windowed). */
    windowed_complete_examples: number;
    /** Examples in test_context.jsonl. */
    test_context_examples: number;
  };
  /** Share of functions showing each modern form: train before and after --modernize, and outside code. */
  modern_forms: {
    train_before: ReturnType<typeof modernShares>;
    train_after: ReturnType<typeof modernShares>;
    outside: OutsideShares | { skipped: string };
  };
}

export function lengthStats(encoded: readonly { srcTokens: string[]; tgtTokens: string[] }[]): LengthStats {
  const describe = (lengths: number[]) => {
    const sorted = [...lengths].sort((a, b) => a - b);
    const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return {
      max: sorted.at(-1) ?? 0,
      mean: Math.round(mean * 10) / 10,
      p95: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
    };
  };
  const s = describe(encoded.map((e) => e.srcTokens.length));
  const t = describe(encoded.map((e) => e.tgtTokens.length));
  return {
    source_max: s.max,
    source_mean: s.mean,
    source_p95: s.p95,
    target_max: t.max,
    target_mean: t.mean,
    target_p95: t.p95,
  };
}

function modernLine(label: string, shares: DatasetStats['modern_forms']['train_before']): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `${label} ${pct(shares.annotated)} / ${pct(shares.fstring)} / ${pct(shares.async)} / ${pct(shares.walrus)} of ${shares.functions}`;
}

/** The lines `dataset` prints when it is done. */
export function datasetSummary(stats: DatasetStats, out: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `files: ${stats.files.read} read, ${stats.files.unreadable} unreadable, ${stats.files.with_functions} with usable functions (source ${stats.settings.source})`,
    `functions: ${stats.functions.extracted} extracted + ${stats.functions.generated} generated; duplicates dropped ${SPLITS.map((s) => `${s} ${stats.functions.duplicates_dropped[s]}`).join(', ')}`,
    ...SPLITS.map(
      (s) =>
        `${s.padEnd(5)}: ${String(stats.examples[s].count).padStart(6)} examples (${Object.entries(
          stats.examples[s].by_task,
        )
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')}); source ≤ ${stats.lengths[s].source_max} tokens, target ≤ ${stats.lengths[s].target_max}`,
    ),
    `vocabulary: ${stats.vocabulary.size} tokens from train; coverage of val target tokens:`,
    '    size  in-vocab  copy-only  unknown',
    ...stats.vocabulary.coverage.map(
      (r) =>
        `  ${String(r.size).padStart(6)}  ${pct(r.inVocabShare).padStart(8)}  ${pct(r.copyOnlyShare).padStart(9)}  ${pct(r.unknownShare).padStart(7)}`,
    ),
    `train augmentation: ${stats.augmentation.modernized_functions} functions modernized (--modernize ${stats.augmentation.modernize}), ${stats.augmentation.next_line_examples} next-line examples (${stats.augmentation.windowed_complete_examples} longer than the model reads), ${stats.augmentation.token_edit_examples ?? 0} token-edit fix examples, context functions ${SPLITS.map((s) => `${s} ${stats.augmentation.context_functions[s]}`).join(', ')}`,
    `modern forms (annotated, f-string, async, walrus): ${modernLine('train before', stats.modern_forms.train_before)}; ${modernLine('after', stats.modern_forms.train_after)}; ${'skipped' in stats.modern_forms.outside ? `outside skipped (${stats.modern_forms.outside.skipped})` : modernLine('outside', stats.modern_forms.outside.within_limits)}`,
    `wrote ${out}/{train,val,test,test_context}.jsonl, {train,val,test}.ids.jsonl, tokenizer.json, dataset_stats.json in ${(stats.timing_ms.total / 1000).toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}
