// The optional name files beside the model files: an old folder (the three files alone) reads and
// loads as before, with the name channel on the text alone; the shipped folder brings both files,
// which writeModelDir carries into a copy.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelDir, writeModelDir } from '../../src/cli/model-dir';
import { load, MODEL_FILE_NAMES, NAME_FILE_NAMES, readModelFiles } from '../../src/model';
import { initNodeBackend } from '../../src/platform/node/node';

const SHIPPED = 'public/models';
const folders: string[] = [];
const tempFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'name-files-'));
  folders.push(dir);
  return dir;
};
beforeAll(async () => {
  await initNodeBackend('cpu');
});
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the name files of a model folder', () => {
  it('an old folder with the three files alone loads unchanged, and says it has no name files', async () => {
    const old = tempFolder();
    for (const name of Object.values(MODEL_FILE_NAMES)) copyFileSync(join(SHIPPED, name), join(old, name));
    const files = readModelDir(old);
    expect(files.identifiers).toBeUndefined();
    expect(files.members).toBeUndefined();
    const host = readModelFiles(files);
    expect(host.names.has).toEqual({ identifiers: false, members: false });
    expect(host.warnings).toEqual(readModelFiles(readModelDir(SHIPPED)).warnings);
    const model = await load(files);
    try {
      expect(model.info.nameFiles).toEqual({ identifiers: false, members: false });
      const answer = await model.run({ task: 'fix', mode: 'convergent', code: 'def f(x)\n    return x\n' });
      expect(answer.text).toBe('def f(x):\n    return x\n');
    } finally {
      model.dispose();
    }
  });

  it('the shipped folder has both, and a copy written from it keeps them', () => {
    const shipped = readModelDir(SHIPPED);
    expect(readModelFiles(shipped).names.has).toEqual({ identifiers: true, members: true });
    const copy = tempFolder();
    writeModelDir(copy, shipped);
    for (const name of Object.values(NAME_FILE_NAMES)) expect(existsSync(join(copy, name))).toBe(true);
    expect(readModelDir(copy).members).toBe(shipped.members);
  });
});
