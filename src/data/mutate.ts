// Seeded random token mutations of a Python text: insert, delete or substitute a token, or swap two
// neighbours, once or twice. The syntax check's differential test measures the check on them, and
// outside fix sets and training data can draw broken code from them.
//
// Edits work on the lexer's tokens (NEWLINE, INDENT and DEDENT excepted: the layout stays) and
// splice the text at the tokens' spans, so indentation, comments and line breaks are kept. Where two
// tokens would run together (`f(x)` without its `(` is `fx)`), one space goes between them; a
// mutation whose text does not lex back to the intended tokens is refused.
import { KEYWORDS, lex, OPERATORS, type Token } from '../model/internals';
import type { Rng } from '../model';

export const MUTATION_KINDS = ['insert', 'delete', 'substitute', 'swap'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** One edit: the tokens at that place before and after it (insert: [] → [x]; swap: [a, b] → [b, a]). */
export interface TokenEdit {
  /** Index of the first token concerned among the text's code tokens (an insert: of the token it goes before). */
  tokenIndex: number;
  /** Offset in the original text where the edit is. */
  offset: number;
  /** 1-based line of the original text where the edit is. */
  line: number;
  before: string[];
  after: string[];
}

export interface Mutation {
  kind: MutationKind;
  /** How many edits of this kind: 1 or 2, at distinct places. */
  size: 1 | 2;
  edits: TokenEdit[];
  /** The mutated text. */
  text: string;
  /**
   * Whether the original can be read back from the mutated text: every token the mutation removes
   * (deleted, or replaced by a substitution) is a keyword or operator, or a name or literal that
   * still occurs in the mutated text. Inserts and swaps remove nothing, so they always are.
   */
  recoverable: boolean;
}

export interface MutateOptions {
  /** The kind of mutation; drawn uniformly when absent. */
  kind?: MutationKind;
  /** 1 or 2 edits; 2 with TWO_EDIT_SHARE when absent. */
  size?: 1 | 2;
}

/** The share of mutations with two edits when the size is not given. */
export const TWO_EDIT_SHARE = 1 / 3;
/** Draws tried before giving up on a text (a text of one token cannot be swapped, for one). */
const MAX_DRAWS = 20;
/** The text's literals longer than this (docstrings) stay out of the alphabet. */
const MAX_LITERAL_LENGTH = 40;
/** Literals always in the alphabet, beside the text's own. */
const FIXED_LITERALS: readonly string[] = ['0', '1', "''", '"s"', '1.5'];
/** The alphabet's categories, drawn with equal chance (then one token of the category). */
const CATEGORIES = ['keyword', 'operator', 'name', 'literal'] as const;

export interface TokenAlphabet {
  keyword: readonly string[];
  operator: readonly string[];
  name: readonly string[];
  literal: readonly string[];
}

const isCode = (token: Token): boolean =>
  token.kind === 'NAME' || token.kind === 'KEYWORD' || token.kind === 'NUMBER' || token.kind === 'STRING' || token.kind === 'OP';

/** The tokens an insert or a substitution draws from: every keyword and operator, the text's names and literals. */
export function tokenAlphabet(tokens: readonly Token[]): TokenAlphabet {
  const names = new Set<string>();
  const literals = new Set<string>(FIXED_LITERALS);
  for (const token of tokens) {
    if (token.kind === 'NAME') names.add(token.text);
    else if ((token.kind === 'NUMBER' || token.kind === 'STRING') && token.text.length <= MAX_LITERAL_LENGTH && !token.text.includes('\n'))
      literals.add(token.text);
  }
  if (names.size === 0) names.add('x');
  return { keyword: KEYWORDS, operator: OPERATORS, name: [...names], literal: [...literals] };
}

function drawToken(alphabet: TokenAlphabet, rng: Rng): string {
  const items = alphabet[CATEGORIES[rng.nextInt(CATEGORIES.length)]!];
  return items[rng.nextInt(items.length)]!;
}

/** A replacement of the original text's [start, end) by text. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

/** A drawn edit at token level: the code-token range [from, to) becomes `after`. */
interface PlannedEdit {
  from: number;
  to: number;
  after: string[];
  /** An insert at the end of token from - 1's line, not before token from. */
  atLineEnd?: boolean;
}

/**
 * Mutates `text` with `rng`: one or two edits of one kind. Null when the text has no place for the
 * kind (a swap needs two different neighbours on one line) or no draw lexes back as intended.
 */
export function mutate(text: string, rng: Rng, options: MutateOptions = {}): Mutation | null {
  const kind = options.kind ?? MUTATION_KINDS[rng.nextInt(MUTATION_KINDS.length)]!;
  const size = options.size ?? (rng.next() < TWO_EDIT_SHARE ? 2 : 1);
  const all = lex(text).tokens;
  const code = all.filter(isCode);
  if (code.length === 0) return null;
  const alphabet = tokenAlphabet(code);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const planned = planEdits(kind, size, code, all, alphabet, rng);
    if (planned === null) continue;
    const mutation = applyEdits(text, code, kind, size, planned);
    if (mutation !== null) return mutation;
  }
  return null;
}

