// The public API of the model: `load(files)` gives a CodingOptimizer; nothing else is needed to
// fix, complete or write code. The backend is whatever the host selected before calling load.
import { Seq2SeqCodingOptimizer } from './coding-optimizer';
import { readModelFiles, uploadParams, type ModelFiles } from './model-files';

export type { Answer, AnswerCandidate, CodingOptimizer, Mode, ModelInfo, RunRequest, Task } from './api';
export { InputError, MODES } from './api';
export { NotPythonError } from './not-python';
export { MAX_FILE_LINES } from './whole-file';
export { MODEL_FILE_NAMES, readModelFiles, writeModelFiles, type ModelFiles } from './model-files';
export { ModelFileError } from './safetensors';

/** Checks the three model files, uploads the weights and returns the model behind the interface. */
export async function load(files: ModelFiles): Promise<Seq2SeqCodingOptimizer> {
  const host = readModelFiles(files);
  return new Seq2SeqCodingOptimizer(host.config, host.network, host.vocab, uploadParams(host), host.warnings);
}
