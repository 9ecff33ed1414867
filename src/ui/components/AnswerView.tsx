// The answer as a line diff against the input: for fix the changed line shows old and new; for
// complete and generate the written text shows as inserted lines after the input.
import { useState } from 'react';
import type { AnswerCandidate, Task } from '../../model';
import { CHECKED_NOT_RUN, candidateCompileStatus, compileMessageText } from '../lib/compile-status';
import { diffLines, splitTextLines, type DiffRow } from '../lib/line-diff';
import { placeholderAnswerMessage } from '../lib/placeholder-answer';

interface AnswerViewProps {
  task: Task;
  /** The code the request was made with. */
  input: string;
  candidate: AnswerCandidate;
  /** The text to show: the candidate's, or the answer's after convergent refinements. */
  text: string;
  onApply: (code: string) => void;
}

/** What applying the answer to the editor gives: complete appends the line, the others replace. */
function appliedCode(task: Task, input: string, text: string): string {
  if (task !== 'complete') return text;
  return `${input.replace(/\n?$/, '\n')}${text}\n`;
}

function rowsFor(task: Task, input: string, text: string): DiffRow[] {
  if (task === 'complete') {
    const before = splitTextLines(input);
    const same: DiffRow[] = before.map((line, i) => ({ kind: 'same', text: line, oldLine: i + 1, newLine: i + 1 }));
    return [...same, { kind: 'added', text, newLine: before.length + 1 }];
  }
  return diffLines(input, text);
}

function DiffLine({ row }: { row: DiffRow }) {
  const number = row.kind === 'removed' ? row.oldLine : row.newLine;
  const sign = row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ' ';
  const label = row.kind === 'added' ? 'added' : row.kind === 'removed' ? 'removed' : undefined;
  return (
    <div className={`diff-row diff-${row.kind}`} data-kind={row.kind}>
      <span className="diff-number" aria-hidden="true">
        {number}
      </span>
      <span className="diff-sign" aria-hidden="true">
        {sign}
      </span>
      {label ? (
        <span className="sr-only">
          {label} line {number}:{' '}
        </span>
      ) : null}
      {row.kind === 'removed' ? (
        <del className="diff-text">{row.text || ' '}</del>
      ) : row.kind === 'added' ? (
        <ins className="diff-text">{row.text || ' '}</ins>
      ) : (
        <span className="diff-text">{row.text || ' '}</span>
      )}
    </div>
  );
}

export function AnswerView({ task, input, candidate, text, onApply }: AnswerViewProps) {
  const [copied, setCopied] = useState(false);
  const rows = rowsFor(task, input, text);
  const changed = rows.some((row) => row.kind !== 'same');
  const compile = candidateCompileStatus(task, input, candidate, text);
  const compileMessage = compileMessageText(compile);
  const placeholder = placeholderAnswerMessage(task, candidate, text);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="answer">
      {task === 'fix' && candidate.noBug ? (
        <p className="answer-verdict answer-nobug" data-testid="no-bug">
          No bug found: the model leaves this function as it is.
        </p>
      ) : null}
      {candidate.problem ? (
        <p className="answer-verdict answer-problem">The model's answer could not be applied: {candidate.problem}.</p>
      ) : null}
      {placeholder ? (
        <p className="answer-verdict answer-placeholder" data-testid="placeholder-body">
          {placeholder}
        </p>
      ) : null}
      {task === 'complete' && text.trim() === '' ? (
        <p className="answer-verdict">The model's next line is empty.</p>
      ) : null}
      {task === 'fix' && !candidate.noBug && !candidate.problem && !changed ? (
        <p className="answer-verdict">The suggested edit leaves the line as it was.</p>
      ) : null}
      <div
        className="diff"
        data-testid="answer"
        data-text={text}
        data-task={task}
        role="region"
        aria-label="Answer, as a diff against your code"
      >
        {rows.map((row, i) => (
          <DiffLine key={i} row={row} />
        ))}
      </div>
      {compileMessage ? (
        <p className="compile-message" data-testid="compile-message">
          {compileMessage}
        </p>
      ) : null}
      <div className="answer-actions">
        <span
          className={`parse-status ${compile.compiles ? 'parse-ok' : 'parse-bad'}`}
          data-testid="parse-status"
          title={CHECKED_NOT_RUN}
        >
          {compile.label}
        </span>
        <button type="button" className="button-quiet" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          className="button-quiet"
          onClick={() => onApply(appliedCode(task, input, text))}
          disabled={task === 'fix' && !changed}
        >
          Use in editor
        </button>
      </div>
    </div>
  );
}
