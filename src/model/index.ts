// The model's front door. `load(files)` gives a CodingOptimizer: nothing else is needed to fix,
// complete or write code (the backend is whatever the host selected before calling load). The rest
// of the project (data, training, workers, UI, CLI, platform) imports the model from here only.
import { Seq2SeqCodingOptimizer } from './coding-optimizer';
import { readModelFiles, uploadParams, type ModelFiles } from './files/model-files';

export type { Answer, AnswerCandidate, CodingOptimizer, Mode, ModelInfo, RunRequest, Task } from './api';
export { InputError, MODES } from './api';
export { NotPythonError } from './python/not-python';
export { MAX_FILE_LINES } from './fix/whole-file';
export { MODEL_FILE_NAMES, readModelFiles, writeModelFiles, type ModelFiles } from './files/model-files';
export { ModelFileError } from './files/safetensors';

/** Checks the three model files, uploads the weights and returns the model behind the interface. */
export async function load(files: ModelFiles): Promise<Seq2SeqCodingOptimizer> {
  const host = readModelFiles(files);
  return new Seq2SeqCodingOptimizer(host.config, host.network, host.vocab, uploadParams(host), host.warnings);
}

// What the data, training, worker, UI, CLI and platform code use of the model's parts.
export { type FileEdit } from './api';
export { Seq2SeqCodingOptimizer } from './coding-optimizer';
export {
  type ModelConfig,
  type ModelPresetName,
  parseModelConfig,
  presetConfig,
  stringifyModelConfig,
} from './files/config';
export { canonicalJson, checkFingerprints, describeMismatch, type FingerprintCheck } from './files/fingerprint';
export { downloadParams, type HostModel, networkFromConfig, uploadParams } from './files/model-files';
export { elementCount, formatShape, type NamedTensor, readSafetensors, writeSafetensors } from './files/safetensors';
export { beamSearch, greedyDecode } from './net/decoding';
export { lstmStep, lstmStepReference, runLstmTimeMajor } from './net/lstm-cell';
export {
  FUSED_LSTM_GATES,
  FUSED_LSTM_GATES_GRAD,
  type FusedLstmGatesGradAttrs,
  lstmGates,
  lstmGatesOp,
  MASKED_LSTM_GATES,
  MASKED_LSTM_GATES_GRAD,
  type MaskedLstmGatesGradAttrs,
  maskedLstmGatesKernelAvailable,
  maskedLstmGatesOp,
  maskedLstmGatesReference,
} from './net/lstm-ops';
export { deriveSeed, Rng, uniformStream } from './net/random';
export {
  countParams,
  DEFAULT_NETWORK_CONFIG,
  disposeParams,
  initParams,
  type NetworkConfig,
  type Params,
} from './net/parameters';
export { disposeEncoded, encode } from './net/encoder';
export { type Batch, lossAndGrads, sequenceLoss } from './net/seq2seq';
export {
  isKeyword,
  isValueKeyword,
  KEYWORDS,
  lex,
  OPERATORS,
  type Token,
  tokenTexts,
  VALUE_KEYWORDS,
} from './python/lexer';
export { lineLayout, splitLines } from './python/lines';
export { checkCompletionSyntax, checkPythonSyntax, type ParseCheck } from './python/parse-check';
export {
  encodeComplete,
  type EncodedExample,
  encodeFix,
  fixTarget,
  isSameTokens,
  splitFunction,
  TaskError,
  TASKS,
  taskSource,
} from './tasks';
export { BOS_ID, CORE_NAMES, EOS, EOS_ID, MAX_LINES, PAD_ID, RESERVED_TOKENS, UNK_ID, Vocabulary } from './vocab';
