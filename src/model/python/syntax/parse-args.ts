// A call's arguments: positional, starred, keyword and `**` ones (Grammar/python.gram, "Arguments").
// Same conventions as parse-expr.ts.
import { gather, MemoRule, type CallArgs, type Keyword, type Node, type Parser } from './parser-core';
import { g } from './grammar';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

/** arguments (memo): `args [','] &')'`, or the invalid_arguments diagnostics. */
function argumentsRule(p: Parser): CallArgs | null {
  return p.memoized(MemoRule.Arguments, () => {
    const a = p.mark;
    const args = argsRule(p);
    if (args) {
      p.op(',');
      if (p.isOp(')')) return args;
    }
    p.mark = a;
    if (p.invalidPass) g.invalidArguments(p);
    p.mark = a;
    return null;
  });
}

function positionalArg(p: Parser): Node | null {
  const starred = starredExpression(p);
  if (starred) return starred;
  const a = p.mark;
  const e = g.namedOrPlain(p);
  if (e && !p.isOp('=')) return e;
  p.mark = a;
  return null;
}

function argsRule(p: Parser): CallArgs | null {
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

function starredExpression(p: Parser): Node | null {
  const a = p.mark;
  if (!p.op('*')) return null;
  const v = g.expression(p);
  if (v) return mk('Starred', a, p, { v });
  p.mark = a;
  return null;
}

function keywordArg(p: Parser): Keyword | null {
  const a = p.mark;
  const name = p.name();
  if (name && p.op('=')) {
    const value = g.expression(p);
    if (value) return { name: name.id!, value, a, b: p.mark - 1 };
  }
  p.mark = a;
  return null;
}

function kwargOrStarred(p: Parser): KwItem | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidKwarg(p);
    p.mark = a;
  }
  return keywordArg(p) ?? starredExpression(p);
}

function kwargOrDoubleStarred(p: Parser): KwItem | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidKwarg(p);
    p.mark = a;
  }
  const keyword = keywordArg(p);
  if (keyword) return keyword;
  if (p.op('**')) {
    const value = g.expression(p);
    if (value) return { name: null, value, a, b: p.mark - 1 };
  }
  p.mark = a;
  return null;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const argRules = {
  argumentsRule,
  argsRule,
  starredExpression,
};
