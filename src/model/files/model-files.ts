// The three files a model is made of (docs/design.md#model-files): lstm_weights.bin, model_config.toml and
// tokenizer.json. Loading checks that they belong together and refuses with a message that names
// the file, the problem and the fix; saving writes the hashes that make that check possible.
import * as tf from '@tensorflow/tfjs-core';
import { parseModelConfig, stringifyModelConfig, type ModelConfig } from './config';
import { architectureFingerprint, checkFingerprints, describeMismatch, vocabFingerprint } from './fingerprint';
import { ModelFileError, assertTensorsMatch, readSafetensors, writeSafetensors, type NamedTensor } from './safetensors';
import { paramShapes, validateConfig, type NetworkConfig, type Params } from '../net/parameters';
import { Vocabulary } from '../vocab';
import { MODEL_FILE_NAMES } from './file-names';
import { readNameFiles, type NameLexicon } from './name-files';

export { MODEL_FILE_NAMES };

/** The raw contents of the three files, and of the optional name files (name-files.ts) when present. */
export interface ModelFiles {
  weights: Uint8Array;
  config: string;
  tokenizer: string;
  /** identifiers.json: the training corpus' identifier frequencies. */
  identifiers?: string;
  /** stdlib_members.json: the standard library modules' members. */
  members?: string;
}

/** A model read into host memory, checked, not yet on a device. */
export interface HostModel {
  config: ModelConfig;
  network: NetworkConfig;
  vocab: Vocabulary;
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
  /** Things that did not stop loading (unknown config keys, hashes the file did not record). */
  warnings: string[];
  /** What the optional name files hold (empty when they are missing). */
  names: NameLexicon;
}

/** The network's settings as the config file spells them. */
export function networkFromConfig(config: ModelConfig): NetworkConfig {
  const a = config.architecture;
  return {
    vocabSize: a.vocab_size,
    embeddingDim: a.embedding_dim,
    hiddenSize: a.hidden_size,
    numLayers: a.num_layers,
    bidirectionalEncoder: a.bidirectional_encoder,
    attentionHeads: a.attention_heads,
    dropout: a.dropout,
    copyMechanism: a.copy_mechanism,
    maxSourceLength: a.max_sequence_length,
    maxTargetLength: a.max_target_length,
  };
}

/** Reads and cross-checks the three files. Throws ModelFileError naming the file at fault. */
export function readModelFiles(files: ModelFiles): HostModel {
  const { config, warnings } = parseModelConfig(files.config, MODEL_FILE_NAMES.config);
  let vocab: Vocabulary;
  try {
    vocab = Vocabulary.fromJSON(files.tokenizer);
  } catch (error) {
    throw error instanceof ModelFileError
      ? error
      : new ModelFileError(
          MODEL_FILE_NAMES.tokenizer,
          error instanceof Error ? error.message : String(error),
          'Use the tokenizer.json saved with the weights',
        );
  }
  const { tensors, metadata } = readSafetensors(files.weights, MODEL_FILE_NAMES.weights);
  for (const check of checkFingerprints(metadata, {
    config,
    configFile: MODEL_FILE_NAMES.config,
    tokens: vocab.list(),
    tokenizerFile: MODEL_FILE_NAMES.tokenizer,
  })) {
    if (check.status === 'mismatch') {
      const { problem, fix } = describeMismatch(check, MODEL_FILE_NAMES.weights);
      throw new ModelFileError(MODEL_FILE_NAMES.weights, problem, fix);
    }
    if (check.status === 'unrecorded')
      warnings.push(`${MODEL_FILE_NAMES.weights} records no ${check.key}; it was not checked against ${check.against}`);
  }
  if (config.architecture.vocab_size !== vocab.size) {
    throw new ModelFileError(
      MODEL_FILE_NAMES.config,
      `[architecture] vocab_size is ${config.architecture.vocab_size} but ${MODEL_FILE_NAMES.tokenizer} has ${vocab.size} tokens`,
      `Set vocab_size = ${vocab.size}, or use the tokenizer.json saved with these weights`,
    );
  }
  const network = networkFromConfig(config);
  try {
    validateConfig(network);
  } catch (error) {
    throw new ModelFileError(
      MODEL_FILE_NAMES.config,
      error instanceof Error ? error.message : String(error),
      'Fix the [architecture] section',
    );
  }
  assertTensorsMatch(paramShapes(network), tensors, MODEL_FILE_NAMES.weights, MODEL_FILE_NAMES.config);
  const names = readNameFiles({ identifiers: files.identifiers, members: files.members });
  return { config, network, vocab, tensors, metadata, warnings, names };
}

/** Uploads host tensors to the current backend (plain tensors for inference). */
export function uploadParams(model: HostModel): Params {
  const params: Params = {};
  for (const [name, t] of model.tensors) params[name] = tf.tensor(t.data, t.shape, 'float32');
  return params;
}

/** Host copies of device parameters, for saving. */
export async function downloadParams(params: Params): Promise<Map<string, NamedTensor>> {
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of Object.entries(params))
    out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

/** Writes the three files; the weights record the hashes of the other two. */
export function writeModelFiles(
  config: ModelConfig,
  vocab: Vocabulary,
  tensors: ReadonlyMap<string, NamedTensor>,
  extraMetadata: Record<string, string> = {},
): ModelFiles {
  const fixed: ModelConfig = { ...config, architecture: { ...config.architecture, vocab_size: vocab.size } };
  const metadata = {
    model_name: fixed.model.name,
    model_version: fixed.model.version,
    architecture_hash: architectureFingerprint(fixed),
    vocab_hash: vocabFingerprint(vocab.list()),
    ...extraMetadata,
  };
  return {
    weights: writeSafetensors(tensors, metadata),
    config: stringifyModelConfig(fixed),
    tokenizer: `${JSON.stringify(vocab.toJSON(), null, 1)}\n`,
  };
}
