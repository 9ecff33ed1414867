// The rules Python/compile.c checks while it compiles a parsed module: `return`, `yield` and `await`
// placement, `break`/`continue` outside a loop, starred expressions, repeated keyword arguments,
// a bare `except:` that is not last, assignments to __debug__, late `__future__` imports. Run after
// symtable.ts.
import type { Node, Params } from './parser-core';
import { PySyntaxError } from './parser-core';
import type { Scope, SymbolTable } from './symtable';
import type { PyToken } from './tokenize';
import { isLateFutureImport, LATE_FUTURE } from './future';

interface Context {
  scope: Scope;
  /** Compiler scope: an async function is 'async', a lambda 'lambda'. */
  unit: 'module' | 'class' | 'function' | 'async' | 'lambda' | 'comprehension';
  inLoop: boolean;
  /** At the own level of a fragment (lines of an async function's body, inside a loop). */
  fragment?: boolean;
}

export class CompileRules {
  constructor(
    private readonly symbols: SymbolTable,
    private readonly tokens: PyToken[],
    /** The line of the module's last leading `__future__` import (future.ts), or -1. */
    private readonly futureLine = -1,
  ) {}

  private error(message: string, at: Node | number): never {
    const t = this.tokens[typeof at === 'number' ? at : at.a];
    throw new PySyntaxError(message, t.line, t.col + 1);
  }

  check(body: Node[], fragment = false): void {
    this.statements(body, { scope: this.symbols.module, unit: 'module', inLoop: fragment, fragment });
  }

  private statements(body: Node[] | undefined, ctx: Context): void {
    for (const s of body ?? []) this.statement(s, ctx);
  }

  private forbidden(name: string | undefined, at: Node | number): void {
    if (name === '__debug__') this.error('cannot assign to __debug__', at);
  }

  private params(params: Params | undefined, ctx: Context, annotations: boolean): void {
    if (!params) return;
    this.exprs(params.defaults, ctx);
    this.exprs(params.kwDefaults, ctx);
    for (const arg of [...params.posonly, ...params.args, params.vararg, ...params.kwonly, params.kwarg]) {
      if (!arg) continue;
      this.forbidden(arg.name, arg.a);
      if (annotations) this.expr(arg.ann, ctx);
    }
  }

  private statement(s: Node, ctx: Context): void {
    switch (s.k) {
      case 'FunctionDef': {
        this.forbidden(s.id, s);
        this.exprs(s.decorators, ctx);
        this.params(s.params, ctx, true);
        this.expr(s.t, ctx);
        const scope = this.symbols.scopes.get(s)!;
        this.statements(s.body, { scope, unit: s.isAsync ? 'async' : 'function', inLoop: false });
        return;
      }
      case 'ClassDef':
        this.forbidden(s.id, s);
        this.exprs(s.decorators, ctx);
        this.exprs(s.l, ctx, true);
        this.keywords(s, ctx);
        this.statements(s.body, { scope: this.symbols.scopes.get(s)!, unit: 'class', inLoop: false });
        return;
      case 'Return':
        if (ctx.scope.kind !== 'function' && !ctx.fragment) this.error("'return' outside function", s);
        if (s.v && ctx.scope.coroutine && ctx.scope.generator) this.error("'return' with value in async generator", s);
        this.expr(s.v, ctx);
        return;
      case 'Break':
        if (!ctx.inLoop) this.error("'break' outside loop", s);
        return;
      case 'Continue':
        if (!ctx.inLoop) this.error("'continue' not properly in loop", s);
        return;
      case 'For':
      case 'While': {
        if (s.isAsync && ctx.unit !== 'async' && !ctx.fragment) this.error("'async for' outside async function", s);
        this.expr(s.v, ctx);
        if (s.t) this.target(s.t, ctx);
        this.statements(s.body, { ...ctx, inLoop: true });
        this.statements(s.orelse, ctx);
        return;
      }
      case 'With':
        if (s.isAsync && ctx.unit !== 'async' && !ctx.fragment) this.error("'async with' outside async function", s);
        for (const item of s.l ?? []) {
          this.expr(item!.v, ctx);
          if (item!.t) this.target(item!.t, ctx);
        }
        this.statements(s.body, ctx);
        return;
      case 'Try': {
        this.statements(s.body, ctx);
        const handlers = s.handlers ?? [];
        handlers.forEach((h, i) => {
          if (!h.v && i < handlers.length - 1) this.error("default 'except:' must be last", h);
          this.expr(h.v, ctx);
          this.forbidden(h.id, h);
          this.statements(h.body, ctx);
        });
        this.statements(s.orelse, ctx);
        this.statements(s.finalbody, ctx);
        return;
      }
      case 'Assign':
        this.expr(s.v, ctx);
        for (const t of s.targets ?? []) this.target(t, ctx);
        return;
      case 'AugAssign':
        this.expr(s.t!.k === 'Name' ? null : s.t!.v, ctx);
        this.forbidden(s.t!.id, s.t!);
        this.expr(s.v, ctx);
        return;
      case 'AnnAssign':
        this.expr(s.v, ctx);
        this.target(s.t!, ctx);
        this.expr(s.s, ctx);
        return;
      case 'Delete':
        for (const t of s.targets ?? []) this.target(t, ctx);
        return;
      case 'If':
        this.expr(s.v, ctx);
        this.statements(s.body, ctx);
        this.statements(s.orelse, ctx);
        return;
      case 'Match':
        this.expr(s.v, ctx);
        for (const c of s.cases ?? []) this.statements(c.body, ctx);
        return;
      case 'Expr':
        this.expr(s.v, ctx);
        return;
      case 'ImportFrom':
        if (isLateFutureImport(s, this.tokens, this.futureLine)) this.error(LATE_FUTURE, s);
        return;
      default:
        this.expr(s.v, ctx);
        this.expr(s.t, ctx);
        this.exprs(s.l, ctx);
    }
  }

