// The task encoding (contract): how a function becomes the model's source tokens for fix, complete
// and generate, what each target looks like, and how an answer is turned back into text.
//
// Source: [<task>] then the function's tokens; before each physical line that has tokens comes its
// marker <Ln> (n = 1-based line in the given text); NEWLINE/INDENT/DEDENT appear as markers, the
// DEDENTs at the end of input are left out (they always return to the first line's level).
// Indentation is measured from the first code line, so a method keeps its class indentation.

import { detokenize, detokenizeLine, lineGaps } from './python/detokenize';
import {
  countLineBreaks,
  indentWidth,
  isStructural,
  tokenTexts,
  withoutFinalDedents,
  type Token,
} from './python/lexer';
import { lineLayout, splitLines, type LineLayout, type PhysicalLine } from './python/lines';
import {
  BOS,
  EOS,
  MAX_DEPTH,
  MAX_LINES,
  NOBUG,
  depthToken,
  isReservedToken,
  lineToken,
  parseDepthToken,
  parseLineToken,
} from './vocab';

export type Task = 'fix' | 'complete' | 'generate';
export const TASKS: readonly Task[] = ['fix', 'complete', 'generate'];

export interface EncodedExample {
  task: Task;
  srcTokens: string[];
  tgtTokens: string[];
}

/** A training example that cannot be built from the given texts. */
export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}

export type FixApplication = { ok: true; text: string; changedLine: number | null } | { ok: false; error: string };

function taskToken(task: Task): string {
  return `<${task}>`;
}

/**
 * The source tokens of a task: `[<task>, <L1>, ...]`. Throws TaskError above MAX_LINES lines, except
 * for complete: the line to write depends on what comes just before it, so a longer complete input
 * keeps its last MAX_LINES lines, numbered from 1 (the model then keeps its last tokens of those).
 */
export function taskSource(task: Task, text: string): string[] {
  const layout = lineLayout(text);
  const skippedLines = task === 'complete' ? Math.max(0, layout.lines.length - MAX_LINES) : 0;
  if (layout.lines.length - skippedLines > MAX_LINES) {
    throw new TaskError(
      `the ${task} input has ${layout.lines.length} lines; the model reads at most ${MAX_LINES} lines per function: shorten or split it`,
    );
  }
  const source = [taskToken(task)];
  let markedLine = 0;
  for (const token of withoutFinalDedents(layout.lexed.tokens, text.length)) {
    if (token.line <= skippedLines) continue;
    if (token.line !== markedLine && token.kind !== 'NEWLINE' && layout.lines[token.line - 1]?.hasTokens) {
      source.push(lineToken(token.line - skippedLines));
      markedLine = token.line;
    }
    source.push(...tokenTexts([token]));
  }
  return source;
}

/** Layout-insensitive equality: same tokens, same NEWLINE/INDENT/DEDENT structure. */
export function isSameTokens(a: string, b: string): boolean {
  const texts = (text: string) => tokenTexts(withoutFinalDedents(lineLayout(text).lexed.tokens, text.length));
  const ta = texts(a);
  const tb = texts(b);
  return ta.length === tb.length && ta.every((text, i) => text === tb[i]);
}

// ---------------------------------------------------------------------------------------------
// fix: target [<nobug>, </s>] or [<Ln>, <Dk>, ...tokens of the corrected line n, </s>]

