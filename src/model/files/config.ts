// model_config.toml: the one file that says what model the weights belong to and how to decode and
// train it (docs/design.md#configuration-file). One schema table below drives defaults, type and
// range checks and the written file, so a key cannot be checked in one place and forgotten in
// another. Keys this code does not use are warnings, not failures, so a config in the seed's schema
// loads what it can.
import { parse, stringify, TomlError } from 'smol-toml';
import type { TomlTableWithoutBigInt, TomlValueWithoutBigInt } from 'smol-toml';
import { ModelFileError } from './safetensors';

export interface ModelConfig {
  model: {
    name: string; // model name shown in the app and written into the weights metadata
    version: string; // version of this trained model (not of the app)
    description: string; // one sentence for humans
  };
  architecture: {
    embedding_dim: number; // size of the token embeddings (encoder and decoder)
    hidden_size: number; // units per LSTM layer
    num_layers: number; // LSTM layers in the encoder and in the decoder
    bidirectional_encoder: boolean; // the first encoder layer reads the input both ways
    attention_heads: number; // heads of the decoder's attention over encoder states; divides hidden_size
    dropout: number; // dropout rate between layers while training, in [0, 1)
    copy_mechanism: boolean; // pointer-generator copy of source tokens
    max_sequence_length: number; // most encoder (input) tokens, task token included
    max_target_length: number; // most decoder (output) tokens, end token included
    vocab_size: number; // generation vocabulary size, specials included; must equal the tokenizer's
  };
  paths: {
    weights: string; // weights file, relative to this config
    tokenizer: string; // tokenizer file, relative to this config
    metrics: string; // training metrics JSON, relative to this config
  };
  inference: {
    beam_width: number; // beams kept by convergent (beam search) decoding
    temperature: number; // softmax temperature for sampling (divergent mode)
    top_k: number; // sample only among the k most likely tokens; 0 turns it off
    top_p: number; // nucleus sampling: smallest token set with this much probability, in (0, 1]
    repetition_penalty: number; // divide the logits of already generated tokens by this (1 = off)
    length_penalty: number; // beam score = log p / length^this (GNMT alpha; 0 = off)
  };
  cognitive_patterns: {
    convergent: {
      focus_threshold: number; // read by no mode (every fix runs the fix search); kept so model files load unchanged
      solution_refinement_iterations: number; // most re-applications of `fix` until the model says "no bug"
      suspect_name_beam_width: number; // fix: beam width when a read name has an unbound near-twin (name-check.ts)
    };
    divergent: {
      creativity_factor: number; // multiplies temperature when sampling alternatives
      alternative_generation_count: number; // sampled candidates per request
    };
    hybrid: {
      mode_switching_threshold: number; // below this convergent confidence, divergent candidates join
      convergent_weight: number; // weight of convergent scores when the two lists merge
      divergent_weight: number; // weight of divergent scores when the two lists merge
    };
  };
  training: {
    epochs: number; // passes over the training split
    learning_rate: number; // Adam learning rate
    batch_size: number; // examples per step
    gradient_clip_norm: number; // clip gradients to this global norm; 0 turns clipping off
    early_stopping_patience: number; // evaluations without validation-loss improvement before stopping; 0 = never
    eval_interval_steps: number; // steps between validation runs
    checkpoint_interval_steps: number; // steps between checkpoints
    seed: number; // seed for initialisation, shuffling and bug injection
  };
  training_results: TomlTableWithoutBigInt; // measured values written by the trainer; kept as found
}

type FieldSpec =
  | { kind: 'string'; nonEmpty?: boolean }
  | { kind: 'bool' }
  | { kind: 'int' | 'float'; min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean };
type SectionSpec<T> = { [K in keyof T]-?: FieldSpec };
type CP = ModelConfig['cognitive_patterns'];

const INT_1 = { kind: 'int', min: 1 } as const;
const INT_0 = { kind: 'int', min: 0 } as const;
const UNIT = { kind: 'float', min: 0, max: 1 } as const;
const POSITIVE = { kind: 'float', min: 0, minOpen: true } as const;
const NON_NEGATIVE = { kind: 'float', min: 0 } as const;
const NAME = { kind: 'string', nonEmpty: true } as const;
/**
 * Beams, samples and refinement passes each cost a decoder pass per output token: without a ceiling a
 * config that loads (beam_width = 4294967297) would hang every request (found by `fuzz`, config case 35).
 */
