import { describe, expect, it } from 'vitest';
import { architectureFingerprint } from '../../src/model/files/fingerprint';
import {
  MODEL_PRESETS,
  parseModelConfig,
  presetConfig,
  stringifyModelConfig,
  type ModelConfig,
} from '../../src/model/files/config';
import { canonicalJson, checkFingerprints, fnv1a64Hex, vocabFingerprint } from '../../src/model/files/fingerprint';
import { fingerprintTokens } from '../../src/model/vocab';
import { ModelFileError } from '../../src/model/files/safetensors';

/** The seed project's model_config.toml schema, with the keys its README described. */
const SEED_SCHEMA_TOML = `
[model]
name = "lstm-coding-optimizer"
version = "1.0.0"
description = "LSTM model for code optimization"

[paths]
weights = "lstm_weights.bin"
tokenizer = "tokenizer.pkl"
metrics = "training_metrics.json"

[inference]
max_sequence_length = 100
beam_width = 5
temperature = 0.7
top_k = 40
top_p = 0.9
repetition_penalty = 1.1
length_penalty = 0.6

[cognitive_patterns.convergent]
focus_threshold = 0.8
solution_refinement_iterations = 3
precision_weight = 0.9

[cognitive_patterns.divergent]
creativity_factor = 1.2
exploration_probability = 0.3
alternative_generation_count = 5
semantic_diversity_threshold = 0.7

[cognitive_patterns.hybrid]
mode_switching_threshold = 0.5
convergent_weight = 0.6
divergent_weight = 0.4

[task_specialization.bug_fixing]
pattern = "convergent"
accuracy = 0.952

[data_preprocessing]
vocabulary_size = 50000

[evaluation]
exact_match_threshold = 0.85
compilation_success_rate = 0.95

[training_results]
best_val_accuracy = 0.8611
convergence_epoch = 25
`;

