import { describe, expect, it } from 'vitest';
import {
  TaskError,
  applyFixAnswer,
  completionText,
  encodeComplete,
  encodeFix,
  encodeGenerate,
  fixTarget,
  generatedText,
  isSameTokens,
  splitFunction,
  taskSource,
} from '../../src/model/tasks';

const FUNCTION = [
  'def total(items, tax=0.2):',
  '    """Sum the prices."""',
  '    # running sum',
  '',
  '    result = 0',
  '    for item in items:  # each',
  '        result += item.price * (1 +',
  '                                tax)',
  '    return result',
  '',
].join('\n');

describe('task sources', () => {
  it('marks each physical line that has tokens and spells out the structure', () => {
    expect(taskSource('fix', FUNCTION)).toEqual([
      '<fix>',
      '<L1>',
      'def',
      'total',
      '(',
      'items',
      ',',
      'tax',
      '=',
      '0.2',
      ')',
      ':',
      '<NEWLINE>',
      '<L2>',
      '<INDENT>',
      '"""Sum the prices."""',
      '<NEWLINE>',
      '<L5>',
      'result',
      '=',
      '0',
      '<NEWLINE>',
      '<L6>',
      'for',
      'item',
      'in',
      'items',
      ':',
      '<NEWLINE>',
      '<L7>',
      '<INDENT>',
      'result',
      '+=',
      'item',
      '.',
      'price',
      '*',
      '(',
      '1',
      '+',
      '<L8>',
      'tax',
      ')',
      '<NEWLINE>',
      '<L9>',
      '<DEDENT>',
      'return',
      'result',
      '<NEWLINE>',
    ]);
  });

  it('measures indentation from the first code line and skips string continuation lines', () => {
    const method = '    def m(self):\n        s = """a\nb"""\n        return s';
    expect(taskSource('generate', method)).toEqual([
      '<generate>',
      '<L1>',
      'def',
      'm',
      '(',
      'self',
      ')',
      ':',
      '<NEWLINE>',
      '<L2>',
      '<INDENT>',
      's',
      '=',
      '"""a\nb"""',
      '<NEWLINE>',
      '<L4>',
      'return',
      's',
      '<NEWLINE>',
    ]);
  });

  it('keeps encoding buggy code and refuses more than 64 lines', () => {
    expect(taskSource('fix', 'def f(:\n    return [1, 2\n')).toEqual([
      '<fix>',
      '<L1>',
      'def',
      'f',
      '(',
      ':',
      '<NEWLINE>',
      '<L2>',
      '<INDENT>',
      'return',
      '[',
      '1',
      ',',
      '2',
      '<NEWLINE>',
    ]);
    const long = 'def f():\n' + '    x = 1\n'.repeat(64);
    expect(() => taskSource('fix', long)).toThrow(TaskError);
    expect(() => taskSource('fix', long)).toThrow(
      'the fix input has 65 lines; the model reads at most 64 lines per function',
    );
  });

  it('keeps the last 64 lines of a longer complete input, numbered from 1', () => {
    const body = Array.from({ length: 69 }, (_, i) => `    x${i + 1} = ${i + 1}\n`).join('');
    const source = taskSource('complete', `def f():\n${body}`); // 70 lines
    expect(source.slice(0, 5)).toEqual(['<complete>', '<L1>', 'x6', '=', '6']);
    expect(source.filter((t) => /^<L\d+>$/.test(t))).toHaveLength(64);
    expect(source.slice(-5)).toEqual(['<L64>', 'x69', '=', '69', '<NEWLINE>']);
    expect(source).not.toContain('def');
  });
});

/** The text of an applied answer, or its error (so a failed apply shows in the diff). */
const textOf = (r: ReturnType<typeof applyFixAnswer>) => (r.ok ? r.text : r.error);