const MAX_DECODING_WIDTH = 64;
const MAX_REFINEMENT_ITERATIONS = 10;
const WIDTH = { kind: 'int', min: 1, max: MAX_DECODING_WIDTH } as const;

/** Every checked section, by its TOML path, with a spec for every key. */
const SCHEMA = {
  model: { name: NAME, version: NAME, description: { kind: 'string' } } satisfies SectionSpec<ModelConfig['model']>,
  architecture: {
    embedding_dim: INT_1,
    hidden_size: INT_1,
    num_layers: { kind: 'int', min: 1, max: 8 },
    bidirectional_encoder: { kind: 'bool' },
    attention_heads: INT_1,
    dropout: { kind: 'float', min: 0, max: 1, maxOpen: true },
    copy_mechanism: { kind: 'bool' },
    max_sequence_length: { kind: 'int', min: 2 },
    max_target_length: { kind: 'int', min: 2 },
    vocab_size: { kind: 'int', min: 4 },
  } satisfies SectionSpec<ModelConfig['architecture']>,
  paths: { weights: NAME, tokenizer: NAME, metrics: NAME } satisfies SectionSpec<ModelConfig['paths']>,
  inference: {
    beam_width: WIDTH,
    temperature: POSITIVE,
    top_k: INT_0,
    top_p: { kind: 'float', min: 0, max: 1, minOpen: true },
    repetition_penalty: POSITIVE,
    length_penalty: NON_NEGATIVE,
  } satisfies SectionSpec<ModelConfig['inference']>,
  'cognitive_patterns.convergent': {
    focus_threshold: UNIT,
    solution_refinement_iterations: { kind: 'int', min: 1, max: MAX_REFINEMENT_ITERATIONS },
    suspect_name_beam_width: WIDTH,
  } satisfies SectionSpec<CP['convergent']>,
  'cognitive_patterns.divergent': {
    creativity_factor: POSITIVE,
    alternative_generation_count: WIDTH,
  } satisfies SectionSpec<CP['divergent']>,
  'cognitive_patterns.hybrid': {
    mode_switching_threshold: UNIT,
    convergent_weight: NON_NEGATIVE,
    divergent_weight: NON_NEGATIVE,
  } satisfies SectionSpec<CP['hybrid']>,
  training: {
    epochs: INT_1,
    learning_rate: POSITIVE,
    batch_size: INT_1,
    gradient_clip_norm: NON_NEGATIVE,
    early_stopping_patience: INT_0,
    eval_interval_steps: INT_1,
    checkpoint_interval_steps: INT_1,
    seed: { kind: 'int', min: 0, max: 4294967295 },
  } satisfies SectionSpec<ModelConfig['training']>,
} as const;
type SectionPath = keyof typeof SCHEMA;
const SECTION_PATHS = Object.keys(SCHEMA) as SectionPath[];

const SECTION_COMMENTS: Record<SectionPath | 'training_results', string> = {
  model: 'What this model is.',
  architecture: 'The network. Weights only load into the architecture they were trained with (architecture_hash).',
  paths: 'The other model files, relative to this one.',
  inference: 'Decoding: beam search (convergent) and sampling (divergent).',
  'cognitive_patterns.convergent': 'Convergent mode: beam search, fixes re-applied until the model answers "no bug".',
  'cognitive_patterns.divergent': 'Divergent mode: several sampled, deduplicated alternatives.',
  'cognitive_patterns.hybrid': 'Hybrid mode: convergent first, divergent candidates join when confidence is low.',
  training: 'Training run settings.',
  training_results: 'Measured by the trainer (npm run cli -- train); never typed in by hand.',
};

/** Seed keys that mean something but live elsewhere here: said in the warning, not adopted. */
const MOVED_KEYS: Record<string, string> = {
  'inference.max_sequence_length': '[architecture] max_sequence_length',
  'data_preprocessing.vocabulary_size': '[architecture] vocab_size, which the tokenizer sets',
};

