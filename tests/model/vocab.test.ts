import { describe, expect, it } from 'vitest';
import { KEYWORDS, LEXER_VERSION, OPERATORS } from '../../src/model/python/lexer';
import {
  CORE_NAMES,
  RESERVED_TOKENS,
  SPECIAL_TOKENS,
  Vocabulary,
  addTokenCounts,
  fingerprintTokens,
  parseDepthToken,
  parseLineToken,
} from '../../src/model/vocab';

const FIXED = RESERVED_TOKENS.length + new Set([...KEYWORDS, ...OPERATORS, ...CORE_NAMES]).size;

describe('Vocabulary layout', () => {
  const vocab = Vocabulary.build(new Map([['foo', 3]]), 1000);

  it('puts specials, line markers and depth markers at fixed ids', () => {
    expect(SPECIAL_TOKENS).toEqual([
      '<pad>',
      '<unk>',
      '<s>',
      '</s>',
      '<fix>',
      '<complete>',
      '<generate>',
      '<nobug>',
      '<NEWLINE>',
      '<INDENT>',
      '<DEDENT>',
    ]);
    expect([0, 1, 3, 7, 10, 11, 74, 75, 90].map((id) => vocab.token(id))).toEqual([
      '<pad>',
      '<unk>',
      '</s>',
      '<nobug>',
      '<DEDENT>',
      '<L1>',
      '<L64>',
      '<D0>',
      '<D15>',
    ]);
    expect(RESERVED_TOKENS.length).toBe(91);
    expect(vocab.token(91)).toBe(KEYWORDS[0]);
    expect(vocab.id('def')).toBe(91 + KEYWORDS.indexOf('def'));
    expect(vocab.id('**=')).toBe(91 + KEYWORDS.length);
    expect(vocab.id('self')).toBe(91 + KEYWORDS.length + OPERATORS.length);
    expect(vocab.id('foo')).toBe(FIXED);
    expect(vocab.size).toBe(FIXED + 1);
    expect(vocab.id('never-seen')).toBe(1);
    expect(vocab.token(99999)).toBe('<unk>');
  });

  it('parses line and depth markers within their ranges', () => {
    expect([
      parseLineToken('<L1>'),
      parseLineToken('<L64>'),
      parseLineToken('<L65>'),
      parseLineToken('<L0>'),
      parseLineToken('L3'),
    ]).toEqual([1, 64, undefined, undefined, undefined]);
    expect([
      parseDepthToken('<D0>'),
      parseDepthToken('<D15>'),
      parseDepthToken('<D16>'),
      parseDepthToken('<D01>'),
    ]).toEqual([0, 15, undefined, undefined]);
  });
});

describe('Vocabulary.build', () => {
  it('orders corpus tokens by count, then text, and stops at maxSize', () => {
    const counts = new Map<string, number>();
    addTokenCounts(counts, ['b', 'a', 'c', 'a', 'b', 'zz', 'def', '<L3>', 'x'.repeat(41)]);
    addTokenCounts(counts, ['c', 'c', 'zz']);
    // c:3, a:2, b:2, zz:2 ('def' and '<L3>' are already present, the 41-character token is too long)
    const vocab = Vocabulary.build(counts, FIXED + 3);
    expect(vocab.list().slice(FIXED)).toEqual(['c', 'a', 'b']);
    const all = Vocabulary.build(counts, FIXED + 100, { minCount: 2 });
    expect(all.list().slice(FIXED)).toEqual(['c', 'a', 'b', 'zz']);
  });

  it('is deterministic whatever the insertion order or container', () => {
    const a = Vocabulary.build(
      new Map([
        ['y', 2],
        ['x', 2],
        ['w', 5],
      ]),
      500,
    );
    const b = Vocabulary.build({ w: 5, x: 2, y: 2 }, 500);
    expect(a.list()).toEqual(b.list());
    expect(a.list().slice(FIXED)).toEqual(['w', 'x', 'y']);
    expect(a.fingerprint()).toBe(b.fingerprint());
  });

  it('refuses a maxSize below the fixed tokens', () => {
    expect(() => Vocabulary.build(new Map(), 10)).toThrow(
      `maxSize 10 is below the ${FIXED} tokens every vocabulary holds`,
    );
  });
});

