// What the package's browser entry and its worker share: starting a tfjs backend with the
// project's kernels, and fetching the three model files from a folder URL.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MODEL_FILE_NAMES, NAME_FILE_NAMES, type ModelFiles } from '../model';
import { registerProjectKernels } from '../platform/kernels/register';
import { isBackendName } from '../platform/shared/select';

export interface LoadOptions {
  /** webgpu, webgl, wasm or cpu; default: tfjs's own choice among those that start. */
  backend?: string;
  /**
   * Where the tfjs wasm binaries are served, for the wasm backend: a folder URL ending in '/', or
   * each file's URL by name (what a bundler that renames assets gives), as tfjs's setWasmPaths takes.
   */
  wasmPaths?: string | Record<string, string>;
}

export async function fetchFiles(folder: string | URL): Promise<ModelFiles> {
  // A page or worker has a location; Node (the tests) has none.
  const page = (globalThis as { location?: { href: string } }).location;
  const base = new URL(folder, page?.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const get = async (name: string) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok)
      throw new Error(
        `lstm-coding-optimizer: ${new URL(name, base).href} answered ${response.status}; the folder must hold ${Object.values(MODEL_FILE_NAMES).join(', ')}`,
      );
    return response;
  };
  // The optional name files: a folder without them loads as before.
  const optional = (name: string) =>
    fetch(new URL(name, base))
      .then((r) => (r.ok && !(r.headers.get('content-type') ?? '').includes('text/html') ? r.text() : undefined))
      .catch(() => undefined);
  const [weights, config, tokenizer, identifiers, members] = await Promise.all([
    get(MODEL_FILE_NAMES.weights),
    get(MODEL_FILE_NAMES.config),
    get(MODEL_FILE_NAMES.tokenizer),
    optional(NAME_FILE_NAMES.identifiers),
    optional(NAME_FILE_NAMES.members),
  ]);
  return {
    weights: new Uint8Array(await weights.arrayBuffer()),
    config: await config.text(),
    tokenizer: await tokenizer.text(),
    ...(identifiers === undefined ? {} : { identifiers }),
    ...(members === undefined ? {} : { members }),
  };
}

/** Starts `options.backend` (or tfjs's choice), registers the project's kernels on it, and names it. */
export async function startBackend(options: LoadOptions): Promise<string> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  if (options.backend) {
    if (!isBackendName(options.backend))
      throw new Error(`lstm-coding-optimizer: unknown backend "${options.backend}"; use webgpu, webgl, wasm or cpu`);
    if (!(await tf.setBackend(options.backend)))
      throw new Error(`lstm-coding-optimizer: the ${options.backend} backend did not start here`);
  }
  await tf.ready();
  const name = tf.getBackend();
  if (isBackendName(name)) registerProjectKernels(name);
  return name;
}
