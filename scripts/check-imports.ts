// The import graph of src/ and dev/ has no cycle, and nothing in src/ imports dev/ (developer pages
// may use the app's code, never the other way round). Run by `npm run check:imports`, part of `npm test`.
//
// Type-only imports count: they make no runtime cycle, but a cycle of types is still two modules that
// cannot be read, or moved, one without the other. Only relative imports are followed (packages
// cannot import back); `import('./x')` counts like a static import.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The folders checked, relative to the repository root. */
export const CHECKED_DIRS: readonly string[] = ['src', 'dev'];
/** Imports that must not exist: from files under `from` to files under `to`. */
export const FORBIDDEN_IMPORTS: readonly { from: string; to: string }[] = [{ from: 'src', to: 'dev' }];

const SOURCE_EXTENSIONS = ['.ts', '.tsx'];

export interface ImportProblems {
  /**
   * One entry per knot of files that import each other (a strongly connected component): `files`,
   * and `cycle`, a shortest cycle through the first of them, that file repeated at the end.
   */
  cycles: { files: string[]; cycle: string[] }[];
  /** Forbidden imports: `importer -> imported`. */
  forbidden: string[];
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(path));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts'))
      found.push(path);
  }
  return found;
}

/** Every module specifier a file imports or re-exports, static or dynamic, type-only included. */
export function importedSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]!)
    )
      found.push(node.arguments[0].text);
    else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names (`./x`, `./x.ts`, `./x.js`, `./dir` with an index), or null. */
function resolveRelative(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    ...SOURCE_EXTENSIONS.map((ext) => base.replace(/\.js$/, ext)),
    ...SOURCE_EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile()) ?? null;
}

/** Strongly connected components of more than one file (or a file importing itself): Tarjan. */
function cyclicComponents(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components;
}

/** One cycle through a component, from its first file (sorted) back to it: a shortest path (BFS). */
function cycleThrough(component: readonly string[], graph: Map<string, Set<string>>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The import cycles within `dirs` and the forbidden imports, for the repository at `root`. */
export function findImportProblems(
  root: string,
  dirs: readonly string[] = CHECKED_DIRS,
  forbidden: readonly { from: string; to: string }[] = FORBIDDEN_IMPORTS,
): ImportProblems {
  const name = (path: string) => relative(root, path).split(sep).join('/');
  const under = (path: string, dir: string) => name(path) === dir || name(path).startsWith(`${dir}/`);
  const graph = new Map<string, Set<string>>();
  const problems: ImportProblems = { cycles: [], forbidden: [] };
  const files = dirs.flatMap((dir) => sourceFiles(join(root, dir))).sort();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importedSpecifiers(file, readFileSync(file, 'utf8'))) {
      const target = resolveRelative(file, specifier);
      if (target === null) continue;
      for (const rule of forbidden)
        if (under(file, rule.from) && under(target, rule.to))
          problems.forbidden.push(`${name(file)} -> ${name(target)}`);
      targets.add(target);
    }
    graph.set(file, targets);
  }
  problems.cycles = cyclicComponents(graph)
    .map((component) => ({ files: component.map(name).sort(), cycle: cycleThrough(component, graph).map(name) }))
    .sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
  return problems;
}

export function describeProblems(problems: ImportProblems): string {
  return [
    ...problems.cycles.map(
      ({ files, cycle }) =>
        `import cycle: ${cycle.join(' -> ')}${files.length > cycle.length - 1 ? ` (${files.length} files import each other: ${files.join(', ')})` : ''}`,
    ),
    ...problems.forbidden.map((edge) => `forbidden import (src/ must not import dev/): ${edge}`),
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(import.meta.dirname, '..');
  const problems = findImportProblems(root);
  if (problems.cycles.length + problems.forbidden.length > 0) {
    process.stderr.write(`${describeProblems(problems)}\n`);
    process.exit(1);
  }
  process.stdout.write(`no import cycle in ${CHECKED_DIRS.join(', ')}; nothing in src/ imports dev/\n`);
}