describe('tokenizer.json', () => {
  const vocab = Vocabulary.build(
    new Map([
      ['total', 9],
      ['é', 1],
    ]),
    400,
  );

  it('round-trips through JSON text', () => {
    const json = JSON.stringify(vocab);
    const doc = JSON.parse(json);
    expect(doc.format).toBe('lstm-coding-optimizer-tokenizer');
    expect(doc.lexer_version).toBe(LEXER_VERSION);
    expect(doc.specials).toEqual([...SPECIAL_TOKENS]);
    expect(doc.tokens.length).toBe(vocab.size);
    const back = Vocabulary.fromJSON(json);
    expect(back.list()).toEqual(vocab.list());
    expect(back.fingerprint()).toBe(vocab.fingerprint());
  });

  it('explains what is wrong and how to fix it', () => {
    const good = vocab.toJSON();
    const cases: [unknown, string][] = [
      ['{not json', 'tokenizer.json: not valid JSON'],
      [[], 'tokenizer.json: expected a JSON object'],
      [
        { ...good, format: 'other' },
        `tokenizer.json: 'format' must be "lstm-coding-optimizer-tokenizer", found "other"`,
      ],
      [
        { ...good, lexer_version: 99 },
        `tokenizer.json: built with lexer version 99, this app's lexer is version ${LEXER_VERSION}`,
      ],
      [{ ...good, specials: ['<pad>'] }, "tokenizer.json: 'specials' must be exactly"],
      [
        { ...good, tokens: [...good.tokens.slice(0, 100), 7] },
        "tokenizer.json: 'tokens' must be an array of strings; re-download it with the model files, or rebuild it with `npm run cli -- train`",
      ],
      [{ ...good, tokens: 'abc' }, "tokenizer.json: 'tokens' must be an array of strings"],
      [
        { ...good, tokens: ['<unk>', ...good.tokens.slice(1)] },
        'tokenizer.json: token 0 must be "<pad>" but is "<unk>"',
      ],
      [
        { ...good, tokens: good.tokens.slice(0, 50) },
        'tokenizer.json: token 50 must be "<L40>" but is missing (the first 91 tokens are fixed)',
      ],
      [
        { ...good, fingerprint: undefined, tokens: [...good.tokens, 'def'] },
        `tokenizer.json: token "def" appears twice in 'tokens'`,
      ],
      [{ ...good, tokens: [...good.tokens, 'extra'] }, "tokenizer.json: 'fingerprint' "],
    ];
    for (const [doc, message] of cases) expect(() => Vocabulary.fromJSON(doc), message).toThrow(message);
    const { fingerprint: _, ...withoutFingerprint } = good;
    expect(Vocabulary.fromJSON({ ...withoutFingerprint, tokens: [...good.tokens, 'extra'] }).size).toBe(vocab.size + 1);
  });
});

describe('fingerprint', () => {
  it('is FNV-1a 64 over the lexer version and length-prefixed UTF-8 tokens', () => {
    // Reference values from an independent Python implementation of the same definition.
    expect(fingerprintTokens([])).toBe('ad2aca7747985764');
    expect(fingerprintTokens(['a'])).toBe('5f492f070d44d2bc');
    expect(fingerprintTokens(['<pad>', 'é'])).toBe('3a22b31b98128820');
    // Length prefixes keep token boundaries apart.
    expect(fingerprintTokens(['ab', 'c'])).not.toBe(fingerprintTokens(['a', 'bc']));
  });

  it('changes when the vocabulary changes', () => {
    const a = Vocabulary.build(new Map([['x', 1]]), 400);
    const b = Vocabulary.build(new Map([['y', 1]]), 400);
    expect(a.fingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(a.fingerprint()).not.toBe(b.fingerprint());
  });
});

describe('copy-mechanism ids', () => {
  const vocab = Vocabulary.build(new Map([['total', 5]]), 400);
  const size = vocab.size;

  it('gives each distinct out-of-vocabulary source token an extended id', () => {
    const src = ['<fix>', 'total', '=', 'width', '*', 'height', '+', 'width'];
    const { ids, extIds, oovs } = vocab.encodeSource(src);
    const known = (t: string) => vocab.id(t);
    expect(ids).toEqual([known('<fix>'), known('total'), known('='), 1, known('*'), 1, known('+'), 1]);
    expect(extIds).toEqual([known('<fix>'), known('total'), known('='), size, known('*'), size + 1, known('+'), size]);
    expect(oovs).toEqual(['width', 'height']);
  });

  it('encodes targets against vocabulary and source OOVs, and decodes back', () => {
    const oovs = ['width', 'height'];
    const target = ['return', 'height', '*', 'depth', '</s>'];
    const ids = vocab.encodeTarget(target, oovs);
    expect(ids).toEqual([vocab.id('return'), size + 1, vocab.id('*'), 1, 3]);
    expect(vocab.decodeIds(ids, oovs)).toEqual(['return', 'height', '*', '<unk>', '</s>']);
    expect(vocab.decodeIds([size + 5, -1], oovs)).toEqual(['<unk>', '<unk>']);
  });
});
