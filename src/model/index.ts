// The model's front door. `load(files)` gives a CodingOptimizer: nothing else is needed to fix,
// complete or write code (the backend is whatever the host selected before calling load). The app
// (src/ui, src/worker), the command line (src/cli) and the package (src/package) import the model
// from here only; the rest of what they need to read, write, train and check model files follows.
// The parts behind it (kernels, reference ops, the lexer, task encodings, the loss) are in
// ./internals, for the data and training code, the platform, the dev pages and the tests.
import { Seq2SeqCodingOptimizer } from './coding-optimizer';
import { readModelFiles, uploadParams, type ModelFiles } from './files/model-files';

export type {
  Answer,
  AnswerCandidate,
  CodingOptimizer,
  FileEdit,
  Mode,
  ModelInfo,
  Proposal,
  ProposalSource,
  RunRequest,
  SearchSummary,
  SummaryCandidate,
  Task,
} from './api';
export { InputError, MODES } from './api';
export { TASKS } from './tasks';
export { ModelFileError } from './files/safetensors';
// Does the text compile? As strict as Python's own compiler, with its messages.
export { checkPythonSyntax, completionSyntaxCheck, type ParseCheck } from './python/parse-check';
export { MAX_FILE_LINES } from './fix/search-limits';
// Is a written function only a placeholder (`pass`, `return False`)? The playground says so.
export { trivialBody, type TrivialBody, type TrivialBodyKind } from './generate-quality';

/** Checks the three model files, uploads the weights and returns the model behind the interface. */
export async function load(files: ModelFiles): Promise<Seq2SeqCodingOptimizer> {
  const host = readModelFiles(files);
  return new Seq2SeqCodingOptimizer(
    host.config,
    host.network,
    host.vocab,
    uploadParams(host),
    host.warnings,
    host.names,
  );
}
export { FIX_TUNING, Seq2SeqCodingOptimizer } from './coding-optimizer';

// The model files: read, checked, written, and described by `inspect`.
export {
  downloadParams,
  MODEL_FILE_NAMES,
  networkFromConfig,
  readModelFiles,
  uploadParams,
  writeModelFiles,
  type ModelFiles,
} from './files/model-files';
export {
  type ModelConfig,
  type ModelPresetName,
  parseModelConfig,
  presetConfig,
  stringifyModelConfig,
} from './files/config';
export { checkFingerprints, describeMismatch, type FingerprintCheck } from './files/fingerprint';
export { elementCount, formatShape, readSafetensors } from './files/safetensors';
export { NAME_FILE_NAMES, readNameFiles, type NameLexicon } from './files/name-files';
export { Vocabulary } from './vocab';

// What a training host needs to start a network from scratch and seed its data.
export { countParams, disposeParams, initParams, type NetworkConfig } from './net/parameters';
export { deriveSeed, Rng } from './net/random';
