// `match` statements: case blocks and patterns (Grammar/python.gram, "Match statement").
import { gather, MemoRule, type Node, type Parser } from './parser-core';
import { g } from './grammar';
import { NUMBER, STRING } from './tokenize';

function mk(k: string, a: number, p: Parser, fields?: Partial<Node>): Node {
  const node: Node = { k, a, b: p.mark - 1 };
  return fields ? Object.assign(node, fields) : node;
}

function caseBlock(p: Parser): Node | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidCaseBlock(p);
    p.mark = a;
  }
  if (!p.soft('case') || !patterns(p)) {
    p.mark = a;
    return null;
  }
  const m = p.mark;
  if (!p.kw('if') || !g.namedExpression(p)) p.mark = m;
  const body = p.op(':') ? g.block(p) : null;
  if (!body) {
    p.mark = a;
    return null;
  }
  return mk('match_case', a, p, { body });
}

function patterns(p: Parser): Node | null {
  const a = p.mark;
  if (openSequencePattern(p)) return mk('MatchSequence', a, p);
  p.mark = a;
  return pattern(p);
}

function pattern(p: Parser): Node | null {
  const a = p.mark;
  const or = orPattern(p);
  if (or) {
    const m = p.mark;
    if (p.kw('as') && captureTarget(p)) return mk('MatchAs', a, p);
    p.mark = m;
    if (p.invalidPass) {
      p.mark = a;
      g.invalidAsPattern(p, orPattern);
      p.mark = m;
    }
    return or;
  }
  p.mark = a;
  return null;
}

function orPattern(p: Parser): Node | null {
  const a = p.mark;
  const alternatives = gather(p, closedPattern, '|');
  return alternatives ? mk('MatchOr', a, p) : null;
}

function closedPattern(p: Parser): Node | null {
  return p.memoized(MemoRule.ClosedPattern, () => {
    const a = p.mark;
    const found =
      literalPattern(p) ||
      (captureTarget(p) ?? (p.soft('_') ? true : false)) ||
      valuePattern(p) ||
      groupPattern(p) ||
      sequencePattern(p) ||
      mappingPattern(p) ||
      classPattern(p);
    if (!found) {
      p.mark = a;
      return null;
    }
    return mk('Pattern', a, p);
  });
}

function signedNumber(p: Parser): boolean {
  const a = p.mark;
  p.op('-');
  if (p.type(NUMBER)) return true;
  p.mark = a;
  return false;
}

function isImaginary(text: string): boolean {
  return /[jJ]$/.test(text);
}

/** literal_pattern / literal_expr: numbers (with complex forms), strings, None, True, False. */
function literalPattern(p: Parser): boolean {
  const a = p.mark;
  if (signedNumber(p)) {
    if (!p.isOp('+') && !p.isOp('-')) return true;
    const real = p.tokens[p.mark - 1];
    if (p.op('+') || p.op('-')) {
      const imag = p.peek();
      if (imag.type === NUMBER) {
        if (isImaginary(real.text)) p.raiseAt(p.mark - 2, 'real number required in complex literal');
        p.mark++;
        if (!isImaginary(imag.text)) p.raiseAt(p.mark - 1, 'imaginary number required in complex literal');
        return true;
      }
    }
    p.mark = a;
    return false;
  }
  if (p.peek().type === STRING) return g.strings(p) !== null;
  return p.kw('None') || p.kw('True') || p.kw('False');
}

function captureTarget(p: Parser): boolean | null {
  const t = p.peek();
  if (t.text === '_') return null;
  const a = p.mark;
  if (!p.name()) return null;
  if (p.isOp('.') || p.isOp('(') || p.isOp('=')) {
    p.mark = a;
    return null;
  }
  return true;
}

