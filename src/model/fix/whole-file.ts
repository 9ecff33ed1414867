// Fixing a whole file (docs/design.md#whole-files): find the places that need a look (parse errors, suspect
// names; with none, each function in turn), give the model a window it can read whole around each
// (the enclosing function when it fits, else the lines around the error), and put each edit back
// into the person's text, re-checking the parse of the whole file after each.
import { InputError, type AnswerCandidate, type FileEdit } from '../api';
import { nameCandidates, type EditReason } from './edit-candidates';
import { isKeyword, lex, type Token } from '../python/lexer';
import { lineLayout, splitLines } from '../python/lines';
import { unboundNames } from '../python/name-check';
import { checkPythonSyntax } from '../python/parse-check';
import type { FixSearchResult, FixStatus } from './fix-search';
import { ALTERNATIVES_PER_EDIT, MAX_FILE_LINES, MAX_LOOK_ONLY_WINDOWS, MAX_LOOKS_PER_FILE } from './search-limits';

export { MAX_FILE_LINES } from './search-limits';

/** A span of physical lines, 1-based, both ends included. */
export interface LineSpan {
  start: number;
  end: number;
}

export interface WindowFixer {
  /** Whether the model reads this text whole. */
  fits(text: string): boolean;
  /** Fix one window; `lookOnly` windows (no evidence of a bug) need the model's edit to beat "no bug" by the margin. */
  fix(text: string, known: ReadonlySet<string>, lookOnly: boolean): Promise<FixSearchResult>;
}

export interface FileFixResult {
  status: FixStatus;
  text: string;
  edits: FileEdit[];
  /** Each edit's file text after it, in order. */
  steps: { changedLine: number; text: string }[];
  /** The candidates of the first look, as whole-file texts. */
  candidates: AnswerCandidate[];
  /** Windows the model read. */
  looks: number;
}

export function refuseLongFile(text: string): void {
  const lines = splitLines(text).length;
  if (lines > MAX_FILE_LINES)
    throw new InputError(
      `the text has ${lines} lines; fix reads at most ${MAX_FILE_LINES} lines: split the file and fix each part`,
    );
}

/** The last text's value: every window of a file slices one text, which must not be re-read per window. */
function lastTextMemo<T>(compute: (text: string) => T): (text: string) => T {
  let lastText: string | undefined;
  let lastValue: T;
  return (text) => {
    if (text !== lastText) {
      lastValue = compute(text);
      lastText = text;
    }
    return lastValue;
  };
}

const fileLines = lastTextMemo(splitLines);
const fileLayout = lastTextMemo((text: string) => lineLayout(text));

/** Every `def` (async included) with its lines, outermost first (shared: do not change it). */
export const functionSpans: (text: string) => readonly LineSpan[] = lastTextMemo(findFunctionSpans);

function findFunctionSpans(text: string): LineSpan[] {
  const tokens = lex(text).tokens;
  const spans: LineSpan[] = [];
  const startsStatement = (i: number) => i === 0 || ['NEWLINE', 'INDENT', 'DEDENT'].includes(tokens[i - 1]!.kind);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'KEYWORD' || t.text !== 'def') continue;
    const isAsync = tokens[i - 1]?.text === 'async' && startsStatement(i - 1);
    if (!isAsync && !startsStatement(i)) continue;
    const startLine = isAsync ? tokens[i - 1]!.line : t.line;
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.kind !== 'NEWLINE') j++;
    let endLine = tokens[j - 1]?.line ?? t.line;
    if (tokens[j + 1]?.kind === 'INDENT') {
      let level = 0;
      for (let k = j + 1; k < tokens.length; k++) {
        const u = tokens[k]!;
        if (u.kind === 'INDENT') level++;
        else if (u.kind === 'DEDENT' && --level === 0) break;
        else if (u.kind !== 'NEWLINE' && u.kind !== 'DEDENT') endLine = u.line + (u.text.match(/\n/g)?.length ?? 0);
      }
    }
    spans.push({ start: startLine, end: endLine });
  }
  return spans;
}