/** Keys earlier versions wrote but no decoding step ever read: old files still load, with a warning. */
const RETIRED_KEYS: ReadonlySet<string> = new Set([
  'cognitive_patterns.divergent.exploration_probability',
  'cognitive_patterns.divergent.semantic_diversity_threshold',
]);

const SEED: ModelConfig = {
  model: {
    name: 'lstm-coding-optimizer',
    version: '0.1.0',
    description:
      'Sequence-to-sequence LSTM with attention and copy that fixes, completes and writes short Python functions.',
  },
  architecture: {
    embedding_dim: 128,
    hidden_size: 256,
    num_layers: 2,
    bidirectional_encoder: true,
    attention_heads: 4,
    dropout: 0.2,
    copy_mechanism: true,
    max_sequence_length: 100,
    max_target_length: 100,
    vocab_size: 2000,
  },
  paths: { weights: 'lstm_weights.bin', tokenizer: 'tokenizer.json', metrics: 'training_metrics.json' },
  inference: { beam_width: 5, temperature: 0.7, top_k: 40, top_p: 0.9, repetition_penalty: 1.1, length_penalty: 0.6 },
  cognitive_patterns: {
    convergent: { focus_threshold: 0.8, solution_refinement_iterations: 3, suspect_name_beam_width: 20 },
    divergent: { creativity_factor: 1.2, alternative_generation_count: 5 },
    hybrid: { mode_switching_threshold: 0.5, convergent_weight: 0.6, divergent_weight: 0.4 },
  },
  training: {
    epochs: 25,
    learning_rate: 0.001,
    batch_size: 32,
    gradient_clip_norm: 1.0,
    early_stopping_patience: 5,
    eval_interval_steps: 200,
    checkpoint_interval_steps: 1000,
    seed: 42,
  },
  training_results: {},
};

function withChanges(
  description: string,
  architecture: Partial<ModelConfig['architecture']>,
  training: Partial<ModelConfig['training']>,
): ModelConfig {
  const config = cloneConfig(SEED);
  config.model.description = `${SEED.model.description} ${description}`;
  Object.assign(config.architecture, architecture);
  Object.assign(config.training, training);
  return config;
}

export type ModelPresetName = 'tiny' | 'small' | 'seed';
/**
 * `seed`: the sizes the seed report described. `small`: a model that trains on a CPU in minutes.
 * `tiny`: for tests and in-browser demos on SwiftShader WebGPU, where every op is slow.
 * Frozen: take a copy with presetConfig().
 */
export const MODEL_PRESETS: Readonly<Record<ModelPresetName, ModelConfig>> = deepFreeze({
  seed: SEED,
  small: withChanges('(small preset)', { embedding_dim: 64, hidden_size: 128, dropout: 0.1 }, { epochs: 10 }),
  tiny: withChanges(
    '(tiny preset)',
    {
      embedding_dim: 16,
      hidden_size: 32,
      num_layers: 1,
      bidirectional_encoder: false,
      attention_heads: 2,
      dropout: 0,
      max_sequence_length: 64,
      max_target_length: 32,
    },
    { epochs: 3, batch_size: 8, eval_interval_steps: 20, checkpoint_interval_steps: 100 },
  ),
});

/** A mutable copy of a preset. */
export function presetConfig(name: ModelPresetName = 'seed'): ModelConfig {
  return cloneConfig(MODEL_PRESETS[name]);
}

function cloneConfig(config: ModelConfig): ModelConfig {
  return deepClone(config) as ModelConfig;
}

export interface ParsedModelConfig {
  config: ModelConfig;
  /** One line each, starting with the file name: keys and sections that were ignored or defaulted. */
  warnings: string[];
}

