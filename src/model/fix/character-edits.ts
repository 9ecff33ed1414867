// Character edits for a text that does not tokenize (docs/design.md#character-edits): the token
// edits of enumerate-edits.ts cannot mend a string left open or a character Python has no token
// for, so these edit characters instead. A string left open gets its closing quote at each
// plausible place (before each `+ , ) ] } :` on its line and at the line's end; a triple-quoted
// one at the end of each later line); a stray character is removed or replaced by its ASCII
// look-alike (curly quotes, dashes). Only the texts the syntax check accepts are kept.
//
// The model cannot rank these among themselves: the literal a closing quote cuts (`"value is: "`)
// is in no input it reads, so it scores it as a word it never saw. Each edit gets its support
// instead: the names and keywords the repaired text reads as code, less two for each name it reads
// but never binds (`"value is: " + str(x)` reads `str` and `x`; `"Hello", world` reads an unknown
// `world`). fix-search.ts ranks the character edits that compile first, by support, then by model.
import { lex, OPERATORS, type Token } from '../python/lexer';
import { unboundNames } from '../python/name-check';
import { checkFragmentSyntax } from '../python/parse-check';
import type { TextEdit } from './edit-candidates';
import { MAX_STRAY_CHARACTERS, MAX_STRING_CLOSE_PLACES, MAX_TRIPLE_CLOSE_LINES } from './search-limits';

/** Characters before which a string left open plausibly ended: what follows a literal in an expression. */
const STRING_ENDS_BEFORE = '+,)]}:';
const OPERATOR_SET = new Set(OPERATORS);
/** Characters typed for an ASCII one (word processors, other keyboards), as the ASCII one. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00d7': '*',
  '\u00a0': ' ',
  '\uff08': '(',
  '\uff09': ')',
  '\uff0c': ',',
  '\uff1a': ':',
  '\uff1d': '=',
};
/** A character the lexer has no token for (a backslash out of place is a continuation's problem, not this one's). */
const isStray = (t: Token) => t.kind === 'OP' && !OPERATOR_SET.has(t.text) && t.text !== '\\';

const splice = (text: string, from: number, to: number, insert: string) =>
  text.slice(0, from) + insert + text.slice(to);

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
  return line;
}

/** Whether the character at `at` is escaped by an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** A character edit and how much of its text reads as sensible code (more is likelier). */
export interface CharacterEdit extends TextEdit {
  support: number;
}

/** Names and keywords read as code, less two per name read but never bound. */
function support(text: string): number {
  const words = lex(text).tokens.filter((t) => t.kind === 'NAME' || t.kind === 'KEYWORD').length;
  return words - 2 * unboundNames(text).size;
}

/** Edits closing a string the lexer found open: `token` runs from its prefix to its line's end. */
function closeString(text: string, token: Token): TextEdit[] {
  const quoteAt = token.start + token.text.search(/['"]/);
  const quote = text[quoteAt]!;
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const closing = triple ? quote.repeat(3) : quote;
  const bodyStart = quoteAt + closing.length;
  const lineEnd = token.end;
  const edits: TextEdit[] = [];
  const add = (candidate: string, at: number) =>
    edits.push({ text: candidate, line: lineOf(text, at), why: 'unterminated string' });
  if (triple) {
    // The body may run over any of the lines below: the closing quotes at the end of each.
    let end = lineEnd;
    for (let n = 0; n <= MAX_TRIPLE_CLOSE_LINES && end <= text.length; n++) {
      const trimmed = text.slice(0, end).trimEnd().length;
      if (trimmed >= bodyStart) add(splice(text, trimmed, trimmed, closing), trimmed);
      if (end >= text.length) break;
      const next = text.indexOf('\n', end + 1);
      end = next < 0 ? text.length : next;
    }
    return edits;
  }
  const places: number[] = [];
  for (let i = bodyStart; i < lineEnd && places.length < MAX_STRING_CLOSE_PLACES; i++)
    if (STRING_ENDS_BEFORE.includes(text[i]!) && !escaped(text, i)) places.push(i);
  for (const at of places) {
    // Spacing kept: `"value is: + x` → `"value is: " + x`, the string's own space stays inside it.
    const space = /[ \t]*$/.exec(text.slice(bodyStart, at))![0];
    add(splice(text, at, at, closing + space), at);
  }
  const trimmedEnd = bodyStart + text.slice(bodyStart, lineEnd).trimEnd().length;
  if (!escaped(text, trimmedEnd)) add(splice(text, trimmedEnd, trimmedEnd, closing), trimmedEnd);
  // Closed with the other quote (`'abc"`): that quote turned into the opener's.
  const other = text.lastIndexOf(quote === '"' ? "'" : '"', lineEnd - 1);
  if (other >= bodyStart) add(splice(text, other, other + 1, quote), other);
  return edits;
}

/** Edits for the stray characters: each removed, each made ASCII, and all made ASCII together. */
function strayEdits(text: string, strays: readonly Token[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const add = (candidate: string, t: Token) => edits.push({ text: candidate, line: t.line, why: 'stray character' });
  for (const t of strays) {
    // One space stays where the character stood between two (`a $ b` → `a b`), none at a line's end.
    let [from, to] = [t.start, t.end];
    if (/[ \t]/.test(text[from - 1] ?? '')) {
      if (/[ \t]/.test(text[to] ?? '')) while (/[ \t]/.test(text[to] ?? '')) to++;
      else if (to >= text.length || /[\r\n]/.test(text[to]!)) while (/[ \t]/.test(text[from - 1] ?? '')) from--;
    }
    add(splice(text, from, to, ''), t);
    const ascii = LOOK_ALIKES[t.text];
    if (ascii !== undefined) add(splice(text, t.start, t.end, ascii), t);
  }
  // Curly quotes come in pairs: `“hello”` needs both made straight.
  const alike = strays.filter((t) => LOOK_ALIKES[t.text] !== undefined);
  if (alike.length > 1) {
    let all = text;
    for (const t of [...alike].reverse()) all = splice(all, t.start, t.end, LOOK_ALIKES[t.text]!);
    add(all, alike[0]!);
  }
  return edits;
}

/**
 * Character edits after which a text that does not tokenize compiles (an unterminated string
 * closed, a stray character removed or made ASCII), each the whole text with the edit's line and
 * reason and support. Empty for a text that tokenizes or compiles.
 */
export function characterEdits(text: string): CharacterEdit[] {
  const lexed = lex(text);
  if (!lexed.problems.some((p) => /unterminated|unexpected character/.test(p.message))) return [];
  if (checkFragmentSyntax(text).ok) return [];
  const open = lexed.tokens.filter((t) => t.kind === 'STRING' && t.unterminated);
  const strays = lexed.tokens.filter(isStray).slice(0, MAX_STRAY_CHARACTERS);
  // The first string left open: the text after it is lexed from the wrong side of a quote.
  const proposed = [...(open.length > 0 ? closeString(text, open[0]!) : []), ...strayEdits(text, strays)];
  const seen = new Set<string>([text]);
  return proposed
    .filter((e) => {
      if (seen.has(e.text)) return false;
      seen.add(e.text);
      return checkFragmentSyntax(e.text).ok;
    })
    .map((e) => ({ ...e, support: support(e.text) }));
}
