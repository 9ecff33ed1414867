// The two optional files beside the three model files (docs/design.md#name-files): identifier
// frequencies of the training corpus (identifiers.json) and the public members of the standard
// library's modules (stdlib_members.json). The name channel (fix/name-channel.ts) reads spellings
// through them; without them it falls back to the text's own counts. Each file names its format and
// version, so a reader refuses a file it does not know instead of misreading it.
import { ModelFileError } from './safetensors';

export const NAME_FILE_NAMES = {
  identifiers: 'identifiers.json',
  members: 'stdlib_members.json',
} as const;

export const IDENTIFIERS_FORMAT = 'lstm-coding-optimizer-identifiers';
export const MEMBERS_FORMAT = 'lstm-coding-optimizer-stdlib-members';
/** Bump when a file's layout changes; readers accept this version only. */
export const NAME_FILES_VERSION = 1;

/** identifiers.json: how often each identifier occurs in the training corpus (the most frequent ones). */
export interface IdentifiersFile {
  format: typeof IDENTIFIERS_FORMAT;
  version: number;
  /** What was counted, in words. */
  source: string;
  /** Identifier tokens counted, listed or not (the denominator of a frequency). */
  total: number;
  /** Name → occurrences. */
  counts: Record<string, number>;
}

/** stdlib_members.json: each module's public members, space-separated (`os.path` under its dotted name). */
export interface MembersFile {
  format: typeof MEMBERS_FORMAT;
  version: number;
  /** The Python that listed them (`3.11.7`). */
  python: string;
  modules: Record<string, string>;
}

/** What the name channel knows beyond the text. */
export interface NameLexicon {
  /** Occurrences of `name` in the training corpus (0 when unlisted), and the corpus' total. */
  corpusCount(name: string): number;
  readonly corpusTotal: number;
  /** The public members of a standard-library module (`os`, `os.path`), or undefined. */
  members(module: string): ReadonlySet<string> | undefined;
  /** Which files were there: the model panel says when the channel has only the text. */
  readonly has: { identifiers: boolean; members: boolean };
}

/** The raw contents of the optional files; either may be missing. */
export interface NameFiles {
  identifiers?: string;
  members?: string;
}

function parseVersioned(text: string, file: string, format: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(file, `is not JSON (${(error as Error).message})`, 'Use the file saved with the model');
  }
  const record = value as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || record.format !== format)
    throw new ModelFileError(file, `is not a ${format} file`, 'Use the file saved with the model, or remove it');
  if (record.version !== NAME_FILES_VERSION)
    throw new ModelFileError(
      file,
      `has version ${JSON.stringify(record.version)}; this build reads version ${NAME_FILES_VERSION}`,
      'Use a file of this version, or remove it (fixing then uses the text alone)',
    );
  return record;
}

export function parseIdentifiers(text: string): IdentifiersFile {
  const file = NAME_FILE_NAMES.identifiers;
  const record = parseVersioned(text, file, IDENTIFIERS_FORMAT);
  const counts = record.counts as Record<string, unknown> | undefined;
  const total = record.total;
  if (typeof total !== 'number' || !(total > 0) || counts === null || typeof counts !== 'object')
    throw new ModelFileError(
      file,
      'needs a positive "total" and a "counts" object',
      'Rebuild it with tools/build-name-files.ts',
    );
  for (const [name, count] of Object.entries(counts))
    if (typeof count !== 'number' || !(count >= 0))
      throw new ModelFileError(file, `the count of ${JSON.stringify(name)} is not a number`, 'Rebuild it');
  return record as unknown as IdentifiersFile;
}

export function parseMembers(text: string): MembersFile {
  const file = NAME_FILE_NAMES.members;
  const record = parseVersioned(text, file, MEMBERS_FORMAT);
  const modules = record.modules as Record<string, unknown> | undefined;
  if (modules === null || typeof modules !== 'object' || Object.values(modules).some((m) => typeof m !== 'string'))
    throw new ModelFileError(file, 'needs a "modules" object of space-separated names', 'Rebuild it');
  return record as unknown as MembersFile;
}

/** The lexicon of the files present (an empty one when neither is). Throws ModelFileError on a bad file. */
export function readNameFiles(files: NameFiles): NameLexicon {
  const identifiers = files.identifiers === undefined ? undefined : parseIdentifiers(files.identifiers);
  const members = files.members === undefined ? undefined : parseMembers(files.members);
  const counts = new Map(Object.entries(identifiers?.counts ?? {}));
  const modules = new Map<string, Set<string>>();
  return {
    corpusCount: (name) => counts.get(name) ?? 0,
    corpusTotal: identifiers?.total ?? 0,
    members(module) {
      const listed = members?.modules[module];
      if (listed === undefined) return undefined;
      let set = modules.get(module);
      if (!set) modules.set(module, (set = new Set(listed.split(' ').filter((m) => m !== ''))));
      return set;
    },
    has: { identifiers: identifiers !== undefined, members: members !== undefined },
  };
}

export const EMPTY_NAME_LEXICON: NameLexicon = readNameFiles({});
