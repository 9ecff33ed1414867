import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/api';
import { assertLooksLikePython, NotPythonError } from '../../src/model/python/not-python';

const refusal = (text: string) => {
  try {
    assertLooksLikePython(text);
    return null;
  } catch (error) {
    return error as Error;
  }
};

describe('not Python', () => {
  it('refuses prose and bytes with a message that starts "not Python:"', () => {
    for (const text of [
      'The quick brown fox jumps over the lazy dog.\nIt was a sunny day.\n',
      'hello world how are you today',
      String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 37) % 256)),
    ]) {
      const error = refusal(text);
      expect(error).toBeInstanceOf(NotPythonError);
      expect(error).toBeInstanceOf(InputError);
      expect(error!.message).toMatch(/^not Python: /);
    }
  });

  it('accepts Python with a bug or two', () => {
    for (const text of [
      'def f(a):\n    retrun a\n',
      'def f(x)\n    return x\n',
      'def f(name: str warn: bool) -> int | None:\n    return Noen\n',
      'def f(s):\n    """Returns the text \ufffd as it is."""\n    return s\n',
      'x = 1\n',
    ]) {
      expect(refusal(text)).toBeNull();
    }
  });
});
