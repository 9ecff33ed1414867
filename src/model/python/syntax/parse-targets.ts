// Assignment, `for` and `del` targets (star_targets, single_target, t_primary, del_targets).
import { gather, MemoRule, type Node, type Parser } from './parser-core';
import { g } from './grammar';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

function tLookahead(p: Parser): boolean {
  return p.isOp('(') || p.isOp('[') || p.isOp('.');
}

function starTargets(p: Parser): Node | null {
  const a = p.mark;
  const first = starTarget(p);
  if (!first) return null;
  if (!p.isOp(',')) return first;
  const elts: Node[] = [first];
  while (p.op(',')) {
    const m = p.mark;
    const next = starTarget(p);
    if (!next) {
      p.mark = m;
      break;
    }
    elts.push(next);
  }
  return mk('Tuple', a, p, { l: elts });
}

function starTargetsTupleSeq(p: Parser): Node[] | null {
  const a = p.mark;
  const first = starTarget(p);
  if (!first) return null;
  const elts = [first];
  while (p.op(',')) {
    const m = p.mark;
    const next = starTarget(p);
    if (!next) {
      p.mark = m;
      break;
    }
    elts.push(next);
  }
  if (elts.length === 1 && p.tokens[p.mark - 1].text !== ',') {
    p.mark = a;
    return null;
  }
  return elts;
}

function starTarget(p: Parser): Node | null {
  return p.memoized(MemoRule.StarTarget, () => {
    const a = p.mark;
    if (p.op('*')) {
      if (!p.isOp('*')) {
        const v = starTarget(p);
        if (v) return mk('Starred', a, p, { v });
      }
      p.mark = a;
      return null;
    }
    return targetWithStarAtom(p);
  });
}

/** `t_primary '.' NAME !t_lookahead | t_primary '[' slices ']' !t_lookahead`. */
function subscriptAttributeTarget(p: Parser): Node | null {
  const a = p.mark;
  const base = tPrimary(p);
  if (!base) return null;
  const m = p.mark;
  if (p.op('.')) {
    const attr = p.name();
    if (attr && !tLookahead(p)) return mk('Attribute', a, p, { v: base, id: attr.id });
  }
  p.mark = m;
  if (p.op('[')) {
    const s = g.slices(p);
    if (s && p.op(']') && !tLookahead(p)) return mk('Subscript', a, p, { v: base, s });
  }
  p.mark = a;
  return null;
}

function targetWithStarAtom(p: Parser): Node | null {
  return p.memoized(MemoRule.TargetWithStarAtom, () => subscriptAttributeTarget(p) ?? starAtom(p));
}

function starAtom(p: Parser): Node | null {
  const a = p.mark;
  const name = p.name();
  if (name) return name;
  if (p.op('(')) {
    const inner = targetWithStarAtom(p);
    if (inner && p.op(')')) return inner;
    p.mark = a + 1;
    const elts = starTargetsTupleSeq(p) ?? [];
    if (p.op(')')) return mk('Tuple', a, p, { l: elts });
  } else if (p.op('[')) {
    const elts = gather(p, starTarget) ?? [];
    if (elts.length > 0) p.op(',');
    if (p.op(']')) return mk('List', a, p, { l: elts });
  }
  p.mark = a;
  return null;
}

function singleTarget(p: Parser): Node | null {
  const a = p.mark;
  const target = subscriptAttributeTarget(p) ?? p.name();
  if (target) return target;
  if (p.op('(')) {
    const inner = singleTarget(p);
    if (inner && p.op(')')) return inner;
  }
  p.mark = a;
  return null;
}

/** t_primary: a primary that a `.`, `[` or `(` follows (left-recursive in the grammar, a loop here). */
function tPrimary(p: Parser): Node | null {
  return p.memoized(MemoRule.TPrimary, () => {
    const a = p.mark;
    let cur = g.atom(p);
    if (!cur || !tLookahead(p)) {
      p.mark = a;
      return null;
    }
    for (;;) {
      const m = p.mark;
      let next: Node | null = null;
      if (p.op('.')) {
        const attr = p.name();
        if (attr && tLookahead(p)) next = mk('Attribute', a, p, { v: cur, id: attr.id });
      } else if (p.op('[')) {
        const s = g.slices(p);
        if (s && p.op(']') && tLookahead(p)) next = mk('Subscript', a, p, { v: cur, s });
      } else if (p.isOp('(')) {
        next = g.callTrailer(p, cur, a);
        if (next && !tLookahead(p)) next = null;
      }
      if (!next) {
        p.mark = m;
        return cur;
      }
      cur = next;
    }
  });
}

function delTargets(p: Parser): Node[] | null {
  const targets = gather(p, delTarget);
  if (targets) p.op(',');
  return targets;
}

function delTarget(p: Parser): Node | null {
  return p.memoized(MemoRule.DelTarget, () => subscriptAttributeTarget(p) ?? delTAtom(p));
}

function delTAtom(p: Parser): Node | null {
  const a = p.mark;
  const name = p.name();
  if (name) return name;
  if (p.op('(')) {
    const inner = delTarget(p);
    if (inner && p.op(')')) return inner;
    p.mark = a + 1;
    const elts = delTargets(p) ?? [];
    if (p.op(')')) return mk('Tuple', a, p, { l: elts });
  } else if (p.op('[')) {
    const elts = delTargets(p) ?? [];
    if (p.op(']')) return mk('List', a, p, { l: elts });
  }
  p.mark = a;
  return null;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const targetRules = {
  starTarget,
  starTargets,
  subscriptAttributeTarget,
  singleTarget,
  delTargets,
};
