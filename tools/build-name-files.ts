// Writes the name channel's two optional model files (docs/design.md#name-files) into a model folder:
// identifiers.json, the most frequent identifiers of the training corpus (python3's standard library
// as `dataset` reads it, test suites and installed packages skipped, plus the generated functions of
// the default dataset), and stdlib_members.json, the public members of the standard library's modules
// as tools/stdlib_members.py lists them. Outside packages are never read.
//
//   npx tsx tools/build-name-files.ts [--out public/models] [--source DIR] [--python python3]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lex } from '../src/model/python/lexer';
import { findPythonFiles } from '../src/data/python-files';
import { generateFunctions } from '../src/data/generator';
import { pythonStdlib } from '../src/cli/dataset';
import {
  IDENTIFIERS_FORMAT,
  MEMBERS_FORMAT,
  NAME_FILE_NAMES,
  NAME_FILES_VERSION,
  type IdentifiersFile,
  type MembersFile,
} from '../src/model/files/name-files';

/** Identifiers kept: the shipped file stays small, and a rarer name tells the channel little more than an unlisted one. */
const MAX_IDENTIFIERS = 12_000;
/** An identifier seen fewer times is left out (a one-off local of one file is no spelling to prefer). */
const MIN_COUNT = 3;
/** As `dataset` draws them by default (its --generated and --seed). */
const GENERATED_FUNCTIONS = 20_000;
const GENERATOR_SEED = 1;

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'public/models' },
    source: { type: 'string' },
    python: { type: 'string', default: 'python3' },
  },
});
const out = resolve(values.out!);
const python = values.python!;
const source = resolve(values.source ?? pythonStdlib(python));

const counts = new Map<string, number>();
let total = 0;
const count = (text: string) => {
  for (const t of lex(text).tokens) {
    if (t.kind !== 'NAME') continue;
    counts.set(t.text, (counts.get(t.text) ?? 0) + 1);
    total++;
  }
};
const files = findPythonFiles(source, (path) => readdirSync(path, { withFileTypes: true }));
for (const path of files) {
  try {
    count(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(source, path))));
  } catch {
    // Not UTF-8: `dataset` skips it too.
  }
}
for (const fn of generateFunctions(GENERATED_FUNCTIONS, GENERATOR_SEED)) count(fn.text);
const kept = [...counts]
  .filter(([, n]) => n >= MIN_COUNT)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, MAX_IDENTIFIERS);
const identifiers: IdentifiersFile = {
  format: IDENTIFIERS_FORMAT,
  version: NAME_FILES_VERSION,
  source: `${files.length} .py files of the Python standard library, ${GENERATED_FUNCTIONS} generated functions`,
  total,
  counts: Object.fromEntries(kept),
};
writeFileSync(join(out, NAME_FILE_NAMES.identifiers), `${JSON.stringify(identifiers)}\n`);

const listed = spawnSync(python, [resolve(import.meta.dirname, 'stdlib_members.py')], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (listed.status !== 0) throw new Error(`tools/stdlib_members.py failed: ${listed.stderr}`);
const listing = JSON.parse(listed.stdout) as { python: string; modules: Record<string, string> };
const members: MembersFile = { format: MEMBERS_FORMAT, version: NAME_FILES_VERSION, ...listing };
writeFileSync(join(out, NAME_FILE_NAMES.members), `${JSON.stringify(members)}\n`);
console.log(
  `${NAME_FILE_NAMES.identifiers}: ${kept.length} of ${counts.size} identifiers (${total} counted); ` +
    `${NAME_FILE_NAMES.members}: ${Object.keys(listing.modules).length} modules of Python ${listing.python}`,
);