function errorOf(text: string): ModelFileError {
  try {
    parseModelConfig(text, 'cfg.toml');
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError, nothing was thrown');
}

describe('presets', () => {
  it('seed has the seed report sizes', () => {
    const seed = presetConfig('seed');
    expect(seed.architecture).toMatchObject({
      hidden_size: 256,
      num_layers: 2,
      attention_heads: 4,
      max_sequence_length: 100,
      dropout: 0.2,
    });
    expect(seed.training).toMatchObject({ learning_rate: 0.001, batch_size: 32, gradient_clip_norm: 1 });
    expect(seed.inference).toEqual({
      beam_width: 5,
      temperature: 0.7,
      top_k: 40,
      top_p: 0.9,
      repetition_penalty: 1.1,
      length_penalty: 0.6,
    });
    expect(seed.cognitive_patterns.divergent.alternative_generation_count).toBe(5);
    expect(seed.cognitive_patterns.hybrid).toEqual({
      mode_switching_threshold: 0.5,
      convergent_weight: 0.6,
      divergent_weight: 0.4,
    });
  });

  it('tiny is tiny, and presets are frozen while copies are not', () => {
    expect(MODEL_PRESETS.tiny.architecture).toMatchObject({
      embedding_dim: 16,
      hidden_size: 32,
      num_layers: 1,
      attention_heads: 2,
    });
    expect(MODEL_PRESETS.small.architecture.hidden_size).toBe(128);
    expect(() => {
      (MODEL_PRESETS.seed.architecture as { hidden_size: number }).hidden_size = 1;
    }).toThrow(TypeError);
    const copy = presetConfig('tiny');
    copy.architecture.hidden_size = 64;
    expect(MODEL_PRESETS.tiny.architecture.hidden_size).toBe(32);
  });
});

describe('stringifyModelConfig and parseModelConfig', () => {
  it.each(['seed', 'small', 'tiny'] as const)('round-trips the %s preset without warnings', (name) => {
    const config = presetConfig(name);
    const { config: back, warnings } = parseModelConfig(stringifyModelConfig(config));
    expect(back).toEqual(config);
    expect(warnings).toEqual([]);
  });

  it('round-trips changed values and a free-form [training_results]', () => {
    const config: ModelConfig = presetConfig('seed');
    config.model.description = 'quotes " and \\ and\nnewline';
    config.architecture.dropout = 0;
    config.training.gradient_clip_norm = 5;
    config.training_results = {
      best_exact_match: 0.4125,
      steps: 1200,
      backend: 'wasm',
      per_task: { fix: { exact_match: 0.5 } },
      losses: [2.5, 1.25],
    };
    const text = stringifyModelConfig(config);
    expect(text).toContain('\n# The network.');
    expect(text).toContain('\n[architecture]\n');
    expect(text).toContain('\ndropout = 0.0\n');
    expect(text).toContain('\ngradient_clip_norm = 5.0\n');
    const { config: back, warnings } = parseModelConfig(text);
    expect(back).toEqual(config);
    expect(warnings).toEqual([]);
    expect(architectureFingerprint(back)).toBe(architectureFingerprint(config));
  });

  it('loads a config in the seed schema, warning about what it does not use', () => {
    const { config, warnings } = parseModelConfig(SEED_SCHEMA_TOML);
    expect(config.inference.beam_width).toBe(5);
    expect(config.cognitive_patterns.convergent.solution_refinement_iterations).toBe(3);
    expect(config.cognitive_patterns.convergent.suspect_name_beam_width).toBe(20); // not in the seed: the default
    expect(config.architecture).toEqual(MODEL_PRESETS.seed.architecture);
    expect(config.model.version).toBe('1.0.0');
    expect(config.training_results).toEqual({ best_val_accuracy: 0.8611, convergence_epoch: 25 });
    expect(warnings).toEqual([
      'model_config.toml: [inference] max_sequence_length is not used by this model; ignored (here it is [architecture] max_sequence_length)',
      'model_config.toml: [cognitive_patterns.convergent] precision_weight is not used by this model; ignored',
      'model_config.toml: [cognitive_patterns.divergent] exploration_probability is no longer a setting (nothing read it); ignored',
      'model_config.toml: [cognitive_patterns.divergent] semantic_diversity_threshold is no longer a setting (nothing read it); ignored',
      'model_config.toml: [task_specialization] is not used by this model; ignored',
      'model_config.toml: [data_preprocessing] is not used by this model; ignored (vocabulary_size: here it is [architecture] vocab_size, which the tokenizer sets)',
      'model_config.toml: [evaluation] is not used by this model; ignored',
      'model_config.toml: [architecture] does not set embedding_dim, hidden_size, num_layers, bidirectional_encoder, attention_heads, dropout, copy_mechanism, max_sequence_length, max_target_length, vocab_size; using the seed defaults (embedding_dim = 128, hidden_size = 256, num_layers = 2, bidirectional_encoder = true, attention_heads = 4, dropout = 0.2, copy_mechanism = true, max_sequence_length = 100, max_target_length = 100, vocab_size = 2000)',
      'model_config.toml: [paths] tokenizer = "tokenizer.pkl" is not a JSON file; this app reads tokenizer.json',
    ]);
  });
});

describe('retired keys', () => {
  it('loads a file that still sets them, warning once per key that it is ignored', () => {
    const old = stringifyModelConfig(presetConfig('tiny')).replace(
      'alternative_generation_count = 5\n',
      'alternative_generation_count = 5\nexploration_probability = 0.3\nsemantic_diversity_threshold = 0.7\n',
    );
    const { config, warnings } = parseModelConfig(old, 'old.toml');
    expect(config).toEqual(presetConfig('tiny'));
    expect(config.cognitive_patterns.divergent).not.toHaveProperty('exploration_probability');
    expect(warnings).toEqual([
      'old.toml: [cognitive_patterns.divergent] exploration_probability is no longer a setting (nothing read it); ignored',
      'old.toml: [cognitive_patterns.divergent] semantic_diversity_threshold is no longer a setting (nothing read it); ignored',
    ]);
  });

  it('are not written any more', () => {
    const text = stringifyModelConfig(presetConfig('seed'));
    expect(text).not.toContain('exploration_probability');
    expect(text).not.toContain('semantic_diversity_threshold');
  });
});

describe('parseModelConfig refuses bad values', () => {
  it('names the key, the expectation, what was found and a fix', () => {
    const zero = errorOf('[architecture]\nhidden_size = 0\n');
    expect(zero.file).toBe('cfg.toml');
    expect(zero.message).toBe(
      'cfg.toml: [architecture] hidden_size must be an integer of at least 1, found 0. Write hidden_size = 256 (the default) or another value that is an integer of at least 1',
    );
    expect(errorOf('[architecture]\nhidden_size = "256"\n').problem).toBe(
      '[architecture] hidden_size must be an integer of at least 1, found the string "256"',
    );
    expect(errorOf('[architecture]\nnum_layers = 1.5\n').problem).toBe(
      '[architecture] num_layers must be an integer from 1 to 8, found 1.5',
    );
    expect(errorOf('[architecture]\ndropout = 1.0\n').problem).toBe(
      '[architecture] dropout must be a number in [0, 1), found 1',
    );
    expect(errorOf('[architecture]\ncopy_mechanism = "yes"\n').problem).toBe(
      '[architecture] copy_mechanism must be true or false, found the string "yes"',
    );
    expect(errorOf('[inference]\ntop_p = 0\n').problem).toBe('[inference] top_p must be a number in (0, 1], found 0');
    expect(errorOf('[inference]\ntemperature = nan\n').problem).toBe(
      '[inference] temperature must be a number greater than 0, found NaN',
    );
    expect(errorOf('[model]\nname = ""\n').problem).toBe(
      '[model] name must be a non-empty string, found an empty string',
    );
    expect(errorOf('architecture = 5\n').problem).toBe('[architecture] must be a table, found 5');
  });

  it('checks that attention heads divide the hidden size', () => {
    const error = errorOf('[architecture]\nhidden_size = 256\nattention_heads = 3\n');
    expect(error.problem).toBe('[architecture] attention_heads = 3 does not divide hidden_size = 256');
    expect(error.fix).toBe('Set attention_heads to a divisor of 256 such as 1, 2, 4, 8, 16, 32, or change hidden_size');
    expect(errorOf('[cognitive_patterns.hybrid]\nconvergent_weight = 0\ndivergent_weight = 0\n').problem).toContain(
      'are both 0',
    );
  });

  it('reports TOML syntax errors with the line, on one line', () => {
    const error = errorOf('[model]\nname = "x"\nversion = = 2\n');
    expect(error.message).toBe(
      'cfg.toml: TOML syntax error at line 3, column 11: invalid value. Correct that line (TOML syntax: https://toml.io)',
    );
  });
});

describe('fingerprints', () => {
  it('is FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
    expect(fnv1a64Hex('é')).toBe(fnv1a64Hex('\u00e9'));
  });

  it('hashes the canonical [architecture], so key order does not matter and any value does', () => {
    const seed = presetConfig('seed');
    expect(canonicalJson({ b: 1, a: [true, { d: 0.5, c: 'x' }] })).toBe('{"a":[true,{"c":"x","d":0.5}],"b":1}');
    const reordered = {
      architecture: Object.fromEntries(Object.entries(seed.architecture).reverse()) as ModelConfig['architecture'],
    };
    expect(architectureFingerprint(reordered)).toBe(architectureFingerprint(seed));
    expect(architectureFingerprint(seed)).toBe(fnv1a64Hex(canonicalJson(seed.architecture)));
    expect(architectureFingerprint(seed)).toMatch(/^[0-9a-f]{16}$/);
    seed.architecture.vocab_size += 1;
    expect(architectureFingerprint(seed)).not.toBe(architectureFingerprint(MODEL_PRESETS.seed));
    expect(architectureFingerprint(MODEL_PRESETS.tiny)).not.toBe(architectureFingerprint(MODEL_PRESETS.seed));
  });

  it('hashes the vocabulary in id order and compares it with the metadata', () => {
    expect(vocabFingerprint(['<pad>', 'def'])).toBe(fingerprintTokens(['<pad>', 'def']));
    expect(vocabFingerprint(['def', '<pad>'])).not.toBe(vocabFingerprint(['<pad>', 'def']));
    const config = presetConfig('tiny');
    const metadata = { architecture_hash: architectureFingerprint(config), vocab_hash: 'ffffffffffffffff' };
    const checks = checkFingerprints(metadata, { config, configFile: 'c.toml', tokens: ['a'] });
    expect(checks.map((c) => [c.key, c.against, c.status])).toEqual([
      ['architecture_hash', 'c.toml', 'match'],
      ['vocab_hash', 'tokenizer.json', 'mismatch'],
    ]);
    expect(checkFingerprints({}, { config })[0].status).toBe('unrecorded');
  });
});
