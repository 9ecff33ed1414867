import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUG_CLASSES, BUG_CLASS_NAMES, BUG_NAMES, differingLines, injectBug, VALUE_KEYWORD_TYPOS } from '../../src/data/bugs';
import { extractFunctions } from '../../src/data/extract';
import { generateFunctions } from '../../src/data/generator';
import { Rng } from '../../src/model';
import { lex, applyFixAnswer, fixTarget, isSameTokens } from '../../src/model/internals';

// Real-world shapes the generator does not make: docstrings over lines, continuation lines, comments,
// tabs, odd spacing, keyword arguments, nested blocks.
const REAL_FIXTURE = `
def wrap(text, width=70, **kwargs):
    """Wrap a single paragraph of text, returning a list of wrapped lines.

    Reformat the single paragraph in 'text' so it fits in lines of no
    more than 'width' columns.
    """
    w = TextWrapper(width=width, **kwargs)
    return w.wrap(text)

def _split_chunks(self, text):
    chunks = self.wordsep_re.split(text)   # keep separators
    chunks = [c for c in chunks if c]
    for i in range(len(chunks)):
        if chunks[i] == ' ':
            chunks[i] = self.space
    return chunks

def quote(s):
    """Return a shell-escaped version of the string *s*."""
    if not s:
        return "''"
    if _find_unsafe(s) is None:
        return s

    # use single quotes, and put single quotes into double quotes
    return "'" + s.replace("'", "'\\"'\\"'") + "'"

def getint(self, section, option, *, raw=False, vars=None,
           fallback=_UNSET, **kwargs):
    return self._get_conv(section, option, int, raw=raw, vars=vars,
                          fallback=fallback, **kwargs)

def _count_leading(line, ch):
\ti = 0
\tn = len(line)
\twhile i < n and line[i] == ch:
\t\ti += 1
\treturn i

def bisect_right(a, x, lo=0, hi=None):
    if lo < 0:
        raise ValueError('lo must be non-negative')
    if hi is None:
        hi = len(a)
    while lo < hi:
        mid = (lo+hi)//2
        if x < a[mid]: hi = mid
        else: lo = mid+1
    return lo
`;

function stdlibFunctions(): string[] {
  const result = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  const dir = result.stdout.trim();
  return ['textwrap.py', 'shlex.py', 'bisect.py', 'fnmatch.py', 'string.py', 'heapq.py'].flatMap((file) => {
    try {
      return extractFunctions(readFileSync(join(dir, file), 'utf8'), file).map((fn) => fn.text);
    } catch {
      return [];
    }
  });
}

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
const generated = generateFunctions(500, 9).map((f) => f.text);
const real = [...extractFunctions(REAL_FIXTURE, 'fixture.py').map((fn) => fn.text), ...stdlibFunctions()];

/** Runs every class over texts; returns the successful injections by class. */
function injectAll(texts: string[], seed: number) {
  const rng = new Rng(seed);
  const out = new Map<string, { correct: string; buggy: string; line: number | null }[]>();
  for (const name of BUG_CLASS_NAMES) {
    out.set(name, texts.flatMap((text) => {
      const bug = injectBug(name, text, rng);
      return bug ? [{ correct: text, buggy: bug.buggyText, line: bug.line }] : [];
    }));
  }
  return out;
}

