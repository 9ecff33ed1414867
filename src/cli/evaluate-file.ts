// A model evaluated on a JSONL file: the code `eval` prints from and `finish` writes its test and
// outside sections from, so a report's "reproduce with `eval ...`" command gives its figures.
import { readFileSync } from 'node:fs';
import { load, readModelFiles, type ModelFiles, type Mode } from '../model';
import type { Example } from '../data/examples';
import { formatProblem, parseJsonl } from '../data/jsonl';
import { evaluateExamples, type EvalReport } from '../train/evaluate';

export interface FileEvaluationOptions {
  modes: Mode[];
  /** The first `limit` usable lines (of those `where` keeps). */
  limit: number;
  /** Only the lines whose fields have these values (`half` = `report`); `class` and `task` count as fields. */
  where?: readonly (readonly [string, string])[];
  /**
   * As `eval` reads a file: fix inputs of any length (the whole-file path), complete and generate
   * within the model's maximum. Off: the test split as the dataset wrote it, every line encodable.
   */
  asEval: boolean;
  onProblem?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface FileEvaluation {
  report: EvalReport;
  /** Lines skipped as unusable. */
  skipped: number;
  count: number;
  parameters: number;
  backend: string;
}

/** A line's field as `--where` compares it: numbers and booleans as JSON writes them. */
function fieldText(example: Example, key: string): string | undefined {
  const value = key === 'class' ? example.class : key === 'task' ? example.task : example.fields?.[key];
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

/** Evaluates the model files on the examples of `path`; the backend is whatever the host selected. */
export async function evaluateModelOnFile(
  files: ModelFiles,
  path: string,
  o: FileEvaluationOptions,
): Promise<FileEvaluation> {
  const host = readModelFiles(files);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as { code?: string }).code ?? String(error)})`, {
      cause: error,
    });
  }
  const parsed = parseJsonl(
    text,
    path,
    o.asEval
      ? { maxTokens: host.config.architecture.max_sequence_length, anyLengthFix: true }
      : { checkEncodable: false },
  );
  for (const problem of parsed.problems) o.onProblem?.(formatProblem(problem));
  if (parsed.examples.length === 0)
    throw new Error(
      `${path}: no usable line (${parsed.problems.length} skipped): each line must be {"task": "fix"|"complete"|"generate", "input": "...", "target": "..."}`,
    );
  const kept = parsed.examples.filter((e) => (o.where ?? []).every(([key, value]) => fieldText(e, key) === value));
  if (kept.length === 0)
    throw new Error(`${path}: no line has ${(o.where ?? []).map(([key, value]) => `${key}=${value}`).join(' and ')}`);
  const examples = kept.slice(0, o.limit);
  const model = await load(files);
  try {
    const report = await evaluateExamples(examples, {
      model,
      network: host.network,
      params: model.params,
      vocab: host.vocab,
      modes: o.modes,
      onProgress: o.onProgress,
    });
    return {
      report,
      skipped: parsed.problems.length,
      count: examples.length,
      parameters: model.info.parameters,
      backend: model.info.backend,
    };
  } finally {
    model.dispose();
  }
}
