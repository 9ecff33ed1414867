// The compile-time rules CPython checks in Python/symtable.c, after a successful parse: duplicate
// parameters, `global`/`nonlocal` declarations, `yield` in comprehensions, walrus targets in
// comprehensions, `import *` outside the module. It also notes which functions are generators
// and coroutines, which the compiler rules (compile-rules.ts) need.
import type { Comprehension, Node, Params } from './parser-core';
import { PySyntaxError } from './parser-core';
import type { PyToken } from './tokenize';

const PARAM = 1;
const LOCAL = 2;
const USE = 4;
const GLOBAL = 8;
const NONLOCAL = 16;
const ANNOT = 32;
const COMP_ITER = 64;
const IMPORT = 128;
const BOUND = LOCAL | PARAM | IMPORT;

export type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

export interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  symbols: Map<string, number>;
  /** `nonlocal` declarations, in order, with their statements. */
  nonlocals: [string, Node][];
  children: Scope[];
  generator: boolean;
  coroutine: boolean;
  /** For comprehensions: list, set, dict comprehension or generator expression. */
  compKind?: string;
  compIterDepth: number;
}

const COMPREHENSION_WORDS: Record<string, string> = {
  ListComp: 'list comprehension',
  SetComp: 'set comprehension',
  DictComp: 'dict comprehension',
  GeneratorExp: 'generator expression',
};

export class SymbolTable {
  readonly scopes = new Map<Node, Scope>();
  readonly module: Scope;
  private cur: Scope;
  private compIterTarget = false;

  /** `fragment`: the module stands for lines of a function body, whose `nonlocal`s may bind outside them. */
  constructor(
    private readonly tokens: PyToken[],
    private readonly fragment = false,
  ) {
    this.module = this.cur = this.newScope('module', null);
  }

  private newScope(kind: ScopeKind, parent: Scope | null): Scope {
    const scope: Scope = {
      kind,
      parent,
      symbols: new Map(),
      nonlocals: [],
      children: [],
      generator: false,
      coroutine: false,
      compIterDepth: 0,
    };
    parent?.children.push(scope);
    return scope;
  }

  error(message: string, at: Node | number): never {
    const t = this.tokens[typeof at === 'number' ? at : at.a];
    throw new PySyntaxError(message, t.line, t.col + 1);
  }

  private addDef(name: string, flag: number, at: Node | number): void {
    const old = this.cur.symbols.get(name) ?? 0;
    if (flag & PARAM && old & PARAM) this.error(`duplicate argument '${name}' in function definition`, at);
    let value = old | flag;
    if (flag & LOCAL && this.compIterTarget) value |= COMP_ITER;
    this.cur.symbols.set(name, value);
  }

  build(body: Node[]): void {
    this.statements(body);
    this.analyze(this.module, null);
  }

  private statements(body: Node[] | undefined): void {
    for (const s of body ?? []) this.statement(s);
  }

  private params(params: Params | undefined): void {
    if (!params) return;
    for (const arg of [...params.posonly, ...params.args]) this.addDef(arg.name, PARAM, arg.a);
    if (params.vararg) this.addDef(params.vararg.name, PARAM, params.vararg.a);
    for (const arg of params.kwonly) this.addDef(arg.name, PARAM, arg.a);
    if (params.kwarg) this.addDef(params.kwarg.name, PARAM, params.kwarg.a);
  }

  private paramDefaultsAndAnnotations(params: Params | undefined, annotations: boolean): void {
    if (!params) return;
    this.exprs(params.defaults);
    this.exprs(params.kwDefaults);
    if (!annotations) return;
    for (const arg of [...params.posonly, ...params.args, params.vararg, ...params.kwonly, params.kwarg])
      this.expr(arg?.ann);
  }

  private enter(kind: ScopeKind, node: Node): Scope {
    const scope = this.newScope(kind, this.cur);
    this.scopes.set(node, scope);
    this.cur = scope;
    return scope;
  }

