// The name channel: which spelling was meant (the direction of a name fix), `module.attr` against
// the standard library's members, `self.` only where the text uses the attribute, "no bug" kept for
// names bound and read consistently; and the search with a stand-in model that prefers the wrong fix.
import { describe, expect, it } from 'vitest';
import type { AnswerCandidate } from '../../src/model/api';
import { searchFix, type FixModel } from '../../src/model/fix/fix-search';
import { logTypo, memberCandidates, nameChannel } from '../../src/model/fix/name-channel';
import {
  EMPTY_NAME_LEXICON,
  IDENTIFIERS_FORMAT,
  MEMBERS_FORMAT,
  NAME_FILES_VERSION,
  readNameFiles,
} from '../../src/model/files/name-files';
import { ModelFileError } from '../../src/model/files/safetensors';
import { checkPythonSyntax } from '../../src/model/python/parse-check';
import { fixTarget } from '../../src/model/tasks';
import { NOBUG } from '../../src/model/vocab';
import { plainCandidate } from './stand-in-beam';

const LEXICON = readNameFiles({
  identifiers: JSON.stringify({
    format: IDENTIFIERS_FORMAT,
    version: NAME_FILES_VERSION,
    source: 'test',
    total: 100_000,
    counts: { table: 500, rows: 300, row: 800, width: 400, items: 600, path: 900, join: 700 },
  }),
  members: JSON.stringify({
    format: MEMBERS_FORMAT,
    version: NAME_FILES_VERSION,
    python: '3.11.7',
    modules: { os: 'path getcwd listdir sep', 'os.path': 'join exists dirname' },
  }),
});

const MISSPELLED_PARAMETER = `def render(tbale, width):
    rows = []
    for row in table:
        rows.append(str(row)[:width])
    return len(table), rows
`;
const PARAMETER_FIXED = MISSPELLED_PARAMETER.replace('tbale', 'table');
const READS_RENAMED = MISSPELLED_PARAMETER.replaceAll('table', 'tbale');

describe('the edit model', () => {
  it('ranks a swap, a double and a drop above a far substitution, and refuses three edits', () => {
    expect(logTypo('tbale', 'table')).toBeGreaterThan(logTypo('tqble', 'table'));
    expect(logTypo('tablle', 'table')).toBeGreaterThan(logTypo('tablx', 'table'));
    expect(logTypo('tabe', 'table')).toBeGreaterThan(logTypo('tpble', 'table'));
    expect(logTypo('xyzle', 'table')).toBe(-Infinity);
  });
});

describe('the name channel', () => {
  for (const [label, lexicon] of [
    ['with the dictionary', LEXICON],
    ['with the text alone', EMPTY_NAME_LEXICON],
  ] as const) {
    it(`renames a misspelled parameter, not the reads that spell it right (${label})`, () => {
      const channel = nameChannel(MISSPELLED_PARAMETER, lexicon);
      expect(channel.judge(PARAMETER_FIXED)).toBeGreaterThan(0);
      expect(channel.judge(READS_RENAMED) ?? -Infinity).toBeLessThan(channel.judge(PARAMETER_FIXED)!);
    });
  }

  it('refuses swapping one unbound (module-level) name for another', () => {
    const code = 'def data(self) -> list[Entry[K, V]]:\n    return self._data\n';
    expect(nameChannel(code, LEXICON).judge(code.replace('K, V', 'K, K'))).toBe(-Infinity);
  });

  it('refuses a rename of a name bound and read consistently', () => {
    const code = 'def f(rows):\n    total = 0\n    for row in rows:\n        total += row\n    return total\n';
    expect(nameChannel(code, LEXICON).judge(code.replaceAll('total', 'totals'))).toBe(-Infinity);
  });

  it('confirms self. only before a name the method reads as self.x elsewhere, never before a call', () => {
    const used = 'class C:\n    def add(self, item):\n        self.items.append(item)\n        return len(items)\n';
    const fixed = used.replace('len(items)', 'len(self.items)');
    expect(nameChannel(used, LEXICON).judge(fixed)).toBeGreaterThan(0);
    const unused = 'class C:\n    def save(self, item):\n        edit_config(item)\n';
    expect(nameChannel(unused, LEXICON).judge(unused.replace('edit_config', 'self.edit_config'))).toBe(-Infinity);
    // Not called and unbound: the model's pick, neither confirmed nor refuted.
    const plain = 'class C:\n    def size(self):\n        return len(cache)\n';
    expect(nameChannel(plain, LEXICON).judge(plain.replace('(cache', '(self.cache'))).toBe(0);
  });

  it('never confirms an attribute rename outside a standard-library module', () => {
    const code = 'class C:\n    def f(self):\n        return self.row_span + self.row_spam\n';
    expect(nameChannel(code, LEXICON).judge(code.replace('row_spam', 'row_span'))).toBeLessThanOrEqual(0);
  });

  it('offers os.path for os.paht from the member list, and confirms it', () => {
    const code = 'import os\n\ndef where(name):\n    return os.paht.join(os.getcwd(), name)\n';
    const fixed = code.replace('paht', 'path');
    expect(memberCandidates(code, LEXICON).map((e) => e.text)).toEqual([fixed]);
    expect(nameChannel(code, LEXICON).judge(fixed)).toBeGreaterThan(0);
    // A member the module has is no typo, and without the list nothing is offered.
    expect(memberCandidates(fixed, LEXICON)).toEqual([]);
    expect(memberCandidates(code, EMPTY_NAME_LEXICON)).toEqual([]);
  });
});

describe('the name files', () => {
  it('refuse another format or version, naming the file', () => {
    expect(() => readNameFiles({ identifiers: '{"format":"other","version":1}' })).toThrow(ModelFileError);
    expect(() =>
      readNameFiles({ members: JSON.stringify({ format: MEMBERS_FORMAT, version: 99, modules: {} }) }),
    ).toThrow(/version 99/);
    expect(readNameFiles({}).has).toEqual({ identifiers: false, members: false });
  });
});

/** A model whose beam is `wrong`, scored above "no bug" (-1) and every other output (-5). */
function preferring(base: string, wrong: string): FixModel {
  const beam = (): AnswerCandidate => {
    const outputTokens = fixTarget(wrong, base).slice(0, -1);
    return plainCandidate({
      text: wrong,
      outputTokens,
      logProb: -0.1,
      score: -0.1,
      parses: checkPythonSyntax(wrong).ok,
    });
  };
  return {
    beams: async (text) => (text === base ? [beam()] : []),
    score: async (_text, outputs) =>
      outputs.map((o) => ({ logProb: o[0] === NOBUG ? -1 : -5, tokenLogProbs: [], pGen: [], attention: [] })),
  };
}

describe('the search with the channel', () => {
  const OPTIONS = { editPenalty: 0.5, refineMargin: 2, iterations: 3, names: LEXICON };

  it('fixes the parameter though the model prefers renaming a read', async () => {
    const oneRead = MISSPELLED_PARAMETER.replace('in table', 'in tbale');
    const result = await searchFix(MISSPELLED_PARAMETER, preferring(MISSPELLED_PARAMETER, oneRead), OPTIONS);
    expect(result.text).toBe(PARAMETER_FIXED);
    expect(checkPythonSyntax(result.text).ok).toBe(true);
  });

  it('leaves bug-free code alone though the model prefers an edit', async () => {
    const code = 'def f(rows):\n    total = 0\n    for row in rows:\n        total += row\n    return total\n';
    const result = await searchFix(code, preferring(code, code.replace('total = 0', 'totals = 0')), OPTIONS);
    expect(result.status).toBe('no_bug');
  });
});
