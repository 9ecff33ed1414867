// Physical lines of a source text and its indentation layout (unit, tabs or spaces, base indent),
// built on the lexer: what the task encoder and the fix editor need to address and rewrite lines.
import { countLineBreaks, indentWidth, isStructural, lex, type LexResult } from './lexer';

/** A physical line of source, with what the lexer found on it. */
export interface PhysicalLine {
  number: number; // 1-based
  start: number; // offset of the first character
  end: number; // offset of the line break (or the end of input)
  eol: string; // '\n', '\r\n', '\r', or '' for a last line without a break
  indentText: string; // leading whitespace
  indentWidth: number; // its width in columns
  /** A token (other than NEWLINE/INDENT/DEDENT) starts on this line. */
  hasTokens: boolean;
  /** The line starts a logical line (not a continuation inside brackets or after a backslash). */
  startsLogicalLine: boolean;
  /** The line begins inside a multi-line token (a triple-quoted string) that started earlier. */
  insideToken: boolean;
}

export interface LineLayout {
  lines: PhysicalLine[];
  /** Most common positive step between a logical line and a deeper next one (default 4). */
  indentUnit: number;
  /** Most indented logical lines use tabs. */
  indentWithTabs: boolean;
  /** Leading whitespace of the first code line: levels count from here. */
  baseIndent: string;
  /** The lexer's result, with indentation measured from the first code line. */
  lexed: LexResult;
}

/** The conventional Python indentation, used when a text shows no indentation step. */
const DEFAULT_INDENT_UNIT = 4;

/** Splits a text into physical lines at \n, \r\n and lone \r. A final line break opens no line. */
export function splitLines(source: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  while (start < source.length) {
    let end = start;
    while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
    const eol = source.startsWith('\r\n', end) ? '\r\n' : source.slice(end, end + 1);
    const indentText = /^[ \t\f]*/.exec(source.slice(start, end))![0];
    lines.push({
      number: lines.length + 1,
      start,
      end,
      eol,
      indentText,
      indentWidth: indentWidth(indentText),
      hasTokens: false,
      startsLogicalLine: false,
      insideToken: false,
    });
    start = end + eol.length;
  }
  return lines;
}

export interface LayoutOptions {
  /** Leave this line out of the indentation unit and style (the line being replaced). */
  ignoreLine?: number;
}

/** Physical lines with token facts, the indentation unit and style of a text. */
export function lineLayout(source: string, options: LayoutOptions = {}): LineLayout {
  const lines = splitLines(source);
  const lexed = lex(source, { relativeIndent: true });
  let logicalStart = true;
  let previousStart: PhysicalLine | undefined;
  const stepCounts = new Map<number, number>();
  let tabbed = 0;
  let spaced = 0;
  for (const token of lexed.tokens) {
    if (token.kind === 'NEWLINE') logicalStart = true;
    if (isStructural(token.kind)) continue;
    const line = lines[token.line - 1];
    if (line === undefined) continue;
    line.hasTokens = true;
    const lastLine = token.line + countLineBreaks(token.text);
    for (let n = token.line + 1; n <= lastLine && n <= lines.length; n++) lines[n - 1]!.insideToken = true;
    if (!logicalStart) continue;
    logicalStart = false;
    line.startsLogicalLine = true;
    if (line.number === options.ignoreLine) {
      previousStart = undefined; // no step into or out of the ignored line
      continue;
    }
    if (line.indentWidth > 0) {
      if (line.indentText.includes('\t')) tabbed++;
      else spaced++;
    }
    if (previousStart !== undefined && line.indentWidth > previousStart.indentWidth) {
      const step = line.indentWidth - previousStart.indentWidth;
      stepCounts.set(step, (stepCounts.get(step) ?? 0) + 1);
    }
    previousStart = line;
  }
  let indentUnit = DEFAULT_INDENT_UNIT;
  let best = 0;
  for (const [step, count] of stepCounts) {
    // On a tie the conventional unit wins, then the smaller step.
    const tieWins = indentUnit !== DEFAULT_INDENT_UNIT && (step === DEFAULT_INDENT_UNIT || step < indentUnit);
    if (count > best || (count === best && tieWins)) {
      indentUnit = step;
      best = count;
    }
  }
  const firstCode = lines.find((line) => line.startsLogicalLine);
  return { lines, indentUnit, indentWithTabs: tabbed > spaced, baseIndent: firstCode?.indentText ?? '', lexed };
}
