// One answer: what the model did, the selected candidate as a diff, refinements, truncation,
// latency, and the candidate list. The attention map and copy colouring live in InsightPanel.
import type { Answer } from '../../model';
import { formatMs, formatProbability } from '../lib/format';
import { splitTextLines } from '../lib/line-diff';
import { generateHeadline } from '../lib/placeholder-answer';
import { AnswerView } from './AnswerView';
import { CandidateList } from './CandidateList';
import { SearchConsidered } from './SearchConsidered';

export interface RunResult {
  answer: Answer;
  /** The code the request was made with (the editor may have changed since). */
  input: string;
}

/** The text a candidate stands for: the chosen one carries the convergent refinements. */
function candidateText(answer: Answer, index: number): string {
  return index === answer.chosen ? answer.text : answer.candidates[index]!.text;
}

function headline(answer: Answer): string {
  const best = answer.candidates[answer.chosen];
  switch (answer.task) {
    case 'fix':
      if (answer.status === 'unfixed')
        return 'Not fixed: the code does not compile, and no edit found makes it compile';
      if (answer.noBug) return 'No bug found';
      if (!best) return 'No answer';
      if (best.problem) return 'The best answer could not be applied';
      if (answer.refinements.length > 1) return `Fixed ${answer.refinements.length} lines`;
      if (answer.refinements.length === 1) return `Fixed line ${answer.refinements[0]!.changedLine}`;
      return best.changedLine !== null ? `Fixed line ${best.changedLine}` : 'No change';
    case 'complete':
      return 'Next line';
    case 'generate':
      return generateHeadline(answer.text);
  }
}

/** Line numbers the model saw, from the line markers <Ln> in its source tokens. */
function linesRead(sourceTokens: string[]): number[] {
  return sourceTokens
    .map((t) => /^<L(\d+)>$/.exec(t))
    .filter((m) => m !== null)
    .map((m) => Number(m![1]));
}

function TruncationNotice({ answer, input }: { answer: Answer; input: string }) {
  const lines = linesRead(answer.sourceTokens);
  const total = splitTextLines(input).length;
  const keepsEnd = answer.task === 'complete'; // complete keeps the end: the next line depends on it
  const where =
    lines.length === 0
      ? ''
      : keepsEnd
        ? `, from line ${Math.min(...lines)} of ${total} on`
        : `, up to line ${Math.max(...lines)} of ${total}`;
  return (
    <p className="notice notice-warn" data-testid="truncation">
      The input is longer than the model reads: it read the {keepsEnd ? 'last' : 'first'} {answer.input.usedTokens} of{' '}
      {answer.input.tokens} tokens{where}; the rest was not read.
    </p>
  );
}

export function ResultPanel({
  result,
  selected,
  onSelect,
  onApply,
}: {
  result: RunResult;
  selected: number;
  onSelect: (i: number) => void;
  onApply: (code: string) => void;
}) {
  const { answer, input } = result;
  const candidate = answer.candidates[selected]!;
  const timing = answer.timing;
  return (
    <div className="result" data-testid="result">
      <div className="result-head">
        <h3 aria-live="polite">{headline(answer)}</h3>
        <span className="muted" title="Geometric-mean token probability of the best beam">
          confidence {formatProbability(answer.confidence)}
        </span>
      </div>
      {answer.input.truncated ? <TruncationNotice answer={answer} input={input} /> : null}
      <AnswerView
        task={answer.task}
        input={input}
        candidate={candidate}
        text={candidateText(answer, selected)}
        onApply={onApply}
      />
      {selected === answer.chosen && answer.edits && answer.edits.length > 0 ? (
        <ol className="refinements" data-testid="edits">
          {answer.edits.map((e, i) => (
            <li key={i} data-testid="edit" data-line={e.line} data-why={e.why}>
              Line {e.line} ({e.why}): <code>{e.before.trim()}</code> → <code>{e.after.trim()}</code>
            </li>
          ))}
        </ol>
      ) : selected === answer.chosen && answer.refinements.length > 1 ? (
        <ul className="refinements" data-testid="refinements">
          {answer.refinements.slice(1).map((r, i) => (
            <li key={i}>
              Also fixed line {r.changedLine} (refinement pass {i + 2}).
            </li>
          ))}
        </ul>
      ) : null}
      {answer.switchedToDivergent ? (
        <p className="notice">
          {answer.task === 'fix'
            ? 'Most samples agreed on another answer than the search ranked first, and their agreement chose it.'
            : "The best beam's confidence was under the hybrid threshold, so sampled candidates joined the list."}
        </p>
      ) : null}
      <p
        className="latency"
        data-testid="latency"
        data-total-ms={timing.totalMs.toFixed(1)}
        data-ms-per-step={timing.msPerStep.toFixed(2)}
        data-steps={timing.decodeSteps}
      >
        <span>
          <strong>{formatMs(timing.totalMs)}</strong> total
        </span>
        <span>{timing.decodeSteps} decoder steps</span>
        <span>
          <strong>{timing.msPerStep.toFixed(1)} ms</strong> per step
        </span>
        <span>{timing.tokensPerSecond.toFixed(0)} steps/s</span>
      </p>
      {answer.search ? <SearchConsidered summary={answer.search} candidates={answer.candidates} /> : null}
      <CandidateList
        task={answer.task}
        input={input}
        candidates={answer.candidates}
        chosen={answer.chosen}
        selected={selected}
        onSelect={onSelect}
      />
    </div>
  );
}
