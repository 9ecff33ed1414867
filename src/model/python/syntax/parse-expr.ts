// Expressions, as CPython 3.11's Grammar/python.gram writes them (rule names kept, so each function
// can be read beside its rule). Left-recursive rules are loops; `(memo)` rules go through the
// parser's memo tables. A function returns its node, or null with the mark where it was.
import { MemoRule, MISS, type Comprehension, type Keyword, type Node, type Parser } from './parser-core';
import { NAME, NUMBER, OP, STRING } from './tokenize';
import * as invalid from './parse-invalid';
import { checkStrings } from './strings';
import { starTargets } from './parse-targets';
import { lambdaParams } from './parse-params';

const COMPARE_OPS = new Set(['==', '!=', '<=', '<', '>=', '>']);

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

/** `','.rule+`: one or more, comma separated (the comma before a failing item is given back). */
export function gather<T>(p: Parser, item: (p: Parser) => T | null, separator = ','): T[] | null {
  const first = item(p);
  if (first === null) return null;
  const items = [first];
  for (;;) {
    const m = p.mark;
    if (!p.op(separator)) break;
    const next = item(p);
    if (next === null) {
      p.mark = m;
      break;
    }
    items.push(next);
  }
  return items;
}

export function expressions(p: Parser): Node | null {
  const a = p.mark;
  const first = expression(p);
  if (!first) return null;
  if (!p.isOp(',')) return first;
  const elts: Node[] = [first];
  while (p.op(',')) {
    const m = p.mark;
    const e = expression(p);
    if (!e) {
      p.mark = m;
      break;
    }
    elts.push(e);
  }
  return mk('Tuple', a, p, { l: elts });
}

export function expression(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.Expression);
  if (hit !== MISS) return hit as Node | null;
  const node = expressionUncached(p, a);
  if (!node) p.mark = a;
  p.remember(MemoRule.Expression, a, node);
  return node;
}

function expressionUncached(p: Parser, a: number): Node | null {
  if (p.invalidPass) {
    invalid.invalidExpression(p);
    p.mark = a;
    invalid.invalidLegacyExpression(p);
    p.mark = a;
  }
  const body = disjunction(p);
  if (body) {
    const m = p.mark;
    if (p.kw('if')) {
      const test = disjunction(p);
      if (test && p.kw('else')) {
        const orelse = expression(p);
        if (orelse) return mk('IfExp', a, p, { l: [body, test, orelse] });
      }
    }
    p.mark = m;
    return body;
  }
  p.mark = a;
  return lambdef(p);
}

/**
 * expression_without_invalid: expression with the invalid_ rules off. What it parses is not kept
 * in the memo tables, so the rules that follow still see those positions with the invalid_ rules on.
 */
export function expressionWithoutInvalid(p: Parser): Node | null {
  return p.withoutInvalidRules(() => {
    const a = p.mark;
    const body = disjunction(p);
    if (body) {
      const m = p.mark;
      if (p.kw('if')) {
        const test = disjunction(p);
        if (test && p.kw('else')) {
          const orelse = expression(p);
          if (orelse) return mk('IfExp', a, p, { l: [body, test, orelse] });
        }
      }
      p.mark = m;
      return body;
    }
    p.mark = a;
    return lambdef(p);
  });
}

export function yieldExpr(p: Parser): Node | null {
  const a = p.mark;
  if (!p.kw('yield')) return null;
  if (p.kw('from')) {
    const v = expression(p);
    if (v) return mk('YieldFrom', a, p, { v });
    p.mark = a + 1;
  }
  return mk('Yield', a, p, { v: starExpressions(p) });
}

export function starExpressions(p: Parser): Node | null {
  const a = p.mark;
  const first = starExpression(p);
  if (!first) return null;
  if (!p.isOp(',')) return first;
  const elts: Node[] = [first];
  while (p.op(',')) {
    const m = p.mark;
    const e = starExpression(p);
    if (!e) {
      p.mark = m;
      break;
    }
    elts.push(e);
  }
  return mk('Tuple', a, p, { l: elts });
}

export function starExpression(p: Parser): Node | null {
  return p.memoized(MemoRule.StarExpression, () => {
    const a = p.mark;
    if (p.op('*')) {
      const v = bitwiseOr(p);
      if (v) return mk('Starred', a, p, { v });
      p.mark = a;
    }
    return expression(p);
  });
}

export function starNamedExpressions(p: Parser): Node[] | null {
  const items = gather(p, starNamedExpression);
  if (items) p.op(',');
  return items;
}

export function starNamedExpression(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('*')) {
    const v = bitwiseOr(p);
    if (v) return mk('Starred', a, p, { v });
    p.mark = a;
  }
  return namedExpression(p);
}

export function assignmentExpression(p: Parser): Node | null {
  const a = p.mark;
  const target = p.name();
  if (!target || !p.op(':=')) {
    p.mark = a;
    return null;
  }
  const v = expression(p);
  if (!v) {
    p.mark = a;
    return null;
  }
  return mk('NamedExpr', a, p, { t: target, v });
}

export function namedExpression(p: Parser): Node | null {
  const a = p.mark;
  const assigned = assignmentExpression(p);
  if (assigned) return assigned;
  if (p.invalidPass) {
    invalid.invalidNamedExpression(p);
    p.mark = a;
  }
  const e = expression(p);
  if (e && !p.isOp(':=')) return e;
  p.mark = a;
  return null;
}

