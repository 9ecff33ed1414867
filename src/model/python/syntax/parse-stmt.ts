// Statements, as CPython 3.11's Grammar/python.gram writes them (rule names kept): the file,
// simple statements, imports and blocks; compound statements are in parse-compound.ts.
import { gather, MemoRule, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { ENDMARKER, DEDENT, INDENT, NAME, NEWLINE, OP } from './tokenize';

const AUGASSIGN = new Set(['+=', '-=', '*=', '@=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '**=', '//=']);

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

/** file: [statements] ENDMARKER. */
function file(p: Parser): Node[] | null {
  const body = statements(p) ?? [];
  if (!p.invalidPass) p.topLevelEnd = p.mark;
  return p.type(ENDMARKER) ? body : null;
}

function statements(p: Parser): Node[] | null {
  const body: Node[] = [];
  for (;;) {
    const m = p.mark;
    const compound = g.compoundStmt(p);
    if (compound) {
      body.push(compound);
      continue;
    }
    p.mark = m;
    const simple = simpleStmts(p);
    if (!simple) {
      p.mark = m;
      break;
    }
    body.push(...simple);
  }
  return body.length > 0 ? body : null;
}

function simpleStmts(p: Parser): Node[] | null {
  const a = p.mark;
  const first = simpleStmt(p);
  if (first && !p.isOp(';') && p.type(NEWLINE)) return [first];
  p.mark = a;
  const items = gather(p, simpleStmt, ';');
  if (items) {
    p.op(';');
    if (p.type(NEWLINE)) return items;
  }
  p.mark = a;
  return null;
}

function simpleStmt(p: Parser): Node | null {
  return p.memoized(MemoRule.SimpleStmt, () => simpleStmtUncached(p));
}

function simpleStmtUncached(p: Parser): Node | null {
  const a = p.mark;
  const assigned = assignment(p);
  if (assigned) return assigned;
  p.mark = a;
  const e = g.starExpressions(p);
  if (e) return mk('Expr', a, p, { v: e });
  p.mark = a;
  const t = p.peek();
  if (t.type === NAME || t.type === OP) return null;
  switch (t.text) {
    case 'return':
      p.mark++;
      return mk('Return', a, p, { v: g.starExpressions(p) });
    case 'import':
    case 'from':
      return importStmt(p);
    case 'raise':
      return raiseStmt(p);
    case 'pass':
      p.mark++;
      return mk('Pass', a, p);
    case 'del':
      return delStmt(p);
    case 'yield': {
      const y = g.yieldExpr(p);
      return y ? mk('Expr', a, p, { v: y }) : null;
    }
    case 'assert':
      return assertStmt(p);
    case 'break':
      p.mark++;
      return mk('Break', a, p);
    case 'continue':
      p.mark++;
      return mk('Continue', a, p);
    case 'global':
    case 'nonlocal': {
      p.mark++;
      const names = gather(p, (q) => q.name());
      if (!names) {
        p.mark = a;
        return null;
      }
      return mk(t.text === 'global' ? 'Global' : 'Nonlocal', a, p, { names: names.map((n) => n.id!) });
    }
    default:
      return null;
  }
}

function annotatedRhs(p: Parser): Node | null {
  return g.yieldExpr(p) ?? g.starExpressions(p);
}

function annotation(p: Parser, a: number, target: Node, simple: boolean): Node | null {
  if (!p.op(':')) return null;
  const ann = g.expression(p);
  if (!ann) return null;
  const m = p.mark;
  let value: Node | null = null;
  if (p.op('=')) {
    value = annotatedRhs(p);
    if (!value) p.mark = m;
  }
  return mk('AnnAssign', a, p, { t: target, s: ann, v: value, c: simple ? 'simple' : undefined });
}

function assignment(p: Parser): Node | null {
  const a = p.mark;
  const name = p.name();
  if (name) {
    const annotated = annotation(p, a, name, true);
    if (annotated) return annotated;
  }
  p.mark = a;
  let target: Node | null = null;
  if (p.op('(')) {
    target = g.singleTarget(p);
    if (!target || !p.op(')')) target = null;
  }
  if (!target) {
    p.mark = a;
    target = g.subscriptAttributeTarget(p);
  }
  if (target) {
    const annotated = annotation(p, a, target, false);
    if (annotated) return annotated;
  }
  p.mark = a;
  const targets: Node[] = [];
  for (;;) {
    const m = p.mark;
    const t = g.starTargets(p);
    if (!t || !p.op('=')) {
      p.mark = m;
      break;
    }
    targets.push(t);
  }
  if (targets.length > 0) {
    const value = annotatedRhs(p);
    if (value && !p.isOp('=')) return mk('Assign', a, p, { targets, v: value });
  }
  p.mark = a;
  const single = g.singleTarget(p);
  if (single) {
    const t = p.peek();
    if (t.type === OP && AUGASSIGN.has(t.text)) {
      p.mark++;
      const value = annotatedRhs(p);
      // `~` after the operator: nothing else is tried.
      if (!value) return null;
      return mk('AugAssign', a, p, { t: single, v: value });
    }
  }
  p.mark = a;
  if (p.invalidPass) g.invalidAssignment(p);
  p.mark = a;
  return null;
}

function raiseStmt(p: Parser): Node | null {
  const a = p.mark;
  p.mark++;
  const exc = g.expression(p);
  if (exc) {
    const m = p.mark;
    if (p.kw('from')) {
      const cause = g.expression(p);
      if (cause) return mk('Raise', a, p, { v: exc, t: cause });
    }
    p.mark = m;
    return mk('Raise', a, p, { v: exc });
  }
  return mk('Raise', a, p, { v: null });
}

function delStmt(p: Parser): Node | null {
  const a = p.mark;
  p.mark++;
  const targets = g.delTargets(p);
  if (targets && (p.isOp(';') || p.isNewline())) return mk('Delete', a, p, { targets });
  p.mark = a;
  if (p.invalidPass) g.invalidDelStmt(p);
  p.mark = a;
  return null;
}

function assertStmt(p: Parser): Node | null {
  const a = p.mark;
  p.mark++;
  const test = g.expression(p);
  if (!test) {
    p.mark = a;
    return null;
  }
  const m = p.mark;
  let msg: Node | null = null;
  if (p.op(',')) msg = g.expression(p);
  if (!msg) p.mark = m;
  return mk('Assert', a, p, { l: [test, msg] });
}

/** dotted_name: its first NAME (what `import a.b` binds), or null. */
function dottedName(p: Parser): string | null {
  const first = p.name();
  if (!first) return null;
  for (;;) {
    const m = p.mark;
    if (!p.op('.') || !p.name()) {
      p.mark = m;
      return first.id!;
    }
  }
}

/** `['as' NAME]`: the alias, or null. */
function asName(p: Parser): string | null {
  const m = p.mark;
  if (p.kw('as')) {
    const alias = p.name();
    if (alias) return alias.id!;
  }
  p.mark = m;
  return null;
}

/** import_from_as_names: the names bound, or null. */
function importFromAsNames(p: Parser): string[] | null {
  return gather(p, (q) => {
    const name = q.name();
    return name ? (asName(q) ?? name.id!) : null;
  });
}

/** An ImportFrom node: the names bound, and the module and names as written (future.c reads those). */
function importFrom(a: number, p: Parser, module: string | undefined, names: string[], from: number): Node {
  const imported: string[] = [];
  for (let i = from; i < p.mark; i++) {
    const t = p.tokens[i];
    if (t.type === NAME && t.text !== 'as' && p.tokens[i - 1]?.text !== 'as') imported.push(t.text);
  }
  return mk('ImportFrom', a, p, { names, module, imported: names[0] === '*' ? ['*'] : imported });
}

function importStmt(p: Parser): Node | null {
  const a = p.mark;
  if (p.kw('import')) {
    const names = gather(p, (q) => {
      const first = dottedName(q);
      return first === null ? null : (asName(q) ?? first);
    });
    if (names) return mk('Import', a, p, { names });
    p.mark = a;
    return null;
  }
  p.mark++;
  let dots = 0;
  while (p.op('.') || p.op('...')) dots++;
  const m = p.mark;
  let module: string | undefined;
  if (dottedName(p) === null) {
    p.mark = m;
    if (dots === 0) {
      p.mark = a;
      return null;
    }
  } else {
    module = p.tokens
      .slice(m, p.mark)
      .map((t) => t.text)
      .join('');
  }
  if (!p.kw('import')) {
    p.mark = a;
    return null;
  }
  const targetsAt = p.mark;
  if (p.op('(')) {
    const names = importFromAsNames(p);
    if (names) {
      p.op(',');
      if (p.op(')')) return importFrom(a, p, module, names, targetsAt);
    }
    p.mark = targetsAt;
  }
  const names = importFromAsNames(p);
  if (names && !p.isOp(',')) return importFrom(a, p, module, names, targetsAt);
  p.mark = targetsAt;
  if (p.op('*')) return importFrom(a, p, module, ['*'], targetsAt);
  if (p.invalidPass) g.invalidImportFromTargets(p);
  p.mark = a;
  return null;
}

/** block (memo): NEWLINE INDENT statements DEDENT | simple_stmts | invalid_block. */
function block(p: Parser): Node[] | null {
  return p.memoized(MemoRule.Block, () => {
    const a = p.mark;
    if (p.type(NEWLINE) && p.type(INDENT)) {
      const body = statements(p);
      if (body && p.type(DEDENT)) return body;
    }
    p.mark = a;
    const simple = simpleStmts(p);
    if (simple) return simple;
    p.mark = a;
    if (p.invalidPass && p.type(NEWLINE) && p.peek().type !== INDENT) p.raise('expected an indented block');
    p.mark = a;
    return null;
  });
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const stmtRules = {
  file,
  importFromAsNames,
  block,
};
