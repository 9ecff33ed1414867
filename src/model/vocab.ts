// The generation vocabulary: special tokens, line and depth markers, then Python keywords,
// operators, builtins and the corpus's frequent tokens. Everything else reaches the output through
// the copy mechanism, as an extended id that points at the source's own out-of-vocabulary tokens.

import { KEYWORDS, LEXER_VERSION, OPERATORS, STRUCTURAL_MARKERS } from './python/lexer';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<s>';
export const EOS = '</s>';
export const NOBUG = '<nobug>';

/** Special tokens, at ids 0.. in this order (contract: weights depend on it). */
export const SPECIAL_TOKENS: readonly string[] = [
  PAD,
  UNK,
  BOS,
  EOS,
  '<fix>',
  '<complete>',
  '<generate>',
  NOBUG,
  STRUCTURAL_MARKERS.NEWLINE,
  STRUCTURAL_MARKERS.INDENT,
  STRUCTURAL_MARKERS.DEDENT,
];
/** The ids of the first four special tokens: the network (src/model/net) uses them by number. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;
export const EOS_ID = 3;

/** Line markers `<L1>`..`<L64>`: the model reads functions of at most this many lines. */
export const MAX_LINES = 64;
/** Depth markers `<D0>`..`<D15>`: deeper indentation is clamped. */
export const MAX_DEPTH = 15;

export function lineToken(line: number): string {
  return `<L${line}>`;
}
export function depthToken(depth: number): string {
  return `<D${depth}>`;
}
/** The line number of a `<Ln>` marker, or undefined. */
export function parseLineToken(text: string): number | undefined {
  const match = /^<L([1-9][0-9]*)>$/.exec(text);
  const line = match ? Number(match[1]) : NaN;
  return line >= 1 && line <= MAX_LINES ? line : undefined;
}
/** The depth of a `<Dk>` marker, or undefined. */
export function parseDepthToken(text: string): number | undefined {
  const match = /^<D(0|[1-9][0-9]*)>$/.exec(text);
  const depth = match ? Number(match[1]) : NaN;
  return depth >= 0 && depth <= MAX_DEPTH ? depth : undefined;
}

/** Specials, then line markers, then depth markers: the fixed head of every vocabulary. */
export const RESERVED_TOKENS: readonly string[] = [
  ...SPECIAL_TOKENS,
  ...Array.from({ length: MAX_LINES }, (_, i) => lineToken(i + 1)),
  ...Array.from({ length: MAX_DEPTH + 1 }, (_, i) => depthToken(i)),
];
const RESERVED_SET = new Set(RESERVED_TOKENS);

export function isReservedToken(text: string): boolean {
  return RESERVED_SET.has(text);
}

/** Builtins and near-builtins every vocabulary holds, whatever the corpus. */
export const CORE_NAMES: readonly string[] = [
  'self',
  'cls',
  '__init__',
  '_',
  'match',
  'case',
  'abs',
  'all',
  'any',
  'bool',
  'bytearray',
  'bytes',
  'callable',
  'chr',
  'classmethod',
  'dict',
  'dir',
  'divmod',
  'enumerate',
  'filter',
  'float',
  'format',
  'frozenset',
  'getattr',
  'hasattr',
  'hash',
  'hex',
  'id',
  'input',
  'int',
  'isinstance',
  'issubclass',
  'iter',
  'len',
  'list',
  'map',
  'max',
  'min',
  'next',
  'object',
  'open',
  'ord',
  'pow',
  'print',
  'property',
  'range',
  'repr',
  'reversed',
  'round',
  'set',
  'setattr',
  'sorted',
  'staticmethod',
  'str',
  'sum',
  'super',
  'tuple',
  'type',
  'vars',
  'zip',
  'NotImplemented',
  'Exception',
  'ValueError',
  'TypeError',
  'KeyError',
  'IndexError',
  'AttributeError',
  'RuntimeError',
  'NotImplementedError',
  'StopIteration',
  'OSError',
  'ZeroDivisionError',
  'AssertionError',
  'ImportError',
  'NameError',
];

const TOKENIZER_FORMAT = 'lstm-coding-optimizer-tokenizer';

