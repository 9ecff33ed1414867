// Runs the real command line (tsx src/cli/main.ts), as a user would, on files written to a temp dir.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig, stringifyModelConfig } from '../../src/model';
import { architectureFingerprint, vocabFingerprint, writeSafetensors } from '../../src/model/internals';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function cli(...args: string[]) {
  const result = spawnSync(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What the seed shipped: 262,144 standard-normal float32 values, no header (Box-Muller, mulberry32). */
function seedLikeWeights(): Uint8Array {
  let state = 20250630;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values = new Float32Array(262144);
  for (let i = 0; i < values.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    values[i] = radius * Math.cos(angle);
    values[i + 1] = radius * Math.sin(angle);
  }
  return new Uint8Array(values.buffer);
}

let dir: string;
const tokens = ['<pad>', '<s>', '</s>', '<unk>', 'def', 'return'];
const config = presetConfig('tiny');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inspect-test-'));
  writeFileSync(join(dir, 'seed.bin'), seedLikeWeights());
  const model = join(dir, 'model');
  mkdirSync(model);
  const tensors = new Map([
    ['decoder/embedding', { shape: [50, 16], data: new Float32Array(800).fill(0.25) }],
    ['encoder/lstm_0/kernel', { shape: [32, 128], data: new Float32Array(4096).fill(-0.5) }],
    ['encoder/lstm_0/bias', { shape: [128], data: new Float32Array(128) }],
  ]);
  const metadata = {
    architecture_hash: architectureFingerprint(config),
    vocab_hash: vocabFingerprint(tokens),
    model_name: 'test',
  };
  writeFileSync(join(model, 'lstm_weights.bin'), writeSafetensors(tensors, metadata));
  writeFileSync(join(model, 'model_config.toml'), stringifyModelConfig(config));
  writeFileSync(
    join(model, 'tokenizer.json'),
    JSON.stringify({
      format: 'lstm-coding-optimizer-tokenizer',
      lexer_version: 1,
      specials: tokens.slice(0, 4),
      tokens,
    }),
  );
  const other = presetConfig('tiny');
  other.architecture.hidden_size = 64;
  writeFileSync(join(dir, 'other.toml'), stringifyModelConfig(other));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- inspect', () => {
  it('refuses the seed-like raw float32 file with one line saying there is no safetensors header', () => {
    const file = join(dir, 'seed.bin');
    const { code, stdout, stderr } = cli('inspect', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      new RegExp(
        `^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: no safetensors header \\(the first 8 bytes give a header length of [0-9.]+e1[89] bytes, larger than the 1048576-byte file\\)`,
      ),
    );
    expect(stderr).toContain(
      'this looks like raw float32 data (262144 values), not a lstm-coding-optimizer weights file. Get a valid file from public/models/',
    );
    expect(stderr).not.toContain('    at ');
  });

  it('lists a valid file and checks it against the config and tokenizer next to it', () => {
    const { code, stdout, stderr } = cli('inspect', join(dir, 'model', 'lstm_weights.bin'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('  format             lstm-coding-optimizer\n');
    const squeezed = stdout.replace(/ {2,}/g, '  ');
    expect(squeezed).toContain('\n  decoder/embedding  F32  [50, 16]  800\n');
    expect(squeezed).toContain('\n  encoder/lstm_0/kernel  F32  [32, 128]  4,096\n');
    expect(stdout).toContain('\ntotal parameters  5,024\n');
    expect(squeezed).toContain(
      `\n  architecture_hash  match  ${join(dir, 'model', 'model_config.toml')} (${architectureFingerprint(config)})\n`,
    );
    expect(squeezed).toContain(
      `\n  vocab_hash  match  ${join(dir, 'model', 'tokenizer.json')} (${vocabFingerprint(tokens)})\n`,
    );
  });

  it('prints the same as JSON', () => {
    const { code, stdout } = cli('inspect', join(dir, 'model', 'lstm_weights.bin'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.total_parameters).toBe(5024);
    expect(report.bytes).toBe(8 + report.header_bytes + 5024 * 4);
    expect(report.tensors.map((t: { name: string }) => t.name)).toEqual([
      'decoder/embedding',
      'encoder/lstm_0/bias',
      'encoder/lstm_0/kernel',
    ]);
    expect(report.tensors[2]).toEqual({
      name: 'encoder/lstm_0/kernel',
      dtype: 'F32',
      shape: [32, 128],
      parameters: 4096,
    });
    expect(report.metadata.model_name).toBe('test');
    expect(report.checks.map((c: { status: string }) => c.status)).toEqual(['match', 'match']);
  });

  it('exits 1 with one line when the config does not match the weights', () => {
    const { code, stdout, stderr } = cli(
      'inspect',
      join(dir, 'model', 'lstm_weights.bin'),
      '--config',
      join(dir, 'other.toml'),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('total parameters  5,024');
    expect(stdout).toMatch(/architecture_hash {2}mismatch/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      `architecture_hash ${architectureFingerprint(config)} does not match the [architecture] section of ${join(dir, 'other.toml')}`,
    );
  });

  it('handles usage errors and missing files', () => {
    const unknown = cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command "frobnicate"\nusage: npm run cli -- <command>/);
    expect(unknown.stderr).toContain('\n  inspect  ');
    const missing = cli('inspect', join(dir, 'nope.bin'), '--debug');
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe(
      `error: ${join(dir, 'nope.bin')}: no such file. Check the path; the shipped weights are public/models/lstm_weights.bin`,
    );
    expect(missing.stderr).toContain('    at '); // --debug adds the stack
    const noFile = cli('inspect');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(
      'error: inspect takes one FILE, got 0\nusage: npm run cli -- inspect FILE [--config model_config.toml] [--tokenizer tokenizer.json] [--json]\n',
    );
  });
});
