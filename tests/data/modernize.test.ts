import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateFunctions } from '../../src/data/generator';
import { keepRewrite, modernFeatures, modernize, modernShares, spellType } from '../../src/data/modernize';
import { addAwaits, annotateLocals, toComprehension, toFStrings, toWalrus } from '../../src/data/modernize-body';
import { addDecorator, annotateParams, annotateReturn, keywordOnly, makeAsync } from '../../src/data/modernize-header';
import { Rng } from '../../src/model';
import { checkPythonSyntax } from '../../src/model';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

/** Old-style shapes from real code: % and format strings, append loops, defaults, nested blocks. */
const OLD_STYLE = [
  `def report(name, count, verbose=False):\n    msg = "%s has %d items" % (name, count)\n    if verbose:\n        print("{} -> {!r}".format(name, msg))\n    return msg\n`,
  `def evens(values, limit=None):\n    result = []\n    for v in values:\n        if v % 2 == 0:\n            result.append(v * 2)\n    return result\n`,
  `def first_line(path, encoding='utf-8'):\n    data = read_file(path, encoding)\n    if data:\n        return data.splitlines()[0]\n    return None\n`,
  `def save(self, key, value, timeout=30, retries=3):\n    self.client.put(key, value, timeout)\n    log.info('saved %s in %.2f s' % (key, timeout))\n`,
  `def index_by(items, key_func):\n    table = {}\n    for item in items:\n        table[key_func(item)] = item\n    return table\n`,
  `def wrap(text, width=70, **kwargs):\n    """Wrap a paragraph."""\n    w = TextWrapper(width=width, **kwargs)\n    return w.wrap(text)\n`,
  `def getint(self, section, option, *, raw=False,\n           fallback=None, **kwargs):\n    return self._get_conv(section, option, int, raw=raw,\n                          fallback=fallback, **kwargs)\n`,
  `def gen(n):\n    for i in range(n):\n        yield i * i\n`,
  `def __repr__(self):\n    return '<%s %r>' % (self.__class__.__name__, self.name)\n`,
];

function pythonAccepts(texts: readonly string[]): string[] {
  const script = 'import ast, json, sys\nbad = []\nfor t in json.load(sys.stdin):\n    try: compile(t, "m", "exec")\n    except SyntaxError as e: bad.append(t)\nprint(json.dumps(bad))';
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(result.stdout) as string[];
}

describe('modernize', () => {
  const inputs = [...OLD_STYLE, ...generateFunctions(300, 5).map((f) => f.text)];
  const outputs = inputs.flatMap((text, i) => [1, 2, 3].map((k) => modernize(text, new Rng(1000 * k + i))));

  it('every output parses (Lezer and the lexer; Python too when it is here), over many functions and seeds', () => {
    for (const out of outputs) expect(checkPythonSyntax(out.text).ok, out.text).toBe(true);
    if (hasPython) expect(pythonAccepts(outputs.map((o) => o.text))).toEqual([]);
  });

  it('rewrites most old-style functions, and says what it did', () => {
    const changed = outputs.filter((o, i) => o.text !== inputs[Math.floor(i / 3)]);
    expect(changed.length / outputs.length).toBeGreaterThan(0.7);
    for (const o of changed) expect(o.applied.length).toBeGreaterThan(0);
    const kinds = new Set(outputs.flatMap((o) => o.applied));
    for (const kind of ['fstrings', 'comprehension', 'walrus', 'parameters', 'returns', 'keywordOnly', 'async', 'decorator']) expect(kinds).toContain(kind);
  });

  it('takes names that are Object.prototype members as plain names', () => {
    const text = 'def f(constructor, toString=None):\n    valueOf = "{constructor}".format(constructor=constructor)\n    return valueOf\n';
    for (let seed = 0; seed < 20; seed++) expect(checkPythonSyntax(modernize(text, new Rng(seed), { hints: {} }).text).ok).toBe(true);
  });

  it('is deterministic given the seed', () => {
    for (const text of OLD_STYLE) expect(modernize(text, new Rng(9)).text).toBe(modernize(text, new Rng(9)).text);
    expect(OLD_STYLE.map((t) => modernize(t, new Rng(1)).text)).not.toEqual(OLD_STYLE.map((t) => modernize(t, new Rng(2)).text));
  });

  it('gives back a function with nothing to rewrite unchanged', () => {
    const modern = '@staticmethod\ndef area(width: float, height: float) -> float:\n    return width * height\n';
    for (let seed = 0; seed < 50; seed++) expect(modernize(modern, new Rng(seed))).toEqual({ text: modern, applied: [] });
    const broken = 'def f(x:\n    return x\n';
    expect(modernize(broken, new Rng(1)).text).toBe(broken);
  });

  it('keeps a rewrite only when it parses and fits the token budget', () => {
    const before = 'def f(x):\n    return x\n';
    expect(keepRewrite(before, 'def f(x: int) -> int:\n    return x\n')).toBe(true);
    expect(keepRewrite(before, 'def f(x: int) -> int -> str:\n    return x\n')).toBe(false);
    expect(keepRewrite(before, 'async def f(x):\n    return await\n')).toBe(false);
    expect(keepRewrite(before, before)).toBe(false);
    expect(keepRewrite(before, 'def f(x: int) -> int:\n    return x\n', 8)).toBe(false);
  });

  it('keeps within a token budget', () => {
    // Every function here has more than 10 tokens: no rewrite may be kept.
    for (const text of OLD_STYLE) expect(modernize(text, new Rng(3), { maxTokens: 10 }).text).toBe(text);
  });
});

