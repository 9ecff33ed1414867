// Guesses no bug explains. A beam or a model-suggested edit that only does one of these is dropped
// from a fix pass: each changes correct code, and no bug class this model fixes produces it (the
// cases: tests/model/unexplained-guess.test.ts). The window is lexed once per pass; each guess once.
import { isValueKeyword, lex, tokenTexts, type Token } from '../python/lexer';
import { BUILTINS } from '../python/name-check';
import { isNearTwin } from './edit-candidates';

const isCode = (t: Token) => t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT';

/** Names a `for` binds (loop and comprehension variables): never attributes the method forgot `self.` on. */
function forTargets(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  let inTarget = false;
  for (const t of tokens) {
    if (t.kind === 'KEYWORD' && t.text === 'for') inTarget = true;
    else if (t.kind === 'KEYWORD' && t.text === 'in') inTarget = false;
    else if (inTarget && t.kind === 'NAME') names.add(t.text);
  }
  return names;
}

export interface GuessChecks {
  /** Names a `for` in the window binds. */
  readonly loopNames: ReadonlySet<string>;
  /** The name `text` puts `self.` before, when it is the window with only that added; else undefined. */
  selfAddedTo(text: string): string | undefined;
  /**
   * Whether `text` puts `self.` before a loop variable (`**kargs` of `for kargs in`), a class name
   * (`RichOutput`, CapWords) or a builtin the method never reads as `self.x` (`all(...)`): none is an
   * attribute the method forgot `self.` on (`G1_adj`, not CapWords, and a builtin's name the method
   * reads as `self.format` stay the model's to judge); nor a local the method assigns and then
   * reads bare (`md = {}` … `md[k]`).
   */
  addsSelfToNonAttribute(text: string): boolean;
  /**
   * Whether `text` is the window with one name swapped for a word that is no near twin of it
   * (`RichOutput` → `name`, `nx` → `b`): a misspelled name is a letter off (a short one) or two,
   * so such a beam is a guess.
   */
  swapsNameForOtherWord(text: string): boolean;
  /** Neither of the two: some bug could explain `text`. */
  explains(text: string): boolean;
}

export function guessChecks(base: string): GuessChecks {
  const before = lex(base).tokens;
  const beforeTexts = tokenTexts(before);
  const beforeCode = before.filter(isCode);
  const loopNames = forTargets(before);

  // Where `self.` went in, as an index into the window's tokens.
  const selfAddedAt = (after: readonly Token[]) => {
    const texts = tokenTexts(after);
    if (texts.length !== beforeTexts.length + 2) return undefined;
    let i = 0;
    while (i < beforeTexts.length && beforeTexts[i] === texts[i]) i++;
    const only =
      before[i]?.kind === 'NAME' &&
      texts[i] === 'self' &&
      texts[i + 1] === '.' &&
      beforeTexts.slice(i).every((t, j) => t === texts[i + 2 + j]);
    return only ? i : undefined;
  };
  const isAttribute = (name: string) =>
    beforeTexts.some((t, i) => t === name && beforeTexts[i - 1] === '.' && beforeTexts[i - 2] === 'self');
  // `md = {}` read later as `md[k]`: with `self.md = {}` those reads would lose their binding. A
  // missing self. on an assignment keeps the later reads (`self.md[k]`), or reads the name on its
  // right (`value = value`).
  const rebindsReadLocal = (at: number) => {
    const name = before[at]!.text;
    const startsStatement = at === 0 || !isCode(before[at - 1]!);
    if (!startsStatement || beforeTexts[at + 1] !== '=' || isAttribute(name)) return false;
    let end = at + 2;
    while (end < before.length && before[end]!.kind !== 'NEWLINE') end++;
    if (beforeTexts.slice(at + 2, end).includes(name)) return false;
    return before
      .slice(end)
      .some(
        (t, j) =>
          t.kind === 'NAME' && t.text === name && beforeTexts[end + j - 1] !== '.' && beforeTexts[end + j + 1] !== '=',
      );
  };
  const addsSelf = (after: readonly Token[]) => {
    const at = selfAddedAt(after);
    if (at === undefined) return false;
    const name = before[at]!.text;
    return (
      loopNames.has(name) ||
      /^[A-Z][a-z]+[A-Za-z0-9]*$/.test(name) ||
      (BUILTINS.has(name) && !isAttribute(name)) ||
      rebindsReadLocal(at)
    );
  };
  // Code tokens only: a beam may also move the line's depth.
  const swaps = (after: readonly Token[]) => {
    const code = after.filter(isCode);
    if (code.length !== beforeCode.length) return false;
    const differing = beforeCode.map((t, i) => [t, code[i]!] as const).filter(([x, y]) => x.text !== y.text);
    if (differing.length !== 1) return false;
    const [was, now] = differing[0]!;
    // `-> NotImplementedOrNone` turned into `-> None` is a swap too.
    const word = now.kind === 'NAME' || isValueKeyword(now.text);
    // A typo of a short name is one letter off (`nx` → `b` is another word): isNearTwin's limits.
    return was.kind === 'NAME' && word && !isNearTwin(was.text, now.text);
  };

  return {
    loopNames,
    selfAddedTo(text) {
      const at = selfAddedAt(lex(text).tokens);
      return at === undefined ? undefined : before[at]!.text;
    },
    addsSelfToNonAttribute: (text) => addsSelf(lex(text).tokens),
    swapsNameForOtherWord: (text) => swaps(lex(text).tokens),
    explains(text) {
      const after = lex(text).tokens;
      return !addsSelf(after) && !swaps(after);
    },
  };
}
