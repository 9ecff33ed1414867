// CPython's names for expressions in its messages (_PyPegen_get_expr_name) and the search for the
// part of a target that cannot be assigned or deleted (_PyPegen_get_invalid_target).
import type { Node } from './parser-core';

const EXPR_NAMES: Record<string, string> = {
  Attribute: 'attribute',
  Subscript: 'subscript',
  Starred: 'starred',
  Name: 'name',
  List: 'list',
  Tuple: 'tuple',
  Lambda: 'lambda',
  Call: 'function call',
  BoolOp: 'expression',
  BinOp: 'expression',
  UnaryOp: 'expression',
  GeneratorExp: 'generator expression',
  Yield: 'yield expression',
  YieldFrom: 'yield expression',
  Await: 'await expression',
  ListComp: 'list comprehension',
  SetComp: 'set comprehension',
  DictComp: 'dict comprehension',
  Dict: 'dict literal',
  Set: 'set display',
  JoinedStr: 'f-string expression',
  Compare: 'comparison',
  IfExp: 'conditional expression',
  NamedExpr: 'named expression',
  Slice: 'slice',
};

export function exprName(e: Node): string {
  if (e.k === 'Constant') {
    if (e.c === 'None' || e.c === 'True' || e.c === 'False') return e.c;
    return e.c === 'Ellipsis' ? 'ellipsis' : 'literal';
  }
  return EXPR_NAMES[e.k] ?? 'expression';
}

export type TargetsType = 'star' | 'del' | 'for';

/** The first part of `e` that cannot be a target, or null when all of it can. */
export function invalidTarget(e: Node | null | undefined, type: TargetsType): Node | null {
  if (!e) return null;
  switch (e.k) {
    case 'List':
    case 'Tuple':
      for (const elt of e.l ?? []) {
        const bad = invalidTarget(elt, type);
        if (bad) return bad;
      }
      return null;
    case 'Starred':
      return type === 'del' ? e : invalidTarget(e.v, type);
    case 'Compare':
      // `for a in b` parses as a comparison: only its left side is the target.
      if (type === 'for') return e.ops?.[0] === 'in' ? invalidTarget(e.l?.[0], type) : null;
      return e;
    case 'Name':
    case 'Subscript':
    case 'Attribute':
      return null;
    default:
      return e;
  }
}