/** attr: name_or_attr '.' NAME (at least one dot). */
function attr(p: Parser): boolean {
  const a = p.mark;
  if (!p.name()) return false;
  let dots = 0;
  for (;;) {
    const m = p.mark;
    if (!p.op('.') || !p.name()) {
      p.mark = m;
      break;
    }
    dots++;
  }
  if (dots > 0) return true;
  p.mark = a;
  return false;
}

function nameOrAttr(p: Parser): boolean {
  return attr(p) || p.name() !== null;
}

function valuePattern(p: Parser): boolean {
  const a = p.mark;
  if (attr(p) && !p.isOp('.') && !p.isOp('(') && !p.isOp('=')) return true;
  p.mark = a;
  return false;
}

function groupPattern(p: Parser): boolean {
  const a = p.mark;
  if (p.op('(') && pattern(p) && p.op(')')) return true;
  p.mark = a;
  return false;
}

function starPattern(p: Parser): Node | null {
  return p.memoized(MemoRule.StarPattern, () => {
    const a = p.mark;
    if (p.op('*') && (captureTarget(p) || p.soft('_'))) return mk('MatchStar', a, p);
    p.mark = a;
    return null;
  });
}

function maybeStarPattern(p: Parser): Node | null {
  return starPattern(p) ?? pattern(p);
}

function maybeSequencePattern(p: Parser): boolean {
  if (!gather(p, maybeStarPattern)) return false;
  p.op(',');
  return true;
}

function openSequencePattern(p: Parser): boolean {
  const a = p.mark;
  if (maybeStarPattern(p) && p.op(',')) {
    maybeSequencePattern(p);
    return true;
  }
  p.mark = a;
  return false;
}

function sequencePattern(p: Parser): boolean {
  const a = p.mark;
  if (p.op('[')) {
    maybeSequencePattern(p);
    if (p.op(']')) return true;
  } else if (p.op('(')) {
    openSequencePattern(p);
    if (p.op(')')) return true;
  }
  p.mark = a;
  return false;
}

function keyValuePattern(p: Parser): boolean | null {
  const a = p.mark;
  if ((literalPattern(p) || attr(p)) && p.op(':') && pattern(p)) return true;
  p.mark = a;
  return null;
}

function doubleStarPattern(p: Parser): boolean {
  const a = p.mark;
  if (p.op('**') && captureTarget(p)) return true;
  p.mark = a;
  return false;
}

function mappingPattern(p: Parser): boolean {
  const a = p.mark;
  if (!p.op('{')) return false;
  if (p.op('}')) return true;
  const m = p.mark;
  if (doubleStarPattern(p)) {
    p.op(',');
    if (p.op('}')) return true;
  }
  p.mark = m;
  if (gather(p, keyValuePattern)) {
    const n = p.mark;
    if (p.op(',') && doubleStarPattern(p)) {
      p.op(',');
      if (p.op('}')) return true;
    }
    p.mark = n;
    p.op(',');
    if (p.op('}')) return true;
  }
  p.mark = a;
  return false;
}

function keywordPattern(p: Parser): boolean | null {
  const a = p.mark;
  if (p.name() && p.op('=') && pattern(p)) return true;
  p.mark = a;
  return null;
}

function classPattern(p: Parser): boolean {
  const a = p.mark;
  if (!nameOrAttr(p) || !p.op('(')) {
    p.mark = a;
    return false;
  }
  const open = p.mark;
  if (p.op(')')) return true;
  for (const form of ['positional', 'keyword', 'both'] as const) {
    p.mark = open;
    let ok: unknown;
    if (form === 'positional') ok = gather(p, pattern);
    else if (form === 'keyword') ok = gather(p, keywordPattern);
    else ok = gather(p, pattern) && p.op(',') && gather(p, keywordPattern);
    if (!ok) continue;
    p.op(',');
    if (p.op(')')) return true;
  }
  p.mark = a;
  if (p.invalidPass) g.invalidClassPattern(p, nameOrAttr, pattern, keywordPattern);
  p.mark = a;
  return false;
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const matchRules = {
  caseBlock,
  patterns,
};