/** Reads model_config.toml. Missing keys take the seed defaults; bad values throw ModelFileError. */
export function parseModelConfig(tomlText: string, fileName = 'model_config.toml'): ParsedModelConfig {
  let document: TomlTableWithoutBigInt;
  try {
    document = parse(tomlText, { integersAsBigInt: false });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    throw new ModelFileError(
      fileName,
      `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}`,
      'Correct that line (TOML syntax: https://toml.io)',
    );
  }
  const config = presetConfig('seed');
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(`${fileName}: ${text}`);
  const fail = (problem: string, fix: string) => new ModelFileError(fileName, problem, fix);
  const seen = new Set<string>();

  const readSection = (path: SectionPath, raw: TomlValueWithoutBigInt) => {
    const table = asTable(raw, path, fail);
    const spec: Record<string, FieldSpec> = SCHEMA[path];
    const target = sectionOf(config, path);
    for (const [key, value] of Object.entries(table)) {
      if (!Object.prototype.hasOwnProperty.call(spec, key)) {
        if (RETIRED_KEYS.has(`${path}.${key}`)) {
          warn(`[${path}] ${key} is no longer a setting (nothing read it); ignored`);
          continue;
        }
        const moved = MOVED_KEYS[`${path}.${key}`];
        warn(`[${path}] ${key} is not used by this model; ignored${moved ? ` (here it is ${moved})` : ''}`);
        continue;
      }
      target[key] = checkValue(path, key, value, spec[key], sectionOf(SEED, path)[key], fail);
      seen.add(`${path}.${key}`);
    }
  };

  for (const [top, raw] of Object.entries(document)) {
    if (top === 'training_results') {
      config.training_results = deepClone(asTable(raw, top, fail)) as TomlTableWithoutBigInt;
    } else if (top === 'cognitive_patterns') {
      for (const [mode, sub] of Object.entries(asTable(raw, top, fail))) {
        const path = `cognitive_patterns.${mode}`;
        if (path in SCHEMA) readSection(path as SectionPath, sub);
        else warn(`[${path}] is not a cognitive pattern of this model (convergent, divergent, hybrid); ignored`);
      }
    } else if (top in SCHEMA) {
      readSection(top as SectionPath, raw);
    } else {
      const keys = isTable(raw) ? Object.keys(raw) : [];
      const hints = keys
        .filter((k) => MOVED_KEYS[`${top}.${k}`])
        .map((k) => `${k}: here it is ${MOVED_KEYS[`${top}.${k}`]}`);
      warn(
        `${isTable(raw) ? `[${top}]` : `top-level key ${top}`} is not used by this model; ignored${hints.length ? ` (${hints.join('; ')})` : ''}`,
      );
    }
  }

  // The architecture decides which weights fit, so say which of its values were not written down.
  const defaulted = Object.keys(SCHEMA.architecture).filter((key) => !seen.has(`architecture.${key}`));
  if (defaulted.length > 0) {
    const values = defaulted.map((key) => `${key} = ${String(sectionOf(SEED, 'architecture')[key])}`).join(', ');
    warn(`[architecture] does not set ${defaulted.join(', ')}; using the seed defaults (${values})`);
  }
  if (!/\.json$/i.test(config.paths.tokenizer)) {
    warn(`[paths] tokenizer = "${config.paths.tokenizer}" is not a JSON file; this app reads tokenizer.json`);
  }
  checkRelations(config, fail);
  return { config, warnings };
}

/** Checks that involve more than one key. */
function checkRelations(config: ModelConfig, fail: (problem: string, fix: string) => ModelFileError): void {
  const { hidden_size: hidden, attention_heads: heads } = config.architecture;
  if (hidden % heads !== 0) {
    const divisors = [1, 2, 4, 8, 16, 32].filter((d) => hidden % d === 0).join(', ');
    throw fail(
      `[architecture] attention_heads = ${heads} does not divide hidden_size = ${hidden}`,
      `Set attention_heads to a divisor of ${hidden} such as ${divisors}, or change hidden_size`,
    );
  }
  const { convergent_weight: c, divergent_weight: d } = config.cognitive_patterns.hybrid;
  if (c + d === 0)
    throw fail(
      '[cognitive_patterns.hybrid] convergent_weight and divergent_weight are both 0',
      'Give at least one of them a positive weight, e.g. 0.6 and 0.4',
    );
}