  private statement(s: Node): void {
    switch (s.k) {
      case 'FunctionDef': {
        this.addDef(s.id!, LOCAL, s);
        this.paramDefaultsAndAnnotations(s.params, true);
        this.expr(s.t);
        this.exprs(s.decorators);
        const outer = this.cur;
        const scope = this.enter('function', s);
        scope.coroutine = s.isAsync === true;
        this.params(s.params);
        this.statements(s.body);
        this.cur = outer;
        return;
      }
      case 'ClassDef': {
        this.addDef(s.id!, LOCAL, s);
        this.exprs(s.l);
        for (const k of s.kw ?? []) this.expr(k.value);
        this.exprs(s.decorators);
        const outer = this.cur;
        this.enter('class', s);
        this.statements(s.body);
        this.cur = outer;
        return;
      }
      case 'Global':
      case 'Nonlocal':
        for (const name of s.names ?? []) this.declare(s, name);
        return;
      case 'AnnAssign': {
        const target = s.t!;
        if (target.k === 'Name') {
          const old = this.cur.symbols.get(target.id!) ?? 0;
          if (old & (GLOBAL | NONLOCAL) && this.cur !== this.module && s.c === 'simple') {
            this.error(`annotated name '${target.id}' can't be ${old & GLOBAL ? 'global' : 'nonlocal'}`, s);
          }
          this.addDef(target.id!, s.c === 'simple' ? ANNOT | LOCAL : LOCAL, target);
        } else this.target(target);
        this.expr(s.s);
        this.expr(s.v);
        return;
      }
      case 'Import':
      case 'ImportFrom':
        for (const name of s.names ?? []) {
          if (name === '*') {
            if (this.cur !== this.module) this.error('import * only allowed at module level', s);
          } else this.addDef(name, IMPORT, s);
        }
        return;
      case 'ExceptHandler':
        this.expr(s.v);
        if (s.id) this.addDef(s.id, LOCAL, s);
        this.statements(s.body);
        return;
      default:
        this.children(s);
    }
  }

  private declare(s: Node, name: string): void {
    const nonlocal = s.k === 'Nonlocal';
    const word = nonlocal ? 'nonlocal' : 'global';
    const old = this.cur.symbols.get(name) ?? 0;
    if (old & (PARAM | LOCAL | USE | ANNOT | IMPORT)) {
      if (old & PARAM) this.error(`name '${name}' is parameter and ${word}`, s);
      if (old & USE) this.error(`name '${name}' is used prior to ${word} declaration`, s);
      if (old & ANNOT) this.error(`annotated name '${name}' can't be ${word}`, s);
      this.error(`name '${name}' is assigned to before ${word} declaration`, s);
    }
    this.cur.symbols.set(name, old | (nonlocal ? NONLOCAL : GLOBAL));
    if (nonlocal) this.cur.nonlocals.push([name, s]);
  }

  /** Visits a statement's parts in CPython's order (targets as stores). */
  private children(s: Node): void {
    switch (s.k) {
      case 'Assign':
        for (const t of s.targets ?? []) this.target(t);
        this.expr(s.v);
        return;
      case 'AugAssign':
        this.target(s.t!);
        this.expr(s.v);
        return;
      case 'Delete':
        for (const t of s.targets ?? []) this.target(t);
        return;
      case 'For':
        this.target(s.t!);
        this.expr(s.v);
        this.statements(s.body);
        this.statements(s.orelse);
        return;
      case 'With':
        for (const item of s.l ?? []) {
          this.expr(item!.v);
          if (item!.t) this.target(item!.t);
        }
        this.statements(s.body);
        return;
      case 'Try':
        this.statements(s.body);
        for (const h of s.handlers ?? []) this.statement(h);
        this.statements(s.orelse);
        this.statements(s.finalbody);
        return;
      case 'Match':
        this.expr(s.v);
        for (const c of s.cases ?? []) this.statements(c.body);
        return;
      case 'If':
      case 'While':
        this.expr(s.v);
        this.statements(s.body);
        this.statements(s.orelse);
        return;
      default:
        this.expr(s.v);
        this.expr(s.t);
        this.exprs(s.l);
    }
  }

  private target(t: Node): void {
    if (t.k === 'Name') this.addDef(t.id!, LOCAL, t);
    else if (t.k === 'Tuple' || t.k === 'List') for (const e of t.l ?? []) this.target(e!);
    else if (t.k === 'Starred') this.target(t.v!);
    else this.expr(t);
  }

  private exprs(list: (Node | null)[] | undefined): void {
    for (const e of list ?? []) this.expr(e);
  }

