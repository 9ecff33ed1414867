// training/corpus.toml: the PyPI packages of the corpus, each pinned by version and by the sha256 of
// its wheel, with its licence. Pure: parsing and checks only (`npm run cli -- corpus` downloads).
import { parse, TomlError } from 'smol-toml';

/** Licences (SPDX) the corpus takes: permissive ones, whose code may train a model shipped with its figures. */
export const PERMISSIVE_LICENCES: readonly string[] = [
  'MIT',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  'PSF-2.0',
  'ISC',
];

export interface CorpusPackage {
  /** The distribution name pip installs it by. */
  name: string;
  version: string;
  /** The wheel's sha256, 64 lowercase hex digits: pip refuses any other file. */
  sha256: string;
  /** SPDX: one of PERMISSIVE_LICENCES, or several joined by AND / OR (`MIT OR Apache-2.0`). */
  licence: string;
}

export class CorpusConfigError extends Error {}

/** The packages of a corpus.toml (`[[package]]` tables), in file order; throws CorpusConfigError naming the entry. */
export function parseCorpusConfig(text: string): CorpusPackage[] {
  let table: Record<string, unknown>;
  try {
    table = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CorpusConfigError(error instanceof TomlError ? error.message.split('\n')[0]! : String(error));
  }
  const entries = table.package;
  if (!Array.isArray(entries) || entries.length === 0) throw new CorpusConfigError('no [[package]] entries');
  const seen = new Set<string>();
  return entries.map((entry: Record<string, unknown>, index) => {
    const field = (key: string) => {
      const value = entry[key];
      if (typeof value !== 'string' || value.trim() === '')
        throw new CorpusConfigError(`package ${index + 1} (${String(entry.name ?? '?')}): "${key}" must be a non-empty string`);
      return value;
    };
    const pkg: CorpusPackage = {
      name: field('name'),
      version: field('version'),
      sha256: field('sha256'),
      licence: field('licence'),
    };
    const label = `${pkg.name} ${pkg.version}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(pkg.name)) throw new CorpusConfigError(`${label}: not a package name`);
    if (!/^[A-Za-z0-9.+!_-]+$/.test(pkg.version)) throw new CorpusConfigError(`${label}: not a version`);
    if (!/^[0-9a-f]{64}$/.test(pkg.sha256))
      throw new CorpusConfigError(`${label}: sha256 must be 64 lowercase hex digits, got "${pkg.sha256}"`);
    if (!isPermissive(pkg.licence))
      throw new CorpusConfigError(`${label}: licence "${pkg.licence}" is not one of ${PERMISSIVE_LICENCES.join(', ')}`);
    const key = pkg.name.replace(/[-_.]+/g, '-').toLowerCase();
    if (seen.has(key)) throw new CorpusConfigError(`${label}: listed twice`);
    seen.add(key);
    return pkg;
  });
}

/** An SPDX expression of permissive licences only: every part of an AND or an OR is one. */
export function isPermissive(licence: string): boolean {
  return licence.split(/\s+(?:AND|OR)\s+/).every((part) => PERMISSIVE_LICENCES.includes(part.trim()));
}

/** A pip requirements line that accepts only the pinned wheel: `name==1.0 --hash=sha256:…`. */
export function hashedRequirement(pkg: CorpusPackage): string {
  return `${pkg.name}==${pkg.version} --hash=sha256:${pkg.sha256}`;
}
