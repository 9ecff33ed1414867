// The edits the text suggests: at Lezer's parse error, and for suspect names.
import { describe, expect, it } from 'vitest';
import { nameCandidates, parseErrorCandidates } from '../../src/model/fix/edit-candidates';
import { isTypoFix, typoDistance } from '../../src/model/python/name-check';

const lineOf = (text: string, line: number) => text.split('\n')[line - 1];
const parseFixes = (code: string) => parseErrorCandidates(code).map((e) => lineOf(e.text, e.line));
const nameFixes = (code: string, known?: Set<string>) => nameCandidates(code, known).map((e) => lineOf(e.text, e.line));

describe('parse error candidates', () => {
  it.each([
    ['missing colon', 'def f(x)\n    return x\n', 'def f(x):'],
    ['missing comma', 'def f(a, b):\n    return max(a b)\n', '    return max(a, b)'],
    ['unclosed bracket', 'def f(a):\n    x = foo(a, (1, 2)\n    return x\n', '    x = foo(a, (1, 2))'],
    ['= for ==', 'def f(a):\n    if a = 1:\n        return 2\n    return 3\n', '    if a == 1:'],
    ['keyword typo', 'def f(a):\n    retrun a\n', '    return a'],
    ['bad indentation', 'def f(a):\n    x = 1\n      return x\n', '    return x'],
    [
      'missing comma in a signature',
      'def f(name: str warn: bool = False) -> int:\n    return 1\n',
      'def f(name: str, warn: bool = False) -> int:',
    ],
  ])('%s: the right edit is among the candidates, and every candidate parses', (_, code, fixed) => {
    expect(parseFixes(code)).toContain(fixed);
  });

  it('suggests nothing for code that parses', () => {
    expect(parseErrorCandidates('def f(x):\n    return x\n')).toEqual([]);
  });
});

describe('name candidates', () => {
  it('turns a read typo into its bound near-twin, value keyword or parameter', () => {
    expect(nameFixes('def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return totl\n')).toContain(
      '    return total',
    );
    expect(nameFixes('def f(x):\n    return Noen\n')).toEqual(['    return None']);
    expect(nameFixes('def f(self, x):\n    slef.x = x\n')).toContain('    self.x = x');
    expect(nameFixes('def f(x):\n    if x:\n        return Ture\n    return Flase\n')).toEqual(
      expect.arrayContaining(['        return True', '    return False']),
    );
  });

  it('turns a binding typo into the name that is read', () => {
    expect(
      nameFixes('def f(xs):\n    coutns = {}\n    for x in xs:\n        counts[x] = 1\n    return counts\n'),
    ).toContain('    counts = {}');
  });

  it('adds self. where the method uses self.x elsewhere', () => {
    expect(
      nameCandidates('def f(self):\n    self.items = []\n    return items\n')
        .filter((e) => e.why === 'suspect name')
        .map((e) => lineOf(e.text, e.line)),
    ).toContain('    return self.items');
  });

  it('leaves module-level names, modules before a dot and case twins alone', () => {
    expect(nameFixes('def f(x):\n    return helpr(x)\n', new Set(['helpr']))).toEqual([]);
    expect(nameFixes('def f(n1):\n    return nx.utils(n1)\n')).toEqual([]);
    expect(nameFixes('def f(path: Path):\n    return path\n')).toEqual([]);
  });

  it('counts a swap of two letters as one edit', () => {
    expect(typoDistance('Noen', 'None')).toBe(1);
    expect(typoDistance('slef', 'self')).toBe(1);
    expect(typoDistance('fi', 'if')).toBe(1);
  });
});

describe('name candidates keep the case of a first letter', () => {
  it('does not turn a type in an annotation into a parameter of another case (outside no_bug)', () => {
    const text = 'def calc_is_empty(self, recur: RecurT) -> bool:\n    return recur.empty\n';
    expect(nameCandidates(text).map((e) => e.text)).not.toContain(text.replace('recur: RecurT', 'recur: recur'));
  });

  it('still turns Noen into None and a lower-case typo into its twin', () => {
    expect(nameCandidates('def f(x):\n    return Noen\n').map((e) => e.text)).toContain('def f(x):\n    return None\n');
    expect(nameCandidates('def f(count):\n    return conut + 1\n').map((e) => e.text)).toContain(
      'def f(count):\n    return count + 1\n',
    );
  });
});

describe('attribute twins', () => {
  it('leave the attribute behind a property alone (outside no_bug: self._outputs in def outputs)', () => {
    const text = 'def outputs(self):\n    return [RichOutput(**k) for k in self._outputs]\n';
    expect(nameCandidates(text).map((e) => e.text)).not.toContain(text.replace('self._outputs', 'self.outputs'));
  });

  it('still offer the near twin of an attribute used once', () => {
    const text = 'def f(self):\n    self.buffer = 1\n    return self.bufer\n';
    expect(nameCandidates(text).map((e) => e.text)).toContain(text.replace('self.bufer', 'self.buffer'));
  });
});