/** The target of a fix example: the one physical line where correctText and buggyText differ. */
export function fixTarget(correctText: string, buggyText: string): string[] {
  const correct = lineLayout(correctText);
  const buggyLines = splitLines(buggyText);
  if (correct.lines.length !== buggyLines.length) {
    throw new TaskError(
      `fixTarget: the correct text has ${correct.lines.length} lines and the buggy one ${buggyLines.length}; a fix replaces exactly one line`,
    );
  }
  const differing = correct.lines.filter(
    (line, i) => lineText(correctText, line) !== lineText(buggyText, buggyLines[i]!),
  );
  if (differing.length === 0) return [NOBUG, EOS];
  if (differing.length > 1) {
    throw new TaskError(
      `fixTarget: lines ${differing.map((line) => line.number).join(', ')} differ; a fix replaces exactly one line`,
    );
  }
  const line = differing[0]!;
  const continued = (text: string) => /\\[ \t]*$/.test(text);
  if (continued(lineText(correctText, line)) !== continued(lineText(buggyText, buggyLines[line.number - 1]!))) {
    throw new TaskError(
      `fixTarget: line ${line.number} differs in a backslash continuation, which a fix cannot express`,
    );
  }
  if (line.number > MAX_LINES) {
    throw new TaskError(`fixTarget: line ${line.number} is past the ${MAX_LINES} lines the model reads`);
  }
  const tokens = lineTokens(correct, line.number);
  if (line.insideToken || tokens.some((t) => countLineBreaks(t.text) > 0)) {
    throw new TaskError(`fixTarget: line ${line.number} is part of a multi-line string; a fix replaces a single line`);
  }
  return [lineToken(line.number), depthToken(lineLevel(correct, line)), ...tokens.map((t) => t.text), EOS];
}

/** A fix example: source from the buggy text, target from the difference. */
export function encodeFix(correctText: string, buggyText: string): EncodedExample {
  return { task: 'fix', srcTokens: taskSource('fix', buggyText), tgtTokens: fixTarget(correctText, buggyText) };
}

/**
 * Applies a fix answer to the user's text. Only the named physical line changes; its trailing
 * comment or line continuation is kept, and so is its leading whitespace when it already has the
 * answer's depth. `</s>` and what follows are ignored.
 */
export function applyFixAnswer(originalText: string, answerTokens: readonly string[]): FixApplication {
  const answer = answerBody(answerTokens);
  if (answer[0] === NOBUG) return { ok: true, text: originalText, changedLine: null };
  const lineNumber = answer[0] === undefined ? undefined : parseLineToken(answer[0]);
  if (lineNumber === undefined) {
    return fail(
      `a fix answer starts with ${NOBUG} or a line marker <L1>..<L${MAX_LINES}>, not ${JSON.stringify(answer[0] ?? 'nothing')}`,
    );
  }
  const depth = answer[1] === undefined ? undefined : parseDepthToken(answer[1]);
  const content = answer.slice(depth === undefined ? 1 : 2);
  const special = content.find(isReservedToken);
  if (special !== undefined) return fail(`the corrected line ${lineNumber} holds the special token ${special}`);
  const layout = lineLayout(originalText, { ignoreLine: lineNumber });
  const line = layout.lines[lineNumber - 1];
  if (line === undefined) {
    return fail(`the answer edits line ${lineNumber}, but the text has ${layout.lines.length} lines`);
  }
  if (line.insideToken) return fail(`line ${lineNumber} lies inside a multi-line string; it cannot be replaced alone`);

  // The answer replaces as many physical lines as it spans (one, unless it holds a multi-line string).
  const newContent = layoutLike(content, lineTokens(layout, lineNumber), originalText);
  const lastLine = layout.lines[Math.min(layout.lines.length, lineNumber + countLineBreaks(newContent)) - 1]!;
  const tokens = lineTokens(layout, lineNumber);
  const lastToken = tokens[tokens.length - 1];
  let tail = '';
  // A trailing comment or backslash continuation of the old line stays, unless a string runs past it.
  if (!lastToken || lastToken.end <= line.end) {
    const codeEnd = lastToken ? lastToken.end : line.start + line.indentText.length;
    const comment = layout.lexed.comments.find((c) => c.line === lineNumber && c.start >= codeEnd);
    const after = originalText.slice(codeEnd, line.end);
    if (comment) {
      tail = originalText.slice(codeEnd, comment.end);
      if (!lastToken || newContent === '') tail = (newContent === '' ? '' : '  ') + tail.trimStart();
    } else if (lastToken && /^\s*\\\s*$/.test(after)) {
      tail = after;
    }
  }
  // A continuation line (inside brackets) may sit anywhere: its indentation is the person's layout, never a bug.
  const keepIndent = depth === undefined || !line.startsLogicalLine || originalLevel(layout, line) === depth;
  const indent = keepIndent ? line.indentText : indentFor(layout, depth);
  const replaced = newContent === '' && tail === '' ? '' : indent + newContent + tail;
  const text = originalText.slice(0, line.start) + replaced + originalText.slice(lastLine.end);
  return { ok: true, text, changedLine: lineNumber };
}

