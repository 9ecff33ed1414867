// The `pytorch` rows of `npm run cli -- bench`: the same network in PyTorch (trainer/,
// docs/design.md#pytorch-trainer) on the bench's shapes, timed by `python3 -m trainer bench` in a child process. One
// torch thread by default, as the Node wasm backend runs one thread. Without Python or torch the row
// says why it is missing instead of failing the bench.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../bench/bench-table';

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
): BenchRow {
  const args = ['-m', 'trainer', 'bench', '--presets', preset, '--runs', String(runs), '--threads', String(threads)];
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
    pytorch: { torch: row.torch, threads: row.threads },
  };
}
