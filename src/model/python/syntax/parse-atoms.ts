// Primaries and atoms: calls, subscripts, displays and comprehensions, lambda (Grammar/python.gram,
// "Primary elements" and below; a call's arguments are in parse-args.ts). Same conventions as
// parse-expr.ts.
import { gather, MemoRule, type Comprehension, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { NAME, NUMBER, OP, STRING } from './tokenize';
import { checkStrings } from './strings';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

/** A call's `(...)` after `func`: a bare generator argument or an argument list. */
function callTrailer(p: Parser, func: Node, a: number): Node | null {
  const m = p.mark;
  const gen = genexp(p);
  if (gen) return mk('Call', a, p, { v: func, l: [gen], kw: [] });
  p.mark = m;
  if (!p.op('(')) return null;
  const args = g.argumentsRule(p);
  if (!p.op(')')) {
    p.mark = m;
    return null;
  }
  return mk('Call', a, p, { v: func, l: args?.l ?? [], kw: args?.kw ?? [] });
}

function primary(p: Parser): Node | null {
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

function slices(p: Parser): Node | null {
  const a = p.mark;
  const one = slice(p);
  if (one && !p.isOp(',')) return one;
  p.mark = a;
  const items = gather(p, (q) => slice(q) ?? g.starredExpression(q));
  if (!items) return null;
  p.op(',');
  return mk('Tuple', a, p, { l: items });
}

function slice(p: Parser): Node | null {
  const a = p.mark;
  const lower = g.expression(p);
  if (p.op(':')) {
    const upper = g.expression(p);
    let step: Node | null = null;
    const m = p.mark;
    if (p.op(':')) step = g.expression(p);
    else p.mark = m;
    return mk('Slice', a, p, { l: [lower, upper, step] });
  }
  p.mark = a;
  return g.namedExpression(p);
}

function atom(p: Parser): Node | null {
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

function strings(p: Parser): Node | null {
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
  const first = g.starNamedExpression(p);
  if (first && p.op(',')) elts = [first, ...(g.starNamedExpressions(p) ?? [])];
  else p.mark = m;
  if (p.op(')')) return mk('Tuple', a, p, { l: elts });
  p.mark = a;
  return null;
}

function group(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('(')) return null;
  const inner = g.yieldExpr(p) ?? g.namedExpression(p);
  if (inner && p.op(')')) return inner;
  p.mark = a;
  if (p.invalidPass) g.invalidGroup(p);
  p.mark = a;
  return null;
}

function genexp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('(')) {
    const elt = g.namedOrPlain(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op(')')) return mk('GeneratorExp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) g.invalidComprehension(p);
  p.mark = a;
  return null;
}

function list(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('[')) return null;
  const elts = g.starNamedExpressions(p) ?? [];
  if (p.op(']')) return mk('List', a, p, { l: elts });
  p.mark = a;
  return null;
}

function listcomp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('[')) {
    const elt = g.namedExpression(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op(']')) return mk('ListComp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) g.invalidComprehension(p);
  p.mark = a;
  return null;
}

function set(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('{')) return null;
  const elts = g.starNamedExpressions(p);
  if (elts && p.op('}')) return mk('Set', a, p, { l: elts });
  p.mark = a;
  return null;
}

function setcomp(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('{')) {
    const elt = g.namedExpression(p);
    const gens = elt ? forIfClauses(p) : null;
    if (elt && gens && p.op('}')) return mk('SetComp', a, p, { v: elt, gens });
    p.mark = a;
  }
  if (p.invalidPass) g.invalidComprehension(p);
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
    g.invalidDoubleStarredKvpairs(p);
    p.mark = a;
  }
  return null;
}

function doubleStarredKvpair(p: Parser): [Node | null, Node] | null {
  const a = p.mark;
  if (p.op('**')) {
    const v = g.bitwiseOr(p);
    if (v) return [null, v];
    p.mark = a;
  }
  return kvpair(p);
}

function kvpair(p: Parser): [Node, Node] | null {
  const a = p.mark;
  const key = g.expression(p);
  if (key && p.op(':')) {
    const value = g.expression(p);
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
  if (p.invalidPass) g.invalidDictComprehension(p);
  p.mark = a;
  return null;
}

function forIfClauses(p: Parser): Comprehension[] | null {
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
    const target = g.starTargets(p);
    if (target && p.kw('in')) {
      // `~`: past 'in', no other alternative is tried.
      const iter = g.disjunction(p);
      if (!iter) {
        p.mark = a;
        return null;
      }
      const ifs: Node[] = [];
      for (;;) {
        const m = p.mark;
        if (!p.kw('if')) break;
        const cond = g.disjunction(p);
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
  if (p.invalidPass) g.invalidForTarget(p);
  p.mark = a;
  return null;
}

function lambdef(p: Parser): Node | null {
  const a = p.mark;
  if (!p.kw('lambda')) return null;
  const params = g.lambdaParams(p);
  if (p.op(':')) {
    const body = g.expression(p);
    if (body) return mk('Lambda', a, p, { params: params ?? undefined, v: body });
  }
  p.mark = a;
  return null;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const atomRules = {
  callTrailer,
  primary,
  slices,
  atom,
  strings,
  doubleStarredKvpair,
  forIfClauses,
  lambdef,
};
