// `corpus`: the PyPI corpus. Downloads the wheels pinned in training/corpus.toml (hashes checked, no
// build code run), unpacks their .py files, refuses what the machine already has installed or
// measures with, keeps each readable function once and none that also occurs in the installed
// trees, and writes OUT/source/<package>/… (for `dataset --source OUT/source`) and
// OUT/dataset_stats.json. Everything goes to a temporary folder renamed at the end: a failure
// leaves OUT as it was.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CorpusConfigError, parseCorpusConfig, type CorpusPackage } from '../data/corpus-config';
import { corpusBuilder, functionHashes, type CorpusLimits, type CorpusPackageStats } from '../data/corpus';
import {
  packageRefusal,
  refusedFileDir,
  refusedNames,
  VENDOR_DIRS,
  type InstalledFolder,
  type RefusedNames,
} from '../data/corpus-refusal';
import { DEFAULT_MAX_TOKENS } from '../data/extract';
import { OUTSIDE_PACKAGES } from '../data/outside-packages';
import type { SourceFile } from '../data/pipeline';
import { DEFAULT_AUGMENT } from '../data/train-augment';
import { fetchAll, pipDownload, unpackWheel, type DownloadWheel } from './corpus-wheels';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- corpus [--out corpus] [--config training/corpus.toml] [--cache DIR] [--json]

Downloads the wheels pinned in --config (pip download --no-deps --only-binary=:all: --require-hashes:
no build code runs, any other file is refused) into --cache (default ~/.cache/lstm-coding-optimizer),
unpacks their .py files and keeps every function of at most ${DEFAULT_AUGMENT.contextMaxTokens} tokens and 64 lines once (duplicates
by normalized text removed, first package first). Refused, with the reason: a package whose name
is installed in /usr/lib/python3/dist-packages, the machine Python's site-packages or a _vendor or
vendor folder under them, or is an outside package (measured on only); files under _vendor, vendor,
test or tests folders. The leak guard drops every function whose normalized text occurs in those
installed trees (their hashes are cached in --cache). Writes --out/source/<package>/<file>.py
(train on it with dataset --source OUT/source) and --out/dataset_stats.json (per package: files,
functions and tokens within ${DEFAULT_MAX_TOKENS} tokens, longer ones read for completion, duplicates, leak-guard
drops, refused files). --json prints the stats instead of the summary. A failed download or a wrong
hash names the package and writes nothing.`;

/** The Debian folder of system Python packages, refused beside the machine Python's site-packages. */
export const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
/** Bumped when the leak guard's hashes change meaning, so old caches are not read. */
const LEAK_GUARD_FORMAT = 1;

export interface CorpusOptions {
  config: string;
  out: string;
  cache: string;
  limits: CorpusLimits;
  /** Folders of installed packages whose names are refused and whose functions the leak guard drops. */
  installedRoots: readonly string[];
  download: DownloadWheel;
  log: (line: string) => void;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'corpus' },
      config: { type: 'string', default: 'training/corpus.toml' },
      cache: { type: 'string', default: join(homedir(), '.cache', 'lstm-coding-optimizer') },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`corpus takes no positional arguments, got ${positionals.join(' ')}`);
  const stats = await buildPypiCorpus({
    config: values.config!,
    out: values.out!,
    cache: values.cache!,
    limits: { maxTokens: DEFAULT_MAX_TOKENS, contextMaxTokens: DEFAULT_AUGMENT.contextMaxTokens },
    installedRoots: installedRoots(),
    download: pipDownload,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(stats, null, 2)}\n` : corpusSummary(stats, values.out!));
  return 0;
}

/** Debian's dist-packages and the machine Python's site-packages (asked of python3), those that exist. */
export function installedRoots(): string[] {
  const result = spawnSync('python3', ['-c', 'import json, site; print(json.dumps(site.getsitepackages()))'], {
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`could not ask python3 for its site-packages (${result.error?.message ?? result.stderr.trim()})`);
  return [DIST_PACKAGES, ...(JSON.parse(result.stdout) as string[])].filter((path) => existsSync(path));
}

/** Every .py file under dir (relative paths with '/', sorted), every folder read: refusal is the caller's. */
export function allPythonFiles(dir: string, relative = ''): string[] {
  const found: string[] = [];
  const entries = readdirSync(relative === '' ? dir : join(dir, relative), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== '__pycache__') found.push(...allPythonFiles(dir, path));
    else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
  }
  return found;
}

