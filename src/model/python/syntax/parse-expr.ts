// Expressions, as CPython 3.11's Grammar/python.gram writes them (rule names kept, so each function
// can be read beside its rule). Left-recursive rules are loops; `(memo)` rules go through the
// parser's memo tables. A function returns its node, or null with the mark where it was.
import { gather, MemoRule, MISS, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { OP } from './tokenize';

const COMPARE_OPS = new Set(['==', '!=', '<=', '<', '>=', '>']);

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

function expressions(p: Parser): Node | null {
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

function expression(p: Parser): Node | null {
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
    g.invalidExpression(p);
    p.mark = a;
    g.invalidLegacyExpression(p);
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
  return g.lambdef(p);
}

/**
 * expression_without_invalid: expression with the invalid_ rules off. What it parses is not kept
 * in the memo tables, so the rules that follow still see those positions with the invalid_ rules on.
 */
function expressionWithoutInvalid(p: Parser): Node | null {
  // With the invalid_ rules off, expressionUncached is exactly the rule's plain alternatives.
  return p.withoutInvalidRules(() => expressionUncached(p, p.mark));
}

function yieldExpr(p: Parser): Node | null {
  const a = p.mark;
  if (!p.kw('yield')) return null;
  if (p.kw('from')) {
    const v = expression(p);
    if (v) return mk('YieldFrom', a, p, { v });
    p.mark = a + 1;
  }
  return mk('Yield', a, p, { v: starExpressions(p) });
}

function starExpressions(p: Parser): Node | null {
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

function starExpression(p: Parser): Node | null {
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

function starNamedExpressions(p: Parser): Node[] | null {
  const items = gather(p, starNamedExpression);
  if (items) p.op(',');
  return items;
}

function starNamedExpression(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('*')) {
    const v = bitwiseOr(p);
    if (v) return mk('Starred', a, p, { v });
    p.mark = a;
  }
  return namedExpression(p);
}

function assignmentExpression(p: Parser): Node | null {
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

function namedExpression(p: Parser): Node | null {
  const a = p.mark;
  const assigned = assignmentExpression(p);
  if (assigned) return assigned;
  if (p.invalidPass) {
    g.invalidNamedExpression(p);
    p.mark = a;
  }
  const e = expression(p);
  if (e && !p.isOp(':=')) return e;
  p.mark = a;
  return null;
}

/** `(assignment_expression | expression !':=')`, the form a genexp element and an argument take. */
function namedOrPlain(p: Parser): Node | null {
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

function disjunction(p: Parser): Node | null {
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

function bitwiseOr(p: Parser): Node | null {
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
    const v = g.primary(p);
    node = v ? mk('Await', a, p, { v }) : null;
  } else node = g.primary(p);
  if (!node) p.mark = a;
  p.remember(MemoRule.AwaitPrimary, a, node);
  return node;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const exprRules = {
  expression,
  expressions,
  expressionWithoutInvalid,
  yieldExpr,
  starExpression,
  starExpressions,
  starNamedExpression,
  starNamedExpressions,
  namedExpression,
  namedOrPlain,
  disjunction,
  bitwiseOr,
};
