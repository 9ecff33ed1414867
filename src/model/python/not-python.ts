// Refusing text that is not Python (random bytes, prose) instead of "fixing" it. A buggy function
// breaks the parse on a line or two; prose breaks it everywhere and strings words together
// (`the quick brown fox`), which Python never does; bytes hold control characters no source has.
import { InputError } from '../api';
import { isKeyword, lex } from './lexer';
import { parser } from '@lezer/python';

/** The text is not Python at all; the message starts `not Python:` (the CLI exits 2). */
export class NotPythonError extends InputError {
  constructor(reason: string) {
    super(`not Python: ${reason}`);
    this.name = 'NotPythonError';
  }
}

/** Share of code lines with a parse error above which a text of 3+ code lines is not Python. */
const ERROR_LINE_SHARE = 0.5;

/** Throws NotPythonError when `text` does not look like Python source. */
export function assertLooksLikePython(text: string): void {
  // eslint-disable-next-line no-control-regex
  const control = (text.match(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g) ?? []).length;
  // A string literal may hold one (click writes U+FFFD in a docstring); binary data holds many.
  if (text.includes('\u0000') || control > Math.max(2, 0.01 * text.length)) {
    throw new NotPythonError(
      `the text holds ${control} control or undecodable character${control === 1 ? '' : 's'} (binary data?); paste Python source code`,
    );
  }
  const { tokens } = lex(text);
  const code = tokens.filter((t) => t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT');
  const codeLines = new Set(code.map((t) => t.line));
  if (codeLines.size === 0) return;
  // Two plain words side by side on a line (`brown fox`): a keyword typo makes one such pair, prose makes many.
  let wordPairs = 0;
  for (let i = 1; i < code.length; i++) {
    const a = code[i - 1]!;
    const b = code[i]!;
    if (a.line === b.line && a.kind === 'NAME' && b.kind === 'NAME' && !isKeyword(a.text) && !isKeyword(b.text))
      wordPairs++;
  }
  const errorLines = new Set<number>();
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) {
        const line = text.slice(0, node.from).split('\n').length;
        if (codeLines.has(line)) errorLines.add(line);
      }
    },
  });
  const share = errorLines.size / codeLines.size;
  const proseLike = wordPairs >= 3 && wordPairs >= 0.5 * codeLines.size;
  if (proseLike || (codeLines.size >= 3 && share > ERROR_LINE_SHARE && wordPairs >= 2)) {
    throw new NotPythonError(
      `${errorLines.size} of ${codeLines.size} lines do not parse and ${wordPairs} place${wordPairs === 1 ? '' : 's'} put two words side by side, as prose does; paste Python source code`,
    );
  }
}