  /** A store target: starred only inside a list or tuple, once. */
  private target(t: Node, ctx: Context): void {
    switch (t.k) {
      case 'Name':
        this.forbidden(t.id, t);
        return;
      case 'Starred':
        this.error('starred assignment target must be in a list or tuple', t);
        return;
      case 'Tuple':
      case 'List': {
        let starred = 0;
        for (const e of t.l ?? []) {
          if (e!.k === 'Starred') {
            if (++starred > 1) this.error('multiple starred expressions in assignment', t);
            this.target(e!.v!, ctx);
          } else this.target(e!, ctx);
        }
        return;
      }
      case 'Attribute':
        this.forbidden(t.id, t);
        this.expr(t.v, ctx);
        return;
      default:
        this.expr(t.v, ctx);
        this.expr(t.s, ctx);
    }
  }

  private keywords(node: Node, ctx: Context): void {
    const seen = new Set<string>();
    for (const k of node.kw ?? []) {
      if (k.name !== null) {
        this.forbidden(k.name, k.a);
        if (seen.has(k.name)) this.error(`keyword argument repeated: ${k.name}`, k.a);
        seen.add(k.name);
      }
    }
    for (const k of node.kw ?? []) this.expr(k.value, ctx);
  }

  /** Visits expressions; `starOk`: a Starred item is allowed there (display and call items). */
  private exprs(list: (Node | null)[] | undefined, ctx: Context, starOk = false): void {
    for (const e of list ?? []) {
      if (e && starOk && e.k === 'Starred') this.expr(e.v, ctx);
      else this.expr(e, ctx);
    }
  }

  private expr(e: Node | null | undefined, ctx: Context): void {
    if (!e) return;
    switch (e.k) {
      case 'Starred':
        this.error("can't use starred expression here", e);
        return;
      case 'Tuple':
      case 'List':
      case 'Set':
        this.exprs(e.l, ctx, true);
        return;
      case 'Call':
        this.expr(e.v, ctx);
        this.exprs(e.l, ctx, true);
        this.keywords(e, ctx);
        return;
      case 'Yield':
      case 'YieldFrom':
        if (ctx.scope.kind !== 'function' && !ctx.fragment) this.error("'yield' outside function", e);
        if (e.k === 'YieldFrom' && ctx.unit === 'async') this.error("'yield from' inside async function", e);
        this.expr(e.v, ctx);
        return;
      case 'Await':
        if (ctx.scope.kind !== 'function' && ctx.scope.kind !== 'comprehension' && !ctx.fragment)
          this.error("'await' outside function", e);
        if (ctx.unit !== 'async' && ctx.unit !== 'comprehension' && !ctx.fragment)
          this.error("'await' outside async function", e);
        this.expr(e.v, ctx);
        return;
      case 'Lambda': {
        this.params(e.params, ctx, false);
        this.expr(e.v, { scope: this.symbols.scopes.get(e)!, unit: 'lambda', inLoop: false });
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        this.comprehension(e, ctx);
        return;
      case 'NamedExpr':
        this.expr(e.v, ctx);
        this.forbidden(e.t!.id, e.t!);
        return;
      case 'Dict':
        for (let i = 0; i < (e.l?.length ?? 0); i++) {
          this.expr(e.keys![i], ctx);
          this.expr(e.l![i], ctx);
        }
        return;
      case 'Subscript':
        this.expr(e.v, ctx);
        if (e.s?.k === 'Tuple') this.exprs(e.s.l, ctx, true);
        else this.expr(e.s, ctx);
        return;
      default:
        this.expr(e.v, ctx);
        this.expr(e.s, ctx);
        this.exprs(e.l, ctx);
    }
  }

  private comprehension(e: Node, ctx: Context): void {
    const scope = this.symbols.scopes.get(e)!;
    const gens = e.gens ?? [];
    this.expr(gens[0].iter, ctx);
    const outerAsync = ctx.unit === 'async' || ctx.unit === 'comprehension' || ctx.fragment === true;
    if (scope.coroutine && e.k !== 'GeneratorExp' && !outerAsync) {
      this.error('asynchronous comprehension outside of an asynchronous function', e);
    }
    const inner: Context = { scope, unit: 'comprehension', inLoop: false };
    gens.forEach((gen, i) => {
      if (gen.isAsync && !outerAsync && e.k !== 'GeneratorExp' && i === 0) {
        this.error('asynchronous comprehension outside of an asynchronous function', e);
      }
      this.target(gen.target, inner);
      if (i > 0) this.expr(gen.iter, inner);
      this.exprs(gen.ifs, inner);
    });
    if (e.k === 'DictComp') this.expr(e.t, inner);
    this.expr(e.v, inner);
  }
}
