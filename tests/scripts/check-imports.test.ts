// The import check of `npm test` on planted trees: it must see a cycle, a type-only cycle, a cycle
// through an index file, and an import from src/ into dev/, and pass a clean tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProblems, findImportProblems, importedSpecifiers } from '../../scripts/check-imports';

let root: string;
const plant = (files: Record<string, string>) => {
  root = mkdtempSync(join(tmpdir(), 'imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('import check', () => {
  it('passes a tree without cycles, where dev/ imports src/', () => {
    plant({
      'src/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'src/b.ts': "import { lodash } from 'lodash';\nexport const b = lodash;\n",
      'dev/page.ts': "import { a } from '../src/a';\nexport const page = a;\n",
    });
    expect(findImportProblems(root)).toEqual({ cycles: [], forbidden: [] });
  });

  it('finds a planted cycle a.ts -> b.ts -> a.ts and names it', () => {
    plant({
      'src/a.ts': "import { b } from './b';\nexport const a = 1;\nexport const c = b;\n",
      'src/b.ts': "import { a } from './a.ts';\nexport const b = a;\n",
      'src/c.ts': "import { a } from './a';\nexport const c = a;\n",
    });
    const problems = findImportProblems(root);
    expect(problems.cycles).toEqual([{ files: ['src/a.ts', 'src/b.ts'], cycle: ['src/a.ts', 'src/b.ts', 'src/a.ts'] }]);
    expect(describeProblems(problems)).toBe('import cycle: src/a.ts -> src/b.ts -> src/a.ts');
  });

  it('counts type-only imports, re-exports and dynamic imports, and resolves folder indexes', () => {
    plant({
      'dev/x.ts': "import type { Y } from './y';\nexport type X = Y;\n",
      'dev/y.ts': "export type { X as Y } from './x';\n",
      'src/lib/index.ts': "export async function load() { return import('../user'); }\n",
      'src/user.tsx': "import { load } from './lib';\nexport const user = load;\n",
    });
    expect(findImportProblems(root).cycles.map((c) => c.cycle)).toEqual([
      ['dev/x.ts', 'dev/y.ts', 'dev/x.ts'],
      ['src/lib/index.ts', 'src/user.tsx', 'src/lib/index.ts'],
    ]);
  });

  it('finds an import from src/ into dev/, and a file importing itself', () => {
    plant({
      'src/cli.ts': "import { core } from '../dev/core';\nexport const cli = core;\n",
      'dev/core.ts': "export { core } from './core';\n",
    });
    const problems = findImportProblems(root);
    expect(problems.forbidden).toEqual(['src/cli.ts -> dev/core.ts']);
    expect(problems.cycles.map((c) => c.cycle)).toEqual([['dev/core.ts', 'dev/core.ts']]);
  });

  it('reads every kind of import specifier from a file', () => {
    const text = [
      "import a from './a';",
      "import type { B } from './b';",
      "export * from './c';",
      "const d = await import('./d');",
      "type E = import('./e').E;",
      "const f = './f'; // not an import",
    ].join('\n');
    expect(importedSpecifiers('x.ts', text)).toEqual(['./a', './b', './c', './d', './e']);
  });
});
