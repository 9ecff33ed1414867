// "Your code" in the page: a folder upload's paths, the folders a walk does not enter, the files chosen.
import { describe, expect, it } from 'vitest';
import { ADAPT_MAX_FILE_BYTES } from '../../../src/data/adapt-files';
import { chooseEntries, CHOSEN_FILES, isSkippedFolderName, relativeToFolder } from '../../../src/ui/training/your-code-list';

describe('relativeToFolder', () => {
  it('takes the chosen folder off the paths and names it, even a hidden one', () => {
    expect(relativeToFolder(['proj/a.py', 'proj/pkg/b.py'])).toEqual({ where: 'proj', paths: ['a.py', 'pkg/b.py'] });
    expect(relativeToFolder(['.proj/a.py'])).toEqual({ where: '.proj', paths: ['a.py'] });
  });

  it('keeps single files (no folder) and mixed roots as they are', () => {
    expect(relativeToFolder(['a.py', 'b.py'])).toEqual({ where: CHOSEN_FILES, paths: ['a.py', 'b.py'] });
    expect(relativeToFolder(['x/a.py', 'y/b.py'])).toEqual({ where: CHOSEN_FILES, paths: ['x/a.py', 'y/b.py'] });
  });
});

describe('isSkippedFolderName', () => {
  it('skips hidden folders and the listed ones, not others', () => {
    for (const name of ['.git', '.venv', 'venv', 'site-packages', 'node_modules', '__pycache__', 'build', 'dist']) expect(isSkippedFolderName(name)).toBe(true);
    for (const name of ['src', 'builder', 'venvs', '.']) expect(isSkippedFolderName(name)).toBe(false);
  });
});

describe('chooseEntries', () => {
  it('keeps the entries of the files to read, in path order, and counts the rest by reason', () => {
    const entries = [
      { path: 'z.py', size: 10, source: 'Z' },
      { path: 'node_modules/x.py', size: 10, source: 'X' },
      { path: 'a.py', size: 10, source: 'A' },
      { path: 'big.py', size: ADAPT_MAX_FILE_BYTES + 1, source: 'B' },
      { path: 'notes.txt', size: 10, source: 'N' },
    ];
    const { selection, chosen } = chooseEntries(entries);
    expect(chosen.map((e) => e.source)).toEqual(['A', 'Z']);
    expect(selection.skipped.map((s) => s.reason).sort()).toEqual(['skipped_folder', 'too_big']);
    expect(selection.notPython).toBe(1);
  });
});
