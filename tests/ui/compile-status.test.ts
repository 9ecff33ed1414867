// What the playground says about whether code compiles: the badge's label, "Python would say: ...",
// whose code the message is about, and what the editor underlines.
import { describe, expect, it } from 'vitest';
import { checkPythonSyntax } from '../../src/model';
import {
  candidateCompileStatus,
  compileMessageText,
  errorMarkRange,
  pythonWouldSay,
} from '../../src/ui/lib/compile-status';

const MISSING_COLON =
  'def total(items):\n    result = 0\n    for item in items\n        result += item\n    return result\n';
const FIXED = MISSING_COLON.replace('in items\n', 'in items:\n');

describe('compile status', () => {
  it("gives the check's line and message in Python's words", () => {
    expect(pythonWouldSay(checkPythonSyntax(MISSING_COLON))).toBe("Python would say: line 3: expected ':'");
    expect(pythonWouldSay(checkPythonSyntax('def f(x):\n    return (x\n'))).toBe(
      "Python would say: line 2: '(' was never closed",
    );
    expect(pythonWouldSay(checkPythonSyntax(FIXED))).toBeNull();
  });

  it('labels a candidate that compiles "Compiles", with no message', () => {
    const status = candidateCompileStatus('fix', MISSING_COLON, { parses: true, problem: null }, FIXED);
    expect(status).toEqual({ compiles: true, label: 'Compiles', message: null, about: 'answer' });
    expect(compileMessageText(status)).toBeNull();
  });

  it("gives the message for a fix's text that does not compile", () => {
    const broken = FIXED.replace('return result', 'return result +');
    const status = candidateCompileStatus('fix', MISSING_COLON, { parses: false, problem: null }, broken);
    expect(status.label).toBe('Does not compile');
    expect(status.about).toBe('answer');
    expect(compileMessageText(status)).toBe('Python would say: line 5: invalid syntax');
  });

  it('speaks of the input when an unfixed answer gives it back unchanged', () => {
    const status = candidateCompileStatus('fix', MISSING_COLON, { parses: false, problem: null }, MISSING_COLON);
    expect(status.about).toBe('input');
    expect(compileMessageText(status)).toBe("Your code does not compile. Python would say: line 3: expected ':'");
  });

  it('counts lines of the input and the next line together for complete', () => {
    const prefix = 'def f(x)\n    y = x + 1\n';
    const status = candidateCompileStatus('complete', prefix, { parses: false, problem: null }, '    return y');
    expect(status.message).toBe("Python would say: line 1: expected ':'");
    // A next line that opens a block is not blamed for its missing body, but for what is wrong.
    const opener = candidateCompileStatus(
      'complete',
      'def f(x):\n',
      { parses: false, problem: null },
      '    async for a in x:',
    );
    expect(opener.message).toBe("Python would say: line 2: 'async for' outside async function");
  });

  it('keeps the label of `parses` and shows no message where the check has none', () => {
    // complete: the line can follow the input, though the two alone do not compile yet.
    const status = candidateCompileStatus('complete', 'def f(x):\n', { parses: true, problem: null }, '    if x:');
    expect(status).toMatchObject({ compiles: true, label: 'Compiles', message: null });
    // A fix that could not be applied does not parse; its text is the input, which Python's message
    // would blame, though the answer's problem is elsewhere (the answer view says what it is).
    const problem = 'line 9 is past the end';
    const unapplied = candidateCompileStatus('fix', MISSING_COLON, { parses: false, problem }, MISSING_COLON);
    expect(unapplied).toMatchObject({ compiles: false, label: 'Does not compile', message: null });
  });
});

describe('error mark range', () => {
  it('underlines the name at the error', () => {
    const text = 'print e\n';
    expect(errorMarkRange(text, 6)).toEqual({ from: 6, to: 7 });
    expect(errorMarkRange('x = 1\n  total = 2\n', 8)).toEqual({ from: 8, to: 13 });
  });

  it('underlines one character that is not part of a name', () => {
    expect(errorMarkRange('f(x))\n', 4)).toEqual({ from: 4, to: 5 });
  });

  it('underlines the character before an error at the end of a line', () => {
    const offset = checkPythonSyntax(MISSING_COLON).errorOffset!;
    const range = errorMarkRange(MISSING_COLON, offset)!;
    expect(MISSING_COLON.slice(range.from, range.to)).toBe('s');
    expect(errorMarkRange('if x', 4)).toEqual({ from: 3, to: 4 });
  });

  it('has nothing to underline on an empty line, and clamps offsets past the end', () => {
    expect(errorMarkRange('x = (\n\n', 6)).toBeNull();
    expect(errorMarkRange('', 0)).toBeNull();
    expect(errorMarkRange('ab', 99)).toEqual({ from: 1, to: 2 });
  });
});