/** Names bound at module level (imports, top-level assignments, defs, classes, globals): known file-wide. */
export function moduleNames(text: string): Set<string> {
  const tokens = lex(text).tokens.filter((t) => t.kind !== 'INDENT' && t.kind !== 'DEDENT');
  const names = new Set<string>();
  let statement: Token[] = [];
  const flush = () => {
    const first = statement[0];
    if (first) {
      const col0 = first.start === 0 || text[first.start - 1] === '\n';
      const isImport = first.text === 'import' || first.text === 'from';
      statement.forEach((t, i) => {
        if (t.kind !== 'NAME') return;
        const prev = statement[i - 1];
        const next = statement[i + 1];
        if (prev && (prev.text === 'def' || prev.text === 'class' || prev.text === 'global' || prev.text === 'as'))
          names.add(t.text);
        else if (isImport && col0 && prev && (prev.text === 'import' || prev.text === ',') && next?.text !== '.')
          names.add(t.text);
        else if (
          col0 &&
          first.kind === 'NAME' &&
          (i === 0 || prev?.text === ',') &&
          next &&
          ['=', ':', ','].includes(next.text)
        )
          names.add(t.text);
      });
      if (isImport) {
        // `import a.b` binds a
        const imported = statement.findIndex((t) => t.text === 'import');
        if (first.text === 'import' && statement[imported + 1]?.kind === 'NAME')
          names.add(statement[imported + 1]!.text);
      }
    }
    statement = [];
  };
  for (const t of tokens) {
    if (t.kind === 'NEWLINE') flush();
    else statement.push(t);
  }
  flush();
  return new Set([...names].filter((n) => !isKeyword(n)));
}

const sliceLines = (text: string, span: LineSpan) => {
  const lines = fileLines(text);
  const from = lines[span.start - 1]!.start;
  const last = lines[span.end - 1]!;
  return { from, to: last.end + last.eol.length, text: text.slice(from, last.end + last.eol.length) };
};

/** The window around a line: the innermost function that fits, else lines around it while they fit. */
export function windowAround(text: string, errorLine: number, fits: (text: string) => boolean): LineSpan {
  const lines = fileLines(text);
  // An error at the end of input sits past the last line: the last line with code is the place.
  let line = Math.max(1, Math.min(errorLine, lines.length));
  while (line > 1 && text.slice(lines[line - 1]!.start, lines[line - 1]!.end).trim() === '') line--;
  const enclosing = functionSpans(text)
    .filter((s) => s.start <= line && line <= s.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start));
  for (const span of enclosing) if (fits(sliceLines(text, span).text)) return span;
  const startsLine = (n: number) => {
    const l = lines[n - 1];
    return (
      l !== undefined &&
      /^\S/.test(text.slice(l.start + l.indentText.length, l.end)) &&
      !text.slice(l.start, l.end).trimStart().startsWith(')')
    );
  };
  let span: LineSpan = { start: Math.max(1, line), end: Math.min(lines.length, line) };
  for (let grow = true; grow;) {
    grow = false;
    for (const next of [
      { start: span.start - 1, end: span.end },
      { start: span.start, end: span.end + 1 },
    ]) {
      if (next.start < 1 || next.end > lines.length) continue;
      if (fits(sliceLines(text, next).text)) {
        span = next;
        grow = true;
      }
    }
  }
  while (span.start < line && !startsLine(span.start)) span.start++;
  // The window must not dedent below its first line: it starts at the first statement of the
  // shallowest level in it, before the line where one exists (a badly indented line or `els:` may
  // itself sit at that level, and must not open the window).
  const layout = fileLayout(text);
  // A clause that continues a statement (`else:`, `except:`) cannot open a window.
  const clause = (n: number) =>
    /^(else|elif|except|finally|case)\b/.test(
      text.slice(lines[n - 1]!.start + lines[n - 1]!.indentText.length, lines[n - 1]!.end),
    );
  const starts = (n: number) => layout.lines[n - 1]!.startsLogicalLine && layout.lines[n - 1]!.hasTokens && !clause(n);
  const indent = (n: number) => layout.lines[n - 1]!.indentWidth;
  let shallowest = Number.POSITIVE_INFINITY;
  for (let n = span.start; n <= line; n++)
    if (layout.lines[n - 1]!.startsLogicalLine && layout.lines[n - 1]!.hasTokens)
      shallowest = Math.min(shallowest, indent(n));
  const atLevel: number[] = [];
  for (let n = span.start; n <= line; n++) if (starts(n) && indent(n) === shallowest) atLevel.push(n);
  let start = atLevel.find((n) => n < line);
  if (start === undefined) {
    // Only clauses (or the line itself) at that level: the statement they continue opens the window.
    start = span.start;
    while (start > 1 && !(starts(start) && indent(start) <= shallowest && start < line)) start--;
    shallowest = Math.min(shallowest, indent(start));
    while (span.end > line && !fits(sliceLines(text, { start, end: span.end }).text)) span.end--;
  }
  span.start = start;
  for (let n = line + 1; n <= span.end; n++) {
    if (starts(n) && indent(n) < shallowest) {
      span.end = n - 1;
      break;
    }
  }
  return span;
}