/** The code tokens' indices that end a logical line (the next token is a NEWLINE, or none). */
function lineEnds(all: readonly Token[]): Set<number> {
  const ends = new Set<number>();
  let codeIndex = -1;
  let lastCode = -1;
  for (const token of all) {
    if (isCode(token)) lastCode = ++codeIndex;
    else if (token.kind === 'NEWLINE' && lastCode >= 0) ends.add(lastCode);
  }
  if (lastCode >= 0) ends.add(lastCode);
  return ends;
}

function planEdits(
  kind: MutationKind,
  size: number,
  code: readonly Token[],
  all: readonly Token[],
  alphabet: TokenAlphabet,
  rng: Rng,
): PlannedEdit[] | null {
  const edits: PlannedEdit[] = [];
  const taken = new Set<number>();
  // A swap may not cross a line end; inserts go before any token, or after a line's last one.
  const ends = kind === 'swap' || kind === 'insert' ? lineEnds(all) : new Set<number>();
  for (let attempt = 0; edits.length < size && attempt < MAX_DRAWS; attempt++) {
    if (kind === 'insert') {
      // Place p in [0, 2n): p < n is before token p; p >= n is after token p - n, used at a line end.
      const place = rng.nextInt(2 * code.length);
      const atLineEnd = place >= code.length;
      const at = atLineEnd ? place - code.length + 1 : place;
      if ((atLineEnd && !ends.has(at - 1)) || taken.has(place)) continue;
      taken.add(place);
      edits.push({ from: at, to: at, after: [drawToken(alphabet, rng)], atLineEnd });
    } else if (kind === 'delete' || kind === 'substitute') {
      const at = rng.nextInt(code.length);
      if (taken.has(at)) continue;
      const after = kind === 'delete' ? [] : [drawToken(alphabet, rng)];
      if (after[0] === code[at]!.text) continue;
      taken.add(at);
      edits.push({ from: at, to: at + 1, after });
    } else {
      if (code.length < 2) return null;
      const at = rng.nextInt(code.length - 1);
      const [a, b] = [code[at]!, code[at + 1]!];
      if (ends.has(at) || a.text === b.text || taken.has(at) || taken.has(at + 1)) continue;
      taken.add(at).add(at + 1);
      edits.push({ from: at, to: at + 2, after: [b.text, a.text] });
    }
  }
  // In text order; of two inserts before one token, the one at the previous line's end comes first.
  const order = (edit: PlannedEdit) => edit.from * 4 + (edit.atLineEnd ? 0 : 1) + (edit.to - edit.from);
  return edits.length === size ? edits.sort((x, y) => order(x) - order(y)) : null;
}

const WORD_CHAR = /[\p{XID_Continue}]/u;

/**
 * Whether two token texts written side by side lex as other tokens (`a` `b` is `ab`, `<` `=` is
 * `<=`), or touch letter to letter (`2` `if`: CPython reads an invalid number there).
 */
function runTogether(left: string, right: string): boolean {
  if (WORD_CHAR.test(left.slice(-1)) && WORD_CHAR.test(right.charAt(0))) return true;
  const tokens = lex(left + right).tokens.filter(isCode);
  return tokens.length !== 2 || tokens[0]!.text !== left || tokens[1]!.text !== right;
}

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

