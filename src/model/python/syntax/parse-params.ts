// Parameters of `def` (closed by ')', annotations allowed) and of `lambda` (closed by ':'), one set
// of functions for both, as the grammar's params / lambda_params rules mirror each other.
import {
  LAMBDA_STYLE,
  many,
  type Arg,
  type Node,
  type ParamStyle,
  type Params,
  type Parser,
  type WithDefault,
} from './parser-core';
import { g } from './grammar';

/** param: NAME annotation? (lambda_param: NAME). */
function param(p: Parser, style: ParamStyle, starAnnotation = false): Arg | null {
  const a = p.mark;
  const name = p.name();
  if (!name) return null;
  let ann: Node | null = null;
  if (style.annotations) {
    const m = p.mark;
    if (p.op(':')) {
      ann = starAnnotation ? g.starExpression(p) : g.expression(p);
      if (!ann) p.mark = m;
    }
    if (starAnnotation && !ann) {
      p.mark = a;
      return null;
    }
  }
  return { name: name.id!, ann, a };
}

/** `',' | &close` after a parameter. */
function paramEnd(p: Parser, style: ParamStyle): boolean {
  return p.op(',') || p.isOp(style.close);
}

function paramNoDefault(p: Parser, style: ParamStyle, starAnnotation = false): Arg | null {
  const a = p.mark;
  const arg = param(p, style, starAnnotation);
  if (arg && paramEnd(p, style)) return arg;
  p.mark = a;
  return null;
}

/** default: '=' expression | invalid_default. */
function defaultValue(p: Parser): Node | null {
  const a = p.mark;
  if (p.op('=')) {
    const value = g.expression(p);
    if (value) return value;
  }
  p.mark = a;
  if (p.invalidPass) g.invalidDefault(p);
  p.mark = a;
  return null;
}

function paramWithDefault(p: Parser, style: ParamStyle): WithDefault | null {
  const a = p.mark;
  const arg = param(p, style);
  const value = arg ? defaultValue(p) : null;
  if (arg && value && paramEnd(p, style)) return [arg, value];
  p.mark = a;
  return null;
}

function paramMaybeDefault(p: Parser, style: ParamStyle): WithDefault | null {
  const a = p.mark;
  const arg = param(p, style);
  if (!arg) return null;
  const value = defaultValue(p);
  if (paramEnd(p, style)) return [arg, value];
  p.mark = a;
  return null;
}

/** slash_no_default: param_no_default+ '/' (',' | &close). */
function slashNoDefault(p: Parser, style: ParamStyle): Arg[] | null {
  const a = p.mark;
  const args = many(p, () => paramNoDefault(p, style));
  if (args.length > 0 && p.op('/') && paramEnd(p, style)) return args;
  p.mark = a;
  return null;
}

/** slash_with_default: param_no_default* param_with_default+ '/' (',' | &close). */
function slashWithDefault(p: Parser, style: ParamStyle): [Arg[], WithDefault[]] | null {
  const a = p.mark;
  const plain = many(p, () => paramNoDefault(p, style));
  const withDefaults = many(p, () => paramWithDefault(p, style));
  if (withDefaults.length > 0 && p.op('/') && paramEnd(p, style)) return [plain, withDefaults];
  p.mark = a;
  return null;
}

interface StarEtc {
  vararg: Arg | null;
  kwonly: WithDefault[];
  kwarg: Arg | null;
}

function kwds(p: Parser, style: ParamStyle): Arg | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidKwds(p, style);
    p.mark = a;
  }
  if (p.op('**')) {
    const arg = paramNoDefault(p, style);
    if (arg) return arg;
  }
  p.mark = a;
  return null;
}

function starEtc(p: Parser, style: ParamStyle): StarEtc | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidStarEtc(p, style);
    p.mark = a;
  }
  if (p.op('*')) {
    const vararg = paramNoDefault(p, style) ?? (style.annotations ? paramNoDefault(p, style, true) : null);
    if (vararg) {
      const kwonly = many(p, () => paramMaybeDefault(p, style));
      return { vararg, kwonly, kwarg: kwds(p, style) };
    }
    if (p.op(',')) {
      const kwonly = many(p, () => paramMaybeDefault(p, style));
      if (kwonly.length > 0) return { vararg: null, kwonly, kwarg: kwds(p, style) };
    }
    p.mark = a;
    return null;
  }
  const kwarg = kwds(p, style);
  return kwarg ? { vararg: null, kwonly: [], kwarg } : null;
}

function makeParams(posonly: Arg[], plain: Arg[], withDefaults: WithDefault[], star: StarEtc | null): Params {
  const defaults: Node[] = [];
  const args = [...plain];
  for (const [arg, value] of withDefaults) {
    args.push(arg);
    if (value) defaults.push(value);
  }
  return {
    posonly,
    args,
    defaults,
    vararg: star?.vararg ?? null,
    kwonly: star?.kwonly.map(([arg]) => arg) ?? [],
    kwDefaults: star?.kwonly.map(([, value]) => value) ?? [],
    kwarg: star?.kwarg ?? null,
  };
}

/** params / lambda_params: the invalid_ diagnostics first (second pass), then the parameters. */
function parameters(p: Parser, style: ParamStyle): Params | null {
  const a = p.mark;
  if (p.invalidPass) {
    g.invalidParameters(p, style);
    p.mark = a;
  }
  const slashPlain = slashNoDefault(p, style);
  if (slashPlain) {
    const plain = many(p, () => paramNoDefault(p, style));
    const withDefaults = many(p, () => paramWithDefault(p, style));
    return makeParams(slashPlain, plain, withDefaults, starEtc(p, style));
  }
  const slashDefaults = slashWithDefault(p, style);
  if (slashDefaults) {
    const withDefaults = many(p, () => paramWithDefault(p, style));
    const [posPlain, posDefaults] = slashDefaults;
    const posonly = [...posPlain, ...posDefaults.map(([arg]) => arg)];
    const params = makeParams(posonly, [], withDefaults, starEtc(p, style));
    params.defaults.unshift(...posDefaults.flatMap(([, value]) => (value ? [value] : [])));
    return params;
  }
  const plain = many(p, () => paramNoDefault(p, style));
  if (plain.length > 0) {
    const withDefaults = many(p, () => paramWithDefault(p, style));
    return makeParams([], plain, withDefaults, starEtc(p, style));
  }
  const withDefaults = many(p, () => paramWithDefault(p, style));
  if (withDefaults.length > 0) return makeParams([], [], withDefaults, starEtc(p, style));
  const star = starEtc(p, style);
  return star ? makeParams([], [], [], star) : null;
}

function lambdaParams(p: Parser): Params | null {
  return parameters(p, LAMBDA_STYLE);
}

/** The rules of this file that other rule files call, through the grammar table (grammar.ts). */
export const paramRules = {
  param,
  paramNoDefault,
  paramWithDefault,
  paramMaybeDefault,
  slashNoDefault,
  slashWithDefault,
  parameters,
  lambdaParams,
};