describe('bug classes', () => {
  it('registers every class of the design, two of them as not targeted', () => {
    expect(BUG_CLASS_NAMES).toEqual(['no_bug', 'missing_colon', 'unclosed_bracket', 'missing_comma', 'assign_for_eq', 'misspelled_keyword',
      'misspelled_name', 'wrong_comparison', 'off_by_one_range', 'missing_self', 'bad_indentation']);
    expect(BUG_NAMES.filter((name) => !BUG_CLASSES[name]!.targeted)).toEqual(['wrong_comparison', 'off_by_one_range']);
    expect(() => injectBug('nope', 'def f():\n    pass\n', new Rng(1))).toThrow(/unknown bug class "nope"/);
  });

  it('injects the documented bug on small examples', () => {
    const rng = new Rng(1);
    const inject = (name: string, text: string) => injectBug(name, text, rng)?.buggyText;
    expect(inject('missing_colon', 'def f(x):\n    return x\n')).toBe('def f(x)\n    return x\n');
    expect(inject('unclosed_bracket', 'def f(x):\n    return g(x)\n')).toBe('def f(x):\n    return g(x\n');
    expect(inject('missing_comma', 'def f():\n    return g(a,b)\n')).toBe('def f():\n    return g(a b)\n');
    expect(inject('missing_comma', 'def f():\n    return g(a, -b)\n')).toBeUndefined(); // `g(a -b)` would be valid
    expect(inject('assign_for_eq', 'def f(x):\n    if x == 1:\n        return x\n')).toBe('def f(x):\n    if x = 1:\n        return x\n');
    expect(inject('assign_for_eq', 'def f(x):\n    y = x == 1\n    return y\n')).toBeUndefined(); // not a condition
    expect(inject('misspelled_keyword', 'def f(x):\n    return x\n')).toMatch(/^(def f\(x\):\n {4}(retrun|reutrn|retur|returm|rerturn) x\n|(dfe|deff|fed) f\(x\):\n {4}return x\n)$/);
    expect(inject('wrong_comparison', 'def f(x):\n    return x < 1\n')).toBe('def f(x):\n    return x <= 1\n');
    expect(inject('off_by_one_range', 'def f(n):\n    for i in range(n - 1):\n        g(i)\n')).toBe('def f(n):\n    for i in range(n):\n        g(i)\n');
    expect(inject('off_by_one_range', 'def f(n):\n    for i in range(n):\n        g(i)\n')).toMatch(/range\(n [-+] 1\)/);
    expect(inject('missing_self', 'def f(self):\n    return self.size\n')).toBe('def f(self):\n    return size\n');
    expect(inject('missing_self', 'def f(self, size):\n    return self.size\n')).toBeUndefined(); // `size` exists: not visible
    expect(inject('bad_indentation', 'def f(x):\n    return x\n')).toBe('def f(x):\nreturn x\n');
    expect(inject('no_bug', 'def f(x):\n    return x\n')).toBe('def f(x):\n    return x\n');
    const renamed = inject('misspelled_name', 'def f(count):\n    return count + 1\n')!;
    expect(differingLines('def f(count):\n    return count + 1\n', renamed)).toHaveLength(1);
    expect(renamed).not.toBe('def f(count):\n    return count + 1\n');
  });

  describe('widened injectors (each case fails without its widening)', () => {
    /** Every distinct buggy text a class makes of a function, over many draws. */
    const variants = (name: string, text: string) => new Set(Array.from({ length: 60 }, (_, seed) => injectBug(name, text, new Rng(seed))?.buggyText).filter((t): t is string => t !== undefined));

    it('unclosed_bracket: a closer on a later line than its opener, and in an annotation', () => {
      expect(variants('unclosed_bracket', 'def f(x):\n    return g(x,\n             1)\n')).toContain('def f(x):\n    return g(x,\n             1\n');
      expect(variants('unclosed_bracket', 'def f(x: list[int]):\n    pass\n')).toContain('def f(x: list[int):\n    pass\n');
    });

    it('assign_for_eq: in a return, a call argument, a boolean operand, a subscript; never where = is valid', () => {
      expect([...variants('assign_for_eq', 'def f(x):\n    return x == 1\n')]).toEqual(['def f(x):\n    return x = 1\n']);
      expect([...variants('assign_for_eq', 'def f(x):\n    g(x.y == 1)\n')]).toEqual(['def f(x):\n    g(x.y = 1)\n']);
      expect([...variants('assign_for_eq', 'def f(a, b):\n    ok = a and b == 1\n    return ok\n')]).toEqual(['def f(a, b):\n    ok = a and b = 1\n    return ok\n']);
      expect([...variants('assign_for_eq', 'def f(d, i):\n    return d[i == 0]\n')]).toEqual(['def f(d, i):\n    return d[i = 0]\n']);
      // A keyword argument and a chained assignment would be valid Python.
      expect(variants('assign_for_eq', 'def f(x):\n    g(x == 1)\n    y = x == 2\n    return y\n').size).toBe(0);
      // A name that is an Object.prototype member is no bracket.
      expect([...variants('assign_for_eq', 'def f(x):\n    g(constructor, x.y == 1)\n')]).toEqual(['def f(x):\n    g(constructor, x.y = 1)\n']);
    });

    it('misspelled_keyword: None, True, False and more keywords', () => {
      const values = [...variants('misspelled_keyword', 'def f(x):\n    x.a = None\n    x.b = True\n    x.c = False\n')].join('\n');
      for (const typo of [/= (Noen|Nnoe|none|NOne|Non|Nne)\n/, /= (Ture|Treu|true|TRue|Tru|Trye)\n/, /= (Flase|Fasle|false|FAlse|Fales|Fals)\n/]) expect(values).toMatch(typo);
      expect([...variants('misspelled_keyword', 'def f(x):\n    raise ValueError(x)\n')].join('\n')).toMatch(/(riase|rasie|raies|rise) ValueError/);
    });

    it('misspelled_name: a builtin or a well-known method used once', () => {
      const builtin = [...variants('misspelled_name', 'def f(x):\n    return len(x)\n')];
      expect(builtin.length).toBeGreaterThan(1);
      for (const t of builtin) expect(t).toMatch(/return (?!len\()\w+\(x\)/);
      const method = [...variants('misspelled_name', 'def f(xs):\n    xs.sort()\n')];
      expect(method.length).toBeGreaterThan(0);
      for (const t of method) expect(t).toMatch(/xs\.(?!sort\()\w+\(\)/);
    });

    it('missing_comma: before *args in a def (in a call, a *args would be a product)', () => {
      expect([...variants('missing_comma', 'def f(a, *args):\n    return a\n')]).toEqual(['def f(a *args):\n    return a\n']);
      expect(variants('missing_comma', 'def f(a=1, *args):\n    return a\n').size).toBe(0);
    });
  });

  for (const [label, texts] of [['generated', generated], ['real', real]] as const) {
    it(`changes exactly one physical line and fixTarget rebuilds the function (${label} functions)`, () => {
      expect(texts.length).toBeGreaterThan(label === 'real' ? 5 : 400);
      const injected = injectAll(texts, 5);
      for (const name of BUG_NAMES) {
        for (const { correct, buggy, line } of injected.get(name)!) {
          expect(differingLines(correct, buggy), `${name}:\n${buggy}`).toEqual([line]);
          expect(buggy.split('\n').length).toBe(correct.split('\n').length);
          const repaired = applyFixAnswer(buggy, fixTarget(correct, buggy));
          expect(repaired.ok).toBe(true);
          if (!repaired.ok) continue;
          expect(isSameTokens(repaired.text, correct), `${name}:\n${buggy}\n->\n${repaired.text}`).toBe(true);
          // The generator writes PEP 8 layout, which the detokenizer reproduces character for character.
          if (label === 'generated') expect(repaired.text).toBe(correct);
        }
      }
      for (const { correct, buggy } of injected.get('no_bug')!) expect(buggy).toBe(correct);
    });
  }

  it('applies every class somewhere in the generated and real functions', () => {
    const injected = injectAll([...generated, ...real], 6);
    for (const name of BUG_CLASS_NAMES) expect(injected.get(name)!.length, name).toBeGreaterThan(10);
  });

  it('misspells a name into one that is used nowhere else, and missing_self leaves an undefined name', () => {
    const injected = injectAll([...generated, ...real], 7);
    const names = (text: string) => lex(text).tokens.filter((t) => t.kind === 'NAME').map((t) => t.text);
    for (const { correct, buggy } of injected.get('misspelled_name')!) {
      const before = new Set(names(correct));
      const added = names(buggy).filter((n) => !before.has(n));
      expect(added).toHaveLength(1);
    }
    for (const { correct, buggy } of injected.get('missing_self')!) {
      expect(names(buggy).filter((n) => n === 'self').length).toBe(names(correct).filter((n) => n === 'self').length - 1);
    }
  });

  it.skipIf(!hasPython)('makes a Python syntax error for every syntax class, and none for the others', () => {
    const injected = injectAll([...generated.slice(0, 300), ...real], 8);
    const syntaxClasses = ['missing_colon', 'unclosed_bracket', 'missing_comma', 'assign_for_eq', 'misspelled_keyword', 'bad_indentation'];
    const cases = BUG_NAMES.flatMap((name) => injected.get(name)!.map(({ buggy }) => ({ name, buggy })));
    const script = [
      'import json, sys',
      'out = []',
      'for case in json.load(sys.stdin):',
      '    try:',
      '        compile(case["buggy"], "b", "exec")',
      '        out.append(False)',
      '    except SyntaxError:',
      '        out.append(True)',
      'print(json.dumps(out))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(result.status, result.stderr).toBe(0);
    const failed: boolean[] = JSON.parse(result.stdout);
    // A typo of None, True or False is a name bound nowhere: valid syntax, an error when it runs.
    const valueTypo = (c: { name: string; buggy: string }) => c.name === 'misspelled_keyword' && lex(c.buggy).tokens.some((t) => VALUE_KEYWORD_TYPOS.has(t.text));
    cases.forEach((c, i) => expect(failed[i], `${c.name}:\n${c.buggy}`).toBe(syntaxClasses.includes(c.name) && !valueTypo(c)));
  });
});
