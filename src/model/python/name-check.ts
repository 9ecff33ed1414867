// A second check of fix candidates, beside the parse check: names a function reads but never
// binds. A candidate whose one-name edit, a letter or two long, leaves fewer such names (`totl` →
// `total` where `total` is bound; `coutns = {}` → `counts = {}` where `counts` is read) is a typo
// fix that the text itself confirms, so convergent ranking puts it ahead of "no bug". Module-level names look unbound here too; the rule only rewards an edit that
// replaces one unbound name by a bound near-twin, so they are left alone.
import { lex, type Token } from './lexer';
import { MAX_TYPO_DISTANCE, MIN_TYPO_NAME_LENGTH } from '../fix/search-limits';

/** Python 3.11 builtins that a function may read without binding them. */
export const BUILTINS: ReadonlySet<string> = new Set(
  (
    'abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex ' +
    'copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash ' +
    'help hex id input int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow ' +
    'print property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip ' +
    '__import__ __name__ __file__ __doc__ __debug__ NotImplemented Ellipsis ' +
    'BaseException Exception ArithmeticError AssertionError AttributeError BufferError EOFError FloatingPointError GeneratorExit ' +
    'ImportError ModuleNotFoundError IndexError KeyError KeyboardInterrupt LookupError MemoryError NameError NotImplementedError ' +
    'OSError OverflowError RecursionError ReferenceError RuntimeError StopAsyncIteration StopIteration SyntaxError SystemError ' +
    'SystemExit TypeError UnboundLocalError UnicodeError UnicodeDecodeError UnicodeEncodeError ValueError ZeroDivisionError ' +
    'IOError EnvironmentError FileNotFoundError FileExistsError PermissionError TimeoutError ConnectionError Warning UserWarning ' +
    'DeprecationWarning RuntimeWarning'
  ).split(' '),
);

const ASSIGN_OPS = new Set([
  '=',
  '+=',
  '-=',
  '*=',
  '/=',
  '//=',
  '%=',
  '**=',
  '>>=',
  '<<=',
  '&=',
  '|=',
  '^=',
  '@=',
  ':=',
]);
const BINDING_KEYWORDS = new Set(['def', 'class', 'as', 'import', 'global', 'nonlocal']);

/** Names read somewhere in `text` that nothing in it binds (parameters, targets, imports, ...). */
export function unboundNames(text: string): Set<string> {
  const tokens = lex(text).tokens.filter((t) => t.kind !== 'NEWLINE' && t.kind !== 'INDENT' && t.kind !== 'DEDENT');
  const bound = new Set<string>();
  const read = new Set<string>();
  let depth = 0;
  let statementStart = 0;
  // Names from the start of a statement up to a top-level assignment operator are its targets.
  const lineTargets: Token[] = [];
  let inForTarget = false;
  let inLambda = false;
  let inParams = -1; // depth of a def's parameter list while inside it
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev && prev.line !== t.line && depth === 0) {
      statementStart = i;
      lineTargets.length = 0;
    }
    if (t.kind === 'OP') {
      if ('([{'.includes(t.text)) depth++;
      if (')]}'.includes(t.text)) {
        depth--;
        if (inParams >= 0 && depth < inParams) inParams = -1;
      }
      if (ASSIGN_OPS.has(t.text) && depth === 0) for (const target of lineTargets) bound.add(target.text);
      if (t.text === ':' && inLambda) inLambda = false;
      continue;
    }
    if (t.kind === 'KEYWORD') {
      if (t.text === 'for') inForTarget = true;
      if (t.text === 'in') inForTarget = false;
      if (t.text === 'lambda') inLambda = true;
      if (t.text === 'def' && next?.kind === 'NAME') inParams = depth + 1;
      continue;
    }
    if (t.kind !== 'NAME') continue;
    if (prev?.kind === 'OP' && prev.text === '.') continue; // an attribute, not a name
    const binds =
      inForTarget ||
      inLambda ||
      (prev?.kind === 'KEYWORD' && BINDING_KEYWORDS.has(prev.text)) ||
      (inParams >= 0 && depth === inParams && !(prev?.kind === 'OP' && (prev.text === '=' || prev.text === ':')));
    if (binds) {
      bound.add(t.text);
      continue;
    }
    if (next?.kind === 'OP' && next.text === '=' && depth > 0) continue; // keyword argument name
    // `x[i] = …` and `x.a = …` read x; only a bare name before `=` is bound.
    const subscripted = next?.kind === 'OP' && (next.text === '[' || next.text === '.' || next.text === '(');
    if (depth === 0 && i >= statementStart && !subscripted) lineTargets.push(t);
    read.add(t.text);
  }
  return new Set([...read].filter((name) => !bound.has(name) && !BUILTINS.has(name)));
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Edit distance where swapping two neighbouring letters counts one (`slef`, `Noen`, `fi`). */
export function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * True when `fixed` differs from `original` by one name token, a letter or two apart, and leaves
 * fewer names unbound and no new one: a read typo turned into the bound name (`totl` → `total`),
 * or a binding typo turned into the name the rest of the function reads (`coutns = {}` →
 * `counts = {}`).
 */
