// The grammar's invalid_ rules: tried only in the second pass, after the first has failed, each
// raises CPython's specific message when its pattern matches (or just fails, leaving the generic
// "invalid syntax"). The order of the calls in parse-*.ts follows the grammar, as PEG order decides
// which message wins.
import { MemoRule, type Node, type Parser } from './parser-core';
import { NAME, STRING } from './tokenize';
import {
  bitwiseOr,
  disjunction,
  expression,
  expressionWithoutInvalid,
  gather,
  starExpressions,
  starNamedExpression,
  starNamedExpressions,
  yieldExpr,
} from './parse-expr';
import { argsRule, doubleStarredKvpair, forIfClauses, starredExpression } from './parse-atoms';
import { starTargets } from './parse-targets';
import {
  many,
  param,
  paramMaybeDefault,
  paramNoDefault,
  paramWithDefault,
  slashNoDefault,
  slashWithDefault,
  type ParamStyle,
} from './parse-params';
import { importFromAsNames } from './parse-stmt';
import { exprName, invalidTarget, type TargetsType } from './messages';

const SOFT_KEYWORDS = new Set(['match', 'case', '_']);
const AUGASSIGN = new Set(['+=', '-=', '*=', '@=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '**=', '//=']);

function isLegacy(e: Node): boolean {
  return e.k === 'Name' && (e.id === 'print' || e.id === 'exec');
}

/** RAISE_SYNTAX_ERROR_INVALID_TARGET: raises when part of `e` cannot be a target, else the rule fails. */
export function raiseInvalidTarget(p: Parser, type: TargetsType, e: Node): void {
  const bad = invalidTarget(e, type);
  if (bad) p.raiseAt(bad, `${type === 'del' ? 'cannot delete' : 'cannot assign to'} ${exprName(bad)}`);
}

export function invalidExpression(p: Parser): void {
  const a = p.mark;
  const t = p.peek();
  const excluded =
    (t.type === NAME && p.peekAt(a + 1).type === STRING) || (t.type === NAME && SOFT_KEYWORDS.has(t.text));
  if (!excluded) {
    const first = disjunction(p);
    if (first && expressionWithoutInvalid(p)) {
      if (!isLegacy(first) && p.tokens[p.mark - 1].level !== 0)
        p.raiseAt(first, 'invalid syntax. Perhaps you forgot a comma?');
    }
  }
  p.mark = a;
  const body = disjunction(p);
  if (body && p.kw('if') && disjunction(p) && !p.isKw('else') && !p.isOp(':')) {
    p.raiseAt(body, "expected 'else' after 'if' expression");
  }
}

export function invalidLegacyExpression(p: Parser): void {
  const name = p.name();
  if (!name || p.isOp('(')) return;
  if (starExpressions(p) && isLegacy(name)) {
    p.raiseAt(name, `Missing parentheses in call to '${name.id}'. Did you mean ${name.id}(...)?`);
  }
}

function isListOrTupleOrGenexp(p: Parser): boolean {
  const t = p.peek();
  if (t.type !== NAME && (t.text === 'True' || t.text === 'None' || t.text === 'False')) return true;
  if (t.text !== '(' && t.text !== '[') return false;
  const a = p.mark;
  const e = expression(p);
  p.mark = a;
  return e !== null && (e.k === 'List' || e.k === 'Tuple' || e.k === 'GeneratorExp') && p.tokens[e.a].text === t.text;
}

export function invalidNamedExpression(p: Parser): void {
  p.memoized(MemoRule.InvalidNamedExpression, () => {
    const a = p.mark;
    const target = expression(p);
    if (target && p.op(':=') && expression(p))
      p.raiseAt(target, `cannot use assignment expressions with ${exprName(target)}`);
    p.mark = a;
    const name = p.name();
    if (name && p.op('=') && bitwiseOr(p) && !p.isOp('=') && !p.isOp(':=')) {
      p.raiseAt(name, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    }
    p.mark = a;
    if (!isListOrTupleOrGenexp(p)) {
      const left = bitwiseOr(p);
      if (left && p.op('=') && bitwiseOr(p) && !p.isOp('=') && !p.isOp(':=')) {
        p.raiseAt(left, `cannot assign to ${exprName(left)} here. Maybe you meant '==' instead of '='?`);
      }
    }
    return null;
  });
}

function invalidAnnAssignTarget(p: Parser): Node | null {
  const a = p.mark;
  const e = expression(p);
  if (e && (e.k === 'List' || e.k === 'Tuple') && (p.tokens[a].text === '(' || p.tokens[a].text === '[')) {
    p.mark = e.b + 1;
    return e;
  }
  p.mark = a;
  if (p.op('(')) {
    const inner = invalidAnnAssignTarget(p);
    if (inner && p.op(')')) return inner;
  }
  p.mark = a;
  return null;
}

export function invalidAssignment(p: Parser): void {
  const a = p.mark;
  const annTarget = invalidAnnAssignTarget(p);
  if (annTarget && p.op(':') && expression(p))
    p.raiseAt(annTarget, `only single target (not ${exprName(annTarget)}) can be annotated`);
  p.mark = a;
  const first = starNamedExpression(p);
  if (first && p.op(',')) {
    while (starNamedExpressions(p));
    if (p.op(':') && expression(p)) p.raiseAt(first, 'only single target (not tuple) can be annotated');
  }
  p.mark = a;
  const annotated = expression(p);
  if (annotated && p.op(':') && expression(p)) p.raiseAt(annotated, 'illegal target for annotation');
  p.mark = a;
  const skipTargets = (): void => {
    for (;;) {
      const m = p.mark;
      if (!starTargets(p) || !p.op('=')) {
        p.mark = m;
        return;
      }
    }
  };
  skipTargets();
  const value = starExpressions(p);
  if (value && p.op('=')) raiseInvalidTarget(p, 'star', value);
  p.mark = a;
  skipTargets();
  const y = yieldExpr(p);
  if (y && p.op('=')) p.raiseAt(y, 'assignment to yield expression not possible');
  p.mark = a;
  const augTarget = starExpressions(p);
  if (augTarget && AUGASSIGN.has(p.peek().text) && p.peek().type !== STRING) {
    p.mark++;
    if (yieldExpr(p) ?? starExpressions(p))
      p.raiseAt(augTarget, `'${exprName(augTarget)}' is an illegal expression for augmented assignment`);
  }
}

export function invalidDelStmt(p: Parser): void {
  if (!p.kw('del')) return;
  const e = starExpressions(p);
  if (e) raiseInvalidTarget(p, 'del', e);
}

export function invalidComprehension(p: Parser): void {
  const a = p.mark;
  const open = p.peek().text;
  if (!(p.op('[') || p.op('(') || p.op('{'))) return;
  const starred = starredExpression(p);
  if (starred && forIfClauses(p)) p.raiseAt(starred, 'iterable unpacking cannot be used in comprehension');
  if (open === '(') return;
  p.mark = a + 1;
  const first = starNamedExpression(p);
  if (!first || !p.op(',')) return;
  const m = p.mark;
  if (starNamedExpressions(p) && forIfClauses(p))
    p.raiseAt(first, 'did you forget parentheses around the comprehension target?');
  p.mark = m;
  if (forIfClauses(p)) p.raiseAt(first, 'did you forget parentheses around the comprehension target?');
}

export function invalidDictComprehension(p: Parser): void {
  if (!p.op('{')) return;
  const star = p.mark;
  if (p.op('**') && bitwiseOr(p) && forIfClauses(p) && p.op('}'))
    p.raiseAt(star, 'dict unpacking cannot be used in dict comprehension');
}

export function invalidParameters(p: Parser, style: ParamStyle): void {
  const a = p.mark;
  const lambda = style.close === ':';
  many(p, () => paramNoDefault(p, style));
  if (slashWithDefault(p, style) || many(p, () => paramWithDefault(p, style)).length > 0) {
    const bad = p.mark;
    if (paramNoDefault(p, style)) p.raiseAt(bad, 'non-default argument follows default argument');
  }
  p.mark = a;
  many(p, () => paramNoDefault(p, style));
  const paren = p.mark;
  if (p.op('(')) {
    const inner = lambda ? gather(p, (q) => param(q, style)) : many(p, () => paramNoDefault(p, style));
    if (inner && inner.length > 0) {
      p.op(',');
      if (p.op(')'))
        p.raiseAt(paren, `${lambda ? 'Lambda expression parameters' : 'Function parameters'} cannot be parenthesized`);
    }
  }
  p.mark = a;
  if (p.op('/') && p.op(',')) p.raiseAt(a, 'at least one argument must precede /');
  p.mark = a;
  if (slashNoDefault(p, style) || slashWithDefault(p, style)) {
    many(p, () => paramMaybeDefault(p, style));
    if (p.isOp('/')) p.raiseAt(p.mark, '/ may appear only once');
  }
  p.mark = a;
  if (!slashNoDefault(p, style)) slashWithDefault(p, style);
  many(p, () => paramMaybeDefault(p, style));
  if (p.op('*') && (p.op(',') || paramNoDefault(p, style))) {
    many(p, () => paramMaybeDefault(p, style));
    if (p.isOp('/')) p.raiseAt(p.mark, '/ must be ahead of *');
  }
  p.mark = a;
  if (many(p, () => paramMaybeDefault(p, style)).length > 0 && p.op('/') && p.isOp('*'))
    p.raiseAt(p.mark, 'expected comma between / and *');
}

export function invalidDefault(p: Parser): void {
  const a = p.mark;
  if (p.op('=') && (p.isOp(')') || p.isOp(','))) p.raiseAt(a, 'expected default value expression');
}

export function invalidStarEtc(p: Parser, style: ParamStyle): void {
  const a = p.mark;
  if (!p.op('*')) return;
  const close = style.close;
  if (p.isOp(close) || (p.op(',') && (p.isOp(close) || p.isOp('**')))) {
    if (close === ':') p.raise('named arguments must follow bare *');
    p.raiseAt(a, 'named arguments must follow bare *');
  }
  p.mark = a + 1;
  if (param(p, style) && p.isOp('=')) p.raiseAt(p.mark, 'var-positional argument cannot have default value');
  p.mark = a + 1;
  if (paramNoDefault(p, style) || p.op(',')) {
    many(p, () => paramMaybeDefault(p, style));
    const star = p.mark;
    if (p.op('*') && (paramNoDefault(p, style) || p.op(','))) p.raiseAt(star, '* argument may appear only once');
  }
}

export function invalidKwds(p: Parser, style: ParamStyle): void {
  if (!p.op('**') || !param(p, style)) return;
  if (p.isOp('=')) p.raiseAt(p.mark, 'var-keyword argument cannot have default value');
  if (!p.op(',')) return;
  const at = p.mark;
  if (param(p, style) || p.op('*') || p.op('**') || p.op('/'))
    p.raiseAt(at, 'arguments cannot follow var-keyword argument');
}

export function invalidWithItem(p: Parser): void {
  if (!expression(p) || !p.kw('as')) return;
  const target = expression(p);
  if (target && (p.isOp(',') || p.isOp(')') || p.isOp(':'))) raiseInvalidTarget(p, 'star', target);
}

export function invalidForTarget(p: Parser): void {
  p.kw('async');
  if (!p.kw('for')) return;
  const e = starExpressions(p);
  if (e) raiseInvalidTarget(p, 'for', e);
}

export function invalidGroup(p: Parser): void {
  const a = p.mark;
  if (!p.op('(')) return;
  const starred = starredExpression(p);
  if (starred && p.op(')')) p.raiseAt(starred, 'cannot use starred expression here');
  p.mark = a + 1;
  if (p.op('**') && expression(p) && p.op(')')) p.raiseAt(a + 1, 'cannot use double starred expression here');
}

export function invalidImportFromTargets(p: Parser): void {
  if (importFromAsNames(p) !== null && p.op(',') && p.isNewline())
    p.raise('trailing comma not allowed without surrounding parentheses');
}

export function invalidDoubleStarredKvpairs(p: Parser): void {
  const a = p.mark;
  if (gather(p, doubleStarredKvpair) && p.op(',')) invalidKvpair(p);
  p.mark = a;
  if (expression(p)) {
    const colon = p.mark;
    if (p.op(':')) {
      const star = p.mark;
      if (p.op('*') && bitwiseOr(p)) p.raiseAt(star, 'cannot use a starred expression in a dictionary value');
      p.mark = colon + 1;
      if (p.isOp('}') || p.isOp(',')) p.raiseAt(colon, "expression expected after dictionary key and ':'");
    }
  }
}

function invalidKvpair(p: Parser): void {
  const a = p.mark;
  const key = expression(p);
  if (!key) return;
  if (!p.isOp(':')) {
    const last = p.tokens[key.b];
    p.raiseAtPosition("':' expected after dictionary key", last.endLine, last.endCol);
  }
  p.mark = a;
  if (expression(p) && p.op(':')) {
    const colon = p.mark - 1;
    const star = p.mark;
    if (p.op('*') && bitwiseOr(p)) p.raiseAt(star, 'cannot use a starred expression in a dictionary value');
    p.mark = colon + 1;
    if (p.isOp('}') || p.isOp(',')) p.raiseAt(colon, "expression expected after dictionary key and ':'");
  }
}

export function invalidKwarg(p: Parser): void {
  const a = p.mark;
  const t = p.peek();
  if (t.type !== NAME && (t.text === 'True' || t.text === 'False' || t.text === 'None')) {
    p.mark++;
    if (p.op('=')) p.raiseAt(a, `cannot assign to ${t.text}`);
    p.mark = a;
  }
  if (p.name() && p.op('=') && expression(p) && forIfClauses(p)) {
    p.raiseAt(a, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  p.mark = a;
  if (p.name() && p.isOp('=')) return;
  p.mark = a;
  const e = expression(p);
  if (e && p.isOp('=')) p.raiseAt(e, 'expression cannot contain assignment, perhaps you meant "=="?');
}

export function invalidArguments(p: Parser): void {
  const a = p.mark;
  const args = argsRule(p);
  if (args && args.kw.length > 0 && p.op(',') && p.isOp('*'))
    p.raiseAt(p.mark, 'iterable argument unpacking follows keyword argument unpacking');
  p.mark = a;
  const e = expression(p);
  if (e && forIfClauses(p) && p.op(',')) {
    const m = p.mark;
    if (!argsRule(p)) {
      p.mark = m;
      if (!(expression(p) && forIfClauses(p))) p.mark = m;
    }
    p.raiseAt(e, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  if (p.name() && p.op('=') && expression(p) && forIfClauses(p)) {
    p.raiseAt(a, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  p.mark = a;
  const withGen = argsRule(p);
  if (withGen && forIfClauses(p) && withGen.l.length > 1) {
    p.raiseAt(withGen.l[withGen.l.length - 1]!, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  if (argsRule(p) && p.op(',')) {
    const genAt = expression(p);
    if (genAt && forIfClauses(p)) p.raiseAt(genAt, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  const before = argsRule(p);
  if (before && p.op(',') && argsRule(p)) {
    const unpacking = before.kw.some((k) => k.name === null);
    p.raise(
      unpacking
        ? 'positional argument follows keyword argument unpacking'
        : 'positional argument follows keyword argument',
    );
  }
}
