// The grammar's invalid_ rules: tried only in the second pass, after the first has failed, each
// raises CPython's specific message when its pattern matches (or just fails, leaving the generic
// "invalid syntax"). The order of the calls in parse-*.ts follows the grammar, as PEG order decides
// which message wins.
import { gather, many, MemoRule, type Node, type ParamStyle, type Parser } from './parser-core';
import { g } from './grammar';
import { NAME, STRING } from './tokenize';
import { exprName, invalidTarget, type TargetsType } from './messages';

const SOFT_KEYWORDS = new Set(['match', 'case', '_']);
const AUGASSIGN = new Set(['+=', '-=', '*=', '@=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '**=', '//=']);

function isLegacy(e: Node): boolean {
  return e.k === 'Name' && (e.id === 'print' || e.id === 'exec');
}

/** RAISE_SYNTAX_ERROR_INVALID_TARGET: raises when part of `e` cannot be a target, else the rule fails. */
function raiseInvalidTarget(p: Parser, type: TargetsType, e: Node): void {
  const bad = invalidTarget(e, type);
  if (bad) p.raiseAt(bad, `${type === 'del' ? 'cannot delete' : 'cannot assign to'} ${exprName(bad)}`);
}

function invalidExpression(p: Parser): void {
  const a = p.mark;
  const t = p.peek();
  const excluded =
    (t.type === NAME && p.peekAt(a + 1).type === STRING) || (t.type === NAME && SOFT_KEYWORDS.has(t.text));
  if (!excluded) {
    const first = g.disjunction(p);
    if (first && g.expressionWithoutInvalid(p)) {
      if (!isLegacy(first) && p.tokens[p.mark - 1].level !== 0)
        p.raiseAt(first, 'invalid syntax. Perhaps you forgot a comma?');
    }
  }
  p.mark = a;
  const body = g.disjunction(p);
  if (body && p.kw('if') && g.disjunction(p) && !p.isKw('else') && !p.isOp(':')) {
    p.raiseAt(body, "expected 'else' after 'if' expression");
  }
}

function invalidLegacyExpression(p: Parser): void {
  const name = p.name();
  if (!name || p.isOp('(')) return;
  if (g.starExpressions(p) && isLegacy(name)) {
    p.raiseAt(name, `Missing parentheses in call to '${name.id}'. Did you mean ${name.id}(...)?`);
  }
}

function isListOrTupleOrGenexp(p: Parser): boolean {
  const t = p.peek();
  if (t.type !== NAME && (t.text === 'True' || t.text === 'None' || t.text === 'False')) return true;
  if (t.text !== '(' && t.text !== '[') return false;
  const a = p.mark;
  const e = g.expression(p);
  p.mark = a;
  return e !== null && (e.k === 'List' || e.k === 'Tuple' || e.k === 'GeneratorExp') && p.tokens[e.a].text === t.text;
}

function invalidNamedExpression(p: Parser): void {
  p.memoized(MemoRule.InvalidNamedExpression, () => {
    const a = p.mark;
    const target = g.expression(p);
    if (target && p.op(':=') && g.expression(p))
      p.raiseAt(target, `cannot use assignment expressions with ${exprName(target)}`);
    p.mark = a;
    const name = p.name();
    if (name && p.op('=') && g.bitwiseOr(p) && !p.isOp('=') && !p.isOp(':=')) {
      p.raiseAt(name, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    }
    p.mark = a;
    if (!isListOrTupleOrGenexp(p)) {
      const left = g.bitwiseOr(p);
      if (left && p.op('=') && g.bitwiseOr(p) && !p.isOp('=') && !p.isOp(':=')) {
        p.raiseAt(left, `cannot assign to ${exprName(left)} here. Maybe you meant '==' instead of '='?`);
      }
    }
    return null;
  });
}

function invalidAnnAssignTarget(p: Parser): Node | null {
  const a = p.mark;
  const e = g.expression(p);
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

function invalidAssignment(p: Parser): void {
  const a = p.mark;
  const annTarget = invalidAnnAssignTarget(p);
  if (annTarget && p.op(':') && g.expression(p))
    p.raiseAt(annTarget, `only single target (not ${exprName(annTarget)}) can be annotated`);
  p.mark = a;
  const first = g.starNamedExpression(p);
  if (first && p.op(',')) {
    while (g.starNamedExpressions(p));
    if (p.op(':') && g.expression(p)) p.raiseAt(first, 'only single target (not tuple) can be annotated');
  }
  p.mark = a;
  const annotated = g.expression(p);
  if (annotated && p.op(':') && g.expression(p)) p.raiseAt(annotated, 'illegal target for annotation');
  p.mark = a;
  const skipTargets = (): void => {
    for (;;) {
      const m = p.mark;
      if (!g.starTargets(p) || !p.op('=')) {
        p.mark = m;
        return;
      }
    }
  };
  skipTargets();
  const value = g.starExpressions(p);
  if (value && p.op('=')) raiseInvalidTarget(p, 'star', value);
  p.mark = a;
  skipTargets();
  const y = g.yieldExpr(p);
  if (y && p.op('=')) p.raiseAt(y, 'assignment to yield expression not possible');
  p.mark = a;
  const augTarget = g.starExpressions(p);
  if (augTarget && AUGASSIGN.has(p.peek().text) && p.peek().type !== STRING) {
    p.mark++;
    if (g.yieldExpr(p) ?? g.starExpressions(p))
      p.raiseAt(augTarget, `'${exprName(augTarget)}' is an illegal expression for augmented assignment`);
  }
}

function invalidDelStmt(p: Parser): void {
  if (!p.kw('del')) return;
  const e = g.starExpressions(p);
  if (e) raiseInvalidTarget(p, 'del', e);
}

function invalidComprehension(p: Parser): void {
  const a = p.mark;
  const open = p.peek().text;
  if (!(p.op('[') || p.op('(') || p.op('{'))) return;
  const starred = g.starredExpression(p);
  if (starred && g.forIfClauses(p)) p.raiseAt(starred, 'iterable unpacking cannot be used in comprehension');
  if (open === '(') return;
  p.mark = a + 1;
  const first = g.starNamedExpression(p);
  if (!first || !p.op(',')) return;
  const m = p.mark;
  if (g.starNamedExpressions(p) && g.forIfClauses(p))
    p.raiseAt(first, 'did you forget parentheses around the comprehension target?');
  p.mark = m;
  if (g.forIfClauses(p)) p.raiseAt(first, 'did you forget parentheses around the comprehension target?');
}

function invalidDictComprehension(p: Parser): void {
  if (!p.op('{')) return;
  const star = p.mark;
  if (p.op('**') && g.bitwiseOr(p) && g.forIfClauses(p) && p.op('}'))
    p.raiseAt(star, 'dict unpacking cannot be used in dict comprehension');
}

function invalidParameters(p: Parser, style: ParamStyle): void {
  const a = p.mark;
  const lambda = style.close === ':';
  many(p, () => g.paramNoDefault(p, style));
  if (g.slashWithDefault(p, style) || many(p, () => g.paramWithDefault(p, style)).length > 0) {
    const bad = p.mark;
    if (g.paramNoDefault(p, style)) p.raiseAt(bad, 'non-default argument follows default argument');
  }
  p.mark = a;
  many(p, () => g.paramNoDefault(p, style));
  const paren = p.mark;
  if (p.op('(')) {
    const inner = lambda ? gather(p, (q) => g.param(q, style)) : many(p, () => g.paramNoDefault(p, style));
    if (inner && inner.length > 0) {
      p.op(',');
      if (p.op(')'))
        p.raiseAt(paren, `${lambda ? 'Lambda expression parameters' : 'Function parameters'} cannot be parenthesized`);
    }
  }
  p.mark = a;
  if (p.op('/') && p.op(',')) p.raiseAt(a, 'at least one argument must precede /');
  p.mark = a;
  if (g.slashNoDefault(p, style) || g.slashWithDefault(p, style)) {
    many(p, () => g.paramMaybeDefault(p, style));
    if (p.isOp('/')) p.raiseAt(p.mark, '/ may appear only once');
  }
  p.mark = a;
  if (!g.slashNoDefault(p, style)) g.slashWithDefault(p, style);
  many(p, () => g.paramMaybeDefault(p, style));
  if (p.op('*') && (p.op(',') || g.paramNoDefault(p, style))) {
    many(p, () => g.paramMaybeDefault(p, style));
    if (p.isOp('/')) p.raiseAt(p.mark, '/ must be ahead of *');
  }
  p.mark = a;
  if (many(p, () => g.paramMaybeDefault(p, style)).length > 0 && p.op('/') && p.isOp('*'))
    p.raiseAt(p.mark, 'expected comma between / and *');
}

function invalidDefault(p: Parser): void {
  const a = p.mark;
  if (p.op('=') && (p.isOp(')') || p.isOp(','))) p.raiseAt(a, 'expected default value expression');
}

function invalidStarEtc(p: Parser, style: ParamStyle): void {
  const a = p.mark;
  if (!p.op('*')) return;
  const close = style.close;
  if (p.isOp(close) || (p.op(',') && (p.isOp(close) || p.isOp('**')))) {
    if (close === ':') p.raise('named arguments must follow bare *');
    p.raiseAt(a, 'named arguments must follow bare *');
  }
  p.mark = a + 1;
  if (g.param(p, style) && p.isOp('=')) p.raiseAt(p.mark, 'var-positional argument cannot have default value');
  p.mark = a + 1;
  if (g.paramNoDefault(p, style) || p.op(',')) {
    many(p, () => g.paramMaybeDefault(p, style));
    const star = p.mark;
    if (p.op('*') && (g.paramNoDefault(p, style) || p.op(','))) p.raiseAt(star, '* argument may appear only once');
  }
}

function invalidKwds(p: Parser, style: ParamStyle): void {
  if (!p.op('**') || !g.param(p, style)) return;
  if (p.isOp('=')) p.raiseAt(p.mark, 'var-keyword argument cannot have default value');
  if (!p.op(',')) return;
  const at = p.mark;
  if (g.param(p, style) || p.op('*') || p.op('**') || p.op('/'))
    p.raiseAt(at, 'arguments cannot follow var-keyword argument');
}

function invalidWithItem(p: Parser): void {
  if (!g.expression(p) || !p.kw('as')) return;
  const target = g.expression(p);
  if (target && (p.isOp(',') || p.isOp(')') || p.isOp(':'))) raiseInvalidTarget(p, 'star', target);
}

function invalidForTarget(p: Parser): void {
  p.kw('async');
  if (!p.kw('for')) return;
  const e = g.starExpressions(p);
  if (e) raiseInvalidTarget(p, 'for', e);
}

function invalidGroup(p: Parser): void {
  const a = p.mark;
  if (!p.op('(')) return;
  const starred = g.starredExpression(p);
  if (starred && p.op(')')) p.raiseAt(starred, 'cannot use starred expression here');
  p.mark = a + 1;
  if (p.op('**') && g.expression(p) && p.op(')')) p.raiseAt(a + 1, 'cannot use double starred expression here');
}

function invalidImportFromTargets(p: Parser): void {
  if (g.importFromAsNames(p) !== null && p.op(',') && p.isNewline())
    p.raise('trailing comma not allowed without surrounding parentheses');
}

function invalidDoubleStarredKvpairs(p: Parser): void {
  const a = p.mark;
  if (gather(p, g.doubleStarredKvpair) && p.op(',')) invalidKvpair(p);
  p.mark = a;
  if (g.expression(p)) {
    const colon = p.mark;
    if (p.op(':')) {
      const star = p.mark;
      if (p.op('*') && g.bitwiseOr(p)) p.raiseAt(star, 'cannot use a starred expression in a dictionary value');
      p.mark = colon + 1;
      if (p.isOp('}') || p.isOp(',')) p.raiseAt(colon, "expression expected after dictionary key and ':'");
    }
  }
}

function invalidKvpair(p: Parser): void {
  const a = p.mark;
  const key = g.expression(p);
  if (!key) return;
  if (!p.isOp(':')) {
    const last = p.tokens[key.b];
    p.raiseAtPosition("':' expected after dictionary key", last.endLine, last.endCol);
  }
  p.mark = a;
  if (g.expression(p) && p.op(':')) {
    const colon = p.mark - 1;
    const star = p.mark;
    if (p.op('*') && g.bitwiseOr(p)) p.raiseAt(star, 'cannot use a starred expression in a dictionary value');
    p.mark = colon + 1;
    if (p.isOp('}') || p.isOp(',')) p.raiseAt(colon, "expression expected after dictionary key and ':'");
  }
}

function invalidKwarg(p: Parser): void {
  const a = p.mark;
  const t = p.peek();
  if (t.type !== NAME && (t.text === 'True' || t.text === 'False' || t.text === 'None')) {
    p.mark++;
    if (p.op('=')) p.raiseAt(a, `cannot assign to ${t.text}`);
    p.mark = a;
  }
  if (p.name() && p.op('=') && g.expression(p) && g.forIfClauses(p)) {
    p.raiseAt(a, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  p.mark = a;
  if (p.name() && p.isOp('=')) return;
  p.mark = a;
  const e = g.expression(p);
  if (e && p.isOp('=')) p.raiseAt(e, 'expression cannot contain assignment, perhaps you meant "=="?');
}

function invalidArguments(p: Parser): void {
  const a = p.mark;
  const args = g.argsRule(p);
  if (args && args.kw.length > 0 && p.op(',') && p.isOp('*'))
    p.raiseAt(p.mark, 'iterable argument unpacking follows keyword argument unpacking');
  p.mark = a;
  const e = g.expression(p);
  if (e && g.forIfClauses(p) && p.op(',')) {
    const m = p.mark;
    if (!g.argsRule(p)) {
      p.mark = m;
      if (!(g.expression(p) && g.forIfClauses(p))) p.mark = m;
    }
    p.raiseAt(e, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  if (p.name() && p.op('=') && g.expression(p) && g.forIfClauses(p)) {
    p.raiseAt(a, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
  }
  p.mark = a;
  const withGen = g.argsRule(p);
  if (withGen && g.forIfClauses(p) && withGen.l.length > 1) {
    p.raiseAt(withGen.l[withGen.l.length - 1]!, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  if (g.argsRule(p) && p.op(',')) {
    const genAt = g.expression(p);
    if (genAt && g.forIfClauses(p)) p.raiseAt(genAt, 'Generator expression must be parenthesized');
  }
  p.mark = a;
  const before = g.argsRule(p);
  if (before && p.op(',') && g.argsRule(p)) {
    const unpacking = before.kw.some((k) => k.name === null);
    p.raise(
      unpacking
        ? 'positional argument follows keyword argument unpacking'
        : 'positional argument follows keyword argument',
    );
  }
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const invalidRules = {
  invalidExpression,
  invalidLegacyExpression,
  invalidNamedExpression,
  invalidAssignment,
  invalidDelStmt,
  invalidComprehension,
  invalidDictComprehension,
  invalidParameters,
  invalidDefault,
  invalidStarEtc,
  invalidKwds,
  invalidWithItem,
  invalidForTarget,
  invalidGroup,
  invalidImportFromTargets,
  invalidDoubleStarredKvpairs,
  invalidKwarg,
  invalidArguments,
};
