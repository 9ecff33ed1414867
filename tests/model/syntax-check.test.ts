// checkPythonSyntax against CPython 3.11.7's compile(text, '<s>', 'exec'): each expected line,
// column (SyntaxError.offset) and message below is what that python3 raised for the text.
import { describe, expect, it } from 'vitest';
import { checkCompletionSyntax, checkFragmentSyntax, checkPythonSyntax } from '../../src/model/python/parse-check';

type Expected = { line: number; column: number; message: string } | null;

/** Text that the earlier check (Lezer's lenient parse) accepted and compile() refuses. */
const ONCE_ACCEPTED: [string, string, Expected][] = [
  [
    'Python 2 print statement',
    'print e\n',
    { line: 1, column: 1, message: "Missing parentheses in call to 'print'. Did you mean print(...)?" },
  ],
  ['Python 2 operator', 'return a <> 1\n', { line: 1, column: 10, message: 'invalid syntax' }],
  [
    'leading zero',
    'x = 0777\n',
    {
      line: 1,
      column: 5,
      message: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
    },
  ],
  ['Python 2 raise', 'raise E, "m"\n', { line: 1, column: 8, message: 'invalid syntax' }],
  [
    'assignment to an expression',
    'a + 1 = 2\n',
    { line: 1, column: 1, message: "cannot assign to expression here. Maybe you meant '==' instead of '='?" },
  ],
  ['delete a call', 'del f()\n', { line: 1, column: 5, message: 'cannot delete function call' }],
  [
    'positional argument after keyword argument',
    'f(x=1, y)\n',
    { line: 1, column: 9, message: 'positional argument follows keyword argument' },
  ],
  [
    'await in a plain def',
    'def f():\n    await g()\n',
    { line: 2, column: 5, message: "'await' outside async function" },
  ],
  ['return in a class body', 'class C:\n    return 1\n', { line: 2, column: 5, message: "'return' outside function" }],
  ['break outside a loop', 'break\n', { line: 1, column: 1, message: "'break' outside loop" }],
  [
    'nonlocal without a binding',
    'def f():\n    nonlocal q\n',
    { line: 2, column: 5, message: "no binding for nonlocal 'q' found" },
  ],
];

