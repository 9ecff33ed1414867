// The package's Node entry: `const model = await load()` runs the model shipped inside the package
// on tfjs's wasm backend (started here, with the project's wasm kernels); `load('dir')` runs the
// three model files in a folder, `load(files)` files already in memory. The model itself
// (src/model) stays backend-free: this entry picks the backend.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import {
  load as loadFiles,
  MODEL_FILE_NAMES,
  ModelFileError,
  NAME_FILE_NAMES,
  type CodingOptimizer,
  type ModelFiles,
} from '../model';
import { registerProjectKernels } from '../platform/kernels/register';

export type {
  Answer,
  AnswerCandidate,
  CodingOptimizer,
  Mode,
  ModelFiles,
  ModelInfo,
  RunRequest,
  Task,
} from '../model/index';
export { InputError, MODES, ModelFileError } from '../model/index';

/** The model files the package ships: `models/` beside `dist/`. */
export const SHIPPED_MODELS = fileURLToPath(new URL(/* @vite-ignore */ '../models/', import.meta.url));

async function startWasm(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  // The threaded build needs worker_threads glue the package does not ship.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm')))
    throw new Error(
      'lstm-coding-optimizer: the tfjs wasm backend did not start (is @tensorflow/tfjs-backend-wasm 4.22 installed?)',
    );
  registerProjectKernels('wasm');
}

async function readFolder(dir: string): Promise<ModelFiles> {
  const read = async (name: string): Promise<Buffer> => {
    const path = join(dir, name);
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new ModelFileError(
        path,
        code === 'ENOENT' ? 'the file does not exist' : `cannot be read (${code ?? String(error)})`,
        `pass load() a folder holding ${Object.values(MODEL_FILE_NAMES).join(', ')}, or nothing for the shipped model`,
      );
    }
  };
  // The optional name files: a folder without them loads as before.
  const optional = (name: string) => readFile(join(dir, name), 'utf8').catch(() => undefined);
  const [weights, config, tokenizer, identifiers, members] = await Promise.all([
    read(MODEL_FILE_NAMES.weights),
    read(MODEL_FILE_NAMES.config),
    read(MODEL_FILE_NAMES.tokenizer),
    optional(NAME_FILE_NAMES.identifiers),
    optional(NAME_FILE_NAMES.members),
  ]);
  return {
    weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    config: config.toString('utf8'),
    tokenizer: tokenizer.toString('utf8'),
    ...(identifiers === undefined ? {} : { identifiers }),
    ...(members === undefined ? {} : { members }),
  };
}

/**
 * Loads a model on the wasm backend: the shipped one (no argument), the files in a folder, or
 * files in memory. `await model.run({ task: 'fix', mode: 'convergent', code })` answers.
 */
export async function load(source: string | ModelFiles = SHIPPED_MODELS): Promise<CodingOptimizer> {
  await startWasm();
  return loadFiles(typeof source === 'string' ? await readFolder(source) : source);
}