describe('fix', () => {
  it('targets <nobug> for unchanged code and the corrected line otherwise', () => {
    expect(fixTarget(FUNCTION, FUNCTION)).toEqual(['<nobug>', '</s>']);
    const buggy = FUNCTION.replace('for item in items:', 'for item in items');
    expect(fixTarget(FUNCTION, buggy)).toEqual(['<L6>', '<D1>', 'for', 'item', 'in', 'items', ':', '</s>']);
    const example = encodeFix(FUNCTION, buggy);
    expect(example.task).toBe('fix');
    expect(example.srcTokens.slice(22, 29)).toEqual(['<L6>', 'for', 'item', 'in', 'items', '<NEWLINE>', '<L7>']);
  });

  it('refuses texts that differ in more than one line or in line count', () => {
    const twoBugs = FUNCTION.replace('result = 0', 'result = O').replace('return result', 'return resul');
    expect(() => fixTarget(FUNCTION, twoBugs)).toThrow('fixTarget: lines 5, 9 differ; a fix replaces exactly one line');
    expect(() => fixTarget(FUNCTION, FUNCTION + 'x\n')).toThrow(
      'fixTarget: the correct text has 9 lines and the buggy one 10',
    );
  });

  it('applies an answer, keeping the trailing comment and every other byte', () => {
    const buggy = FUNCTION.replace('for item in items:', 'for item in items');
    const result = applyFixAnswer(buggy, ['<L6>', '<D1>', 'for', 'item', 'in', 'items', ':', '</s>', 'junk']);
    expect(result).toEqual({ ok: true, text: FUNCTION, changedLine: 6 });
    expect(applyFixAnswer(buggy, ['<s>', '<nobug>', '</s>'])).toEqual({ ok: true, text: buggy, changedLine: null });
  });

  it('keeps the spacing of the tokens the fix does not change, and lays out the new ones', () => {
    const call = 'def f(a):\n    return g(a,\n             key=a)\n';
    // A keyword argument on a continuation line: the layout alone would write `key = a`.
    expect(textOf(applyFixAnswer(call.replace('key=a)', 'key=a'), ['<L3>', 'key', '=', 'a', ')']))).toBe(call);
    const spaced = 'def grok (xc, prefix="e: "):\n    return exc\n';
    expect(
      textOf(
        applyFixAnswer(spaced, ['<L1>', '<D0>', 'def', 'grok', '(', 'exc', ',', 'prefix', '=', '"e: "', ')', ':']),
      ),
    ).toBe('def grok (exc, prefix="e: "):\n    return exc\n');
    const aligned = 'def f(s):\n    raise TypeError("%s %s" %\n               (type(s).__name__ s))\n';
    expect(
      textOf(
        applyFixAnswer(aligned, ['<L3>', '<D2>', '(', 'type', '(', 's', ')', '.', '__name__', ',', 's', ')', ')']),
      ),
    ).toBe(aligned.replace('__name__ s', '__name__, s')); // a continuation line keeps its alignment whatever the depth
    const comma = 'def f():\n    a, b = 0 1\n';
    expect(textOf(applyFixAnswer(comma, ['<L2>', '<D1>', 'a', ',', 'b', '=', '0', ',', '1']))).toBe(
      'def f():\n    a, b = 0, 1\n',
    );
  });

  it('reindents only when the depth differs, with the file indentation style', () => {
    const tabbed = 'def f(x):\r\n\tif x:\r\n\t\ty = 1\r\n  \t   return y\r\n';
    expect(applyFixAnswer(tabbed, ['<L4>', '<D1>', 'return', 'y'])).toEqual({
      ok: true,
      text: 'def f(x):\r\n\tif x:\r\n\t\ty = 1\r\n\treturn y\r\n',
      changedLine: 4,
    });
    const twoSpaces = 'def f(x):\n  if x:\n     y=1  # set\n  return y';
    expect(applyFixAnswer(twoSpaces, ['<L3>', '<D2>', 'y', '=', '1'])).toEqual({
      ok: true,
      text: 'def f(x):\n  if x:\n    y=1  # set\n  return y',
      changedLine: 3, // the line's own spacing stays
    });
    // Same depth: the original whitespace stays (here an aligned continuation line).
    const aligned = 'x = f(a,\n      b c)\n';
    expect(applyFixAnswer(aligned, ['<L2>', '<D1>', 'b', ',', 'c', ')'])).toEqual({
      ok: true,
      text: 'x = f(a,\n      b, c)\n',
      changedLine: 2,
    });
    const continued = 'x = 1 + \\\n    2 +  \\\n    3\n';
    expect(applyFixAnswer(continued, ['<L2>', '<D1>', '20', '+'])).toEqual({
      ok: true,
      text: 'x = 1 + \\\n    20 +  \\\n    3\n',
      changedLine: 2,
    });
  });

  it('rejects answers it cannot apply, with the reason', () => {
    expect(applyFixAnswer(FUNCTION, ['<L12>', '<D0>', 'x'])).toEqual({
      ok: false,
      error: 'the answer edits line 12, but the text has 9 lines',
    });
    expect(applyFixAnswer(FUNCTION, ['return'])).toEqual({
      ok: false,
      error: 'a fix answer starts with <nobug> or a line marker <L1>..<L64>, not "return"',
    });
    expect(applyFixAnswer(FUNCTION, [])).toEqual({
      ok: false,
      error: 'a fix answer starts with <nobug> or a line marker <L1>..<L64>, not "nothing"',
    });
    expect(applyFixAnswer(FUNCTION, ['<L5>', '<D1>', 'x', '<unk>'])).toEqual({
      ok: false,
      error: 'the corrected line 5 holds the special token <unk>',
    });
    const doc = 'def f():\n    """a\n    b"""\n';
    expect(applyFixAnswer(doc, ['<L3>', '<D1>', 'x'])).toEqual({
      ok: false,
      error: 'line 3 lies inside a multi-line string; it cannot be replaced alone',
    });
  });

  it('repairs each kind of injected bug exactly through target and answer', () => {
    const bugs: [string, string][] = [
      ['for item in items:', 'for item in items'], // missing colon
      ['(1 +', '(1 +)'], // stray bracket on a continuation line
      ['    result = 0', '   result = 0'], // bad indentation
      ['    return result', '        return result'], // over-indented
      ['    return result', '    retrun result'], // misspelled keyword
      ['def total(items, tax=0.2):', 'def total(items tax=0.2):'], // missing comma
      ['result += item.price', 'result += item.prise'], // misspelled name
      ['(1 +\n', '(1 -\n'], // wrong operator
    ];
    for (const [good, bad] of bugs) {
      const buggy = FUNCTION.replace(good, bad);
      expect(buggy, bad).not.toBe(FUNCTION);
      const result = applyFixAnswer(buggy, fixTarget(FUNCTION, buggy));
      expect(result, bad).toEqual({ ok: true, text: FUNCTION, changedLine: expect.any(Number) });
    }
  });
});

