// Reading "your code" in the page: a folder upload's files and a File System Access API walk, with
// stand-ins for the browser's objects. Skipped folders are not walked into; only chosen files are read.
import { describe, expect, it } from 'vitest';
import { readDirectory, readFileList, type ChosenFile, type DirectoryHandleLike } from '../../../src/ui/training/your-code';

/** A File as a folder upload hands it over; `read` counts the files whose text was read. */
function uploaded(path: string, text: string, read: string[]): ChosenFile {
  return {
    name: path.split('/').pop()!,
    webkitRelativePath: path,
    size: text.length,
    text: async () => {
      read.push(path);
      return text;
    },
  };
}

type Entry = { kind: 'file'; name: string; text: string } | { kind: 'directory'; name: string; entries: Entry[] };

/** A folder handle over `entries`; `opened` records the folders walked into. */
function folder(name: string, entries: Entry[], opened: string[]): DirectoryHandleLike {
  return {
    kind: 'directory',
    name,
    async *values() {
      opened.push(name);
      for (const e of entries)
        if (e.kind === 'directory') yield folder(e.name, e.entries, opened);
        else yield { kind: 'file', name: e.name, getFile: async () => uploaded(e.name, e.text, []) };
    },
  };
}

describe('readFileList', () => {
  it('reads the chosen .py files of a folder upload, names the folder and counts the rest', async () => {
    const read: string[] = [];
    const files = [
      uploaded('proj/a.py', 'x = 1\n', read),
      uploaded('proj/.venv/lib/b.py', 'y = 2\n', read),
      uploaded('proj/README.md', '# hi\n', read),
    ];
    const progress: number[] = [];
    const code = await readFileList(files, (done) => progress.push(done));
    expect(code).toMatchObject({ where: 'proj', listed: 3, notPython: 1, files: [{ name: 'a.py', text: 'x = 1\n' }] });
    expect(code.skipped).toEqual([{ path: '.venv/lib/b.py', reason: 'skipped_folder' }]);
    expect(read).toEqual(['proj/a.py']);
    expect(progress).toEqual([1]);
  });
});

describe('readDirectory', () => {
  it('does not walk into skipped folders, and names them', async () => {
    const opened: string[] = [];
    const root = folder(
      'proj',
      [
        { kind: 'file', name: 'main.py', text: 'def f():\n    return 1\n' },
        { kind: 'directory', name: 'node_modules', entries: [{ kind: 'file', name: 'x.py', text: '' }] },
        { kind: 'directory', name: 'pkg', entries: [{ kind: 'file', name: 'util.py', text: 'z = 3\n' }] },
      ],
      opened,
    );
    const code = await readDirectory(root, () => {});
    expect(opened).toEqual(['proj', 'pkg']);
    expect(code.skippedFolders).toEqual(['node_modules']);
    expect(code.files.map((f) => f.name)).toEqual(['main.py', 'pkg/util.py']);
    expect(code.where).toBe('proj');
  });
});