describe('names in a parameter annotation', () => {
  it('become neither a parameter nor None (outside no_bug)', () => {
    const module = 'def f(self, node: nodes.Node):\n    return node\n';
    expect(nameCandidates(module).map((e) => e.text)).not.toContain(module.replace('nodes.Node', 'node.Node'));
    const type = 'def f(self, node: Node, *args: t.Any):\n    return node\n';
    expect(nameCandidates(type).map((e) => e.text)).not.toContain(type.replace('node: Node', 'node: None'));
  });

  it('still fix a default and a name in the body', () => {
    const fixes = nameCandidates('def f(x: int = Noen):\n    return x\n').map((e) => e.text);
    expect(fixes).toContain('def f(x: int = None):\n    return x\n');
    const body = 'def f(node: Node):\n    return Noen\n';
    expect(nameCandidates(body).map((e) => e.text)).toContain(body.replace('return Noen', 'return None'));
  });
});

describe('short names', () => {
  it('are one letter from their twin: cast is no typo of list (outside no_bug)', () => {
    const text = 'def f(d):\n    d = cast(Result, d)\n    return d\n';
    expect(nameCandidates(text).map((e) => e.text)).not.toContain(text.replace('cast(', 'list('));
    const typo = 'def f(d):\n    return lsit(d)\n';
    expect(nameCandidates(typo).map((e) => e.text)).toContain(typo.replace('lsit(', 'list('));
  });
});

// Each case is an outside misspelled_name or no_bug function the rules were written for.
describe('name twins the module or the method supplies', () => {
  const fixes = (text: string, known?: Set<string>) => nameCandidates(text, known).map((e) => e.text);

  it('turn an exception class and a two-letter call back into the builtin', () => {
    const exc = 'def f(x):\n    try:\n        return int(x)\n    except ValeuError:\n        return 0\n';
    expect(fixes(exc)).toContain(exc.replace('ValeuError', 'ValueError'));
    const call = 'def f(self):\n    return en(self.source) <= 1\n';
    expect(fixes(call)).toContain(call.replace('en(', 'len('));
  });

  it('find self for a module-like name in a window that does not bind it', () => {
    const window = 'for child in field:\n    new.extend(slf.visit(child))\n';
    expect(fixes(window, new Set(['self', 'new', 'field']))).toContain(window.replace('slf.', 'self.'));
  });

  it('turn a name read once into its module-level twin read twice, unless a digit tells them apart', () => {
    const typo = 'def visit(self, node: Nod) -> Node:\n    return isinstance(node, Node)\n';
    expect(fixes(typo)).toContain(typo.replace('node: Nod', 'node: Node'));
    expect(isTypoFix(typo, typo.replace('node: Nod', 'node: Node'))).toBe(true);
    const versions = 'def f():\n    if import_pyqt5():\n        return import_pyqt6() or import_pyqt6()\n';
    expect(fixes(versions)).not.toContain(versions.replace('pyqt5', 'pyqt6'));
    expect(isTypoFix(versions, versions.replace('pyqt5', 'pyqt6'))).toBe(false);
  });

  it('never turn a name read twice into None, nor self into the misspelled parameter', () => {
    const twice =
      'def f(value):\n    if isinstance(value, Node):\n        return 1\n    return isinstance(value, Node)\n';
    expect(fixes(twice).some((t) => t.includes('None'))).toBe(false);
    const param = 'def f(\n    sef, name: str\n):\n    sef_name = name\n    self.name = sef_name\n';
    expect(fixes(param)).toContain(param.replace('    sef, name', '    self, name'));
    expect(fixes(param)).not.toContain(param.replace('    self.name', '    sef.name'));
  });

  it('turn a first parameter a letter from self back into self when nothing reads it', () => {
    const text = 'def __exit__(selff, etype, value, traceback):\n    return False\n';
    expect(fixes(text)).toContain(text.replace('selff', 'self'));
    const shelf = 'def put(shelf, item):\n    shelf.append(item)\n';
    expect(fixes(shelf)).not.toContain(shelf.replace('put(shelf', 'put(self'));
  });

  it('offer an assignment never read to the local it is a letter from, for the model to judge', () => {
    const text = 'def f(arg):\n    retval = None\n    if arg:\n        reetval = arg\n    return retval\n';
    const edit = nameCandidates(text).find((e) => e.text === text.replace('reetval', 'retval'));
    expect(edit?.why).toBe('model');
  });

  it('confirm a keyword a swap or a doubled letter from the bound name it is passed', () => {
    const swap = 'def f(self, data):\n    return self.g(self.value, daat=data)\n';
    expect(nameCandidates(swap).find((e) => e.text === swap.replace('daat=', 'data='))?.why).toBe('suspect name');
    expect(isTypoFix(swap, swap.replace('daat=', 'data='))).toBe(true);
    const double = 'def f(min_size):\n    return g(min_ssize=min_size)\n';
    expect(isTypoFix(double, double.replace('min_ssize=', 'min_size='))).toBe(true);
    // meant: a dropped or added letter (outside no_bug)
    const meant = 'def f(max_iter):\n    return g(maxiter=max_iter)\n';
    expect(fixes(meant)).not.toContain(meant.replace('maxiter=', 'max_iter='));
  });

  it('leave a name in its own annotation alone (outside no_bug: node: nodes.Node | None)', () => {
    const text = 'def f(self):\n    node: nodes.Node | None = self.item\n    return node\n';
    expect(fixes(text)).not.toContain(text.replace('nodes.Node', 'node.Node'));
  });
});
