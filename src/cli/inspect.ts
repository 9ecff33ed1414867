// `inspect FILE`: what is in a weights file, and whether it belongs with the model_config.toml and
// tokenizer.json beside it. The first thing to run when a model refuses to load.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  parseModelConfig,
  checkFingerprints,
  describeMismatch,
  type FingerprintCheck,
  elementCount,
  formatShape,
  ModelFileError,
  readSafetensors,
} from '../model';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- inspect FILE [--config model_config.toml] [--tokenizer tokenizer.json] [--json]

Reads a weights file (safetensors layout), prints its metadata, every tensor with dtype, shape and
parameter count, the total parameter count and the file size. Checks the file's architecture_hash
against model_config.toml and its vocab_hash against tokenizer.json: the ones given, or the ones next
to FILE. Exits 1 if the file is invalid or a hash does not match.`;

export interface InspectReport {
  file: string;
  bytes: number;
  header_bytes: number;
  metadata: Record<string, string>;
  tensors: { name: string; dtype: string; shape: number[]; parameters: number }[];
  total_parameters: number;
  config: string | null;
  tokenizer: string | null;
  checks: FingerprintCheck[];
  warnings: string[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, tokenizer: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`inspect takes one FILE, got ${positionals.length}`);
  const report = inspectWeightsFile(positionals[0], { config: values.config, tokenizer: values.tokenizer });

  for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));

  const mismatches = report.checks.filter((check) => check.status === 'mismatch');
  if (mismatches.length > 0) {
    const parts = mismatches.map((check) => describeMismatch(check, report.file));
    throw new ModelFileError(report.file, parts.map((p) => p.problem).join('; '), parts[0].fix);
  }
  return 0;
}

/** Reads and checks FILE and the config and tokenizer that go with it; throws ModelFileError. */
function inspectWeightsFile(file: string, options: { config?: string; tokenizer?: string } = {}): InspectReport {
  const bytes = readBytes(file, 'Check the path; the shipped weights are public/models/lstm_weights.bin');
  const { tensors, metadata, headerByteLength } = readSafetensors(bytes, file);
  const warnings: string[] = [];

  const configPath = options.config ?? existingFile(join(dirname(file), 'model_config.toml'));
  const parsed = configPath === undefined ? undefined : parseModelConfig(readText(configPath), configPath);
  if (parsed) warnings.push(...parsed.warnings);

  const tokenizerCandidates = [
    parsed && configPath ? join(dirname(configPath), parsed.config.paths.tokenizer) : undefined,
    join(dirname(file), 'tokenizer.json'),
  ];
  const tokenizerPath =
    options.tokenizer ?? tokenizerCandidates.find((path) => path && /\.json$/i.test(path) && existingFile(path));
  const tokens = tokenizerPath === undefined ? undefined : readTokenizerTokens(readText(tokenizerPath), tokenizerPath);

  const checks = checkFingerprints(metadata, {
    config: parsed?.config,
    configFile: configPath,
    tokens,
    tokenizerFile: tokenizerPath,
  });
  for (const check of checks) {
    if (check.status === 'unrecorded')
      warnings.push(`${file}: the metadata has no ${check.key}, so it cannot be checked against ${check.against}`);
  }

  const rows = [...tensors].map(([name, tensor]) => ({
    name,
    dtype: tensor.fileDtype,
    shape: tensor.shape,
    parameters: elementCount(tensor.shape),
  }));
  return {
    file,
    bytes: bytes.length,
    header_bytes: headerByteLength,
    metadata,
    tensors: rows,
    total_parameters: rows.reduce((sum, row) => sum + row.parameters, 0),
    config: configPath ?? null,
    tokenizer: tokenizerPath ?? null,
    checks,
    warnings,
  };
}

/** The `tokens` of a tokenizer.json ({format, lexer_version, specials, tokens}), checked. */
function readTokenizerTokens(text: string, fileName = 'tokenizer.json'): string[] {
  const fix = 'Use the tokenizer.json saved with the weights (public/models/), or retrain with `npm run cli -- train`';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(fileName, `not valid JSON (${(error as Error).message})`, fix);
  }
  const tokens = (parsed as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(tokens))
    throw new ModelFileError(
      fileName,
      'has no "tokens" array (expected {format, lexer_version, specials, tokens})',
      fix,
    );
  const bad = tokens.findIndex((token) => typeof token !== 'string');
  if (bad >= 0) throw new ModelFileError(fileName, `tokens[${bad}] is not a string`, fix);
  return tokens as string[];
}

function formatReport(report: InspectReport): string {
  const n = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const lines = [
    `file              ${report.file}`,
    `size              ${n(report.bytes)} bytes (header ${n(report.header_bytes)} + 8, tensor data ${n(report.bytes - report.header_bytes - 8)})`,
    'metadata',
  ];
  const metaWidth = Math.max(0, ...Object.keys(report.metadata).map((key) => key.length));
  for (const [key, value] of Object.entries(report.metadata)) lines.push(`  ${key.padEnd(metaWidth)}  ${value}`);

  lines.push(`tensors (${report.tensors.length})`);
  const table = [
    ['name', 'dtype', 'shape', 'parameters'],
    ...report.tensors.map((t) => [t.name, t.dtype, formatShape(t.shape), n(t.parameters)]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column].length)));
  for (const row of table)
    lines.push(
      `  ${row
        .slice(0, 3)
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')}  ${row[3]}`,
    );
  lines.push(`total parameters  ${n(report.total_parameters)}`);

  if (report.checks.length === 0) {
    lines.push(
      'checks            none: no model_config.toml or tokenizer.json next to the file (use --config, --tokenizer)',
    );
  } else {
    lines.push('checks');
    for (const check of report.checks) {
      const detail = check.status === 'mismatch' ? `recorded ${check.recorded}, actual ${check.actual}` : check.actual;
      lines.push(`  ${check.key.padEnd(17)}  ${check.status.padEnd(10)}  ${check.against} (${detail})`);
    }
  }
  return lines.join('\n') + '\n';
}

function existingFile(path: string): string | undefined {
  return existsSync(path) ? path : undefined;
}

function readBytes(path: string, fix: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${(error as Error).message})`;
    throw new ModelFileError(path, problem, fix);
  }
}

function readText(path: string): string {
  return new TextDecoder().decode(
    readBytes(path, 'Check the path, or leave the option out to use the file next to the weights'),
  );
}
