// Python/future.c: the `from __future__` imports a module starts with (after its docstring), read
// before the symtable is built. Only that leading run is looked at: an unknown feature there is an
// error, a later one is left to the compiler ("must occur at the beginning of the file",
// compile-rules.ts), which refuses every `__future__` import after the line of the last one here.
import { PySyntaxError, type Node } from './parser-core';
import type { PyToken } from './tokenize';

/** Python 3.11's features (Include/cpython/compile.h); `braces` has its own answer. */
const FEATURES = new Set([
  'nested_scopes',
  'generators',
  'division',
  'absolute_import',
  'with_statement',
  'print_function',
  'unicode_literals',
  'barry_as_FLUFL',
  'generator_stop',
  'annotations',
]);

export const LATE_FUTURE = 'from __future__ imports must occur at the beginning of the file';

const isFutureImport = (s: Node): boolean => s.k === 'ImportFrom' && s.module === '__future__';

/** _PyAST_GetDocString: a first statement that is a plain string (not bytes, not an f-string). */
const isDocString = (s: Node | undefined): boolean => s?.k === 'Expr' && s.v?.k === 'Constant' && s.v.c === 'string';

/**
 * future_parse: raises for an unknown feature in the leading run, or for a `__future__` import
 * after another statement on the same line as it; returns the line of the last leading one (the
 * compiler refuses any after it), or -1.
 */
export function leadingFutureLine(body: readonly Node[], tokens: readonly PyToken[]): number {
  // future.c places the late import at col_offset, the unknown feature at col_offset + 1.
  const raise = (message: string, s: Node, offset = 1): never => {
    const t = tokens[s.a];
    throw new PySyntaxError(message, t.line, t.col + offset);
  };
  let futureLine = -1;
  let done = false;
  let previousLine = 0;
  for (let i = isDocString(body[0]) ? 1 : 0; i < body.length; i++) {
    const s = body[i];
    const line = tokens[s.a].line;
    if (done && line > previousLine) break;
    previousLine = line;
    if (!isFutureImport(s)) {
      done = true;
      continue;
    }
    if (done) raise(LATE_FUTURE, s, 0);
    for (const feature of s.imported ?? []) {
      if (feature === 'braces') raise('not a chance', s);
      if (!FEATURES.has(feature)) raise(`future feature ${feature} is not defined`, s);
    }
    futureLine = line;
  }
  return futureLine;
}

/** compiler_from_import's rule: a `__future__` import after the leading run's last line. */
export function isLateFutureImport(s: Node, tokens: readonly PyToken[], futureLine: number): boolean {
  return isFutureImport(s) && tokens[s.a].line > futureLine;
}