/** A window's lines without the first line's indentation, and the way back for changed lines. */
export function dedentWindow(windowText: string): { text: string; restore(fixed: string): string | null } {
  const indent = /^[ \t]*/.exec(windowText)![0];
  if (indent === '') return { text: windowText, restore: (fixed) => fixed };
  const original = windowText.split('\n');
  const dedented = original.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
  return {
    text: dedented.join('\n'),
    restore(fixed) {
      const lines = fixed.split('\n');
      if (lines.length !== original.length) return null;
      return lines.map((l, i) => (l === dedented[i] ? original[i]! : l === '' ? '' : indent + l)).join('\n');
    },
  };
}

const lineText = (text: string, n: number) => {
  const l = fileLines(text)[n - 1];
  return l ? text.slice(l.start, l.end) : '';
};

/** Fixes a text of any length through windows the model reads whole. */
export async function fixFile(text: string, fixer: WindowFixer, maxLooks = MAX_LOOKS_PER_FILE): Promise<FileFixResult> {
  refuseLongFile(text);
  const known = moduleNames(text);
  const edits: FileEdit[] = [];
  const steps: { changedLine: number; text: string }[] = [];
  let candidates: AnswerCandidate[] | null = null;
  let current = text;
  let looks = 0;
  let unfixed = false;
  const looked = new Set<string>();

  /** Looks at one window of the current text; returns whether it changed anything. */
  const look = async (
    span: LineSpan,
    lookOnly: boolean,
    windowKnown: ReadonlySet<string> = known,
  ): Promise<boolean> => {
    const window = sliceLines(current, span);
    const key = `${window.text}\u0000${lookOnly}`;
    if (looked.has(key)) return false;
    looked.add(key);
    looks++;
    const dedented = dedentWindow(window.text);
    // Lines cut from a function: the names the function binds outside the window are known too.
    const spans = functionSpans(current);
    const outer = spans.filter((s) => s.start <= span.start && span.end <= s.end).sort((a, b) => a.start - b.start)[0];
    let names = windowKnown;
    if (outer && (outer.start !== span.start || outer.end !== span.end)) {
      const fnText = dedentWindow(sliceLines(current, outer).text).text;
      const unbound = unboundNames(fnText);
      names = new Set([
        ...windowKnown,
        ...lex(fnText)
          .tokens.filter((t) => t.kind === 'NAME' && !unbound.has(t.text))
          .map((t) => t.text),
      ]);
    }
    const result = await fixer.fix(dedented.text, names, lookOnly);
    const inFile = (windowText: string) => {
      const restored = dedented.restore(windowText);
      return restored === null ? null : current.slice(0, window.from) + restored + current.slice(window.to);
    };
    candidates ??= result.candidates.flatMap((c) => {
      const text = inFile(c.text);
      return text === null
        ? []
        : [{ ...c, text, changedLine: c.changedLine === null ? null : c.changedLine + span.start - 1 }];
    });
    if (result.status === 'unfixed') unfixed = true;
    if (result.status !== 'fixed') return false;
    const final = inFile(result.text);
    if (final === null) return false;
    for (const step of result.steps) {
      const line = step.changedLine + span.start - 1;
      const next = inFile(step.text);
      if (next === null) continue;
      const before = lineText(steps.length > 0 ? steps[steps.length - 1]!.text : current, line);
      edits.push({
        line,
        before,
        after: lineText(next, line),
        why: step.why,
        candidates: step.candidates.slice(0, ALTERNATIVES_PER_EDIT).map((c) => {
          const text = inFile(c.text);
          return {
            line: c.changedLine === null ? null : c.changedLine + span.start - 1,
            after: c.changedLine === null || text === null ? '' : lineText(text, c.changedLine + span.start - 1),
            score: c.score,
            why: c.noBug ? ('no bug' as const) : (c.why ?? ('model' as EditReason)),
          };
        }),
      });
      steps.push({ changedLine: line, text: next });
    }
    current = final;
    return true;
  };

  const fitting = () => functionSpans(current).filter((s) => fixer.fits(sliceLines(current, s).text));
  // Parse errors first, one at a time, re-checked on the whole file after each edit.
  while (looks < maxLooks) {
    const check = checkPythonSyntax(current);
    if (check.ok) break;
    if (!(await look(windowAround(current, check.errorLine ?? 1, fixer.fits), false))) break;
  }
  const parses = checkPythonSyntax(current).ok;
  if (!parses) {
    return { status: 'unfixed', text, edits: [], steps: [], candidates: candidates ?? [], looks };
  }
  // Suspect names, in each outermost function: a window around each suspect line, reading the
  // names the function binds outside the window as known.
  const spans = functionSpans(current);
  const outermost = spans.filter((s) => !spans.some((o) => o !== s && o.start <= s.start && s.end <= o.end));
  const hadParseEdits = edits.length > 0;
  let suspects = 0;
  for (const outer of outermost) {
    const fnText = sliceLines(current, outer).text;
    const dedentedFn = dedentWindow(fnText).text;
    const strong = nameCandidates(dedentedFn, known).filter((e) => e.why === 'suspect name');
    if (strong.length === 0) continue;
    const unbound = unboundNames(dedentedFn);
    const fnKnown = new Set([
      ...known,
      ...lex(dedentedFn)
        .tokens.filter((t) => t.kind === 'NAME' && !unbound.has(t.text))
        .map((t) => t.text),
    ]);
    for (const fileLine of [...new Set(strong.map((e) => e.line + outer.start - 1))]) {
      if (looks >= maxLooks) break;
      suspects++;
      const span = windowAround(current, fileLine, fixer.fits);
      await look(span, false, span.start === outer.start && span.end === outer.end ? known : fnKnown);
    }
  }
  // No evidence anywhere: each function in turn, the first MAX_LOOK_ONLY_WINDOWS of them (a bug the
  // text gives no sign of is the model's guess alone; a long file must not cost a look per function);
  // the model must beat "no bug" by the margin.
  if (!hadParseEdits && suspects === 0) {
    const spans = fixer.fits(current) ? [{ start: 1, end: fileLines(current).length }] : fitting();
    for (const span of spans.slice(0, MAX_LOOK_ONLY_WINDOWS)) {
      if (looks >= maxLooks) break;
      if (await look(span, true)) break;
    }
  }
  unfixed &&= edits.length === 0;
  return {
    status: edits.length > 0 ? 'fixed' : unfixed ? 'unfixed' : 'no_bug',
    text: current,
    edits,
    steps,
    candidates: candidates ?? [],
    looks,
  };
}