describe('fix on harder layouts', () => {
  it('does not let the line being replaced skew the indentation unit', () => {
    const method = '    def check(cls, C):\n        if cls is H:\n            return True\n        return False\n';
    const buggy = method.replace('if cls is H:', 'if cls is H');
    expect(fixTarget(method, buggy)).toEqual(['<L2>', '<D1>', 'if', 'cls', 'is', 'H', ':', '</s>']);
    expect(applyFixAnswer(buggy, fixTarget(method, buggy))).toEqual({ ok: true, text: method, changedLine: 2 });
  });

  it('replaces one physical line even when the buggy line opens a string that swallows others', () => {
    const fn = 'def f(x):\n    """Doc."""\n    y = """a"""\n    return y\n';
    const buggy = fn.replace('Doc."""', 'Doc.""');
    expect(applyFixAnswer(buggy, fixTarget(fn, buggy))).toEqual({ ok: true, text: fn, changedLine: 2 });
  });

  it('refuses targets a single-line fix cannot express', () => {
    const doc = 'def f():\n    """a\n    b"""\n';
    expect(() => fixTarget(doc, doc.replace('    b', '    c'))).toThrow(
      'fixTarget: line 3 is part of a multi-line string; a fix replaces a single line',
    );
    expect(() => fixTarget(doc, doc.replace('"""a', '"""A'))).toThrow(
      'fixTarget: line 2 is part of a multi-line string',
    );
    const continued = 'x = 1 + \\\n    2\n';
    expect(() => fixTarget(continued, continued.replace('+ \\', '+'))).toThrow(
      'fixTarget: line 1 differs in a backslash continuation',
    );
  });
});