/** The messages worded as CPython words them, and the text itself (BOM, \r, form feed, names). */
const MESSAGES_AND_TEXT: [string, string, Expected][] = [
  ["expected ':'", 'if x\n    pass\n', { line: 1, column: 5, message: "expected ':'" }],
  ["'(' was never closed", 'x = (1,\n2\n', { line: 1, column: 5, message: "'(' was never closed" }],
  ["unmatched ')'", 'x = 1)\n', { line: 1, column: 6, message: "unmatched ')'" }],
  [
    'closing parenthesis does not match',
    'x = (1,\n 2]\n',
    { line: 2, column: 3, message: "closing parenthesis ']' does not match opening parenthesis '(' on line 1" },
  ],
  ['a missing comma', 'f(a b)\n', { line: 1, column: 3, message: 'invalid syntax. Perhaps you forgot a comma?' }],
  [
    'a missing comma after strings',
    "print('a' 'b' c)\n",
    { line: 1, column: 7, message: 'invalid syntax. Perhaps you forgot a comma?' },
  ],
  [
    "'=' for '==' after a name",
    'if x = 1:\n    pass\n',
    { line: 1, column: 4, message: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?" },
  ],
  [
    "'=' for '==' after an expression",
    'if x + 1 = 2:\n    pass\n',
    { line: 1, column: 4, message: "cannot assign to expression here. Maybe you meant '==' instead of '='?" },
  ],
  [
    "'return' outside function",
    'for x in y:\n    pass\nreturn x\n',
    { line: 3, column: 1, message: "'return' outside function" },
  ],
  [
    "'continue' outside a loop",
    'def f():\n    continue\n',
    { line: 2, column: 5, message: "'continue' not properly in loop" },
  ],
  ["'await' at module level", 'await g()\n', { line: 1, column: 1, message: "'await' outside function" }],
  [
    'a block without its indented body',
    'if x:\npass\n',
    { line: 2, column: 1, message: "expected an indented block after 'if' statement on line 1" },
  ],
  ['unexpected indent', 'def f():\n    return 1\n      x = 2\n', { line: 3, column: 6, message: 'unexpected indent' }],
  [
    'unindent to no outer level',
    'if x:\n        a = 1\n    b = 2\n',
    { line: 3, column: 10, message: 'unindent does not match any outer indentation level' },
  ],
  [
    'tabs and spaces mixed',
    'if x:\n\ta = 1\n        b = 2\n',
    { line: 3, column: 1, message: 'inconsistent use of tabs and spaces in indentation' },
  ],
  ['a BOM', '﻿x = 1\n', { line: 1, column: 1, message: 'invalid non-printable character U+FEFF' }],
  ['lone \\r line breaks', 'x = 1\ry = 2\r', null],
  ['form feeds', '\fdef f():\n\f    return 1\n', null],
  ['non-ASCII names', 'é = 1\nπ = é\n', null],
  ['an invalid character', 'x = €\n', { line: 1, column: 5, message: "invalid character '€' (U+20AC)" }],
  ['a coding cookie', "# -*- coding: latin-1 -*-\nx = 'é'\n", null],
  [
    'a duplicate parameter',
    'def f(a, a):\n    pass\n',
    { line: 1, column: 10, message: "duplicate argument 'a' in function definition" },
  ],
  ['a duplicate keyword argument', 'f(a=1, a=2)\n', { line: 1, column: 8, message: 'keyword argument repeated: a' }],
  [
    'a starred target alone',
    '*a = 1\n',
    { line: 1, column: 1, message: 'starred assignment target must be in a list or tuple' },
  ],
  [
    'an f-string conversion',
    "x = f'{a!z}'\n",
    { line: 1, column: 13, message: "f-string: invalid conversion character: expected 's', 'r', or 'a'" },
  ],
  [
    'a return value in an async generator',
    'async def f():\n    yield 1\n    return 2\n',
    { line: 3, column: 5, message: "'return' with value in async generator" },
  ],
  ['end of file after a continuation', 'x = 1 +\\\n', { line: 1, column: 9, message: 'unexpected EOF while parsing' }],
  [
    'an unterminated string',
    "s = 'abc\n",
    { line: 1, column: 5, message: 'unterminated string literal (detected at line 1)' },
  ],
  [
    'a match statement',
    "match x:\n    case [1, *rest]:\n        pass\n    case {'k': v, **kw}:\n        pass\n    case P(a=0) | None:\n        pass\n",
    null,
  ],
  [
    'global after assignment',
    'def f():\n    x = 1\n    global x\n',
    { line: 3, column: 5, message: "name 'x' is assigned to before global declaration" },
  ],
  [
    'iterable unpacking after keyword unpacking',
    'f(**a, *b)\n',
    { line: 1, column: 8, message: 'iterable argument unpacking follows keyword argument unpacking' },
  ],
  [
    'a bare except before another',
    'try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n',
    { line: 3, column: 1, message: "default 'except:' must be last" },
  ],
];

function expectLikeCPython(text: string, expected: Expected): void {
  const check = checkPythonSyntax(text);
  if (expected === null) {
    expect(check).toEqual({ ok: true, errorLine: null, errorColumn: null });
    return;
  }
  const got = { ok: check.ok, line: check.errorLine, column: check.errorColumn, message: check.message };
  expect(got).toEqual({ ok: false, ...expected });
}

describe('checkPythonSyntax, as strict as compile()', () => {
  for (const [why, text, expected] of ONCE_ACCEPTED) {
    it(`refuses ${why}: ${JSON.stringify(text)}`, () => expectLikeCPython(text, expected));
  }
  for (const [why, text, expected] of MESSAGES_AND_TEXT) {
    it(`${expected ? expected.message : 'compiles'} (${why})`, () => expectLikeCPython(text, expected));
  }

  it('places the error offset at the reported line and column', () => {
    const text = 'def f(x):\r\n    if x\r\n        return 1\r\n';
    const check = checkPythonSyntax(text);
    expect(check).toMatchObject({ ok: false, errorLine: 2, errorColumn: 9, message: "expected ':'" });
    expect(text.slice(0, check.errorOffset)).toBe('def f(x):\r\n    if x');
  });

  it('never throws, and refuses what is nested too deep to compile', () => {
    expect(checkPythonSyntax(`x = ${'-'.repeat(100_000)}1\n`).ok).toBe(false);
    expect(checkPythonSyntax(`x = ${'['.repeat(200)}${']'.repeat(200)}\n`).ok).toBe(true);
    expect(checkPythonSyntax(`x = ${'['.repeat(201)}${']'.repeat(201)}\n`)).toMatchObject({
      ok: false,
      message: 'too many nested parentheses',
    });
    const odd = ['\\', '"""', "f'{", '\u0000', '\ud800', '()))', 'def', '@', 'case _:', 'x = (\n'];
    for (const text of odd) expect(checkPythonSyntax(text).ok).toBe(false);
    for (const text of ['', '\n', 'match', '# comment only']) expect(checkPythonSyntax(text).ok).toBe(true);
  });

  it('lets a completion line open a block', () => {
    expect(checkCompletionSyntax('def f(x):\n', '    if x:')).toBe(true);
    expect(checkCompletionSyntax('def f(x):\n', '    if x')).toBe(false);
  });
});

// A window of a long function is lines of its body: what compile() allows in an async function's
// body inside a loop is allowed at the lines' own level, and nothing else changes.
describe('checkFragmentSyntax', () => {
  it('allows return, yield, await, break, continue and nonlocal at the fragment level', () => {
    for (const text of [
      'if x:\n    return 1\n',
      'y = yield x\n',
      'await g()\n',
      'break\n',
      'continue\n',
      'nonlocal q\nq = 1\n',
      'async for a in b:\n    pass\n',
      'async with a:\n    pass\n',
    ]) {
      expect(checkPythonSyntax(text).ok, text).toBe(false);
      expect(checkFragmentSyntax(text).ok, text).toBe(true);
    }
  });

  it('keeps every other rule, and the placement rules inside functions the fragment defines', () => {
    expect(checkFragmentSyntax('if x = 1:\n    return 1\n')).toMatchObject({
      ok: false,
      errorLine: 1,
      message: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
    });
    expect(checkFragmentSyntax('def f():\n    await g()\n')).toMatchObject({
      ok: false,
      message: "'await' outside async function",
    });
    expect(checkFragmentSyntax('class C:\n    return 1\n')).toMatchObject({
      ok: false,
      message: "'return' outside function",
    });
    expect(checkFragmentSyntax('def f(a, a):\n    pass\n').ok).toBe(false);
  });

  it('does not answer from the strict check of the same text', () => {
    expect(checkPythonSyntax('return 1\n').ok).toBe(false);
    expect(checkFragmentSyntax('return 1\n').ok).toBe(true);
    expect(checkPythonSyntax('return 1\n').ok).toBe(false);
  });
});
