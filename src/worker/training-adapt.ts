// "Your code" in the training worker: the files the page chose are read as Python (or skipped with
// their reason), split by file and made into examples by the same code as `npm run cli -- adapt`
// (src/data/adapt-files.ts, src/data/adapt-examples.ts). The held-out examples per class are kept
// apart for the before/now measurement; the run validates on them too. A folder that cannot be
// adapted on is refused with the reason and the counts of what was skipped.
import {
  AdaptRefusal,
  countSkipped,
  describeSkipped,
  isSkipped,
  readPythonFile,
  refuseUnreadable,
  type PythonFile,
  type SkippedFile,
} from '../data/adapt-files';
import { ADAPT_CLASSES, buildAdaptData, type AdaptData } from '../data/adapt-examples';
import type { Example } from '../data/examples';
import { MAX_PROBLEMS_SENT, type AdaptSource, type AdaptSummary, type DataOptions } from './training-protocol';

export interface PreparedAdapt {
  train: Example[];
  /** Every held-out example, the classes interleaved: the first ones (the eval sample) cover every class. */
  val: Example[];
  heldout: Record<string, Example[]>;
  adapt: AdaptSummary;
  functions: number;
  duplicates: number;
}

/** One example of each class in turn, then the second of each, and so on. */
export function interleaveClasses(byClass: Readonly<Record<string, readonly Example[]>>): Example[] {
  const lists = ADAPT_CLASSES.map((name) => byClass[name] ?? []);
  const longest = Math.max(0, ...lists.map((l) => l.length));
  const out: Example[] = [];
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

export function prepareAdapt(source: AdaptSource, options: DataOptions): PreparedAdapt {
  const files: PythonFile[] = [];
  const skipped: SkippedFile[] = [...source.skipped];
  for (const file of source.files) {
    const read = readPythonFile({ path: file.name, text: file.text });
    if (isSkipped(read)) skipped.push(read);
    else files.push(read);
  }
  const selection = { read: source.files.map((f) => f.name), skipped: source.skipped, notPython: source.notPython };
  refuseUnreadable(source.where, source.listed, selection, files, skipped);
  let data: AdaptData;
  try {
    data = buildAdaptData(files, { seed: options.seed, maxTokens: options.maxTokens, perClass: source.perClass });
  } catch (error) {
    // The counts of what was skipped belong with the refusal: they may be why too little is left.
    if (error instanceof AdaptRefusal && skipped.length > 0)
      throw new AdaptRefusal(`${error.message} (skipped: ${describeSkipped(skipped)})`);
    throw error;
  }
  const heldoutByClass = Object.fromEntries(ADAPT_CLASSES.map((name) => [name, data.heldout[name]?.length ?? 0]));
  return {
    train: data.train,
    val: interleaveClasses(data.heldout),
    heldout: data.heldout,
    functions: data.functions.train + data.functions.heldout + data.functions.heldoutDuplicates,
    duplicates: data.functions.heldoutDuplicates,
    adapt: {
      trainFiles: data.trainFiles,
      heldoutFiles: data.heldoutFiles,
      filesWithoutFunctions: data.filesWithoutFunctions,
      functions: data.functions,
      heldoutByClass,
      skipped: countSkipped(skipped),
      skippedFiles: skipped.slice(0, MAX_PROBLEMS_SENT),
      skippedFolders: source.skippedFolders,
      listed: source.listed,
      notPython: source.notPython,
    },
  };
}
