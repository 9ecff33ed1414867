// Sorts the files a person picked ("Load model files") into the three a model is made of. Names
// decide, so the Train tab's downloads and a copy of public/models both work as they are; anything
// else picked with them (metrics, report, chart) is named and left out. The contents are checked by
// the worker's loader, which says what is wrong with a file that does not belong.
import { MODEL_FILE_NAMES, NAME_FILE_NAMES, type ModelFiles } from '../../model';

/** Larger than any model this app can train or run; refused before reading it into memory. */
export const MAX_WEIGHTS_BYTES = 512 * 1024 * 1024;

/** The files this app writes beside a model that are not part of it. */
const COMPANIONS = new Set([
  // The optional name files: read when picked, never taken for the tokenizer.
  NAME_FILE_NAMES.identifiers,
  NAME_FILE_NAMES.members,
  'training_metrics.json',
  'training_report.md',
  'training_metrics.svg',
  'dataset_stats.json',
]);

export class ModelPickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelPickError';
  }
}

export interface PickedModel {
  files: ModelFiles;
  /** The names of the three files used, in the order weights, config, tokenizer. */
  used: [string, string, string];
  /** Files picked with them and left out. */
  ignored: string[];
}

const HOW_TO_GET =
  `choose the three files saved together: ${MODEL_FILE_NAMES.weights}, ${MODEL_FILE_NAMES.config} and ${MODEL_FILE_NAMES.tokenizer} ` +
  "(the Train tab's downloads, or the public/models folder of the project)";

/** The one file of a kind: the exact name first, else the only file with the extension. */
function choose(files: File[], exactName: string, extension: string, what: string): File {
  const exact = files.filter((f) => f.name === exactName);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new ModelPickError(`${exactName} was picked ${exact.length} times: ${HOW_TO_GET}`);
  const candidates = files.filter((f) => f.name.toLowerCase().endsWith(extension) && !COMPANIONS.has(f.name));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0)
    throw new ModelPickError(`no ${what} (${exactName}) among the picked files: ${HOW_TO_GET}`);
  throw new ModelPickError(
    `${candidates.length} files could be the ${what} (${candidates.map((f) => f.name).join(', ')}): pick one, or name it ${exactName}`,
  );
}

export async function pickModelFiles(picked: readonly File[]): Promise<PickedModel> {
  const files = [...picked];
  if (files.length === 0) throw new ModelPickError(`no files were picked: ${HOW_TO_GET}`);
  const weights = choose(files, MODEL_FILE_NAMES.weights, '.bin', 'weights file');
  const config = choose(files, MODEL_FILE_NAMES.config, '.toml', 'configuration');
  const tokenizer = choose(files, MODEL_FILE_NAMES.tokenizer, '.json', 'tokenizer');
  if (weights.size > MAX_WEIGHTS_BYTES) {
    throw new ModelPickError(
      `${weights.name} is ${(weights.size / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_WEIGHTS_BYTES / 2 ** 20} MiB any model of this app has: is it the right file?`,
    );
  }
  if (weights.size === 0) throw new ModelPickError(`${weights.name} is empty: ${HOW_TO_GET}`);
  const identifiers = files.find((f) => f.name === NAME_FILE_NAMES.identifiers);
  const members = files.find((f) => f.name === NAME_FILE_NAMES.members);
  const used = [weights, config, tokenizer, ...(identifiers ? [identifiers] : []), ...(members ? [members] : [])];
  const [bytes, configText, tokenizerText, identifiersText, membersText] = await Promise.all([
    weights.arrayBuffer(),
    config.text(),
    tokenizer.text(),
    identifiers?.text(),
    members?.text(),
  ]);
  return {
    files: {
      weights: new Uint8Array(bytes),
      config: configText,
      tokenizer: tokenizerText,
      ...(identifiersText === undefined ? {} : { identifiers: identifiersText }),
      ...(membersText === undefined ? {} : { members: membersText }),
    },
    used: [weights.name, config.name, tokenizer.name],
    ignored: files.filter((f) => !used.includes(f)).map((f) => f.name),
  };
}
