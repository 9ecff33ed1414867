// Does a text parse as Python? Lezer's Python grammar (the one CodeMirror uses) recovers from
// errors by inserting error nodes; any such node means the text does not parse. Lezer accepts a
// dedent to a level that was never opened, so our lexer's indentation problems count too.
import { parser } from '@lezer/python';
import { lex, type Token } from './lexer';

export interface ParseCheck {
  ok: boolean;
  /** 1-based line of the first error, when there is one. */
  errorLine: number | null;
  /** Character offset of the first error, when Lezer or the nesting check places it. */
  errorOffset?: number;
}

/** CPython's limits (Parser/tokenizer.h MAXLEVEL and MAXINDENT): deeper code does not compile there. */
export const MAX_BRACKET_NESTING = 200;
export const MAX_INDENT_LEVELS = 100;

/**
 * The line where brackets or blocks nest deeper than Python allows, or null. Checked before Lezer
 * runs, which takes seconds on such text (fuzz code case 240: 100,000 open brackets).
 */
export function tooDeepLine(tokens: readonly Token[]): number | null {
  let brackets = 0;
  let indents = 0;
  for (const token of tokens) {
    if (token.kind === 'OP') {
      if (token.text === '(' || token.text === '[' || token.text === '{') brackets++;
      else if (token.text === ')' || token.text === ']' || token.text === '}') brackets = Math.max(0, brackets - 1);
      if (brackets > MAX_BRACKET_NESTING) return token.line;
    } else if (token.kind === 'INDENT') {
      if (++indents > MAX_INDENT_LEVELS) return token.line;
    } else if (token.kind === 'DEDENT') {
      indents = Math.max(0, indents - 1);
    }
  }
  return null;
}

export function checkPythonSyntax(text: string): ParseCheck {
  const lexed = lex(text);
  const deep = tooDeepLine(lexed.tokens);
  if (deep !== null) return { ok: false, errorLine: deep };
  const tree = parser.parse(text);
  let errorAt = -1;
  tree.iterate({
    enter(node) {
      if (errorAt >= 0) return false;
      // Lezer's grammar wants a value after `yield`; a bare `yield` (before a line break or `)`) is Python.
      if (
        node.type.isError &&
        !(
          node.from === node.to &&
          /\byield[ \t]*$/.test(text.slice(Math.max(0, node.from - 12), node.from)) &&
          /^[ \t]*[\r\n)#]/.test(text.slice(node.from, node.from + 40))
        )
      ) {
        errorAt = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (errorAt < 0) {
    const problem = lexed.problems[0];
    return problem ? { ok: false, errorLine: problem.line } : { ok: true, errorLine: null };
  }
  return { ok: false, errorLine: text.slice(0, errorAt).split('\n').length, errorOffset: errorAt };
}

/**
 * Whether `line` can follow `prefix` (the code up to a line break) in a Python program: the two
 * parse together, or they do once a line that opens a block (ends with ':') gets a body. A right
 * next line often opens a block, and a prefix cut after `if x:` needs the line to close that one.
 */
export function checkCompletionSyntax(prefix: string, line: string): boolean {
  const text = `${prefix.replace(/\n?$/, '\n')}${line}\n`;
  if (checkPythonSyntax(text).ok) return true;
  if (!/:\s*(#.*)?$/.test(line)) return false;
  const indent = /^[ \t]*/.exec(line)![0];
  return checkPythonSyntax(`${text}${indent}    pass\n`).ok;
}
