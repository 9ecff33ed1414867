// The model's parts behind the front door (./index), for the code that builds on them: the data
// pipeline (src/data), the training loop (src/train), the fuzzer (src/fuzz), the platform's kernels
// (src/platform), the benchmarks (src/cli/bench*), the dev pages (dev/) and the tests. The app, the
// command line and the package use ./index only (eslint.config.js enforces it). Names the front
// door already exports are imported from there, not repeated here.
export type { Batch } from './net/seq2seq';
export { lossAndGrads, sequenceLoss } from './net/seq2seq';
export { DEFAULT_NETWORK_CONFIG, type Params } from './net/parameters';
export { disposeEncoded, encode } from './net/encoder';
export { beamSearch, greedyDecode } from './net/decoding';
export { uniformStream } from './net/random';

// The LSTM gates as custom kernels (the platform registers them per backend) and their references.
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

// Files: the parts the fuzzer and the tests build files from.
export { MODEL_PRESETS } from './files/config';
export { architectureFingerprint, canonicalJson, fnv1a64Hex, vocabFingerprint } from './files/fingerprint';
export { type HostModel } from './files/model-files';
export { type NamedTensor, writeSafetensors } from './files/safetensors';

// Python text: tokens, lines, syntax checks.
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
export { checkCompletionSyntax } from './python/parse-check';

// Tasks as token sequences, and the vocabulary's reserved ids.
export {
  applyFixAnswer,
  completionText,
  encodeComplete,
  type EncodedExample,
  encodeFix,
  fixTarget,
  generatedText,
  isSameTokens,
  splitFunction,
  TaskError,
  taskSource,
} from './tasks';
export { BOS_ID, CORE_NAMES, EOS, EOS_ID, MAX_LINES, PAD_ID, RESERVED_TOKENS, UNK_ID } from './vocab';

// How a written function compares with the real one (eval's generate figures).
export { bodyTokenF1, generatedBodyQuality, type GeneratedBodyQuality, usesEveryParameter } from './generate-quality';

// The fix search over whole files.
export { parseErrorCandidates } from './fix/edit-candidates';
export { fixFile } from './fix/whole-file';
export { MAX_LOOK_ONLY_WINDOWS, MAX_LOOKS_PER_FILE, MAX_PARTIAL_FIXES, PARSE_BUDGET_CHARS } from './fix/search-limits';