/** `(assignment_expression | expression !':=')`, the form a genexp element and an argument take. */
export function namedOrPlain(p: Parser): Node | null {
  const a = p.mark;
  const assigned = assignmentExpression(p);
  if (assigned) return assigned;
  const e = expression(p);
  if (e && !p.isOp(':=')) return e;
  p.mark = a;
  return null;
}

function boolChain(p: Parser, word: string, next: (p: Parser) => Node | null): Node | null {
  const a = p.mark;
  const first = next(p);
  if (!first) return null;
  let values: Node[] | null = null;
  for (;;) {
    const m = p.mark;
    if (!p.kw(word)) break;
    const more = next(p);
    if (!more) {
      p.mark = m;
      break;
    }
    (values ??= [first]).push(more);
  }
  return values ? mk('BoolOp', a, p, { l: values }) : first;
}

export function disjunction(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.Disjunction);
  if (hit !== MISS) return hit as Node | null;
  const node = boolChain(p, 'or', conjunction);
  if (!node) p.mark = a;
  p.remember(MemoRule.Disjunction, a, node);
  return node;
}

function conjunction(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.Conjunction);
  if (hit !== MISS) return hit as Node | null;
  const node = boolChain(p, 'and', inversion);
  if (!node) p.mark = a;
  p.remember(MemoRule.Conjunction, a, node);
  return node;
}

function inversion(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.Inversion);
  if (hit !== MISS) return hit as Node | null;
  let node: Node | null = null;
  if (p.kw('not')) {
    const v = inversion(p);
    if (v) node = mk('UnaryOp', a, p, { v });
    else p.mark = a;
  }
  if (!node) node = comparison(p);
  if (!node) p.mark = a;
  p.remember(MemoRule.Inversion, a, node);
  return node;
}

/** One compare_op_bitwise_or_pair: the operator, or null. */
function compareOp(p: Parser): string | null {
  const t = p.peek();
  if (t.type === OP && COMPARE_OPS.has(t.text)) {
    p.mark++;
    return t.text;
  }
  if (p.kw('in')) return 'in';
  if (p.kw('not')) {
    if (p.kw('in')) return 'not in';
    p.mark--;
    return null;
  }
  if (p.kw('is')) return p.kw('not') ? 'is not' : 'is';
  return null;
}

function comparison(p: Parser): Node | null {
  const a = p.mark;
  const left = bitwiseOr(p);
  if (!left) return null;
  let ops: string[] | null = null;
  const operands: Node[] = [left];
  for (;;) {
    const m = p.mark;
    const op = compareOp(p);
    const right = op ? bitwiseOr(p) : null;
    if (!op || !right) {
      p.mark = m;
      break;
    }
    (ops ??= []).push(op);
    operands.push(right);
  }
  return ops ? mk('Compare', a, p, { l: operands, ops }) : left;
}

/** bitwise_or down to term: left-associative operators, by precedence (one loop for the six rules). */
const BINARY_PRECEDENCE = new Map([
  ['|', 1],
  ['^', 2],
  ['&', 3],
  ['<<', 4],
  ['>>', 4],
  ['+', 5],
  ['-', 5],
  ['*', 6],
  ['/', 6],
  ['//', 6],
  ['%', 6],
  ['@', 6],
]);

function binary(p: Parser, minPrecedence: number): Node | null {
  const a = p.mark;
  let left = factor(p);
  if (!left) return null;
  for (;;) {
    const m = p.mark;
    const t = p.peek();
    const precedence = t.type === OP ? BINARY_PRECEDENCE.get(t.text) : undefined;
    if (precedence === undefined || precedence < minPrecedence) break;
    p.mark++;
    const right = binary(p, precedence + 1);
    if (!right) {
      p.mark = m;
      break;
    }
    left = { k: 'BinOp', a, b: p.mark - 1, l: [left, right] };
  }
  return left;
}

export function bitwiseOr(p: Parser): Node | null {
  return binary(p, 1);
}

function factor(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.Factor);
  if (hit !== MISS) return hit as Node | null;
  const t = p.peek();
  let node: Node | null;
  if (t.type === OP && (t.text === '+' || t.text === '-' || t.text === '~')) {
    p.mark++;
    const v = factor(p);
    node = v ? mk('UnaryOp', a, p, { v }) : null;
  } else node = power(p);
  if (!node) p.mark = a;
  p.remember(MemoRule.Factor, a, node);
  return node;
}

function power(p: Parser): Node | null {
  const a = p.mark;
  const base = awaitPrimary(p);
  if (!base) return null;
  const m = p.mark;
  if (p.op('**')) {
    const exponent = factor(p);
    if (exponent) return mk('BinOp', a, p, { l: [base, exponent] });
    p.mark = m;
  }
  return base;
}

function awaitPrimary(p: Parser): Node | null {
  const a = p.mark;
  const hit = p.recall(MemoRule.AwaitPrimary);
  if (hit !== MISS) return hit as Node | null;
  let node: Node | null;
  if (p.kw('await')) {
    const v = primary(p);
    node = v ? mk('Await', a, p, { v }) : null;
  } else node = primary(p);
  if (!node) p.mark = a;
  p.remember(MemoRule.AwaitPrimary, a, node);
  return node;
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
