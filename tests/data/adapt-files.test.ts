import { describe, expect, it } from 'vitest';
import {
  ADAPT_MAX_FILE_BYTES,
  ADAPT_MAX_FILES,
  AdaptRefusal,
  countSkipped,
  describeSkipped,
  isSkipped,
  readPythonFile,
  refuseUnreadable,
  selectFiles,
  skippedFolderOf,
  type SkippedFile,
} from '../../src/data/adapt-files';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('selectFiles', () => {
  it('skips each listed folder, hidden folders, links and big files, with their reasons', () => {
    const skippedDirs = ['.git', '.venv', 'venv', 'site-packages', 'node_modules', '__pycache__', 'build', 'dist'];
    const selection = selectFiles([
      { path: 'app/main.py', size: 100 },
      ...skippedDirs.map((dir) => ({ path: `pkg/${dir}/x.py`, size: 10 })),
      { path: 'app/link.py', size: 10, symlink: true },
      { path: 'app/huge.py', size: ADAPT_MAX_FILE_BYTES + 1 },
      { path: 'README.md', size: 10 },
      { path: 'app/data.json', size: 10 },
    ]);
    expect(selection.read).toEqual(['app/main.py']);
    expect(selection.notPython).toBe(2);
    const counts = countSkipped(selection.skipped);
    expect(counts.skipped_folder).toBe(skippedDirs.length);
    expect(counts.symlink).toBe(1);
    expect(counts.too_big).toBe(1);
    expect(describeSkipped(selection.skipped)).toMatch(/^8 in a skipped folder .*, 1 a symbolic link, 1 over 1 MB$/);
  });

  it('reads the first ADAPT_MAX_FILES Python files in path order and counts the rest', () => {
    const listed = Array.from({ length: 2 * ADAPT_MAX_FILES }, (_, i) => ({ path: `m/${String(i).padStart(5, '0')}.py`, size: 10 }));
    const selection = selectFiles(listed.reverse());
    expect(selection.read).toHaveLength(ADAPT_MAX_FILES);
    expect(selection.read[0]).toBe('m/00000.py');
    expect(countSkipped(selection.skipped).over_file_limit).toBe(ADAPT_MAX_FILES);
  });

  it('names the folder that makes a path skipped', () => {
    expect(skippedFolderOf('a/.hidden/b.py')).toBe('.hidden');
    expect(skippedFolderOf('a/dist/b.py')).toBe('dist');
    expect(skippedFolderOf('a/distribution/b.py')).toBeNull();
    expect(skippedFolderOf('.hidden.py')).toBeNull();
  });
});

describe('readPythonFile', () => {
  it('reads UTF-8 Python, dropping a BOM and carriage returns', () => {
    const read = readPythonFile({ path: 'a.py', bytes: bytes('\uFEFFdef f(x):\r\n    return x\r\n') });
    expect(read).toEqual({ path: 'a.py', text: 'def f(x):\n    return x\n' });
  });

  it('skips binary, non-UTF-8 and non-compiling files, from bytes or from text', () => {
    const reasonOf = (file: Parameters<typeof readPythonFile>[0]) => {
      const read = readPythonFile(file);
      return isSkipped(read) ? read.reason : null;
    };
    expect(reasonOf({ path: 'a.py', bytes: new Uint8Array([0x78, 0x00, 0x79]) })).toBe('binary');
    expect(reasonOf({ path: 'a.py', bytes: new Uint8Array([0x78, 0x3d, 0xff, 0xfe]) })).toBe('not_utf8');
    expect(reasonOf({ path: 'a.py', text: 'x = "\uFFFD"\n' })).toBe('not_utf8');
    expect(reasonOf({ path: 'a.py', text: 'def f(x)\n    return x\n' })).toBe('does_not_compile');
    expect(reasonOf({ path: 'a.py', text: 'x = 1\n' })).toBeNull();
  });
});

describe('refuseUnreadable', () => {
  it('refuses a folder with no Python, and one whose Python cannot be read, with the counts', () => {
    expect(() => refuseUnreadable('src', 3, { read: [], skipped: [], notPython: 3 }, [], [])).toThrow(
      new AdaptRefusal('no Python file in src (3 files looked at): choose a folder that holds .py files'),
    );
    const skipped: SkippedFile[] = [
      { path: 'a.py', reason: 'does_not_compile' },
      { path: 'b.py', reason: 'does_not_compile' },
      { path: 'c.py', reason: 'not_utf8' },
    ];
    expect(() => refuseUnreadable('src', 3, { read: ['a.py', 'b.py', 'c.py'], skipped: [], notPython: 0 }, [], skipped)).toThrow(
      /no Python file in src could be read \(3 files looked at\); skipped: 1 not UTF-8 text, 2 does not compile/,
    );
    expect(() => refuseUnreadable('src', 1, { read: ['a.py'], skipped: [], notPython: 0 }, [{ path: 'a.py', text: '' }], [])).not.toThrow();
  });
});
