// Primaries and atoms: calls, subscripts, displays and comprehensions, call arguments, lambda
// (Grammar/python.gram, "Primary elements" and below). Same conventions as parse-expr.ts.
import { MemoRule, type Comprehension, type Keyword, type Node, type Parser } from './parser-core';
import { NAME, NUMBER, OP, STRING } from './tokenize';
import * as invalid from './parse-invalid';
import { checkStrings } from './strings';
import { starTargets } from './parse-targets';
import { lambdaParams } from './parse-params';
import {
  bitwiseOr,
  disjunction,
  expression,
  gather,
  namedExpression,
  namedOrPlain,
  starNamedExpression,
  starNamedExpressions,
  yieldExpr,
} from './parse-expr';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

/** A call's `(...)` after `func`: a bare generator argument or an argument list. */
export function callTrailer(p: Parser, func: Node, a: number): Node | null {
  const m = p.mark;
  const gen = genexp(p);
  if (gen) return mk('Call', a, p, { v: func, l: [gen], kw: [] });
  p.mark = m;
  if (!p.op('(')) return null;
  const args = argumentsRule(p);
  if (!p.op(')')) {
    p.mark = m;
    return null;
  }
  return mk('Call', a, p, { v: func, l: args?.l ?? [], kw: args?.kw ?? [] });
}

export function primary(p: Parser): Node | null {
  const a = p.mark;
  let cur = atom(p);
  if (!cur) return null;
  for (;;) {
    const m = p.mark;
    const t = p.peek();
    let next: Node | null = null;
    if (t.type === OP) {
      if (t.text === '.') {
        p.mark++;
        const attr = p.name();
        if (attr) next = mk('Attribute', a, p, { v: cur, id: attr.id });
      } else if (t.text === '(') {
        next = callTrailer(p, cur, a);
      } else if (t.text === '[') {
        p.mark++;
        const s = slices(p);
        if (s && p.op(']')) next = mk('Subscript', a, p, { v: cur, s });
      }
    }
    if (!next) {
      p.mark = m;
      return cur;
    }
    cur = next;
  }
}

export function slices(p: Parser): Node | null {
  const a = p.mark;
  const one = slice(p);
  if (one && !p.isOp(',')) return one;
  p.mark = a;
  const items = gather(p, (q) => slice(q) ?? starredExpression(q));
  if (!items) return null;
  p.op(',');
  return mk('Tuple', a, p, { l: items });
}

function slice(p: Parser): Node | null {
  const a = p.mark;
  const lower = expression(p);
  if (p.op(':')) {
    const upper = expression(p);
    let step: Node | null = null;
    const m = p.mark;
    if (p.op(':')) step = expression(p);
    else p.mark = m;
    return mk('Slice', a, p, { l: [lower, upper, step] });
  }
  p.mark = a;
  return namedExpression(p);
}

export function atom(p: Parser): Node | null {
  const t = p.peek();
  const a = p.mark;
  switch (t.type) {
    case NAME:
      p.mark++;
      return { k: 'Name', a, b: a, id: t.text };
    case NUMBER:
      p.mark++;
      return { k: 'Constant', a, b: a, c: 'number' };
    case STRING:
      return strings(p);
    case OP:
      if (t.text === '(') return tuple(p) ?? group(p) ?? genexp(p);
      if (t.text === '[') return list(p) ?? listcomp(p);
      if (t.text === '{') return dict(p) ?? set(p) ?? dictcomp(p) ?? setcomp(p);
      if (t.text === '...') {
        p.mark++;
        return { k: 'Constant', a, b: a, c: 'Ellipsis' };
      }
      return null;
    default:
      if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
        if (p.kw(t.text)) return { k: 'Constant', a, b: a, c: t.text };
      }
      return null;
  }
}

export function strings(p: Parser): Node | null {
  return p.memoized(MemoRule.Strings, () => {
    const a = p.mark;
    while (p.peek().type === STRING) p.mark++;
    if (p.mark === a) return null;
    return checkStrings(p, a, p.mark - 1);
  });
}

function tuple(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('(')) return null;
  let elts: Node[] = [];
  const m = p.mark;
  const first = starNamedExpression(p);
  if (first && p.op(',')) elts = [first, ...(starNamedExpressions(p) ?? [])];
  else p.mark = m;
  if (p.op(')')) return mk('Tuple', a, p, { l: elts });
  p.mark = a;
  return null;
}

function group(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('(')) return null;
  const inner = yieldExpr(p) ?? namedExpression(p);
  if (inner && p.op(')')) return inner;
  p.mark = a;
  if (p.invalidPass) invalid.invalidGroup(p);
  p.mark = a;
  return null;
}

export function genexp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('(')) {
    const elt = namedOrPlain(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op(')')) return mk('GeneratorExp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) invalid.invalidComprehension(p);
  p.mark = a;
  return null;
}

function list(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('[')) return null;
  const elts = starNamedExpressions(p) ?? [];
  if (p.op(']')) return mk('List', a, p, { l: elts });
  p.mark = a;
  return null;
}

function listcomp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('[')) {
    const elt = namedExpression(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op(']')) return mk('ListComp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) invalid.invalidComprehension(p);
  p.mark = a;
  return null;
}

function set(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('{')) return null;
  const elts = starNamedExpressions(p);
  if (elts && p.op('}')) return mk('Set', a, p, { l: elts });
  p.mark = a;
  return null;
}

