// Token-level edits written into a text: an insert, delete, substitution or swap of code tokens
// becomes a splice of the text at the tokens' spans, with a space only where two tokens would
// otherwise run together (`a` `b` is `ab`, `=` `=` is `==`). Line breaks are never touched, so the
// edited text has the lines of the original and the fix task's one-line output can express it.
import type { Token } from '../python/lexer';

export type TokenEditKind = 'insert' | 'delete' | 'substitute' | 'swap';

/** One edit: the code tokens [from, to) become `after` (an insert has from === to). */
export interface TokenEdit {
  kind: TokenEditKind;
  from: number;
  to: number;
  after: readonly string[];
  /** An insert after token from - 1, at the end of its line, rather than before token from. */
  atLineEnd?: boolean;
}

const WORD = /[\p{L}\p{N}_]/u;
const OPERATOR_CHARS = new Set('=<>!*/%&|^+-.@:~');

/** Whether the character `a` followed by `b` would lex as one token or change one. */
function runTogether(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (WORD.test(a) && (WORD.test(b) || b === '"' || b === "'")) return true;
  if (OPERATOR_CHARS.has(a) && OPERATOR_CHARS.has(b)) return true;
  return (/\d/.test(a) && b === '.') || (a === '.' && /\d/.test(b));
}

/** Where an edit touches the text: its character offset (for the distance to the error and the prune). */
export function editOffset(tokens: readonly Token[], edit: TokenEdit): number {
  if (edit.atLineEnd || edit.from >= tokens.length) return tokens[edit.from - 1]!.end;
  return tokens[edit.from]!.start;
}

/** The 1-based line an edit changes. */
export function editLine(tokens: readonly Token[], edit: TokenEdit): number {
  if (edit.atLineEnd || edit.from >= tokens.length) return tokens[edit.from - 1]!.line;
  return tokens[edit.from]!.line;
}

/** The text after `edit`, or null when the edit would cross a line (a token holding a line break). */
export function spliceTokens(text: string, tokens: readonly Token[], edit: TokenEdit): string | null {
  const { from, to, after } = edit;
  if (from === to) {
    const at = editOffset(tokens, edit);
    const token = after[0]!;
    const lead = runTogether(text[at - 1], token[0]) ? ' ' : '';
    const trail =
      runTogether(token[token.length - 1], text[at]) || (!edit.atLineEnd && text[at - 1] === ' ') ? ' ' : '';
    return `${text.slice(0, at)}${lead}${token}${trail}${text.slice(at)}`;
  }
  for (let i = from; i < to; i++) if (tokens[i]!.text.includes('\n')) return null;
  const first = tokens[from]!;
  const last = tokens[to - 1]!;
  if (after.length === 0) {
    let end = last.end;
    // Between two blanks the token takes one with it.
    if (text[first.start - 1] === ' ') while (text[end] === ' ') end++;
    const join = runTogether(text[first.start - 1], text[end]) ? ' ' : '';
    return `${text.slice(0, first.start)}${join}${text.slice(end)}`;
  }
  if (edit.kind === 'swap') {
    const gap = text.slice(first.end, last.start);
    const between = gap === '' && runTogether(after[0]!.slice(-1), after[1]![0]) ? ' ' : gap;
    const lead = runTogether(text[first.start - 1], after[0]![0]) ? ' ' : '';
    const trail = runTogether(after[1]!.slice(-1), text[last.end]) ? ' ' : '';
    return `${text.slice(0, first.start)}${lead}${after[0]}${between}${after[1]}${trail}${text.slice(last.end)}`;
  }
  const token = after[0]!;
  const lead = runTogether(text[first.start - 1], token[0]) ? ' ' : '';
  const trail = runTogether(token[token.length - 1], text[last.end]) ? ' ' : '';
  return `${text.slice(0, first.start)}${lead}${token}${trail}${text.slice(last.end)}`;
}
