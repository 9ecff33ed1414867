// The `pytorch` rows of `npm run cli -- bench`: the same network in PyTorch (trainer/,
// docs/design.md#pytorch-trainer) on the bench's shapes, timed by `python3 -m trainer bench` in a child process. One
// torch thread by default, as the Node wasm backend runs one thread. Without Python or torch the row
// says why it is missing instead of failing the bench.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, Floor, WorkProfile } from '../bench/bench-table';
import { alternate, median, spreadOf } from '../bench/bench-stats';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface PytorchRow {
  preset: string;
  parameters: number;
  trainStepMs: number;
  tokensPerSecond: number;
  greedyMsPerToken: number;
  loadMs: number;
  torch: string;
  threads: number;
  /** The step's floor and what limits it (trainer/floor.py); null with --no-profile. */
  floorMs: number | null;
  floor: Floor | null;
  profile: { trainStep: WorkProfile; greedyToken: WorkProfile } | null;
}

/** A row that could not be measured: every figure NaN (the table shows –), `missing` says why. */
export function missingRow(preset: string, reason: string): BenchRow {
  return {
    preset,
    backend: 'pytorch',
    parameters: NaN,
    trainStepMs: NaN,
    tokensPerSecond: NaN,
    greedyMsPerToken: NaN,
    beam5MsPerAnswer: NaN,
    loadMs: NaN,
    tensorsBefore: 0,
    tensorsAfter: 0,
    bytesAfter: 0,
    baseline: null,
    missing: reason,
  };
}

export function benchPytorch(
  preset: string,
  runs: number,
  threads: number,
  python = process.env.PYTHON ?? 'python3',
  profile = true,
): BenchRow {
  const args = ['-m', 'trainer', 'bench', '--presets', preset, '--runs', String(runs), '--threads', String(threads)];
  if (!profile) args.push('--no-profile');
  const r = spawnSync(python, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.error)
    return missingRow(
      preset,
      `${python} did not start (${r.error.message}): install Python 3.11+ and \`pip install -r trainer/requirements.txt\``,
    );
  if (r.status !== 0) {
    const last = (r.stderr.trim().split('\n').pop() ?? '').slice(0, 200);
    const why = /No module named 'torch'|No module named 'numpy'/.test(r.stderr)
      ? 'torch is not installed: `pip install -r trainer/requirements.txt`'
      : `python3 -m trainer bench exited ${r.status}: ${last}`;
    return missingRow(preset, why);
  }
  const row = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: PytorchRow[] }).rows[0]!;
  return {
    preset,
    backend: 'pytorch',
    parameters: row.parameters,
    trainStepMs: row.trainStepMs,
    tokensPerSecond: row.tokensPerSecond,
    greedyMsPerToken: row.greedyMsPerToken,
    beam5MsPerAnswer: NaN,
    loadMs: row.loadMs,
    tensorsBefore: 0,
    tensorsAfter: 0,
    bytesAfter: 0,
    baseline: null,
    floorMs: row.floorMs ?? null,
    floor: row.floor ?? null,
    profile: row.profile ?? null,
    pytorch: { torch: row.torch, threads: row.threads },
  };
}

/** Each run measured its own floor under its own load: the median floor stands beside the median step. */
function medianFloor(rows: BenchRow[]): Pick<BenchRow, 'floorMs' | 'floor'> {
  const floors = rows.map((r) => r.floor).filter((f): f is Floor => f !== null && f !== undefined);
  if (floors.length < rows.length) return { floorMs: null, floor: null };
  const floorMs = median(floors.map((f) => f.floorMs));
  const gflop = floors[0]!.gflop;
  return { floorMs, floor: { floorMs, gflop, gflopsPerSecond: (gflop * 1000) / floorMs } };
}

/**
 * PyTorch on several thread counts as one comparison: `rounds` runs of `python3 -m trainer bench`
 * per count, the counts alternating in flipping order (one process per run: torch fixes its pool
 * for the process). Each count's row holds the medians over its runs, each of them a median of
 * `runs` steps, and their spread; a count with a run that could not be measured is a missing row.
 */
export async function benchPytorchThreads(
  preset: string,
  runs: number,
  threadCounts: readonly number[],
  rounds: number,
  measure: (threads: number) => BenchRow = (threads) => benchPytorch(preset, runs, threads),
): Promise<BenchRow[]> {
  const measured = threadCounts.map(() => [] as BenchRow[]);
  await alternate(threadCounts, rounds, 0, async (threads) => {
    const row = measure(threads);
    measured[threadCounts.indexOf(threads)]!.push(row);
    return row.trainStepMs;
  });
  const label = (threads: number) => `pytorch, ${threads} thread${threads === 1 ? '' : 's'}`;
  return measured.map((rows, i) => {
    const missing = rows.find((r) => r.missing !== undefined);
    if (missing) return missing;
    const pick = (f: (r: BenchRow) => number) => rows.map(f);
    const first = rows[0]!;
    return {
      ...first,
      trainStepMs: median(pick((r) => r.trainStepMs)),
      tokensPerSecond: median(pick((r) => r.tokensPerSecond)),
      greedyMsPerToken: median(pick((r) => r.greedyMsPerToken)),
      loadMs: median(pick((r) => r.loadMs)),
      ...medianFloor(rows),
      spread: {
        trainStepMs: spreadOf(pick((r) => r.trainStepMs)),
        greedyMsPerToken: spreadOf(pick((r) => r.greedyMsPerToken)),
        beam5MsPerAnswer: spreadOf([]),
      },
      alternatedWith: threadCounts.filter((_, j) => j !== i).map(label),
    };
  });
}
