// The logical line an edit lands in, cut out of the edited text: checked alone, it refuses most
// enumerated edits at a fraction of a whole text's parse. The cut is never stricter than the whole
// text (docs/design.md#enumerated-edits): a header gets a body, and the lines that only make sense after
// another one (`else:`, `except:`, a decorator, a `case`) are not cut at all.
import type { Token } from '../python/lexer';
import type { TokenEdit } from './token-splice';

/** Statements that need the one before them (or after them) to compile: never checked alone. */
const NOT_ALONE = new Set(['else', 'elif', 'except', 'finally', 'case', 'match', '@']);
const OPENERS = '([{';
const CLOSERS = ')]}';

const depthChange = (t: string) => (t.length === 1 ? (OPENERS.includes(t) ? 1 : CLOSERS.includes(t) ? -1 : 0) : 0);

/** What the cut needs to know of the original text's code tokens, computed once per text. */
export interface LineStructure {
  /** Bracket depth before each token (and after the last, at index n). */
  depthBefore: number[];
  /** A physical line break (not a backslash continuation) lies just before the token. */
  breakBefore: boolean[];
  /** Offset of the start of each token's physical line. */
  lineStart: number[];
}

export function lineStructure(text: string, tokens: readonly Token[]): LineStructure {
  const depthBefore = [0];
  const breakBefore: boolean[] = [];
  const lineStart: number[] = [];
  tokens.forEach((t, i) => {
    depthBefore.push(Math.max(0, depthBefore[i]! + depthChange(t.text)));
    const between = i === 0 ? '\n' : text.slice(tokens[i - 1]!.end, t.start);
    const firstLine = between.split('\n')[0]!;
    breakBefore.push(
      between.includes('\n') && !(i > 0 && !firstLine.includes('#') && firstLine.trimEnd().endsWith('\\')),
    );
    lineStart.push(text.lastIndexOf('\n', t.start - 1) + 1);
  });
  return { depthBefore, breakBefore, lineStart };
}

/**
 * The edited logical line alone (a header given a `pass` body), or null when it cannot be judged
 * alone: the caller then checks the whole text.
 */
export function statementWindow(
  candidate: string,
  original: string,
  tokens: readonly Token[],
  structure: LineStructure,
  edit: TokenEdit,
): string | null {
  const n = tokens.length;
  const texts = (i: number) => tokens[i]!.text;
  const at = Math.min(n - 1, edit.atLineEnd ? edit.from - 1 : edit.from);
  let start = at;
  while (start > 0 && !(structure.breakBefore[start] && structure.depthBefore[start] === 0)) start--;
  let depth = structure.depthBefore[edit.from] ?? 0;
  for (const t of edit.after) depth += depthChange(t);
  let end = n;
  for (let k = edit.to; k < n; k++) {
    const after = k > edit.from || edit.atLineEnd === true || edit.to > edit.from;
    if (after && structure.breakBefore[k] && depth === 0) {
      end = k;
      break;
    }
    depth += depthChange(texts(k));
    if (depth < 0) return null;
  }
  if (depth !== 0 && end === n) return null;
  const first =
    start < edit.from ? texts(start) : edit.after.length > 0 ? edit.after[0]! : edit.to < n ? texts(edit.to) : '';
  if (NOT_ALONE.has(first)) return null;
  const last =
    end - 1 >= edit.to
      ? texts(end - 1)
      : edit.after.length > 0
        ? edit.after[edit.after.length - 1]!
        : (tokens[edit.from - 1]?.text ?? '');
  const delta = candidate.length - original.length;
  const from = tokens[start]!.start;
  const to = end < n ? structure.lineStart[end]! + delta : candidate.length;
  const window = candidate.slice(from, to);
  const body = last === ':' ? '\n pass\n' : '\n';
  return window.endsWith('\n') ? `${window}${body.slice(1)}` : `${window}${body}`;
}