// ---------------------------------------------------------------------------------------------
// complete: source is the function before line n; target [<Dk>, ...tokens of line n, </s>]

/** A complete example predicting physical line `lineNumber` (1-based) of a function. */
export function encodeComplete(functionText: string, lineNumber: number): EncodedExample {
  const layout = lineLayout(functionText);
  const line = layout.lines[lineNumber - 1];
  if (line === undefined || !line.hasTokens || line.insideToken) {
    throw new TaskError(
      `encodeComplete: line ${lineNumber} is not a line with code of the ${layout.lines.length}-line function`,
    );
  }
  const prefix = functionText.slice(0, line.start);
  const target = lineTokens(layout, lineNumber).map((t) => t.text);
  return {
    task: 'complete',
    srcTokens: taskSource('complete', prefix),
    tgtTokens: [depthToken(lineLevel(layout, line)), ...target, EOS],
  };
}

/** The predicted next line, indented (without a line break). */
export function completionText(prefixText: string, answerTokens: readonly string[]): string {
  const answer = answerBody(answerTokens);
  const layout = lineLayout(prefixText);
  const depth = answer[0] === undefined ? undefined : parseDepthToken(answer[0]);
  const content = answer.slice(depth === undefined ? 0 : 1).filter((t) => !isReservedToken(t));
  const lastCode = layout.lines.filter((line) => line.startsLogicalLine).pop();
  const indent = depth === undefined ? (lastCode?.indentText ?? '') : indentFor(layout, depth);
  return indent + detokenizeLine(content);
}

// ---------------------------------------------------------------------------------------------
// generate: source is the signature and docstring; target is the body, then </s>

export interface FunctionParts {
  /** Decorators, signature and docstring, up to and including the docstring's line break. */
  headerText: string;
  /** The body's token texts, with NEWLINE/INDENT/DEDENT markers (no final DEDENTs). */
  bodyTokens: string[];
}

/** Splits a function into its header (signature, docstring) and body tokens. */
export function splitFunction(functionText: string): FunctionParts {
  const tokens = lineLayout(functionText).lexed.tokens;
  const def = tokens.findIndex((t) => t.kind === 'KEYWORD' && t.text === 'def');
  if (def < 0) throw new TaskError("generate: the text holds no 'def'");
  let depth = 0;
  let colon = -1;
  for (let i = def + 1; i < tokens.length && colon < 0; i++) {
    const text = tokens[i]!.text;
    if (tokens[i]!.kind !== 'OP') continue;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') depth--;
    else if (text === ':' && depth <= 0) colon = i;
  }
  if (colon < 0) throw new TaskError("generate: the signature has no ':'");
  let headerEnd = colon + 1;
  if (tokens[headerEnd]?.kind !== 'NEWLINE') {
    throw new TaskError('generate: the body is on the signature line; it must start on a line of its own');
  }
  if (tokens[headerEnd + 1]?.kind === 'INDENT' && tokens[headerEnd + 2]?.kind === 'STRING') {
    let next = headerEnd + 2;
    while (tokens[next]?.kind === 'STRING') next++;
    if (tokens[next]?.kind === 'NEWLINE') headerEnd = next;
  }
  const body = withoutFinalDedents(tokens.slice(headerEnd + 1), functionText.length);
  return { headerText: functionText.slice(0, tokens[headerEnd]!.end), bodyTokens: tokenTexts(body) };
}

/** A generate example: header as source, body as target. */
export function encodeGenerate(functionText: string): EncodedExample {
  const { headerText, bodyTokens } = splitFunction(functionText);
  return { task: 'generate', srcTokens: taskSource('generate', headerText), tgtTokens: [...bodyTokens, EOS] };
}