  expr(e: Node | null | undefined): void {
    if (!e) return;
    switch (e.k) {
      case 'Name':
        this.cur.symbols.set(e.id!, (this.cur.symbols.get(e.id!) ?? 0) | USE);
        return;
      case 'NamedExpr':
        this.namedExpr(e);
        return;
      case 'Lambda': {
        this.paramDefaultsAndAnnotations(e.params, false);
        const outer = this.cur;
        this.enter('function', e);
        this.params(e.params);
        this.expr(e.v);
        this.cur = outer;
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        this.comprehension(e);
        return;
      case 'Yield':
      case 'YieldFrom':
        if (this.cur.kind === 'comprehension')
          this.error(`'yield' inside ${COMPREHENSION_WORDS[this.cur.compKind!]}`, e);
        this.expr(e.v);
        this.cur.generator = true;
        return;
      case 'Await':
        this.expr(e.v);
        this.cur.coroutine = true;
        return;
      case 'Call':
        this.expr(e.v);
        this.exprs(e.l);
        for (const k of e.kw ?? []) this.expr(k.value);
        return;
      case 'Dict':
        for (let i = 0; i < (e.l?.length ?? 0); i++) {
          this.expr(e.keys![i]);
          this.expr(e.l![i]);
        }
        return;
      default:
        this.expr(e.v);
        this.expr(e.s);
        this.exprs(e.l);
    }
  }

  private namedExpr(e: Node): void {
    if (this.cur.compIterDepth > 0)
      this.error('assignment expression cannot be used in a comprehension iterable expression', e);
    const name = e.t!.id!;
    if (this.cur.kind === 'comprehension') {
      for (let scope: Scope | null = this.cur; scope; scope = scope.parent) {
        if (scope.kind === 'comprehension') {
          if ((scope.symbols.get(name) ?? 0) & COMP_ITER) {
            this.error(`assignment expression cannot rebind comprehension iteration variable '${name}'`, e);
          }
          continue;
        }
        if (scope.kind === 'class')
          this.error('assignment expression within a comprehension cannot be used in a class body', e);
        scope.symbols.set(name, (scope.symbols.get(name) ?? 0) | LOCAL);
        break;
      }
    }
    this.expr(e.v);
    this.target(e.t!);
  }

  private comprehension(e: Node): void {
    const gens: Comprehension[] = e.gens ?? [];
    const outermost = gens[0];
    this.cur.compIterDepth++;
    this.expr(outermost.iter);
    this.cur.compIterDepth--;
    const outer = this.cur;
    const scope = this.enter('comprehension', e);
    scope.compKind = e.k;
    if (outermost.isAsync) scope.coroutine = true;
    gens.forEach((gen, i) => {
      this.compIterTarget = true;
      this.target(gen.target);
      this.compIterTarget = false;
      if (i > 0) {
        this.cur.compIterDepth++;
        this.expr(gen.iter);
        this.cur.compIterDepth--;
        if (gen.isAsync) scope.coroutine = true;
      }
      this.exprs(gen.ifs);
    });
    if (e.k === 'DictComp') this.expr(e.t);
    this.expr(e.v);
    if (e.k === 'GeneratorExp') scope.generator = true;
    this.cur = outer;
  }

  /** analyze_block: `nonlocal` names need a binding in an enclosing function. */
  private analyze(scope: Scope, bound: Set<string> | null): void {
    for (const [name, at] of scope === this.module && this.fragment ? [] : scope.nonlocals) {
      const flags = scope.symbols.get(name) ?? 0;
      if (flags & GLOBAL) this.error(`name '${name}' is nonlocal and global`, at);
      if (!bound) this.error('nonlocal declaration not allowed at module level', at);
      if (!bound.has(name)) this.error(`no binding for nonlocal '${name}' found`, at);
    }
    let inner: Set<string>;
    if (scope.kind === 'class') inner = bound ?? new Set();
    else {
      inner = new Set(bound ?? []);
      if (scope.kind !== 'module') {
        for (const [name, flags] of scope.symbols) {
          if (flags & GLOBAL) inner.delete(name);
          else if (flags & BOUND && !(flags & NONLOCAL)) inner.add(name);
        }
      }
    }
    for (const child of scope.children) this.analyze(child, inner);
  }
}
