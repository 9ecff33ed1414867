// The PyPI corpus from unpacked wheels: every function the model can read, once (duplicates removed
// by normalized text, across packages, first one kept), none whose text also occurs in the refused
// installed trees (the leak guard). Pure: the command line (src/cli/corpus.ts) downloads, unpacks,
// lists folders and writes; this decides what is kept and counts it.
import { fnv1a64Hex } from '../model/internals';
import { extractFunctions, normalizedKey } from './extract';
import type { SourceFile } from './pipeline';

/** A function's identity for duplicates and the leak guard: a hash of its normalized token texts. */
export function functionHash(text: string): string {
  return fnv1a64Hex(normalizedKey(text));
}

/** The hashes of every function of the files up to maxTokens (any number of lines: layout is not compared). */
export function functionHashes(files: Iterable<SourceFile>, maxTokens: number): Set<string> {
  const hashes = new Set<string>();
  for (const file of files)
    for (const fn of extractFunctions(file.text, file.path, { maxTokens, maxLines: Number.POSITIVE_INFINITY, keys: true }))
      hashes.add(fnv1a64Hex(fn.key!));
  return hashes;
}

export interface CorpusLimits {
  /** Functions of at most this many tokens are made into every kind of example (max_sequence_length). */
  maxTokens: number;
  /** Longer ones up to this serve next-line examples only (dataset's --context-max-tokens). */
  contextMaxTokens: number;
}

/** One unpacked package's .py files, refused files already left out (counted). */
export interface CorpusPackageSource {
  name: string;
  version: string;
  /** Paths `<name>/<path in the wheel>`, so files of two packages never share a path. */
  files: readonly SourceFile[];
  refusedFiles: number;
  unreadableFiles: number;
}

export interface CorpusPackageStats {
  name: string;
  version: string;
  files: number;
  refused_files: number;
  unreadable_files: number;
  /** Kept functions of at most maxTokens tokens, and their tokens. */
  functions: number;
  tokens: number;
  /** Kept functions over maxTokens, up to contextMaxTokens (next-line examples only). */
  context_functions: number;
  context_tokens: number;
  /** Functions whose text came earlier (this package or one before it). */
  duplicates: number;
  /** Functions whose text occurs in the refused trees, or that hold such a function. */
  leak_guard_drops: number;
}

export interface CorpusResult {
  /** Files with at least one kept function: the functions' texts, separated by a blank line. */
  files: SourceFile[];
  packages: CorpusPackageStats[];
}

/** The corpus built one package at a time, so only one package's files are held at once. */
export interface CorpusBuilder {
  /** Keeps what this package adds: its files with kept functions, and its counts. */
  add(pkg: CorpusPackageSource): { files: SourceFile[]; stats: CorpusPackageStats };
}

/**
 * Keeps each function once and none the leak guard knows. A function holding a dropped nested one is
 * dropped too: written out, the nested text would come back when `dataset` extracts the file again.
 */
export function corpusBuilder(leakHashes: ReadonlySet<string>, limits: CorpusLimits): CorpusBuilder {
  const seen = new Set<string>();
  return {
    add(pkg) {
      const files: SourceFile[] = [];
      const count: CorpusPackageStats = {
        name: pkg.name,
        version: pkg.version,
        files: pkg.files.length,
        refused_files: pkg.refusedFiles,
        unreadable_files: pkg.unreadableFiles,
        functions: 0,
        tokens: 0,
        context_functions: 0,
        context_tokens: 0,
        duplicates: 0,
        leak_guard_drops: 0,
      };
      for (const file of pkg.files) {
        // One lexing per function: its token count and normalized key come with it.
        const found = extractFunctions(file.text, file.path, { maxTokens: limits.contextMaxTokens, keys: true }).map(
          (fn) => ({
            text: fn.text,
            first: fn.startLine,
            last: fn.startLine + fn.text.split('\n').length - 2,
            hash: fnv1a64Hex(fn.key!),
            tokens: fn.tokenCount,
          }),
        );
        const leaked = found.filter((fn) => leakHashes.has(fn.hash));
        const kept: string[] = [];
        for (const fn of found) {
          if (leaked.some((inner) => inner.first >= fn.first && inner.last <= fn.last)) {
            count.leak_guard_drops++;
            continue;
          }
          if (seen.has(fn.hash)) {
            count.duplicates++;
            continue;
          }
          seen.add(fn.hash);
          kept.push(fn.text);
          if (fn.tokens <= limits.maxTokens) {
            count.functions++;
            count.tokens += fn.tokens;
          } else {
            count.context_functions++;
            count.context_tokens += fn.tokens;
          }
        }
        if (kept.length > 0) files.push({ path: file.path, text: kept.join('\n\n') });
      }
      return { files, stats: count };
    },
  };
}

/** The whole corpus of some packages at once (corpusBuilder over them in order). */
export function buildCorpus(
  packages: readonly CorpusPackageSource[],
  leakHashes: ReadonlySet<string>,
  limits: CorpusLimits,
): CorpusResult {
  const builder = corpusBuilder(leakHashes, limits);
  const result: CorpusResult = { files: [], packages: [] };
  for (const pkg of packages) {
    const { files, stats } = builder.add(pkg);
    result.files.push(...files);
    result.packages.push(stats);
  }
  return result;
}