/** The tokenizer.json document (contract: docs/design.md#tokenizer-file). */
export interface TokenizerJSON {
  format: typeof TOKENIZER_FORMAT;
  lexer_version: number;
  specials: string[];
  tokens: string[];
  /** Informative; checked when present. */
  fingerprint?: string;
}

export interface BuildOptions {
  /** Corpus tokens seen fewer times are left to the copy mechanism. Default 1. */
  minCount?: number;
  /** Longer corpus tokens (long strings) are left to the copy mechanism. Default 40 characters. */
  maxTokenLength?: number;
}
const DEFAULT_MAX_TOKEN_LENGTH = 40;

export interface EncodedSource {
  /** Vocabulary ids, `<unk>` for out-of-vocabulary tokens: the encoder's input. */
  ids: number[];
  /** Like ids, but each distinct OOV token gets `size + k` (k by first appearance): copy targets. */
  extIds: number[];
  /** The OOV texts, indexed by k. */
  oovs: string[];
}

/** Adds the tokens of one sequence to a count table (for `Vocabulary.build`). */
export function addTokenCounts(counts: Map<string, number>, texts: Iterable<string>): void {
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
}

/**
 * FNV-1a 64-bit over the lexer version and the tokens (each as its UTF-8 byte length, 4 bytes
 * little-endian, then its bytes), as 16 hex digits.
 */
export function fingerprintTokens(tokens: readonly string[]): string {
  const FNV_OFFSET = 0xcbf29ce484222325n;
  const FNV_PRIME = 0x100000001b3n;
  const MASK_64 = 0xffffffffffffffffn;
  let hash = FNV_OFFSET;
  const feed = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  };
  const feedUint32 = (value: number) => {
    for (let shift = 0; shift < 32; shift += 8) feed((value >>> shift) & 0xff);
  };
  const encoder = new TextEncoder();
  feedUint32(LEXER_VERSION);
  for (const token of tokens) {
    const bytes = encoder.encode(token);
    feedUint32(bytes.length);
    for (const byte of bytes) feed(byte);
  }
  return hash.toString(16).padStart(16, '0');
}

const FIX_HINT = 're-download it with the model files, or rebuild it with `npm run cli -- train`';

export class Vocabulary {
  private readonly ids: Map<string, number>;
  private cachedFingerprint: string | undefined;