function setcomp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('{')) {
    const elt = namedExpression(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op('}')) return mk('SetComp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) invalid.invalidComprehension(p);
  p.mark = a;
  return null;
}

function dict(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('{')) return null;
  const keys: (Node | null)[] = [];
  const values: Node[] = [];
  const pairs = gather(p, doubleStarredKvpair);
  if (pairs) {
    p.op(',');
    for (const [key, value] of pairs) {
      keys.push(key);
      values.push(value);
    }
  }
  if (p.op('}')) return mk('Dict', a, p, { keys, l: values });
  p.mark = a;
  if (p.invalidPass && p.op('{')) {
    invalid.invalidDoubleStarredKvpairs(p);
    p.mark = a;
  }
  return null;
}

export function doubleStarredKvpair(p: Parser): [Node | null, Node] | null {
  const a = p.mark;
  if (p.op('**')) {
    const v = bitwiseOr(p);
    if (v) return [null, v];
    p.mark = a;
  }
  return kvpair(p);
}

export function kvpair(p: Parser): [Node, Node] | null {
  const a = p.mark;
  const key = expression(p);
  if (key && p.op(':')) {
    const value = expression(p);
    if (value) return [key, value];
  }
  p.mark = a;
  return null;
}

function dictcomp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('{')) {
    const pair = kvpair(p);
    const gens = pair ? forIfClauses(p) : null;
    if (pair && gens && p.op('}')) return mk('DictComp', a, p, { t: pair[0], v: pair[1], gens });
    p.mark = a;
  }
  if (p.invalidPass) invalid.invalidDictComprehension(p);
  p.mark = a;
  return null;
}

export function forIfClauses(p: Parser): Comprehension[] | null {
  const clauses: Comprehension[] = [];
  for (;;) {
    const clause = forIfClause(p);
    if (!clause) break;
    clauses.push(clause);
  }
  return clauses.length > 0 ? clauses : null;
}

function forIfClause(p: Parser): Comprehension | null {
  const a = p.mark;
  const isAsync = p.kw('async');
  if (p.kw('for')) {
    const target = starTargets(p);
    if (target && p.kw('in')) {
      // `~`: past 'in', no other alternative is tried.
      const iter = disjunction(p);
      if (!iter) {
        p.mark = a;
        return null;
      }
      const ifs: Node[] = [];
      for (;;) {
        const m = p.mark;
        if (!p.kw('if')) break;
        const cond = disjunction(p);
        if (!cond) {
          p.mark = m;
          break;
        }
        ifs.push(cond);
      }
      return { target, iter, ifs, isAsync };
    }
  }
  p.mark = a;
  if (p.invalidPass) invalid.invalidForTarget(p);
  p.mark = a;
  return null;
}

interface CallArgs {
  l: Node[];
  kw: Keyword[];
}

/** arguments (memo): `args [','] &')'`, or the invalid_arguments diagnostics. */
export function argumentsRule(p: Parser): CallArgs | null {
  return p.memoized(MemoRule.Arguments, () => {
    const a = p.mark;
    const args = argsRule(p);
    if (args) {
      p.op(',');
      if (p.isOp(')')) return args;
    }
    p.mark = a;
    if (p.invalidPass) invalid.invalidArguments(p);
    p.mark = a;
    return null;
  });
}

function positionalArg(p: Parser): Node | null {
  const starred = starredExpression(p);
  if (starred) return starred;
  const a = p.mark;
  const e = namedOrPlain(p);
  if (e && !p.isOp('=')) return e;
  p.mark = a;
  return null;
}

export function argsRule(p: Parser): CallArgs | null {
  const a = p.mark;
  const positional = gather(p, positionalArg);
  if (positional) {
    const m = p.mark;
    if (p.op(',')) {
      const more = kwargs(p);
      if (more) return { l: [...positional, ...more.l], kw: more.kw };
    }
    p.mark = m;
    return { l: positional, kw: [] };
  }
  p.mark = a;
  return kwargs(p);
}

type KwItem = Keyword | Node;

function kwargs(p: Parser): CallArgs | null {
  const a = p.mark;
  let items = gather(p, kwargOrStarred);
  if (items) {
    const m = p.mark;
    const more = p.op(',') ? gather(p, kwargOrDoubleStarred) : null;
    if (more) items = [...items, ...more];
    else p.mark = m;
  } else {
    p.mark = a;
    items = gather(p, kwargOrDoubleStarred);
  }
  if (!items) return null;
  const l: Node[] = [];
  const kw: Keyword[] = [];
  for (const item of items) {
    if ('k' in item) l.push(item);
    else kw.push(item);
  }
  return { l, kw };
}

export function starredExpression(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('*')) return null;
  const v = expression(p);
  if (v) return mk('Starred', a, p, { v });
  p.mark = a;
  return null;
}

function keywordArg(p: Parser): Keyword | null {
  const a = p.mark;
  const name = p.name();
  if (name && p.op('=')) {
    const value = expression(p);
    if (value) return { name: name.id!, value, a, b: p.mark - 1 };
  }
  p.mark = a;
  return null;
}

function kwargOrStarred(p: Parser): KwItem | null {
  const a = p.mark;
  if (p.invalidPass) {
    invalid.invalidKwarg(p);
    p.mark = a;
  }
  return keywordArg(p) ?? starredExpression(p);
}

function kwargOrDoubleStarred(p: Parser): KwItem | null {
  const a = p.mark;
  if (p.invalidPass) {
    invalid.invalidKwarg(p);
    p.mark = a;
  }
  const keyword = keywordArg(p);
  if (keyword) return keyword;
  if (p.op('**')) {
    const value = expression(p);
    if (value) return { name: null, value, a, b: p.mark - 1 };
  }
  p.mark = a;
  return null;
}

export function lambdef(p: Parser): Node | null {
  const a = p.mark;
  if (!p.kw('lambda')) return null;
  const params = lambdaParams(p);
  if (p.op(':')) {
    const body = expression(p);
    if (body) return mk('Lambda', a, p, { params: params ?? undefined, v: body });
  }
  p.mark = a;
  return null;
}