export function isTypoFix(original: string, fixed: string): boolean {
  const a = lex(original).tokens;
  const b = lex(fixed).tokens;
  if (a.length !== b.length) return false;
  const differing = a.map((t, i) => [t, b[i]!] as const).filter(([x, y]) => x.text !== y.text);
  if (differing.length !== 1) return false;
  const [before, after] = differing[0]!;
  if (keywordTypoFix(a, a.indexOf(before), unboundNames(original)) === after.text) return true;
  // `Noen` → `None`: a value keyword is a name the function may always read.
  const valueKeyword =
    after.kind === 'KEYWORD' && (after.text === 'None' || after.text === 'True' || after.text === 'False');
  if (before.kind !== 'NAME' || (after.kind !== 'NAME' && !valueKeyword)) return false;
  if (editDistance(before.text, after.text) > MAX_TYPO_DISTANCE) return false;
  const was = unboundNames(original);
  const now = unboundNames(fixed);
  if (now.size >= was.size || ![...now].every((name) => was.has(name))) return false;
  // The new name must be bound: swapping one unbound module-level name for another (bz2_decode →
  // bz2_encode, both imported at module level) also shrinks the set, but confirms nothing...
  if (!now.has(after.text)) return true;
  // ...unless a name read once becomes a module-level name read twice or more, a letter away
  // (`node: Nod` beside `-> Node`). Digits tell versions apart (`import_pyqt5`, `import_pyqt6`).
  return isRareTwinOfModuleName(a, before.text, after.text);
}

/** `b` is `a` with two neighbouring letters swapped (`daat`) or one letter doubled (`min_ssize`). */
function isSwapOrDouble(a: string, b: string): boolean {
  if (a.length === b.length) {
    const at = [...a].findIndex((ch, i) => ch !== b[i]);
    return at >= 0 && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  const at = [...short].findIndex((ch, i) => ch !== long[i]);
  const i = at < 0 ? short.length : at;
  return long[i] === long[i - 1] && long.slice(0, i) + long.slice(i + 1) === short;
}

/**
 * The name a keyword argument at `tokens[i]` misspells, when the call passes a bound name spelled
 * the same but for a swap or a doubled letter (`daat=data`, `min_ssize=min_size`): `f(x=x)` is the
 * usual form. Not for a dropped or added letter (`maxiter=max_iter`, `cmap=map` are meant), nor
 * when the value is the unbound one (`cmp=cmmp`: the value is the typo).
 */
export function keywordTypoFix(tokens: readonly Token[], i: number, unbound: ReadonlySet<string>): string | undefined {
  const t = tokens[i];
  const value = tokens[i + 2];
  const isKeyword = t?.kind === 'NAME' && tokens[i + 1]?.text === '=' && ['(', ','].includes(tokens[i - 1]?.text ?? '');
  if (!isKeyword || value?.kind !== 'NAME' || value.text.length < MIN_TYPO_NAME_LENGTH || unbound.has(value.text))
    return undefined;
  if (['.', '(', '['].includes(tokens[i + 3]?.text ?? '')) return undefined;
  return isSwapOrDouble(t.text, value.text) ? value.text : undefined;
}

/**
 * `typo`, read once, is a letter from `name`, read twice or more, and not only by a digit nor by a
 * plural's `s` (`LazyKnownValue` beside `LazyKnownValues`: a module has both words).
 */
export function isRareTwinOfModuleName(tokens: readonly Token[], typo: string, name: string): boolean {
  const reads = (x: string) =>
    tokens.filter((t, i) => t.kind === 'NAME' && t.text === x && tokens[i - 1]?.text !== '.').length;
  const digitless = (x: string) => x.replace(/[0-9]/g, '');
  const plural = (x: string, y: string) => x === `${y}s` || y === `${x}s`;
  return (
    typo.length >= MIN_TYPO_NAME_LENGTH &&
    digitless(typo) !== digitless(name) &&
    !plural(typo, name) &&
    /^[A-Z]/.test(typo) === /^[A-Z]/.test(name) &&
    typoDistance(typo, name) === 1 &&
    reads(typo) === 1 &&
    reads(name) >= 2
  );
}

/**
 * True when a name the function reads but never binds is a letter or two from a name it binds
 * (`totl` beside `total`, `counts` read beside `coutns` bound): the text suggests a misspelled
 * name, so a fix deserves a wider beam search (the right name is often not among 5 beams).
 */
export function hasSuspectName(text: string): boolean {
  const all = unboundNames(text);
  const unbound = [...all].filter((name) => name.length >= MIN_TYPO_NAME_LENGTH);
  if (unbound.length === 0) return false;
  // Twins among the bound names only: two unbound names (module-level ones) confirm nothing.
  const bound = new Set(
    lex(text)
      .tokens.filter((t) => t.kind === 'NAME' && !all.has(t.text))
      .map((t) => t.text),
  );
  return unbound.some((u) =>
    [...bound].some(
      (n) =>
        n.length >= MIN_TYPO_NAME_LENGTH &&
        Math.abs(n.length - u.length) <= MAX_TYPO_DISTANCE &&
        editDistance(u, n) <= MAX_TYPO_DISTANCE,
    ),
  );
}
