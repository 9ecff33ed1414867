// The grammar's rules that one rule file calls in another, as one late-bound table. The rules are
// mutually recursive (an expression holds a lambda, whose body is an expression...), and files that
// imported each other's functions made a knot no file could be read or moved without the others.
// Each parse-*.ts file imports only this table and calls other files' rules as `g.expression(p)`;
// rules.ts fills the table once, before the first parse, and the compiler checks it is complete.
// This module imports no rule file.
import type { Arg, CallArgs, Comprehension, Node, ParamStyle, Params, Parser, WithDefault } from './parser-core';

export interface Grammar {
  // Expressions (parse-expr.ts).
  expression(p: Parser): Node | null;
  expressions(p: Parser): Node | null;
  expressionWithoutInvalid(p: Parser): Node | null;
  yieldExpr(p: Parser): Node | null;
  starExpression(p: Parser): Node | null;
  starExpressions(p: Parser): Node | null;
  starNamedExpression(p: Parser): Node | null;
  starNamedExpressions(p: Parser): Node[] | null;
  namedExpression(p: Parser): Node | null;
  namedOrPlain(p: Parser): Node | null;
  disjunction(p: Parser): Node | null;
  bitwiseOr(p: Parser): Node | null;

  // Primaries, atoms, displays, comprehensions, lambdas (parse-atoms.ts).
  callTrailer(p: Parser, func: Node, a: number): Node | null;
  primary(p: Parser): Node | null;
  slices(p: Parser): Node | null;
  atom(p: Parser): Node | null;
  strings(p: Parser): Node | null;
  doubleStarredKvpair(p: Parser): [Node | null, Node] | null;
  forIfClauses(p: Parser): Comprehension[] | null;
  lambdef(p: Parser): Node | null;

  // A call's arguments (parse-args.ts).
  argumentsRule(p: Parser): CallArgs | null;
  argsRule(p: Parser): CallArgs | null;
  starredExpression(p: Parser): Node | null;

  // Assignment and deletion targets (parse-targets.ts).
  starTarget(p: Parser): Node | null;
  starTargets(p: Parser): Node | null;
  subscriptAttributeTarget(p: Parser): Node | null;
  singleTarget(p: Parser): Node | null;
  delTargets(p: Parser): Node[] | null;

  // Parameters of def and lambda (parse-params.ts).
  param(p: Parser, style: ParamStyle, starAnnotation?: boolean): Arg | null;
  paramNoDefault(p: Parser, style: ParamStyle, starAnnotation?: boolean): Arg | null;
  paramWithDefault(p: Parser, style: ParamStyle): WithDefault | null;
  paramMaybeDefault(p: Parser, style: ParamStyle): WithDefault | null;
  slashNoDefault(p: Parser, style: ParamStyle): Arg[] | null;
  slashWithDefault(p: Parser, style: ParamStyle): [Arg[], WithDefault[]] | null;
  parameters(p: Parser, style: ParamStyle): Params | null;
  lambdaParams(p: Parser): Params | null;

  // Statements (parse-stmt.ts); `file` is the start rule.
  file(p: Parser): Node[] | null;
  importFromAsNames(p: Parser): string[] | null;
  block(p: Parser): Node[] | null;

  // Compound statements (parse-compound.ts) and match (parse-match.ts).
  compoundStmt(p: Parser): Node | null;
  exceptBlock(p: Parser, star: boolean): Node | null;
  caseBlock(p: Parser): Node | null;
  patterns(p: Parser): Node | null;

  // The invalid_ rules of expressions and simple statements (parse-invalid.ts), second pass only.
  invalidExpression(p: Parser): void;
  invalidLegacyExpression(p: Parser): void;
  invalidNamedExpression(p: Parser): void;
  invalidAssignment(p: Parser): void;
  invalidDelStmt(p: Parser): void;
  invalidComprehension(p: Parser): void;
  invalidDictComprehension(p: Parser): void;
  invalidParameters(p: Parser, style: ParamStyle): void;
  invalidDefault(p: Parser): void;
  invalidStarEtc(p: Parser, style: ParamStyle): void;
  invalidKwds(p: Parser, style: ParamStyle): void;
  invalidWithItem(p: Parser): void;
  invalidForTarget(p: Parser): void;
  invalidGroup(p: Parser): void;
  invalidImportFromTargets(p: Parser): void;
  invalidDoubleStarredKvpairs(p: Parser): void;
  invalidKwarg(p: Parser): void;
  invalidArguments(p: Parser): void;

  // The invalid_ rules of compound statements (parse-invalid-blocks.ts), second pass only.
  invalidWithStmt(p: Parser): void;
  invalidWithStmtIndent(p: Parser): void;
  invalidTryStmt(p: Parser): void;
  invalidExceptStmt(p: Parser): void;
  invalidExceptStmtIndent(p: Parser, star: boolean): void;
  invalidBlockAfter(p: Parser, keyword: string, what: string): void;
  invalidIfStmt(p: Parser, keyword: 'if' | 'elif'): void;
  invalidWhileStmt(p: Parser): void;
  invalidForStmt(p: Parser): void;
  invalidDefRaw(p: Parser): void;
  invalidClassDefRaw(p: Parser): void;
  invalidMatchStmt(p: Parser, subject: (p: Parser) => Node | null): void;
  invalidCaseBlock(p: Parser): void;
  invalidAsPattern(p: Parser, orPattern: (p: Parser) => Node | null): void;
  invalidClassPattern(
    p: Parser,
    nameOrAttr: (p: Parser) => boolean,
    pattern: (p: Parser) => Node | null,
    keywordPattern: (p: Parser) => boolean | null,
  ): void;
}

/** The table, empty until rules.ts registers every rule (compile-check.ts imports rules.ts). */
export const g = {} as Grammar;