describe('the rewrites', () => {
  it('turns % and .format into f-strings, with conversions and format specs', () => {
    expect(toFStrings('def f(a, b):\n    return "%s=%r (%.2f%%)" % (a, b, a / b)\n', new Rng(1))).toBe('def f(a, b):\n    return f"{a}={b!r} ({a / b:.2f}%)"\n');
    expect(toFStrings("def f(a):\n    return '{} {x} {0:>5}'.format(a, x=a.name)\n", new Rng(1))).toBe("def f(a):\n    return f'{a} {a.name} {a:>5}'\n");
    expect(toFStrings("def f(d):\n    return '%(k)s' % d\n", new Rng(1))).toBe("def f(d):\n    return '%(k)s' % d\n");
    // A quote of the string's own kind cannot go inside its braces (Python 3.11).
    expect(toFStrings(`def f(d):\n    return "{}".format(d["k"])\n`, new Rng(1))).toBe(`def f(d):\n    return "{}".format(d["k"])\n`);
  });

  it('makes walrus conditions and comprehensions', () => {
    expect(toWalrus('def f(s):\n    m = pat.match(s)\n    if m:\n        return m.group(0)\n', new Rng(1))).toBe('def f(s):\n    if (m := pat.match(s)):\n        return m.group(0)\n');
    expect(toComprehension('def f(xs):\n    out = []\n    for x in xs:\n        if x > 0:\n            out.append(x + 1)\n    return out\n', new Rng(1)))
      .toBe('def f(xs):\n    out = [x + 1 for x in xs if x > 0]\n    return out\n');
    expect(toComprehension('def f(xs):\n    d = {}\n    for x in xs:\n        d[x.key] = x\n    return d\n', new Rng(1))).toBe('def f(xs):\n    d = {x.key: x for x in xs}\n    return d\n');
    // A loop that does more than append stays a loop.
    expect(toComprehension('def f(xs):\n    out = []\n    for x in xs:\n        out.append(*x)\n    return out\n', new Rng(1))).toContain('out.append(*x)');
    const busy = 'def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        log(x)\n    return out\n';
    expect(toComprehension(busy, new Rng(1))).toBe(busy);
  });

  it('annotates parameters, defaults, returns and locals in one style', () => {
    const text = 'def f(self, name, count=0, parent=None, flag=True):\n    total = 0\n    return None\n';
    const out = annotateReturn(annotateParams(text, new Rng(1), 'builtin', 1), new Rng(1), 'builtin');
    expect(out).toMatch(/^def f\(self, name: (?:str|Path|str \| Path), count: int = 0, parent: \S+ \| None = None, flag: bool = True\) -> None:/);
    expect([0, 1, 2, 3, 4, 5].map((seed) => annotateLocals(text, new Rng(seed), 'builtin'))).toContainEqual(text.replace('total = 0', 'total: int = 0'));
    const declared = 'def f():\n    global total\n    total = 0\n';
    for (let seed = 0; seed < 10; seed++) expect(annotateLocals(declared, new Rng(seed), 'builtin')).toBe(declared);
    expect(spellType('Optional[list[str]]', 'builtin')).toBe('list[str] | None');
    expect(spellType('Optional[list[str]]', 'typing')).toBe('Optional[List[str]]');
    expect(spellType('Optional[dict[str, Any]]', 'typing-module')).toBe('typing.Optional[typing.Dict[str, typing.Any]]');
    expect(annotateReturn('def __len__(self):\n    return self.n\n', new Rng(1), 'builtin')).toContain('-> int:');
    // A returned local takes the kind of its first value.
    expect(annotateReturn('def f(xs):\n    kept = [x for x in xs if x]\n    return kept\n', new Rng(1), 'typing')).toMatch(/-> List\[\w+\]:/);
    expect(annotateReturn('def f(xs):\n    n = 0\n    return n\n', new Rng(1), 'builtin')).toContain('-> int:');
    expect(annotateReturn('def f(xs):\n    return [x for x in xs]\n', new Rng(1), 'builtin')).toMatch(/-> list\[\w+\]:/);
  });

  it('adds keyword-only markers, async/await and decorators that fit', () => {
    expect(keywordOnly('def f(a, b=1, c=2):\n    pass\n')).toBe('def f(a, *, b=1, c=2):\n    pass\n');
    expect(keywordOnly('def f(a, *args, b=1):\n    pass\n')).toBe('def f(a, *args, b=1):\n    pass\n');
    // `*` may not come before `/`: positional-only lists are left alone.
    expect(keywordOnly('def f(a, b=1, /, c=2):\n    pass\n')).toBe('def f(a, b=1, /, c=2):\n    pass\n');
    const asyncText = addAwaits(makeAsync('def f(c):\n    r = c.get(1)\n    c.close()\n    return len(r)\n'), new Rng(1));
    expect(asyncText).toMatch(/^async def f\(c\):\n {4}r = await c\.get\(1\)\n/);
    expect(asyncText).toContain('return len(r)');
    expect(addDecorator('def f(cls, x):\n    return x\n', new Rng(1))).toBe('@classmethod\ndef f(cls, x):\n    return x\n');
    expect(addDecorator('def name(self):\n    return self._name\n', new Rng(1))).toMatch(/^@(functools\.)?(cached_)?property\n/);
  });

  it('measures modern forms', () => {
    expect(modernFeatures('@property\nasync def f(self, *, x: int = 1) -> str:\n    y = f"{x}"\n    if (z := y):\n        return z\n')).toEqual({
      annotated: true, return_annotation: true, fstring: true, async: true, walrus: true, comprehension: false, decorator: true, keyword_only: true,
    });
    expect(modernShares(['def f(x):\n    return [y for y in x]\n', 'def g(x: int):\n    pass\n'])).toMatchObject({ functions: 2, annotated: 0.5, comprehension: 0.5 });
  });
});

describe('the generator in modern mode', () => {
  it('keeps the classic functions byte for byte by default, and modern ones parse and use the known types', () => {
    const classic = generateFunctions(400, 11);
    const modern = generateFunctions(400, 11, { modern: 0.6 });
    const same = modern.filter((f, i) => f.text === classic[i]!.text).length;
    expect(same / 400).toBeGreaterThan(0.3);
    expect(same / 400).toBeLessThan(0.6);
    for (const f of modern) expect(checkPythonSyntax(f.text).ok, f.text).toBe(true);
    if (hasPython) expect(pythonAccepts(modern.map((f) => f.text))).toEqual([]);
    expect(modernShares(modern.map((f) => f.text)).annotated).toBeGreaterThan(0.4);
    expect(modern.some((f) => f.template.startsWith('modern:'))).toBe(true);
    // Known types: a numbers pool parameter is a list of ints, not a guess.
    const typed = modern.filter((f) => /def sum_values\(values: (list|List|typing\.List)\[/.test(f.text));
    for (const f of typed) expect(f.text).toMatch(/values: (list|List|typing\.List)\[int\]/);
  });
});
