// The invalid_ rules of compound statements (second pass only): a missing ':' and a block opener
// without its indented block, with CPython's messages; see parse-invalid.ts.
import { DEF_STYLE, gather, many, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { INDENT, NAME, NEWLINE } from './tokenize';

/** `... ':' NEWLINE !INDENT` after a block opener: "expected an indented block after ...". */
function noIndentedBlock(p: Parser, what: string, line: number): void {
  if (p.op(':') && p.type(NEWLINE) && p.peek().type !== INDENT)
    p.raise(`expected an indented block after ${what} on line ${line}`);
}

function withItems(p: Parser, parenthesized: boolean): boolean {
  return (
    gather(p, (q) => {
      if (!(parenthesized ? g.expressions(q) : g.expression(q))) return null;
      const m = q.mark;
      if (!q.kw('as') || !g.starTarget(q)) q.mark = m;
      return true;
    }) !== null
  );
}

function invalidWithStmt(p: Parser): void {
  const a = p.mark;
  p.kw('async');
  if (!p.kw('with')) return;
  const afterWith = p.mark;
  if (withItems(p, false) && p.isNewline()) p.raise("expected ':'");
  p.mark = afterWith;
  if (p.op('(') && withItems(p, true)) {
    p.op(',');
    if (p.op(')') && p.isNewline()) p.raise("expected ':'");
  }
  p.mark = a;
}

function invalidWithStmtIndent(p: Parser): void {
  p.kw('async');
  const withAt = p.mark;
  if (!p.kw('with')) return;
  const line = p.tokens[withAt].line;
  const afterWith = p.mark;
  if (withItems(p, false)) noIndentedBlock(p, "'with' statement", line);
  p.mark = afterWith;
  if (p.op('(') && withItems(p, true)) {
    p.op(',');
    if (p.op(')')) noIndentedBlock(p, "'with' statement", line);
  }
}

function invalidTryStmt(p: Parser): void {
  const a = p.mark;
  if (!p.kw('try')) return;
  noIndentedBlock(p, "'try' statement", p.tokens[a].line);
  p.mark = a + 1;
  if (!p.op(':')) return;
  const afterColon = p.mark;
  if (g.block(p) && !p.isKw('except') && !p.isKw('finally')) p.raise("expected 'except' or 'finally' block");
  for (const star of [false, true]) {
    p.mark = afterColon;
    many(p, () => g.block(p));
    if (many(p, () => g.exceptBlock(p, star)).length === 0) continue;
    const exceptAt = p.mark;
    if (!p.kw('except')) continue;
    if (!star) {
      if (p.op('*') && g.expression(p)) {
        const m = p.mark;
        if (!p.kw('as') || !p.name()) p.mark = m;
        if (p.op(':')) p.raiseAt(exceptAt, "cannot have both 'except' and 'except*' on the same 'try'");
      }
    } else {
      if (g.expression(p)) {
        const m = p.mark;
        if (!p.kw('as') || !p.name()) p.mark = m;
      }
      if (p.op(':')) p.raiseAt(exceptAt, "cannot have both 'except' and 'except*' on the same 'try'");
    }
  }
}

function invalidExceptStmt(p: Parser): void {
  const a = p.mark;
  if (!p.kw('except')) return;
  p.op('*');
  const first = g.expression(p);
  if (first && p.op(',') && g.expressions(p)) {
    const m = p.mark;
    if (!p.kw('as') || !p.name()) p.mark = m;
    if (p.op(':')) p.raiseAt(first, 'multiple exception types must be parenthesized');
  }
  p.mark = a + 1;
  p.op('*');
  if (g.expression(p)) {
    const m = p.mark;
    if (!p.kw('as') || !p.name()) p.mark = m;
    if (p.isNewline()) p.raise("expected ':'");
  }
  p.mark = a + 1;
  if (p.isNewline()) p.raise("expected ':'");
  if (p.op('*') && (p.isNewline() || p.isOp(':'))) p.raise('expected one or more exception types');
}

function invalidExceptStmtIndent(p: Parser, star: boolean): void {
  const a = p.mark;
  if (!p.kw('except')) return;
  const line = p.tokens[a].line;
  if (star) {
    if (!p.op('*') || !g.expression(p)) return;
  } else if (!g.expression(p)) {
    noIndentedBlock(p, "'except' statement", line);
    return;
  }
  const m = p.mark;
  if (!p.kw('as') || !p.name()) p.mark = m;
  noIndentedBlock(p, star ? "'except*' statement" : "'except' statement", line);
}

/** invalid_else_stmt / invalid_finally_stmt. */
function invalidBlockAfter(p: Parser, keyword: string, what: string): void {
  const a = p.mark;
  if (p.kw(keyword)) noIndentedBlock(p, what, p.tokens[a].line);
}

function invalidIfStmt(p: Parser, keyword: 'if' | 'elif'): void {
  const a = p.mark;
  if (!p.kw(keyword)) return;
  const test = g.namedExpression(p);
  if (!test) return;
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, `'${keyword}' statement`, p.tokens[a].line);
}

