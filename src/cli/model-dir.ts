// Reading and writing the three model files in a folder (public/models by default), and the
// optional name files beside them (identifiers.json, stdlib_members.json) when they are there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILE_NAMES, NAME_FILE_NAMES, type ModelFiles, ModelFileError } from '../model';

export const DEFAULT_MODEL_DIR = 'public/models';

export function readModelDir(dir: string): ModelFiles {
  const read = (name: string): Buffer => {
    const path = join(dir, name);
    try {
      return readFileSync(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new ModelFileError(
        path,
        code === 'ENOENT' ? 'the file does not exist' : `cannot be read (${code ?? String(error)})`,
        `Point --models at a folder holding ${Object.values(MODEL_FILE_NAMES).join(', ')} (the shipped model is in ${DEFAULT_MODEL_DIR})`,
      );
    }
  };
  const weights = read(MODEL_FILE_NAMES.weights);
  // An old folder has no name files: the model loads as before and the name channel uses the text alone.
  const optional = (name: string) => (existsSync(join(dir, name)) ? read(name).toString('utf8') : undefined);
  const identifiers = optional(NAME_FILE_NAMES.identifiers);
  const members = optional(NAME_FILE_NAMES.members);
  return {
    weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    config: read(MODEL_FILE_NAMES.config).toString('utf8'),
    tokenizer: read(MODEL_FILE_NAMES.tokenizer).toString('utf8'),
    ...(identifiers === undefined ? {} : { identifiers }),
    ...(members === undefined ? {} : { members }),
  };
}

export function writeModelDir(dir: string, files: ModelFiles): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_FILE_NAMES.weights), files.weights);
  writeFileSync(join(dir, MODEL_FILE_NAMES.config), files.config);
  writeFileSync(join(dir, MODEL_FILE_NAMES.tokenizer), files.tokenizer);
  if (files.identifiers !== undefined) writeFileSync(join(dir, NAME_FILE_NAMES.identifiers), files.identifiers);
  if (files.members !== undefined) writeFileSync(join(dir, NAME_FILE_NAMES.members), files.members);
}