function checkValue(
  path: string,
  key: string,
  value: TomlValueWithoutBigInt,
  spec: FieldSpec,
  seedValue: unknown,
  fail: (problem: string, fix: string) => ModelFileError,
): string | number | boolean {
  const expected = describeSpec(spec);
  const bad = (found: string) =>
    fail(
      `[${path}] ${key} must be ${expected}, found ${found}`,
      `Write ${key} = ${typeof seedValue === 'string' ? JSON.stringify(seedValue) : String(seedValue)} (the default) or another value that is ${expected}`,
    );
  if (spec.kind === 'string') {
    if (typeof value !== 'string') throw bad(describeValue(value));
    if (spec.nonEmpty && value.trim() === '') throw bad('an empty string');
    return value;
  }
  if (spec.kind === 'bool') {
    if (typeof value !== 'boolean') throw bad(describeValue(value));
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(describeValue(value));
  if (spec.kind === 'int' && !Number.isInteger(value)) throw bad(String(value));
  const belowMin = spec.min !== undefined && (spec.minOpen ? value <= spec.min : value < spec.min);
  const aboveMax = spec.max !== undefined && (spec.maxOpen ? value >= spec.max : value > spec.max);
  if (belowMin || aboveMax) throw bad(String(value));
  return value;
}

function describeSpec(spec: FieldSpec): string {
  if (spec.kind === 'string') return spec.nonEmpty ? 'a non-empty string' : 'a string';
  if (spec.kind === 'bool') return 'true or false';
  const noun = spec.kind === 'int' ? 'an integer' : 'a number';
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) {
    if (spec.kind === 'int') return `${noun} from ${min} to ${max}`;
    return `${noun} in ${spec.minOpen ? '(' : '['}${min}, ${max}${spec.maxOpen ? ')' : ']'}`;
  }
  if (min !== undefined) return spec.minOpen ? `${noun} greater than ${min}` : `${noun} of at least ${min}`;
  return noun;
}

function describeValue(value: TomlValueWithoutBigInt): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return isTable(value) ? 'a table' : `a date (${String(value)})`;
}

function isTable(value: unknown): value is TomlTableWithoutBigInt {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype; // not a TomlDate
}

function asTable(
  value: TomlValueWithoutBigInt,
  path: string,
  fail: (problem: string, fix: string) => ModelFileError,
): TomlTableWithoutBigInt {
  if (!isTable(value))
    throw fail(
      `[${path}] must be a table, found ${describeValue(value)}`,
      `Write it as a [${path}] section with key = value lines`,
    );
  return value;
}

function sectionOf(config: ModelConfig, path: SectionPath): Record<string, unknown> {
  const parts = path.split('.');
  let node: unknown = config;
  for (const part of parts) node = (node as Record<string, unknown>)[part];
  return node as Record<string, unknown>;
}

/** TOML text with a comment line per section; parseModelConfig(stringifyModelConfig(c)).config equals c. */
export function stringifyModelConfig(config: ModelConfig): string {
  const lines = [
    '# LSTM Coding Optimizer: model configuration (see docs/design.md).',
    '# Keys this app does not use are ignored, with a warning.',
  ];
  for (const path of SECTION_PATHS) {
    lines.push('', `# ${SECTION_COMMENTS[path]}`, `[${path}]`);
    const spec: Record<string, FieldSpec> = SCHEMA[path];
    const section = sectionOf(config, path);
    for (const key of Object.keys(spec)) lines.push(`${key} = ${formatValue(section[key], spec[key])}`);
  }
  lines.push('', `# ${SECTION_COMMENTS.training_results}`);
  lines.push(stringify({ training_results: config.training_results }).trimEnd());
  return lines.join('\n') + '\n';
}

function formatValue(value: unknown, spec: FieldSpec): string {
  if (typeof value === 'string') {
    // JSON string escapes are TOML basic-string escapes, except that TOML also wants DEL escaped
    // and has no escape for a lone surrogate.
    const wellFormed = value.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    );
    return JSON.stringify(wellFormed).replace(/\x7f/g, '\\u007F');
  }
  if (typeof value === 'number' && spec.kind === 'float' && Number.isInteger(value) && Math.abs(value) < 1e15)
    return `${value}.0`;
  return String(value);
}

/** Plain objects and arrays are copied; other objects (TomlDate) are immutable and shared. */
function deepClone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepClone);
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, so a key named "__proto__" stays a key
      Object.defineProperty(out, key, { value: deepClone(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
