// Every candidate of an answer with its probability, its share among the candidates, whether it
// compiles (and if not, Python's message), and where it came from (beam search or sampling). A
// radio group: arrow keys select.
import type { AnswerCandidate, Task } from '../../model';
import { CHECKED_NOT_RUN, candidateCompileStatus } from '../lib/compile-status';
import { diffLines, splitTextLines } from '../lib/line-diff';
import { displayToken, formatProbability } from '../lib/format';

interface CandidateListProps {
  task: Task;
  input: string;
  candidates: AnswerCandidate[];
  chosen: number;
  selected: number;
  onSelect: (index: number) => void;
}

/** One line that says what a candidate does. */
function summary(task: Task, input: string, c: AnswerCandidate): string {
  // What the model said, when it cannot be applied (the reason is in the answer view).
  if (c.problem) return `cannot apply: ${c.outputTokens.slice(0, 12).map(displayToken).join(' ')}`;
  if (task === 'fix') {
    if (c.noBug) return 'no bug';
    if (c.changedLine === null) return 'no change';
    const line = splitTextLines(c.text)[c.changedLine - 1] ?? '';
    return `line ${c.changedLine}: ${line.trim() || '(removed)'}`;
  }
  if (task === 'complete') return c.text.trim() ? c.text.trimEnd() : '(empty line)'; // indentation kept: it is part of the answer
  const added = diffLines(input, c.text)
    .filter((row) => row.kind === 'added')
    .map((row) => row.text.trim());
  return added.join(' ⏎ ') || '(empty body)';
}

export function CandidateList({ task, input, candidates, chosen, selected, onSelect }: CandidateListProps) {
  const probabilities = candidates.map((c) => Math.exp(c.logProb));
  const total = probabilities.reduce((a, b) => a + b, 0);
  return (
    <fieldset className="candidates" data-testid="candidates">
      <legend>Candidates ({candidates.length})</legend>
      <ol className="candidate-list">
        {candidates.map((c, i) => {
          const share = total > 0 ? probabilities[i]! / total : 0;
          const compile = candidateCompileStatus(task, input, c, c.text);
          return (
            <li key={i} className={`candidate ${i === selected ? 'candidate-selected' : ''}`} data-testid="candidate">
              <label>
                <input type="radio" name="candidate" value={i} checked={i === selected} onChange={() => onSelect(i)} />
                <span className="candidate-rank">#{i + 1}</span>
                <code className="candidate-summary" title={c.problem ?? summary(task, input, c)}>
                  {summary(task, input, c)}
                </code>
                <span className="candidate-meta">
                  <span
                    className="candidate-share"
                    style={{ ['--share' as string]: `${Math.round(share * 100)}%` }}
                    title="Share of the candidates' total probability"
                  >
                    {formatProbability(share)} share
                  </span>
                  <span title={`Model probability of the whole output (log-probability ${c.logProb.toFixed(2)})`}>
                    p = {formatProbability(probabilities[i]!)}
                  </span>
                  <span className={`tag ${compile.compiles ? 'tag-ok' : 'tag-bad'}`} title={CHECKED_NOT_RUN}>
                    {compile.label.toLowerCase()}
                  </span>
                  <span className={`tag tag-${c.origin}`}>{c.origin}</span>
                  {c.nameCheck ? (
                    <span
                      className="tag tag-ok"
                      title="The name check confirms this edit: a name the code reads but never binds becomes its bound near-twin. Such an edit is ranked first."
                    >
                      name check
                    </span>
                  ) : null}
                  {c.hasUnknown ? (
                    <span
                      className="tag tag-bad"
                      title="The output holds a token the model could neither generate nor copy; it is ranked after the rest."
                    >
                      unknown token
                    </span>
                  ) : null}
                  {i === chosen ? <span className="tag tag-chosen">chosen</span> : null}
                  {compile.message ? (
                    <span className="candidate-compile-message" data-testid="candidate-compile-message">
                      {compile.message}
                    </span>
                  ) : null}
                </span>
              </label>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