describe('complete', () => {
  it('predicts the next physical line with its depth', () => {
    const example = encodeComplete(FUNCTION, 7);
    expect(example.srcTokens[0]).toBe('<complete>');
    expect(example.srcTokens.slice(-7)).toEqual(['<L6>', 'for', 'item', 'in', 'items', ':', '<NEWLINE>']);
    expect(example.tgtTokens).toEqual(['<D2>', 'result', '+=', 'item', '.', 'price', '*', '(', '1', '+', '</s>']);
    const prefix = FUNCTION.split('\n').slice(0, 6).join('\n') + '\n';
    expect(completionText(prefix, example.tgtTokens)).toBe('        result += item.price * (1 +');
    expect(completionText(prefix, ['return', 'x', '</s>'])).toBe('    return x');
    expect(() => encodeComplete(FUNCTION, 4)).toThrow(
      'encodeComplete: line 4 is not a line with code of the 9-line function',
    );
  });
});

describe('generate', () => {
  it('splits signature and docstring from the body', () => {
    const { headerText, bodyTokens } = splitFunction(FUNCTION);
    expect(headerText).toBe('def total(items, tax=0.2):\n    """Sum the prices."""\n');
    expect(bodyTokens.slice(0, 5)).toEqual(['result', '=', '0', '<NEWLINE>', 'for']);
    expect(bodyTokens.slice(-4)).toEqual(['<DEDENT>', 'return', 'result', '<NEWLINE>']);
    const example = encodeGenerate(FUNCTION);
    expect(example.srcTokens).toEqual([
      '<generate>',
      '<L1>',
      'def',
      'total',
      '(',
      'items',
      ',',
      'tax',
      '=',
      '0.2',
      ')',
      ':',
      '<NEWLINE>',
      '<L2>',
      '<INDENT>',
      '"""Sum the prices."""',
      '<NEWLINE>',
    ]);
    expect(example.tgtTokens.at(-1)).toBe('</s>');
    expect(generatedText(headerText, example.tgtTokens)).toBe(
      'def total(items, tax=0.2):\n    """Sum the prices."""\n    result = 0\n    for item in items:\n        result += item.price * (1 + tax)\n    return result\n',
    );
  });

  it('handles decorators, no docstring, method indentation and bad input', () => {
    const plain = '@staticmethod\ndef f(a: int) -> int:\n    return a\n';
    expect(splitFunction(plain)).toEqual({
      headerText: '@staticmethod\ndef f(a: int) -> int:\n',
      bodyTokens: ['<INDENT>', 'return', 'a', '<NEWLINE>'],
    });
    expect(generatedText('  def g(self):\n\t  """Doc."""', ['x', '<NEWLINE>', 'return', 'x', '</s>'])).toBe(
      '  def g(self):\n\t  """Doc."""\n\t  x\n\t  return x',
    );
    expect(
      generatedText('def g(x):\r\n\t"""Doc."""\r\n', ['if', 'x', ':', '<NEWLINE>', '<INDENT>', 'y', '<NEWLINE>']),
    ).toBe('def g(x):\r\n\t"""Doc."""\r\n\tif x:\r\n\t\ty\r\n');
    expect(generatedText('def h():', ['<INDENT>', 'pass', '<NEWLINE>', '</s>'])).toBe('def h():\n    pass\n');
    expect(() => splitFunction('x = 1\n')).toThrow("generate: the text holds no 'def'");
    expect(() => splitFunction('def f(): return 1\n')).toThrow('generate: the body is on the signature line');
  });
});

describe('isSameTokens', () => {
  it('ignores layout and comments but not tokens or indentation structure', () => {
    expect(isSameTokens('def f(a,b):\n  return a+b  # sum\n', 'def f(a, b):\n    return a + b')).toBe(true);
    expect(isSameTokens('x = (1,\n 2)\n', 'x = (1, 2)')).toBe(true);
    expect(isSameTokens('    def m(self): pass', 'def m(self): pass')).toBe(true);
    expect(isSameTokens('x = 1\n', 'x = 2\n')).toBe(false);
    expect(isSameTokens('if a:\n    b\nc\n', 'if a:\n    b\n    c\n')).toBe(false);
  });
});