/** The splices of one edit, tidy: spaces only where tokens would run together or a gap would double. */
function splicesOf(text: string, code: readonly Token[], edit: PlannedEdit): Splice[] {
  const { from, to, after } = edit;
  if (from === to) {
    // Insert before code[from], or at the end of the previous token's line.
    const right = code[from];
    const left = code[from - 1];
    const token = after[0]!;
    if (edit.atLineEnd || right === undefined) return [{ start: left!.end, end: left!.end, text: ` ${token}` }];
    const at = right.start;
    const before = left !== undefined && left.end === at && runTogether(left.text, token) ? ' ' : '';
    // After a blank, the token gets its own blank too (`a <= b`, not `a <=b`).
    const behind = isBlank(text[at - 1]) || runTogether(token, right.text) ? ' ' : '';
    return [{ start: at, end: at, text: `${before}${token}${behind}` }];
  }
  if (after.length === 0) {
    // Delete: the token and, when it stood between blanks or first on its line, the blanks after it.
    const token = code[from]!;
    let end = token.end;
    const lineStart = text.lastIndexOf('\n', token.start - 1) + 1;
    const firstOnLine = /^[ \t\f]*$/.test(text.slice(lineStart, token.start));
    if (isBlank(text[end]) && (firstOnLine || isBlank(text[token.start - 1]))) {
      while (isBlank(text[end])) end++;
    }
    const left = code[from - 1];
    const right = code[from + 1];
    const joins = left !== undefined && right !== undefined && left.end === token.start && right.start === end;
    return [{ start: token.start, end, text: joins && runTogether(left.text, right.text) ? ' ' : '' }];
  }
  // Substitute or swap: each token replaced in place, a space added where it would run into a neighbour.
  const splices: Splice[] = [];
  for (let i = from; i < to; i++) {
    const token = code[i]!;
    const replacement = after[i - from]!;
    const leftText = i > from ? after[i - from - 1] : code[i - 1]?.text;
    const rightText = i + 1 < to ? after[i - from + 1] : code[i + 1]?.text;
    const leftTouches = i > 0 && code[i - 1]!.end === token.start;
    const rightTouches = i + 1 < code.length && code[i + 1]!.start === token.end;
    const before = leftTouches && leftText !== undefined && runTogether(leftText, replacement) ? ' ' : '';
    // The next splice adds the space between two replaced tokens.
    const behind = i + 1 >= to && rightTouches && rightText !== undefined && runTogether(replacement, rightText) ? ' ' : '';
    splices.push({ start: token.start, end: token.end, text: `${before}${replacement}${behind}` });
  }
  return splices;
}

function applyEdits(
  text: string,
  code: readonly Token[],
  kind: MutationKind,
  size: 1 | 2,
  planned: readonly PlannedEdit[],
): Mutation | null {
  const splices = planned.flatMap((edit) => splicesOf(text, code, edit));
  for (let i = 1; i < splices.length; i++) if (splices[i]!.start < splices[i - 1]!.end) return null;
  let mutated = '';
  let cursor = 0;
  for (const splice of splices) {
    mutated += text.slice(cursor, splice.start) + splice.text;
    cursor = splice.end;
  }
  mutated += text.slice(cursor);

  // The intended code tokens, for the check that the text lexes back to them.
  const intended: string[] = [];
  let next = 0;
  for (const edit of planned) {
    for (; next < edit.from; next++) intended.push(code[next]!.text);
    intended.push(...edit.after);
    next = edit.to;
  }
  for (; next < code.length; next++) intended.push(code[next]!.text);
  const got = lex(mutated).tokens.filter(isCode);
  if (got.length !== intended.length || got.some((token, i) => token.text !== intended[i])) return null;

  const edits: TokenEdit[] = planned.map((edit) => {
    const lineEnd = edit.atLineEnd === true || edit.from >= code.length;
    const anchor = lineEnd ? code[edit.from - 1]! : code[edit.from]!;
    const offset = lineEnd ? anchor.end : anchor.start;
    return {
      tokenIndex: edit.from,
      offset,
      line: anchor.line,
      before: code.slice(edit.from, edit.to).map((t) => t.text),
      after: [...edit.after],
    };
  });
  const remaining = new Set(got.map((token) => token.text));
  const removedKinds = planned.flatMap((edit) =>
    kind === 'delete' || kind === 'substitute' ? code.slice(edit.from, edit.to) : [],
  );
  const recoverable = removedKinds.every(
    (token) => token.kind === 'KEYWORD' || token.kind === 'OP' || remaining.has(token.text),
  );
  return { kind, size, edits, text: mutated, recoverable };
}
