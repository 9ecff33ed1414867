// The modernizer's rewrites of a def header: parameter and return annotations (in one of the styles
// real code uses: `list[str] | None`, `Optional[List[str]]`, `typing.Optional[...]`), annotated
// defaults, keyword-only markers, `async def` and decorators. Types are guessed from defaults, names
// and return statements; they need only be plausible, not right.

import type { Rng } from '../model';
import type { Token } from '../model/internals';
import { applyEdits, indentAt, parseHeader, statementsOf, type Edit, type Header, type Param } from './code-edits';

/** How a function spells its types (one style per function, as in real files). */
export type TypeStyle = 'builtin' | 'typing' | 'typing-module' | 'mixed';
export const TYPE_STYLES: readonly TypeStyle[] = ['builtin', 'builtin', 'typing', 'typing-module', 'mixed'];

/** Known types of names (the generator knows its parameters'), written in the builtin style. */
export type TypeHints = Readonly<Record<string, string>>;

/** The hint for a name, never an Object.prototype member (`constructor` is a fine Python name). */
export function hintOf(hints: TypeHints, name: string): string | undefined {
  return Object.hasOwn(hints, name) ? hints[name] : undefined;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.nextInt(items.length)]!;

const TYPING_GENERICS: Readonly<Record<string, string>> = { list: 'List', dict: 'Dict', tuple: 'Tuple', set: 'Set', frozenset: 'FrozenSet', type: 'Type' };
const TYPING_NAMES = ['Optional', 'Union', 'Any', 'List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Type', 'Callable', 'Iterable', 'Iterator', 'Sequence', 'Mapping', 'Generator', 'Awaitable'];

/**
 * A type written in the builtin style with `Optional[...]` for "or None", respelled in a style:
 * builtin `X | None`; typing `List[...]`, `Optional[...]`; typing-module `typing.List[...]`; mixed
 * `list[...]` with `Optional[...]`.
 */