/** The full function: the header as given, then the answer's body in the header's indentation style. */
export function generatedText(headerText: string, answerTokens: readonly string[]): string {
  const layout = lineLayout(headerText);
  const newline = layout.lines.find((line) => line.eol !== '')?.eol ?? '\n';
  let depth = 0;
  for (const token of withoutFinalDedents(layout.lexed.tokens, headerText.length)) {
    if (token.kind === 'INDENT') depth++;
    else if (token.kind === 'DEDENT') depth--;
  }
  const header = /[\r\n]$/.test(headerText) || headerText === '' ? headerText : headerText + newline;
  // After a docstring the body continues at the docstring's own indentation.
  const lastCode = layout.lines.filter((line) => line.startsLogicalLine).pop();
  const baseIndent = depth > 0 && lastCode ? lastCode.indentText : layout.baseIndent;
  const body = detokenize(answerBody(answerTokens), { indent: unitText(layout), baseIndent, newline });
  return header + body;
}

// ---------------------------------------------------------------------------------------------
// helpers

function fail(error: string): FixApplication {
  return { ok: false, error };
}

/** The answer without a leading `<s>` and without `</s>` and what follows it. */
function answerBody(tokens: readonly string[]): string[] {
  const start = tokens[0] === BOS ? 1 : 0;
  const end = tokens.indexOf(EOS, start);
  return tokens.slice(start, end < 0 ? tokens.length : end);
}

function lineText(text: string, line: PhysicalLine): string {
  return text.slice(line.start, line.end);
}

/** The tokens (no NEWLINE/INDENT/DEDENT) that start on a physical line. */
/**
 * The corrected line's tokens, spaced like the original line where they match it: between two
 * tokens that sat side by side in the original, the original gap; elsewhere the standard layout's.
 * A fix then changes the tokens it must and keeps the person's spacing (`f (x)`, or `key=value` in
 * a call opened on an earlier line, where the layout alone cannot tell a keyword argument).
 */
function layoutLike(content: readonly string[], old: readonly Token[], originalText: string): string {
  const { tokens, gaps } = lineGaps(content);
  // Longest common subsequence of token texts: matched[j] is the old token new token j keeps.
  const n = old.length;
  const m = tokens.length;
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] =
        old[i]!.text === tokens[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const matched = new Array<number>(m).fill(-1);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (old[i]!.text === tokens[j]) matched[j++] = i++;
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return tokens
    .map((token, j) => {
      if (j > 0 && matched[j]! > 0 && matched[j - 1] === matched[j]! - 1) {
        const gap = originalText.slice(old[matched[j]! - 1]!.end, old[matched[j]!]!.start);
        if (!gap.includes('\n')) return gap + token;
      }
      return gaps[j] + token;
    })
    .join('');
}

function lineTokens(layout: LineLayout, lineNumber: number): Token[] {
  return layout.lexed.tokens.filter((t) => t.line === lineNumber && !isStructural(t.kind));
}

/** Indentation depth of a line: columns past the first code line, in units, rounded down. */
function lineLevel(layout: LineLayout, line: PhysicalLine): number {
  const columns = line.indentWidth - indentWidth(layout.baseIndent);
  return Math.min(MAX_DEPTH, Math.max(0, Math.floor(columns / layout.indentUnit)));
}

/**
 * The depth a line already has, for keeping its whitespace: a statement must sit exactly on a
 * level; a continuation line (aligned under a bracket) only needs to round down to it.
 */
function originalLevel(layout: LineLayout, line: PhysicalLine): number | undefined {
  const columns = line.indentWidth - indentWidth(layout.baseIndent);
  if (line.startsLogicalLine && (columns < 0 || columns % layout.indentUnit !== 0)) return undefined;
  return lineLevel(layout, line);
}

function unitText(layout: LineLayout): string {
  return layout.indentWithTabs ? '\t' : ' '.repeat(layout.indentUnit);
}

function indentFor(layout: LineLayout, depth: number): string {
  return layout.baseIndent + unitText(layout).repeat(depth);
}