  private constructor(private readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((token, id) => [token, id]));
  }

  /**
   * Reserved tokens, then keywords, operators and core names (fixed order), then corpus tokens by
   * count (descending) then text (code unit order), up to maxSize tokens in all.
   */
  static build(
    counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
    maxSize: number,
    options: BuildOptions = {},
  ): Vocabulary {
    const tokens = [...RESERVED_TOKENS];
    const seen = new Set(tokens);
    for (const token of [...KEYWORDS, ...OPERATORS, ...CORE_NAMES]) {
      if (!seen.has(token)) {
        seen.add(token);
        tokens.push(token);
      }
    }
    if (maxSize < tokens.length) {
      throw new Error(
        `Vocabulary.build: maxSize ${maxSize} is below the ${tokens.length} tokens every vocabulary holds`,
      );
    }
    const minCount = options.minCount ?? 1;
    const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
    const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
    const candidates = entries
      .filter(([text, count]) => count >= minCount && text.length > 0 && text.length <= maxLength && !seen.has(text))
      .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
    for (const [text] of candidates.slice(0, maxSize - tokens.length)) tokens.push(text);
    return new Vocabulary(tokens);
  }

  /** Reads tokenizer.json (parsed or as text), with a message naming what is wrong. */
  static fromJSON(json: unknown): Vocabulary {
    let doc = json;
    if (typeof json === 'string') {
      try {
        doc = JSON.parse(json);
      } catch (error) {
        throw new Error(`tokenizer.json: not valid JSON (${(error as Error).message}); ${FIX_HINT}`, { cause: error });
      }
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new Error(`tokenizer.json: expected a JSON object; ${FIX_HINT}`);
    }
    const record = doc as Record<string, unknown>;
    if (record.format !== TOKENIZER_FORMAT) {
      throw new Error(
        `tokenizer.json: 'format' must be "${TOKENIZER_FORMAT}", found ${JSON.stringify(record.format)}; ${FIX_HINT}`,
      );
    }
    if (record.lexer_version !== LEXER_VERSION) {
      throw new Error(
        `tokenizer.json: built with lexer version ${JSON.stringify(record.lexer_version)}, this app's lexer is version ${LEXER_VERSION}; ${FIX_HINT}`,
      );
    }
    const { specials, tokens } = record;
    if (!Array.isArray(specials) || specials.join('\u0000') !== SPECIAL_TOKENS.join('\u0000')) {
      throw new Error(`tokenizer.json: 'specials' must be exactly ${JSON.stringify(SPECIAL_TOKENS)}; ${FIX_HINT}`);
    }
    if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === 'string')) {
      throw new Error(`tokenizer.json: 'tokens' must be an array of strings; ${FIX_HINT}`);
    }
    const mismatch = RESERVED_TOKENS.findIndex((token, id) => tokens[id] !== token);
    if (mismatch >= 0) {
      throw new Error(
        `tokenizer.json: token ${mismatch} must be ${JSON.stringify(RESERVED_TOKENS[mismatch])} but is ${mismatch < tokens.length ? JSON.stringify(tokens[mismatch]) : 'missing'} (the first ${RESERVED_TOKENS.length} tokens are fixed); ${FIX_HINT}`,
      );
    }
    const unique = new Set<string>();
    const duplicate = tokens.find((token: string) => unique.size === unique.add(token).size);
    if (duplicate !== undefined) {
      throw new Error(`tokenizer.json: token ${JSON.stringify(duplicate)} appears twice in 'tokens'; ${FIX_HINT}`);
    }
    const vocab = new Vocabulary(tokens as string[]);
    if (record.fingerprint !== undefined && record.fingerprint !== vocab.fingerprint()) {
      throw new Error(
        `tokenizer.json: 'fingerprint' ${JSON.stringify(record.fingerprint)} does not match its tokens (${vocab.fingerprint()}); the file was edited or damaged; ${FIX_HINT}`,
      );
    }
    return vocab;
  }

  toJSON(): TokenizerJSON {
    return {
      format: TOKENIZER_FORMAT,
      lexer_version: LEXER_VERSION,
      specials: [...SPECIAL_TOKENS],
      tokens: [...this.tokens],
      fingerprint: this.fingerprint(),
    };
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of a token, `<unk>`'s id when it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK_ID;
  }

  /** The token of an id (`<unk>` for ids outside the vocabulary). */
  token(id: number): string {
    return this.tokens[id] ?? UNK;
  }

  /** All tokens in id order. */
  list(): readonly string[] {
    return this.tokens;
  }

  /** See fingerprintTokens. Weights record it to refuse another vocabulary. */
  fingerprint(): string {
    this.cachedFingerprint ??= fingerprintTokens(this.tokens);
    return this.cachedFingerprint;
  }

  /** Source ids for the encoder, extended ids for the copy mechanism, and the OOV texts. */
  encodeSource(tokens: readonly string[]): EncodedSource {
    const ids: number[] = [];
    const extIds: number[] = [];
    const oovs: string[] = [];
    const oovIndex = new Map<string, number>();
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id !== undefined) {
        ids.push(id);
        extIds.push(id);
        continue;
      }
      let k = oovIndex.get(token);
      if (k === undefined) {
        k = oovs.length;
        oovIndex.set(token, k);
        oovs.push(token);
      }
      ids.push(UNK_ID);
      extIds.push(this.size + k);
    }
    return { ids, extIds, oovs };
  }

  /** Target ids: vocabulary id, else the extended id of a source OOV, else `<unk>`. */
  encodeTarget(texts: readonly string[], oovs: readonly string[]): number[] {
    return texts.map((text) => {
      const id = this.ids.get(text);
      if (id !== undefined) return id;
      const k = oovs.indexOf(text);
      return k >= 0 ? this.size + k : UNK_ID;
    });
  }

  /** Inverse of encodeTarget: extended ids name the source's OOV tokens. */
  decodeIds(ids: readonly number[], oovs: readonly string[]): string[] {
    return ids.map((id) => {
      if (id >= 0 && id < this.size) return this.tokens[id]!;
      return oovs[id - this.size] ?? UNK;
    });
  }
}
