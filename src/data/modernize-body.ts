// The modernizer's rewrites of a function body: f-strings for `%` and `.format`, the walrus
// operator, comprehensions for append loops, annotated local variables and `await`. Each works on
// the lexer's tokens and their spans; what it cannot rewrite safely it leaves alone.

import type { Rng } from '../model';
import { isValueKeyword, lex, type Token, CORE_NAMES } from '../model/internals';
import { applyEdits, lineSpan, matchingClose, splitTopLevel, statementsOf, type Edit, type Statement } from './code-edits';
import { hintOf, spellType, type TypeHints, type TypeStyle } from './modernize-header';

const source = (text: string, tokens: readonly Token[]) => (tokens.length === 0 ? '' : text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end));

/** The prefix, quote and body of a plain string token, or null for bytes, f-strings and u-strings. */
function stringParts(token: Token): { prefix: string; quote: string; body: string } | null {
  if (token.kind !== 'STRING' || token.unterminated) return null;
  const match = /^([rR]?)('''|"""|'|")([\s\S]*)\2$/.exec(token.text);
  return match ? { prefix: match[1]!, quote: match[2]!, body: match[3]! } : null;
}

/** An expression that can sit inside an f-string's braces here: one line, no quote clash, no backslash. */
function embeddable(text: string, quote: string): boolean {
  return text !== '' && !/[\n\\#{}]/.test(text) && !text.includes(quote[0]!) && !/(^|[^=!<>])=($|[^=])|\blambda\b|:(?![^[]*\])/.test(text);
}

/** A primary expression starting at tokens[i]: an atom with its `.name`, `(...)` and `[...]` trailers. */
function primaryEnd(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  if (!t) return -1;
  let end: number;
  if (t.kind === 'NAME' || t.kind === 'NUMBER' || t.kind === 'STRING' || isValueKeyword(t.text)) end = i;
  else if (t.text === '(' || t.text === '[') end = matchingClose(tokens, i);
  else return -1;
  while (end >= 0) {
    const next = tokens[end + 1];
    if (next?.text === '.' && tokens[end + 2]?.kind === 'NAME') end += 2;
    else if (next?.text === '(' || next?.text === '[') end = matchingClose(tokens, end + 1);
    else break;
  }
  return end;
}

const PERCENT_SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\d*)(?:\.(\d+))?([sdirfgexXoc%])/g;

/** `'%s=%d' % (a, b)` as `f'{a}={b}'`, or null when it cannot be rewritten exactly. */
function percentToF(parts: { prefix: string; quote: string; body: string }, items: string[]): string | null {
  let index = 0;
  let failed = false;
  const escaped = parts.body.replace(/[{}]/g, (brace) => brace + brace);
  const body = escaped.replace(PERCENT_SPEC, (_all, key: string | undefined, flags: string, width: string, precision: string | undefined, conversion: string) => {
    if (conversion === '%') return '%';
    if (key !== undefined || flags.includes('#')) {
      failed = true;
      return '';
    }
    const item = items[index++];
    if (item === undefined) {
      failed = true;
      return '';
    }
    if (conversion === 'r') return `{${item}!r}`;
    const align = flags.includes('-') ? '<' : '';
    const zero = flags.includes('0') && !align ? '0' : '';
    const spec = `${align}${zero}${width}${precision !== undefined ? `.${precision}` : ''}${['s', 'd', 'i'].includes(conversion) ? '' : conversion}`;
    return spec === '' ? `{${item}}` : `{${item}:${spec}}`;
  });
  if (failed || index !== items.length) return null;
  return `${parts.prefix}f${parts.quote}${body}${parts.quote}`;
}

const FORMAT_FIELD = /\{\{|\}\}|\{([^{}!:]*)(![rsa])?(:[^{}]*)?\}/g;

/** `'{} {name}'.format(a, name=b)` as `f'{a} {b}'`, or null. */
function formatToF(parts: { prefix: string; quote: string; body: string }, positional: string[], named: Record<string, string>): string | null {
  let auto = 0;
  let failed = false;
  const used = new Set<string>();
  const body = parts.body.replace(FORMAT_FIELD, (all, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (all === '{{' || all === '}}') return all;
    const match = /^(\d*|[A-Za-z_]\w*)((?:\.\w+|\[\d+\])*)$/.exec(field ?? '');
    if (!match || (spec ?? '').includes('{')) {
      failed = true;
      return all;
    }
    const [, name, rest] = match as unknown as [string, string, string];
    const value = name === '' ? positional[auto++] : /^\d+$/.test(name) ? positional[Number(name)] : Object.hasOwn(named, name) ? named[name] : undefined;
    if (value === undefined) {
      failed = true;
      return all;
    }
    used.add(name === '' ? String(auto - 1) : name);
    const needsParens = rest !== '' && !/^[\w.]+$|^[\w.]+\(.*\)$/.test(value);
    return `{${needsParens ? `(${value})` : value}${rest}${conversion ?? ''}${spec ?? ''}}`;
  });
  if (failed || /[{}]/.test(parts.body.replace(FORMAT_FIELD, '')) || used.size === 0) return null;
  return `${parts.prefix}f${parts.quote}${body}${parts.quote}`;
}

const LOOSER_BEFORE = new Set(['*', '/', '//', '%', '@', '**', '.', '~']);

/** Rewrites each `%` and `.format` string it can (each with chance `share`) as an f-string. */
export function toFStrings(text: string, rng: Rng, share = 1): string {
  const tokens = lex(text).tokens;
  const edits: Edit[] = [];
  let skipUntil = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (i <= skipUntil) continue;
    const t = tokens[i]!;
    const parts = stringParts(t);
    const previous = tokens[i - 1];
    if (!parts || previous?.kind === 'STRING' || tokens[i + 1]?.kind === 'STRING') continue;
    let end = -1;
    let rewritten: string | null = null;
    if (tokens[i + 1]?.text === '%' && !LOOSER_BEFORE.has(previous?.text ?? '')) {
      end = primaryEnd(tokens, i + 2);
      if (end < 0 || tokens[end + 1]?.text === '**' || tokens[end + 1]?.text === '.') continue;
      const operand = tokens.slice(i + 2, end + 1);
      const tuple = operand[0]!.text === '(' && end === matchingClose(tokens, i + 2) && operand.some((o, k) => o.text === ',' && k > 0);
      const inner = tuple ? splitTopLevel(operand.slice(1, -1)).filter((p) => p.length > 0) : [operand];
      const items = inner.map((p) => source(text, p));
      if (items.every((item) => embeddable(item, parts.quote))) rewritten = percentToF(parts, items);
    } else if (tokens[i + 1]?.text === '.' && tokens[i + 2]?.text === 'format' && tokens[i + 3]?.text === '(') {
      end = matchingClose(tokens, i + 3);
      if (end < 0) continue;
      const args = splitTopLevel(tokens.slice(i + 4, end)).filter((p) => p.length > 0);
      const positional: string[] = [];
      const named: Record<string, string> = {};
      let ok = true;
      for (const arg of args) {
        if (arg[0]!.text === '*' || arg[0]!.text === '**') ok = false;
        else if (arg[1]?.text === '=' && arg[0]!.kind === 'NAME') named[arg[0]!.text] = source(text, arg.slice(2));
        else positional.push(source(text, arg));
      }
      if (ok && [...positional, ...Object.values(named)].every((item) => embeddable(item, parts.quote))) rewritten = formatToF(parts, positional, named);
    }
    if (rewritten !== null && end >= 0 && rng.next() < share) {
      edits.push({ start: t.start, end: tokens[end]!.end, text: rewritten });
      skipUntil = end;
    }
  }
  return applyEdits(text, edits);
}

/** Whether a statement's tokens all sit on one physical line. */
const oneLine = (s: Statement) => s.tokens[0]!.line === s.tokens[s.tokens.length - 1]!.line && !s.tokens.some((t) => t.kind === 'STRING' && t.text.includes('\n'));

/** `x = f()` then `if x:` (or `while`) becomes `if (x := f()):`. */
export function toWalrus(text: string, rng: Rng): string {
  const all = statementsOf(lex(text).tokens);
  const spots: Edit[][] = [];
  for (let k = 0; k + 1 < all.length; k++) {
    const [assign, test] = [all[k]!, all[k + 1]!];
    const a = assign.tokens;
    if (a.length < 3 || a[0]!.kind !== 'NAME' || a[1]!.text !== '=' || assign.depth !== test.depth || !oneLine(assign)) continue;
    if (test.tokens[0]!.text !== 'if' && test.tokens[0]!.text !== 'while') continue;
    const value = a.slice(2);
    if (splitTopLevel(value).length > 1 || value.some((t) => t.text === '=' || t.text === 'yield' || t.text === 'lambda' || t.text === ':=')) continue;
    const use = test.tokens.findIndex((t, i) => t.text === a[0]!.text && t.kind === 'NAME' && test.tokens[i - 1]?.text !== '.' && test.tokens[i + 1]?.text !== '=');
    if (use < 0) continue;
    const line = lineSpan(text, a[0]!.start, a[a.length - 1]!.end);
    if (text.slice(line.start, a[0]!.start).trim() !== '' || text.slice(a[a.length - 1]!.end, line.end).trim() !== '') continue;
    const name = test.tokens[use]!;
    spots.push([{ start: line.start, end: line.end, text: '' }, { start: name.start, end: name.end, text: `(${name.text} := ${source(text, value)})` }]);
  }
  return spots.length === 0 ? text : applyEdits(text, spots[rng.nextInt(spots.length)]!);
}

/**
 * `out = []` / `for x in xs:` / `[if c:]` / `out.append(e)` becomes `out = [e for x in xs if c]`
 * (and `set()` with `.add`, `{}` with `out[k] = v`) when the loop does nothing else.
 */
export function toComprehension(text: string, rng: Rng): string {
  const all = statementsOf(lex(text).tokens);
  const spots: Edit[] = [];
  for (let k = 0; k + 2 < all.length; k++) {
    const [init, loop] = [all[k]!, all[k + 1]!];
    const s = init.tokens;
    if (s.length < 3 || s[0]!.kind !== 'NAME' || s[1]!.text !== '=' || loop.tokens[0]!.text !== 'for' || loop.depth !== init.depth) continue;
    const kind = source(text, s.slice(2));
    const shape = kind === '[]' || kind === 'list()' ? 'list' : kind === 'set()' ? 'set' : kind === '{}' || kind === 'dict()' ? 'dict' : undefined;
    if (!shape || loop.tokens.at(-1)!.text !== ':') continue;
    let body = k + 2;
    let condition = '';
    if (all[body]!.tokens[0]!.text === 'if' && all[body]!.depth === init.depth + 1 && all[body]!.tokens.at(-1)!.text === ':') {
      condition = ` if ${source(text, all[body]!.tokens.slice(1, -1))}`;
      body++;
    }
    const last = all[body];
    const after = all[body + 1];
    if (!last || last.depth !== init.depth + 1 + (condition ? 1 : 0) || (after && after.depth > init.depth) || [init, loop, last].some((st) => !oneLine(st))) continue;
    const l = last.tokens;
    const name = s[0]!.text;
    let element: string | undefined;
    if (shape !== 'dict' && l[0]!.text === name && l[1]!.text === '.' && l[2]!.text === (shape === 'list' ? 'append' : 'add') && l[3]!.text === '(' && matchingClose(l, 3) === l.length - 1) {
      element = source(text, l.slice(4, -1));
      if (splitTopLevel(l.slice(4, -1)).length > 1) element = `(${element})`;
    } else if (shape === 'dict' && l[0]!.text === name && l[1]!.text === '[') {
      const close = matchingClose(l, 1);
      if (close > 0 && l[close + 1]?.text === '=' && close + 2 < l.length) element = `${source(text, l.slice(2, close))}: ${source(text, l.slice(close + 2))}`;
    }
    // `[*x for ...]` is no comprehension Python accepts.
    if (element === undefined || element.includes(name) || element.startsWith('*')) continue;
    const target = source(text, loop.tokens.slice(1, -1));
    const [open, close] = shape === 'list' ? ['[', ']'] : ['{', '}'];
    const span = lineSpan(text, s[0]!.start, l[l.length - 1]!.end);
    const indent = text.slice(span.start, s[0]!.start);
    if (indent.trim() !== '') continue;
    spots.push({ start: span.start, end: span.end, text: `${indent}${name} = ${open}${element} for ${target}${condition}${close}\n` });
  }
  return spots.length === 0 ? text : applyEdits(text, [spots[rng.nextInt(spots.length)]!]);
}

/** First assignments of literals get an annotation: `total: int = 0`, `names: list[str] = []`. */
export function annotateLocals(text: string, rng: Rng, style: TypeStyle, hints: TypeHints = {}): string {
  const all = statementsOf(lex(text).tokens);
  // A name declared global or nonlocal cannot be annotated.
  const seen = new Set<string>(all.filter((s) => s.tokens[0]!.text === 'global' || s.tokens[0]!.text === 'nonlocal').flatMap((s) => s.tokens.slice(1).map((t) => t.text)));
  const edits: Edit[] = [];
  for (const s of all) {
    const t = s.tokens;
    if (s.depth === 0 || t.length < 3 || t[0]!.kind !== 'NAME' || t[1]!.text !== '=' || seen.has(t[0]!.text)) {
      if (t[0]?.kind === 'NAME' && t[1]?.text === '=') seen.add(t[0].text);
      continue;
    }
    seen.add(t[0]!.text);
    const value = source(text, t.slice(2));
    let type = hintOf(hints, t[0]!.text);
    if (type === undefined) {
      if (/^-?\d+$/.test(value)) type = 'int';
      else if (/^-?\d*\.\d+$/.test(value)) type = 'float';
      else if (t.length === 3 && t[2]!.kind === 'STRING' && !/^[bB]/.test(value)) type = 'str';
      else if (value === '[]') type = rng.next() < 0.5 ? 'list[str]' : 'list[Any]';
      else if (value === '{}') type = rng.next() < 0.5 ? 'dict[str, Any]' : 'dict[str, int]';
      else if (value === 'None') type = `Optional[${['str', 'int', 'Any'][rng.nextInt(3)]}]`;
      else if (value === 'True' || value === 'False') type = 'bool';
    }
    if (type !== undefined && rng.next() < 0.6) edits.push({ start: t[0]!.end, end: t[0]!.end, text: `: ${spellType(type, style)}` });
  }
  return applyEdits(text, edits);
}

/** Builtins and exceptions are never awaited. */
const CORE_NAME_SET = new Set(CORE_NAMES.filter((name) => name !== 'self'));

/** Calls that may be awaited: a call statement, `x = call(...)` or `return call(...)`. */
function awaitableCalls(text: string): Token[] {
  const tokens = lex(text).tokens;
  // Nested scopes would need their own async; an async generator may not return a value.
  if (tokens.some((t, i) => t.text === 'lambda' || t.text === 'class' || t.text === 'yield' || (t.text === 'def' && i > tokens.findIndex((u) => u.text === 'def')))) return [];
  const out: Token[] = [];
  for (const s of statementsOf(tokens).slice(1)) {
    const t = s.tokens;
    const at = t[0]!.text === 'return' ? 1 : t[0]!.kind === 'NAME' && t[1]?.text === '=' ? 2 : 0;
    const first = t[at];
    if (!first || first.kind !== 'NAME' || first.text === 'self' && t[at + 1]?.text !== '.') continue;
    const end = primaryEnd(t, at);
    if (end === t.length - 1 && t[end]!.text === ')' && !CORE_NAME_SET.has(first.text)) out.push(first);
  }
  return out;
}

/** In an async function: `await` before one or two calls, and sometimes `async for` / `async with`. */
export function addAwaits(text: string, rng: Rng): string {
  const calls = awaitableCalls(text);
  const edits: Edit[] = [];
  for (const call of calls) if (edits.length === 0 || rng.next() < 0.4) edits.push({ start: call.start, end: call.start, text: 'await ' });
  for (const s of statementsOf(lex(text).tokens).slice(1)) {
    const head = s.tokens[0]!;
    if ((head.text === 'for' || head.text === 'with') && rng.next() < 0.15) edits.push({ start: head.start, end: head.start, text: 'async ' });
  }
  return applyEdits(text, edits);
}

/** The function has calls an async version would await. */
export function hasAwaitableCalls(text: string): boolean {
  return awaitableCalls(text).length > 0;
}