function invalidWhileStmt(p: Parser): void {
  const a = p.mark;
  if (!p.kw('while') || !g.namedExpression(p)) return;
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, "'while' statement", p.tokens[a].line);
}

function invalidForStmt(p: Parser): void {
  p.kw('async');
  const a = p.mark;
  if (!p.kw('for') || !g.starTargets(p) || !p.kw('in') || !g.starExpressions(p)) return;
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, "'for' statement", p.tokens[a].line);
}

function invalidDefRaw(p: Parser): void {
  p.kw('async');
  const a = p.mark;
  if (!p.kw('def') || !p.name() || !p.op('(')) return;
  g.parameters(p, DEF_STYLE);
  if (!p.op(')')) return;
  const m = p.mark;
  if (!p.op('->') || !g.expression(p)) p.mark = m;
  noIndentedBlock(p, 'function definition', p.tokens[a].line);
}

function invalidClassDefRaw(p: Parser): void {
  const a = p.mark;
  if (!p.kw('class') || !p.name()) return;
  const m = p.mark;
  if (p.op('(')) {
    argsOrNothing(p);
    if (!p.op(')')) p.mark = m;
  }
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, 'class definition', p.tokens[a].line);
}

function argsOrNothing(p: Parser): void {
  const m = p.mark;
  const args = g.argsRule(p);
  if (args) p.op(',');
  if (!args || !p.isOp(')')) p.mark = m;
}

function invalidMatchStmt(p: Parser, subject: (p: Parser) => Node | null): void {
  const a = p.mark;
  if (!p.soft('match') || !subject(p)) return;
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, "'match' statement", p.tokens[a].line);
}

function invalidCaseBlock(p: Parser): void {
  const a = p.mark;
  if (!p.soft('case') || !g.patterns(p)) return;
  const m = p.mark;
  if (!p.kw('if') || !g.starNamedExpression(p)) p.mark = m;
  if (p.isNewline()) p.raise("expected ':'");
  noIndentedBlock(p, "'case' statement", p.tokens[a].line);
}

function invalidAsPattern(p: Parser, orPattern: (p: Parser) => Node | null): void {
  if (!orPattern(p) || !p.kw('as')) return;
  const t = p.peek();
  if (t.type === NAME && t.text === '_') p.raiseAt(p.mark, "cannot use '_' as a target");
  if (t.type === NAME) return;
  const target = g.expression(p);
  if (target) p.raiseAt(target, 'invalid pattern target');
}

function invalidClassPattern(
  p: Parser,
  nameOrAttr: (p: Parser) => boolean,
  pattern: (p: Parser) => Node | null,
  keywordPattern: (p: Parser) => boolean | null,
): void {
  if (!nameOrAttr(p) || !p.op('(')) return;
  const open = p.mark;
  if (!(gather(p, pattern) && p.op(','))) p.mark = open;
  if (!gather(p, keywordPattern) || !p.op(',')) return;
  const at = p.mark;
  if (gather(p, pattern)) p.raiseAt(at, 'positional patterns follow keyword patterns');
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const invalidBlockRules = {
  invalidWithStmt,
  invalidWithStmtIndent,
  invalidTryStmt,
  invalidExceptStmt,
  invalidExceptStmtIndent,
  invalidBlockAfter,
  invalidIfStmt,
  invalidWhileStmt,
  invalidForStmt,
  invalidDefRaw,
  invalidClassDefRaw,
  invalidMatchStmt,
  invalidCaseBlock,
  invalidAsPattern,
  invalidClassPattern,
};
