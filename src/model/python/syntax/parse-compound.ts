// Compound statements: def, class, if, while, for, with, try, match (Grammar/python.gram,
// "Compound statements"). Same conventions as parse-stmt.ts.
import { DEF_STYLE, gather, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { DEDENT, INDENT, NAME, NEWLINE, OP } from './tokenize';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

function decorators(p: Parser): Node[] {
  const found: Node[] = [];
  for (;;) {
    const m = p.mark;
    if (!p.op('@')) break;
    const d = g.namedExpression(p);
    if (!d || !p.type(NEWLINE)) {
      p.mark = m;
      break;
    }
    found.push(d);
  }
  return found;
}

function compoundStmt(p: Parser): Node | null {
  const t = p.peek();
  const a = p.mark;
  if (t.type === OP) {
    if (t.text !== '@') return null;
    const decos = decorators(p);
    const def = decos.length > 0 ? (functionDefRaw(p) ?? classDefRaw(p)) : null;
    if (def) def.decorators = decos;
    if (!def) p.mark = a;
    return def;
  }
  if (t.type === NAME) return t.text === 'match' ? matchStmt(p) : null;
  switch (t.text) {
    case 'def':
      return functionDefRaw(p);
    case 'if':
      return ifStmt(p, 'if');
    case 'class':
      return classDefRaw(p);
    case 'with':
      return withStmt(p);
    case 'for':
      return forStmt(p);
    case 'try':
      return tryStmt(p);
    case 'while':
      return whileStmt(p);
    case 'async':
      return functionDefRaw(p) ?? withStmt(p) ?? forStmt(p);
    default:
      return null;
  }
}

function classDefRaw(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidClassDefRaw(p);
    p.mark = a;
  }
  if (!p.kw('class')) return null;
  const name = p.name();
  if (!name) {
    p.mark = a;
    return null;
  }
  let bases: Node[] = [];
  let kw: Node['kw'] = [];
  const m = p.mark;
  if (p.op('(')) {
    const args = g.argumentsRule(p);
    if (p.op(')')) {
      bases = args?.l ?? [];
      kw = args?.kw ?? [];
    } else p.mark = m;
  }
  if (!p.op(':')) {
    p.mark = a;
    return null;
  }
  const body = g.block(p);
  if (!body) {
    p.mark = a;
    return null;
  }
  return mk('ClassDef', a, p, { id: name.id, l: bases, kw, body });
}

function functionDefRaw(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidDefRaw(p);
    p.mark = a;
  }
  const isAsync = p.kw('async');
  if (!p.kw('def')) {
    p.mark = a;
    return null;
  }
  const name = p.name();
  if (!name) {
    p.mark = a;
    return null;
  }
  p.forced('(');
  const params = g.parameters(p, DEF_STYLE);
  if (!p.op(')')) {
    p.mark = a;
    return null;
  }
  let returns: Node | null = null;
  const m = p.mark;
  if (p.op('->')) {
    returns = g.expression(p);
    if (!returns) p.mark = m;
  }
  p.forced(':');
  const body = g.block(p);
  if (!body) {
    p.mark = a;
    return null;
  }
  return mk('FunctionDef', a, p, { id: name.id, params: params ?? undefined, t: returns, body, isAsync });
}

/** if_stmt / elif_stmt: the keyword decides which. */
function ifStmt(p: Parser, keyword: 'if' | 'elif'): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidIfStmt(p, keyword);
    p.mark = a;
  }
  if (!p.kw(keyword)) return null;
  const test = g.namedExpression(p);
  const body = test && p.op(':') ? g.block(p) : null;
  if (!test || !body) {
    p.mark = a;
    return null;
  }
  if (p.isKw('elif')) {
    const m = p.mark;
    const elif = ifStmt(p, 'elif');
    if (elif) return mk('If', a, p, { v: test, body, orelse: [elif] });
    p.mark = m;
  }
  return mk('If', a, p, { v: test, body, orelse: elseBlock(p) ?? [] });
}

function elseBlock(p: Parser): Node[] | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidBlockAfter(p, 'else', "'else' statement");
    p.mark = a;
  }
  if (!p.kw('else')) return null;
  p.forced(':');
  const body = g.block(p);
  if (!body) p.mark = a;
  return body;
}

function whileStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidWhileStmt(p);
    p.mark = a;
  }
  p.mark++;
  const test = g.namedExpression(p);
  const body = test && p.op(':') ? g.block(p) : null;
  if (!test || !body) {
    p.mark = a;
    return null;
  }
  return mk('While', a, p, { v: test, body, orelse: elseBlock(p) ?? [] });
}

function forStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidForStmt(p);
    p.mark = a;
  }
  const isAsync = p.kw('async');
  if (p.kw('for')) {
    const target = g.starTargets(p);
    if (target && p.kw('in')) {
      // `~`: past 'in', the other alternatives are not tried.
      const iter = g.starExpressions(p);
      const body = iter && p.op(':') ? g.block(p) : null;
      if (!iter || !body) {
        p.mark = a;
        return null;
      }
      return mk('For', a, p, { t: target, v: iter, body, orelse: elseBlock(p) ?? [], isAsync });
    }
  }
  p.mark = a;
  if (p.invalidPass) g.invalidForTarget(p);
  p.mark = a;
  return null;
}

function withItem(p: Parser): Node | null {
  const a = p.mark;
  const e = g.expression(p);
  if (!e) return null;
  const m = p.mark;
  if (p.kw('as')) {
    const target = g.starTarget(p);
    if (target && (p.isOp(',') || p.isOp(')') || p.isOp(':'))) return mk('withitem', a, p, { v: e, t: target });
  }
  p.mark = a;
  if (p.invalidPass) g.invalidWithItem(p);
  p.mark = m;
  return mk('withitem', a, p, { v: e, t: null });
}

function withStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidWithStmtIndent(p);
    p.mark = a;
  }
  const isAsync = p.kw('async');
  if (!p.kw('with')) {
    p.mark = a;
    return null;
  }
  const afterWith = p.mark;
  if (p.op('(')) {
    const items = gather(p, withItem);
    if (items) {
      p.op(',');
      if (p.op(')') && p.op(':')) {
        const body = g.block(p);
        if (body) return mk('With', a, p, { l: items, body, isAsync });
      }
    }
  }
  p.mark = afterWith;
  const items = gather(p, withItem);
  if (items && p.op(':')) {
    const body = g.block(p);
    if (body) return mk('With', a, p, { l: items, body, isAsync });
  }
  p.mark = a;
  if (p.invalidPass) g.invalidWithStmt(p);
  p.mark = a;
  return null;
}

function exceptBlock(p: Parser, star: boolean): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidExceptStmtIndent(p, star);
    p.mark = a;
  }
  if (p.kw('except')) {
    if (star ? p.op('*') : true) {
      const m = p.mark;
      const type = g.expression(p);
      if (type) {
        const n = p.mark;
        let alias: Node | null = null;
        if (p.kw('as')) alias = p.name();
        if (!alias) p.mark = n;
        if (p.op(':')) {
          const body = g.block(p);
          if (body) return mk('ExceptHandler', a, p, { v: type, body, id: alias?.id });
        }
      }
      p.mark = m;
      if (!star && p.op(':')) {
        const body = g.block(p);
        if (body) return mk('ExceptHandler', a, p, { v: null, body });
      }
    }
  }
  p.mark = a;
  if (p.invalidPass) g.invalidExceptStmt(p);
  p.mark = a;
  return null;
}

function finallyBlock(p: Parser): Node[] | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidBlockAfter(p, 'finally', "'finally' statement");
    p.mark = a;
  }
  if (!p.kw('finally')) return null;
  p.forced(':');
  const body = g.block(p);
  if (!body) p.mark = a;
  return body;
}

function tryStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidTryStmt(p);
    p.mark = a;
  }
  p.mark++;
  p.forced(':');
  const body = g.block(p);
  if (!body) {
    p.mark = a;
    return null;
  }
  const afterBody = p.mark;
  const finalbody = finallyBlock(p);
  if (finalbody) return mk('Try', a, p, { body, handlers: [], orelse: [], finalbody });
  for (const star of [false, true]) {
    p.mark = afterBody;
    const handlers: Node[] = [];
    for (let h = exceptBlock(p, star); h; h = exceptBlock(p, star)) handlers.push(h);
    if (handlers.length === 0) continue;
    const orelse = elseBlock(p) ?? [];
    return mk('Try', a, p, { body, handlers, orelse, finalbody: finallyBlock(p) ?? [], c: star ? 'star' : undefined });
  }
  p.mark = a;
  return null;
}

function subjectExpr(p: Parser): Node | null {
  const a = p.mark;
  const first = g.starNamedExpression(p);
  if (first && p.op(',')) {
    g.starNamedExpressions(p);
    return mk('Tuple', a, p);
  }
  p.mark = a;
  return g.namedExpression(p);
}

function matchStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.soft('match')) {
    const subject = subjectExpr(p);
    if (subject && p.op(':') && p.type(NEWLINE) && p.type(INDENT)) {
      const cases: Node[] = [];
      for (let c = g.caseBlock(p); c; c = g.caseBlock(p)) cases.push(c);
      if (cases.length > 0 && p.type(DEDENT)) return mk('Match', a, p, { v: subject, cases });
    }
  }
  p.mark = a;
  if (p.invalidPass) g.invalidMatchStmt(p, subjectExpr);
  p.mark = a;
  return null;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const compoundRules = {
  compoundStmt,
  exceptBlock,
};