export function spellType(type: string, style: TypeStyle): string {
  let out = type;
  if (style === 'builtin') {
    // Innermost Optional first, so nested ones unwrap too.
    for (let guard = 0; guard < 5 && out.includes('Optional['); guard++) out = out.replace(/Optional\[([^[\]]*(?:\[[^[\]]*\])?[^[\]]*)\]/, '$1 | None');
    return out;
  }
  if (style === 'typing' || style === 'typing-module') out = out.replace(/\b(list|dict|tuple|set|frozenset|type)\[/g, (_, name: string) => `${TYPING_GENERICS[name]}[`);
  if (style === 'typing-module') out = out.replace(new RegExp(`(?<![.\\w])(${TYPING_NAMES.join('|')})\\b`, 'g'), 'typing.$1');
  return out;
}

const NAME_TYPES: readonly [RegExp, readonly string[]][] = [
  [/^(self|cls)$/, []],
  [/^(n|i|j|k|count|index|idx|size|length|width|height|depth|level|limit|num|number|offset|pos|start|stop|end|step|times|retries|port|timeout_ms|lineno|col)$|(_count|_index|_size|_len|_num|_id)$/, ['int']],
  [/^(x|y|z|ratio|scale|factor|rate|weight|alpha|beta|threshold|timeout|delay|seconds|value|amount|price)$/, ['float', 'int', 'float | int']],
  [/^(name|text|s|string|line|word|prefix|suffix|sep|label|title|key|msg|message|path|filename|fname|url|pattern|encoding|mode|fmt|template|source|src|code|tag|kind|char|ch|description|doc)$|(_name|_text|_path|_str|_key|_dir|_file)$/, ['str', 'str', 'str | Path', 'Path']],
  [/^(flag|verbose|strict|force|quiet|debug|recursive|reverse|enabled|raw|check|safe|default_flag)$|^(is|has|use|allow|should|can)_/, ['bool']],
  [/^(d|mapping|table|options|config|settings|kwargs|attrs|headers|params|env|cache|registry|context|ctx|data)$/, ['dict[str, Any]', 'Mapping[str, Any]', 'dict[str, str]']],
  [/^(fn|func|function|callback|cb|handler|hook|key_func|predicate|factory|target)$/, ['Callable[..., Any]', 'Callable[[Any], bool]', 'Callable[[], None]']],
  [/^(args)$/, ['Any', 'str', 'object']],
  [/^(f|fp|file|stream|fileobj|out|output|inp|buf|buffer)$/, ['IO[str]', 'TextIO', 'BinaryIO', 'IO[bytes]']],
  [/^(node|tree|root|parent|child|element|item|obj|entry|record|other)$/, ['Node', 'Any', 'object', 'Element']],
  [/s$/, ['list[str]', 'list[Any]', 'Sequence[str]', 'Iterable[Any]', 'list[int]', 'tuple[str, ...]']],
];
const FALLBACK_TYPES = ['Any', 'str', 'int', 'object', 'Any', 'float', 'bytes', 'list[Any]', 'dict[str, Any]'];

/** A plausible type for a parameter from its name and default. */
function guessParamType(param: Param, rng: Rng, hints: TypeHints = {}): string {
  const name = param.name?.text ?? '';
  const hinted = hintOf(hints, name);
  if (hinted !== undefined) return hinted;
  if (param.star === '**') return pick(rng, ['Any', 'Any', 'str', 'object']);
  if (param.star === '*') return pick(rng, ['Any', 'str', 'object', 'int']);
  const byName = NAME_TYPES.find(([pattern]) => pattern.test(name))?.[1];
  const base = byName && byName.length > 0 ? pick(rng, byName) : pick(rng, FALLBACK_TYPES);
  if (param.equals < 0) return base;
  const value = param.tokens.slice(param.equals + 1);
  const first = value[0];
  if (value.length === 1 && first) {
    if (first.text === 'None') return `Optional[${base}]`;
    if (first.text === 'True' || first.text === 'False') return 'bool';
    if (first.kind === 'NUMBER') return /[.eE]/.test(first.text) && !/^0[xX]/.test(first.text) ? 'float' : 'int';
    if (first.kind === 'STRING') return /^[bB]|^[rR][bB]/.test(first.text) ? 'bytes' : 'str';
  }
  if (first?.text === '-' && value[1]?.kind === 'NUMBER' && value.length === 2) return value[1].text.includes('.') ? 'float' : 'int';
  if (value.length === 2 && first?.text === '(' ) return 'tuple[Any, ...]';
  if (value.length === 2 && first?.text === '[') return pick(rng, ['list[str]', 'list[Any]']);
  if (value.length === 2 && first?.text === '{') return 'dict[str, Any]';
  return base;
}

/** Return types fixed by the function's name (dunders, predicates). */
const RETURN_BY_NAME: readonly [RegExp, string][] = [
  [/^__(init|del|setattr|delattr|setitem|delitem|set_name)__$/, 'None'],
  [/^__(repr|str|format)__$/, 'str'],
  [/^__(len|hash|index|int)__$/, 'int'],
  [/^__(bool|eq|ne|lt|le|gt|ge|contains)__$/, 'bool'],
  [/^__(iter|reversed)__$/, 'Iterator[Any]'],
  [/^__(enter|aenter)__$/, 'Self'],
  [/^(is|has|can|should|needs)_/, 'bool'],
];

/** A plausible return type from the function's return statements (and yields). */
function guessReturnType(text: string, header: Header, rng: Rng, hints: TypeHints = {}): string {
  const name = header.tokens[header.def + 1]!.text;
  const byName = RETURN_BY_NAME.find(([pattern]) => pattern.test(name))?.[1];
  if (byName !== undefined) return byName;
  const body = statementsOf(header.tokens.slice(header.colon + 1));
  const returned: Token[][] = [];
  let yields = false;
  for (const s of body) {
    s.tokens.forEach((t, i) => {
      if (t.text === 'yield') yields = true;
      if (t.text === 'return' && t.kind === 'KEYWORD' && (i === 0 || s.tokens[i - 1]!.text === ':')) returned.push(s.tokens.slice(i + 1));
    });
  }
  if (yields) return pick(rng, ['Iterator[Any]', 'Iterator[str]', 'Generator[Any, None, None]', 'Iterable[Any]']);
  const values = returned.filter((r) => r.length > 0);
  if (values.length === 0) return 'None';
  // A returned local has the kind of what it was first assigned (`kept = [...]` ... `return kept`).
  const assigned = new Map<string, Token[]>();
  for (const st of body) if (st.tokens[0]?.kind === 'NAME' && st.tokens[1]?.text === '=' && !assigned.has(st.tokens[0].text)) assigned.set(st.tokens[0].text, st.tokens.slice(2));
  const kindOf = (r: Token[], depth: number): string => {
    const first = r[0]!;
    if (r.length === 1 && first.kind === 'NAME' && hintOf(hints, first.text) === undefined && assigned.has(first.text) && depth === 0) {
      const value = assigned.get(first.text)!;
      return value.length > 0 ? kindOf(value, 1) : 'other';
    }
    if (r.length === 1 && first.text === 'None') return 'none';
    if (r.length === 1 && (first.text === 'True' || first.text === 'False')) return 'bool';
    if (first.text === '[') return 'list';
    if (first.text === '{') return 'dict';
    if (first.text === 'not' || first.text === 'isinstance' || r.some((t) => ['==', '!=', '<', '>', '<=', '>=', 'in', 'is'].includes(t.text) && !r.some((u) => u.text === 'if'))) return 'bool';
    if (r.length === 1 && first.kind === 'STRING') return 'str';
    if (first.kind === 'STRING' && r[1]?.text === '.') return 'str';
    if (r.length === 1 && first.kind === 'NUMBER') return first.text.includes('.') ? 'float' : 'int';
    if (first.text === 'len' || first.text === 'int' || first.text === 'sum') return 'int';
    if (first.text === 'str' || first.text === 'repr') return 'str';
    if (r.length === 1 && first.kind === 'NAME' && hintOf(hints, first.text) !== undefined) return hintOf(hints, first.text)!;
    return 'other';
  };
  const kinds = values.map((r) => kindOf(r, 0));
  const main = kinds.find((k) => k !== 'none');
  const asType = (kind: string | undefined): string => {
    switch (kind) {
      case undefined: return 'None';
      case 'list': return pick(rng, ['list[Any]', 'list[str]', 'list[int]']);
      case 'dict': return pick(rng, ['dict[str, Any]', 'dict[str, int]']);
      case 'other': return pick(rng, [...FALLBACK_TYPES, 'Self', 'Node', 'tuple[int, int]']);
      default: return kind;
    }
  };
  const type = asType(main);
  return main !== undefined && kinds.includes('none') ? `Optional[${type}]` : type;
}

/** The parameters with a name, no annotation, and not the leading self/cls. */
function annotatable(header: Header): Param[] {
  return header.params.filter((p, i) => p.name !== undefined && p.colon < 0 && !(i === 0 && (p.name.text === 'self' || p.name.text === 'cls')));
}

/** Annotates the parameters (each with chance `share`), spacing annotated defaults as PEP 8 does. */
export function annotateParams(text: string, rng: Rng, style: TypeStyle, share: number, hints: TypeHints = {}): string {
  const header = parseHeader(text);
  if (!header) return text;
  const edits: Edit[] = [];
  for (const param of annotatable(header)) {
    if (rng.next() >= share) continue;
    const type = spellType(guessParamType(param, rng, hints), style);
    edits.push({ start: param.name!.end, end: param.name!.end, text: `: ${type}` });
    if (param.equals >= 0) {
      const eq = param.tokens[param.equals]!;
      const before = param.tokens[param.equals - 1]!;
      const after = param.tokens[param.equals + 1];
      if (after) edits.push({ start: before === param.name ? eq.start : before.end, end: after.start, text: ' = ' });
    }
  }
  return applyEdits(text, edits);
}

export function annotateReturn(text: string, rng: Rng, style: TypeStyle, hints: TypeHints = {}): string {
  const header = parseHeader(text);
  if (!header || header.arrow >= 0) return text;
  const close = header.tokens[header.close]!;
  return applyEdits(text, [{ start: close.end, end: close.end, text: ` -> ${spellType(guessReturnType(text, header, rng, hints), style)}` }]);
}

/** `def f(a, b=1, c=2)` becomes `def f(a, *, b=1, c=2)`: the defaults become keyword-only. */
export function keywordOnly(text: string): string {
  const header = parseHeader(text);
  if (!header || header.params.some((p) => p.star !== '' || p.tokens[0]?.text === '*' || p.tokens[0]?.text === '/')) return text;
  const first = header.params.find((p) => p.equals >= 0);
  if (!first) return text;
  return applyEdits(text, [{ start: first.tokens[0]!.start, end: first.tokens[0]!.start, text: '*, ' }]);
}

/** Makes the function `async def`. */
export function makeAsync(text: string): string {
  const header = parseHeader(text);
  if (!header || header.isAsync) return text;
  const def = header.tokens[header.def]!;
  return applyEdits(text, [{ start: def.start, end: def.start, text: 'async ' }]);
}

/** A decorator that fits the function's shape (method, classmethod, generator, plain function). */
export function addDecorator(text: string, rng: Rng): string {
  const header = parseHeader(text);
  if (!header || header.decorated) return text;
  const name = header.tokens[header.def + 1]!.text;
  const first = header.params[0]?.name?.text;
  const body = header.tokens.slice(header.colon + 1);
  const returnsValue = body.some((t, i) => t.text === 'return' && body[i + 1] !== undefined && body[i + 1]!.kind !== 'NEWLINE');
  const yields = body.some((t) => t.text === 'yield');
  let pool: string[];
  if (/^__\w+__$/.test(name)) return text;
  if (first === 'cls') pool = ['@classmethod'];
  else if (first === 'self' && header.params.length === 1 && returnsValue && !yields) pool = ['@property', '@property', '@functools.cached_property', '@cached_property'];
  else if (first === 'self') pool = ['@override', '@typing.override', '@abstractmethod', '@typing_extensions.override'];
  else if (yields) pool = ['@contextmanager', '@contextlib.contextmanager', '@pytest.fixture'];
  else pool = ['@staticmethod', '@functools.cache', '@lru_cache(maxsize=None)', '@functools.lru_cache(maxsize=128)', '@staticmethod', '@pytest.mark.parametrize("value", [1, 2])'];
  const startToken = header.tokens[header.isAsync ? header.def - 1 : header.def]!;
  const indent = indentAt(text, startToken.start);
  const lineStart = startToken.start - indent.length;
  return applyEdits(text, [{ start: lineStart, end: lineStart, text: `${indent}${pick(rng, pool)}\n` }]);
}
