// The corpus's wheels: downloaded once into the cache (pip, hashes required, no build code run),
// checked again against the pinned sha256, and unpacked (.py files only) by python3's zipfile.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hashedRequirement, type CorpusPackage } from '../data/corpus-config';

/** Downloads run at once (pip waits on the network, not the CPU). */
const DOWNLOAD_CONCURRENCY = 4;
/** Puts the wheel of pkg (only it) into dir; throws with the reason when it cannot. */
export type DownloadWheel = (pkg: CorpusPackage, dir: string) => Promise<void>;

/** pip download of the pinned wheel alone: binary only, no dependencies, the hash required. */
export const pipDownload: DownloadWheel = async (pkg, dir) => {
  const requirements = join(dir, 'requirements.txt');
  writeFileSync(requirements, `${hashedRequirement(pkg)}\n`);
  const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--require-hashes', '--quiet'];
  await new Promise<void>((done, fail) => {
    const child = spawn('python3', [...args, '--disable-pip-version-check', '-r', requirements, '-d', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(lastLines(text) || `pip exited ${code}`))));
  });
  rmSync(requirements);
};

/** Longest line of a tool's error kept in a message: pip lists every version it skipped on one line. */
const MAX_ERROR_LINE = 300;

/** The last lines of a tool's error output, each cut to MAX_ERROR_LINE characters, for a one-line message. */
export function lastLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-3)
    .map((line) => (line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line))
    .join(' / ');
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The cached wheel of pkg, downloaded when missing; throws naming the package on any failure. */
export async function fetchWheel(pkg: CorpusPackage, cache: string, download: DownloadWheel): Promise<string> {
  const folder = join(cache, 'wheels', `${pkg.name}-${pkg.version}`);
  const cached = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.whl')) : [];
  for (const name of cached) if (sha256File(join(folder, name)) === pkg.sha256) return join(folder, name);
  mkdirSync(join(cache, 'wheels'), { recursive: true });
  const staging = mkdtempSync(join(cache, 'wheels', '.download-'));
  try {
    try {
      await download(pkg, staging);
    } catch (error) {
      throw new Error(`${pkg.name} ${pkg.version}: download failed: ${(error as Error).message}`, { cause: error });
    }
    const wheels = readdirSync(staging).filter((name) => name.endsWith('.whl'));
    if (wheels.length !== 1)
      throw new Error(`${pkg.name} ${pkg.version}: expected one wheel from the download, got ${wheels.length}`);
    const actual = sha256File(join(staging, wheels[0]!));
    if (actual !== pkg.sha256)
      throw new Error(`${pkg.name} ${pkg.version}: the wheel's sha256 is ${actual}, the config pins ${pkg.sha256}`);
    mkdirSync(folder, { recursive: true });
    renameSync(join(staging, wheels[0]!), join(folder, wheels[0]!));
    return join(folder, wheels[0]!);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export async function fetchAll(
  packages: readonly CorpusPackage[],
  cache: string,
  download: DownloadWheel,
): Promise<string[]> {
  const wheels: string[] = new Array(packages.length);
  let next = 0;
  const worker = async () => {
    while (next < packages.length) {
      const i = next++;
      wheels[i] = await fetchWheel(packages[i]!, cache, download);
    }
  };
  await Promise.all(Array.from({ length: DOWNLOAD_CONCURRENCY }, worker));
  return wheels;
}

// Unpacks the .py members of a wheel (never outside dest) and prints its top-level import names.
const UNPACK_SCRIPT = `
import json, os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
names = set()
with zipfile.ZipFile(wheel) as z:
    for member in z.namelist():
        parts = member.split("/")
        if parts[0].endswith((".dist-info", ".data")) or ".." in parts or member.startswith("/"):
            continue
        names.add(parts[0] if len(parts) > 1 else parts[0].split(".")[0])
        if member.endswith(".py"):
            target = os.path.join(dest, *parts)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(z.read(member))
print(json.dumps(sorted(n for n in names if n.isidentifier() and n != "__init__")))`;

export function unpackWheel(wheel: string, dest: string): string[] {
  mkdirSync(dest, { recursive: true });
  const result = spawnSync('python3', ['-c', UNPACK_SCRIPT, wheel, dest], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`could not unpack ${wheel}: ${lastLines(result.stderr)}`);
  return JSON.parse(result.stdout) as string[];
}