/** The installed folders whose names are refused: each root and every vendor folder under it. */
function installedFolders(roots: readonly string[], pythonFiles: ReadonlyMap<string, string[]>): InstalledFolder[] {
  const folders = new Set<string>(roots);
  for (const [root, files] of pythonFiles)
    for (const file of files) {
      const parts = file.split('/');
      for (let i = 0; i < parts.length - 1; i++)
        if (VENDOR_DIRS.includes(parts[i]!)) folders.add(join(root, ...parts.slice(0, i + 1)));
    }
  return [...folders].map((path) => ({ path, entries: readdirSync(path, { withFileTypes: true }) }));
}

function readText(path: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** The leak guard's hashes of every function in the installed trees, cached by their files' sizes and dates. */
function leakGuardHashes(
  pythonFiles: ReadonlyMap<string, string[]>,
  limits: CorpusLimits,
  cache: string,
  log: (line: string) => void,
): { hashes: Set<string>; files: number; cached: boolean } {
  const listing: string[] = [`format ${LEAK_GUARD_FORMAT} tokens ${limits.contextMaxTokens}`];
  for (const [root, files] of pythonFiles)
    for (const file of files) {
      const info = statSync(join(root, file));
      listing.push(`${root}/${file}\t${info.size}\t${info.mtimeMs}`);
    }
  const count = listing.length - 1;
  const cacheFile = join(
    cache,
    'leak-guard',
    `${createHash('sha256').update(listing.join('\n')).digest('hex').slice(0, 16)}.txt`,
  );
  if (existsSync(cacheFile)) {
    const lines = readFileSync(cacheFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    return { hashes: new Set(lines), files: count, cached: true };
  }
  log(`leak guard: hashing the functions of ${count} installed .py files (once; cached in ${dirname(cacheFile)})`);
  function* sources(): Generator<SourceFile> {
    for (const [root, files] of pythonFiles)
      for (const file of files) {
        const text = readText(join(root, file));
        if (text !== undefined) yield { path: file, text };
      }
  }
  const hashes = functionHashes(sources(), limits.contextMaxTokens);
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(`${cacheFile}.tmp`, [...hashes].join('\n') + '\n');
  renameSync(`${cacheFile}.tmp`, cacheFile);
  return { hashes, files: count, cached: false };
}

export interface CorpusStats {
  format: 'lstm-coding-optimizer-corpus-stats';
  config: string;
  limits: CorpusLimits;
  refused: { installed_folders: string[]; names: number; outside_packages: string[] };
  leak_guard: { installed_files: number; function_hashes: number; cached: boolean };
  totals: Record<
    | 'packages'
    | 'files'
    | 'refused_files'
    | 'functions'
    | 'tokens'
    | 'context_functions'
    | 'context_tokens'
    | 'duplicates'
    | 'leak_guard_drops',
    number
  >;
  packages: (CorpusPackageStats & { licence: string; wheel: string; sha256: string })[];
  timing_ms: { download: number; leak_guard: number; extract: number; total: number };
}

/** Refuses a package by name before anything is downloaded, or by its wheel's import names after. */
function refuse(pkg: CorpusPackage, importNames: readonly string[], refused: RefusedNames): void {
  const reason = packageRefusal(pkg.name, importNames, refused);
  if (reason !== undefined) throw new Error(`${pkg.name} ${pkg.version} is refused: ${reason}`);
}

export async function buildPypiCorpus(options: CorpusOptions): Promise<CorpusStats> {
  const started = performance.now();
  const { limits, log } = options;
  let configText: string;
  try {
    configText = readFileSync(options.config, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${options.config}: cannot read it (${(error as Error).message})`);
  }
  let packages: CorpusPackage[];
  try {
    packages = parseCorpusConfig(configText);
  } catch (error) {
    if (error instanceof CorpusConfigError) throw new Error(`${options.config}: ${error.message}`, { cause: error });
    throw error;
  }
  const pythonFiles = new Map(options.installedRoots.map((root) => [root, allPythonFiles(root)]));
  const folders = installedFolders(options.installedRoots, pythonFiles);
  const refused = refusedNames(folders, OUTSIDE_PACKAGES);
  for (const pkg of packages) refuse(pkg, [], refused);

  const downloadStarted = performance.now();
  log(`${packages.length} packages: fetching wheels into ${options.cache}/wheels`);
  const wheels = await fetchAll(packages, options.cache, options.download);
  const downloadMs = performance.now() - downloadStarted;

  const leakStarted = performance.now();
  const leak = leakGuardHashes(pythonFiles, limits, options.cache, log);
  const leakMs = performance.now() - leakStarted;

  const extractStarted = performance.now();
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  const staging = mkdtempSync(`${out}.tmp-`);
  const unpackRoot = mkdtempSync(join(tmpdir(), 'corpus-unpack-'));
  try {
    const builder = corpusBuilder(leak.hashes, limits);
    const counts = packages.map((pkg, i) => {
      const dest = join(unpackRoot, String(i));
      refuse(pkg, unpackWheel(wheels[i]!, dest), refused);
      const paths = allPythonFiles(dest);
      const readable = paths.filter((path) => refusedFileDir(path) === undefined);
      const files: SourceFile[] = [];
      for (const path of readable) {
        const text = readText(join(dest, path));
        if (text !== undefined) files.push({ path: `${pkg.name}/${path}`, text });
      }
      rmSync(dest, { recursive: true, force: true });
      const added = builder.add({
        name: pkg.name,
        version: pkg.version,
        files,
        refusedFiles: paths.length - readable.length,
        unreadableFiles: readable.length - files.length,
      });
      for (const file of added.files) {
        const target = join(staging, 'source', file.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, file.text);
      }
      log(`${pkg.name} ${pkg.version}: ${added.stats.functions} functions, ${added.stats.tokens} tokens`);
      return added.stats;
    });
    const corpus = { packages: counts };
    const sum = (key: keyof CorpusStats['totals'] & keyof (typeof corpus.packages)[number]) =>
      corpus.packages.reduce((total, pkg) => total + pkg[key], 0);
    const stats: CorpusStats = {
      format: 'lstm-coding-optimizer-corpus-stats',
      config: options.config,
      limits,
      refused: {
        installed_folders: folders.map((folder) => folder.path),
        names: refused.size,
        outside_packages: OUTSIDE_PACKAGES.map((pkg) => pkg.distribution),
      },
      leak_guard: { installed_files: leak.files, function_hashes: leak.hashes.size, cached: leak.cached },
      totals: {
        packages: packages.length,
        files: sum('files'),
        refused_files: sum('refused_files'),
        functions: sum('functions'),
        tokens: sum('tokens'),
        context_functions: sum('context_functions'),
        context_tokens: sum('context_tokens'),
        duplicates: sum('duplicates'),
        leak_guard_drops: sum('leak_guard_drops'),
      },
      packages: corpus.packages.map((count, i) => ({
        ...count,
        licence: packages[i]!.licence,
        wheel: wheels[i]!.split('/').pop()!,
        sha256: packages[i]!.sha256,
      })),
      timing_ms: {
        download: Math.round(downloadMs),
        leak_guard: Math.round(leakMs),
        extract: Math.round(performance.now() - extractStarted),
        total: Math.round(performance.now() - started),
      },
    };
    writeFileSync(join(staging, 'dataset_stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
    // Replace OUT only now, whole: the old one moves aside first and goes once the new one is in place.
    const previous = existsSync(out) ? `${staging}.previous` : undefined;
    if (previous) renameSync(out, previous);
    renameSync(staging, out);
    if (previous) rmSync(previous, { recursive: true, force: true });
    return stats;
  } finally {
    rmSync(unpackRoot, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

export function corpusSummary(stats: CorpusStats, out: string): string {
  const t = stats.totals;
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    `corpus: ${t.packages} packages, ${n(t.files)} files read (${n(t.refused_files)} refused)`,
    `  functions within ${stats.limits.maxTokens} tokens: ${n(t.functions)} (${n(t.tokens)} tokens)`,
    `  longer, up to ${stats.limits.contextMaxTokens} tokens (next-line examples): ${n(t.context_functions)} (${n(t.context_tokens)} tokens)`,
    `  dropped: ${n(t.duplicates)} duplicates, ${n(t.leak_guard_drops)} by the leak guard (${n(stats.leak_guard.function_hashes)} installed functions)`,
    `  written: ${out}/source (dataset --source ${out}/source), ${out}/dataset_stats.json`,
    '',
  ].join('\n');
}
