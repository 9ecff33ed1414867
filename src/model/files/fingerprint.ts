// Fingerprints that tie the three model files together: the weights file's metadata records a hash
// of the [architecture] section it was trained with and of the vocabulary, so a weights file, a
// model_config.toml and a tokenizer.json that do not belong together are refused with a message
// that says which one differs.
import type { ModelConfig } from './config';
import { fingerprintTokens } from '../vocab';

const TWO_32 = 4294967296;

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 lowercase hex digits.
 * Computed on two 32-bit halves with plain numbers (no BigInt): the FNV prime is 2^40 + 0x1b3,
 * so h·prime mod 2^64 = (h << 40) + h·0x1b3, and every partial product stays below 2^53.
 */
export function fnv1a64Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / TWO_32);
    const hiProduct = hi * 0x1b3 + carry + (lo % 0x1000000) * 256; // (lo << 40) lands in hi as lo << 8
    lo = loProduct % TWO_32;
    hi = hiProduct % TWO_32;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** JSON with object keys sorted at every depth, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(record[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

/** Hash of the [architecture] section: stored as `architecture_hash` in the weights metadata. */
export function architectureFingerprint(config: Pick<ModelConfig, 'architecture'>): string {
  return fnv1a64Hex(canonicalJson(config.architecture));
}

/** Hash of the vocabulary in id order: stored as `vocab_hash` in the weights metadata. */
export function vocabFingerprint(tokens: readonly string[]): string {
  // One definition of a vocabulary's hash, the one tokenizer.json records for itself.
  return fingerprintTokens(tokens);
}

/** One comparison between a hash recorded in the weights file and the file it should match. */
export interface FingerprintCheck {
  /** The metadata key: `architecture_hash` or `vocab_hash`. */
  key: 'architecture_hash' | 'vocab_hash';
  /** The file the hash was computed from (model_config.toml or tokenizer.json). */
  against: string;
  /** The hash recorded in the weights file, or undefined if the metadata lacks it. */
  recorded: string | undefined;
  /** The hash of the config's [architecture] or of the tokenizer's vocabulary. */
  actual: string;
  /** 'match', 'mismatch' or 'unrecorded' (the weights file does not carry this hash). */
  status: 'match' | 'mismatch' | 'unrecorded';
}

/** Compares the hashes in a weights file's metadata with a config and/or a vocabulary. */
export function checkFingerprints(
  metadata: Record<string, string>,
  against: {
    config?: Pick<ModelConfig, 'architecture'>;
    configFile?: string;
    tokens?: readonly string[];
    tokenizerFile?: string;
  },
): FingerprintCheck[] {
  const checks: FingerprintCheck[] = [];
  const compare = (key: FingerprintCheck['key'], file: string, actual: string) => {
    const recorded = metadata[key];
    const status = recorded === undefined ? 'unrecorded' : recorded === actual ? 'match' : 'mismatch';
    checks.push({ key, against: file, recorded, actual, status });
  };
  if (against.config) {
    compare('architecture_hash', against.configFile ?? 'model_config.toml', architectureFingerprint(against.config));
  }
  if (against.tokens) {
    compare('vocab_hash', against.tokenizerFile ?? 'tokenizer.json', vocabFingerprint(against.tokens));
  }
  return checks;
}

/** One-line description of a failed check, naming both files and what to do. */
export function describeMismatch(check: FingerprintCheck, weightsFile: string): { problem: string; fix: string } {
  const what =
    check.key === 'architecture_hash'
      ? `the [architecture] section of ${check.against}`
      : `the vocabulary in ${check.against}`;
  return {
    problem: `${check.key} ${check.recorded} does not match ${what} (hash ${check.actual}): the weights were trained for a different ${check.key === 'architecture_hash' ? 'architecture' : 'vocabulary'}`,
    fix: `Use the ${check.against} that was saved with ${weightsFile}, or retrain with \`npm run cli -- train\``,
  };
}
