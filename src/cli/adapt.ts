// `adapt`: fine-tunes a model on a folder of the user's Python and measures, per class, whether it
// fixes more of that code: the held-out files' exact match in convergent mode before and after, with
// 95% Wilson intervals. The same core as the page (src/data/adapt-*.ts, src/train/adapt.ts).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readModelFiles } from '../model';
import { buildAdaptData, DEFAULT_HELDOUT_PER_CLASS, type AdaptData } from '../data/adapt-examples';
import {
  AdaptRefusal,
  countSkipped,
  describeSkipped,
  isSkipped,
  readPythonFile,
  refuseUnreadable,
  selectFiles,
  type PythonFile,
  type SkippedFile,
} from '../data/adapt-files';
import { adapt, type AdaptResult } from '../train/adapt';
import { initNodeBackend } from '../platform/node/node';
import { listFolder, readFolderFile } from './adapt-folder';
import { adaptReportJson, adaptReportMarkdown, scoresTable } from './adapt-report';
import { DEFAULT_MODEL_DIR, readModelDir, writeModelDir } from './model-dir';
import { formatDuration } from './progress';
import { UsageError } from './usage-error';

export const DEFAULT_ADAPT_OUT = 'checkpoints/adapt';

export const usage = `usage: npm run cli -- adapt --source DIR --minutes M [--models ${DEFAULT_MODEL_DIR}] [--out ${DEFAULT_ADAPT_OUT}]
                             [--seed S] [--per-class N] [--lr X] [--backend wasm|cpu] [--json]
  Fine-tunes the model in --models on the Python files of DIR for M minutes and measures whether
  it fixes more of that code. The files are split by file, 80% to train on and 20% held out; fix
  examples (each targeted bug class and no_bug, several per function, up to --per-class N per class,
  default ${DEFAULT_HELDOUT_PER_CLASS}) and next-line completions are made from both. The held-out examples are measured in
  convergent mode before and after: exact match per class with 95% Wilson intervals. Writes the
  adapted model files, adapt_report.json and adapt_report.md to --out. Not read: hidden folders,
  .venv, venv, site-packages, node_modules, __pycache__, build, dist, symbolic links, files over
  1 MB, .py files past the first 5,000, files that are not UTF-8 or do not compile. --json prints
  {"before":{CLASS:{"n","exact","low","high"}},"after":{...},"train_files","heldout_files",
  "examples","minutes","tokens","backend"} on standard output.`;

export interface ReadFolder {
  files: PythonFile[];
  skipped: SkippedFile[];
  skippedFolders: string[];
  notPython: number;
}

/** The folder's Python files as an adaptation reads them; throws when none can be read. */
export function readSourceFolder(dir: string): ReadFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--source ${dir} is not a folder`);
  const listed = listFolder(dir);
  const selection = selectFiles(listed.files);
  const files: PythonFile[] = [];
  const skipped = [...selection.skipped];
  for (const path of selection.read) {
    const read = readPythonFile(readFolderFile(dir, path));
    if (isSkipped(read)) skipped.push(read);
    else files.push(read);
  }
  refuseUnreadable(dir, listed.files.length, selection, files, skipped);
  return { files, skipped, skippedFolders: listed.skippedFolders, notPython: selection.notPython };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      minutes: { type: 'string' },
      models: { type: 'string', default: DEFAULT_MODEL_DIR },
      out: { type: 'string', default: DEFAULT_ADAPT_OUT },
      seed: { type: 'string', default: '1' },
      'per-class': { type: 'string', default: String(DEFAULT_HELDOUT_PER_CLASS) },
      lr: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.source) throw new UsageError('give the folder of Python files with --source DIR');
  if (values.minutes === undefined) throw new UsageError('give the training time with --minutes M');
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) throw new UsageError(`--minutes must be a number above 0, got ${JSON.stringify(values.minutes)}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  const perClass = Number(values['per-class']);
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new UsageError(`--per-class must be a positive integer, got ${JSON.stringify(values['per-class'])}`);
  const learningRate = values.lr === undefined ? undefined : Number(values.lr);
  if (learningRate !== undefined && !(learningRate > 0))
    throw new UsageError(`--lr must be a number above 0, got ${JSON.stringify(values.lr)}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const folder = readSourceFolder(values.source);
  const modelFiles = readModelDir(values.models!);
  const { config } = readModelFiles(modelFiles);
  let data: AdaptData;
  try {
    data = buildAdaptData(folder.files, { seed, maxTokens: config.architecture.max_sequence_length, perClass });
  } catch (error) {
    if (error instanceof AdaptRefusal && folder.skipped.length > 0)
      throw new AdaptRefusal(`${error.message} (skipped: ${describeSkipped(folder.skipped)})`);
    throw error;
  }
  const heldoutCount = Object.values(data.heldout).reduce((sum, list) => sum + list.length, 0);
  log(
    `read ${folder.files.length} Python files (skipped: ${describeSkipped(folder.skipped)}; ${folder.skippedFolders.length} folders not entered); ` +
      `train ${data.trainFiles.length} files, ${data.functions.train} functions, ${data.train.length} examples; ` +
      `held out ${data.heldoutFiles.length} files, ${data.functions.heldout} functions, ${heldoutCount} examples`,
  );

  const backend = await initNodeBackend(values.backend ?? null);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('stopped: nothing written'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let result: AdaptResult;
  const started = performance.now();
  let lastLogged = 0;
  try {
    result = await adapt({
      model: modelFiles,
      data,
      minutes,
      seed,
      learningRate,
      signal: controller.signal,
      onPhase: (phase) =>
        log(
          phase === 'training'
            ? `fine-tuning for ${minutes} min on ${backend.backend}`
            : `measuring the held-out examples ${phase} fine-tuning (convergent mode)`,
        ),
      onMeasureProgress: (_phase, done, total) => {
        if (done - lastLogged >= 50 || done === total)
          log(`  ${done}/${total} (${formatDuration(performance.now() - started)})`);
        lastLogged = done === total ? 0 : done;
      },
      onStep: (s) =>
        s.step % 25 === 0 && log(`  step ${s.step} loss ${s.loss.toFixed(3)} ${s.tokensPerSecond.toFixed(0)} tok/s`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }

  const report = adaptReportJson(result, data, {
    minutes,
    seed,
    source: values.source,
    models: values.models!,
    skipped: countSkipped(folder.skipped),
    skippedFolders: folder.skippedFolders,
  });
  mkdirSync(values.out!, { recursive: true });
  writeModelDir(values.out!, result.adapted);
  writeFileSync(join(values.out!, 'adapt_report.json'), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(join(values.out!, 'adapt_report.md'), adaptReportMarkdown(report, argv));
  log(`wrote the adapted model files, adapt_report.json and adapt_report.md to ${values.out}`);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${scoresTable(result.before, result.after)}\n`);
  return 0;
}
