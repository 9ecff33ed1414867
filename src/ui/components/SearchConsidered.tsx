// "What the search considered", folded under a fix answer: how many candidate texts the search
// built and how many compiled, and its first five candidates with their scores and why each was
// proposed (a rule, an enumerated edit, the name channel, the model's beams or samples).
import type { AnswerCandidate, SearchSummary } from '../../model';
import { splitTextLines } from '../lib/line-diff';
import { countsText, proposalText } from '../lib/search-considered';

function changeText(c: AnswerCandidate | undefined, line: number | null): string {
  if (!c || c.noBug) return 'no bug';
  if (line === null) return 'no change';
  return `line ${line}: ${splitTextLines(c.text)[line - 1]?.trim() || '(removed)'}`;
}

export function SearchConsidered({
  summary,
  candidates,
}: {
  summary: SearchSummary;
  candidates: readonly AnswerCandidate[];
}) {
  return (
    <details className="search-considered" data-testid="search-considered">
      <summary>What the search considered</summary>
      <p
        data-testid="search-counts"
        data-generated={summary.generated}
        data-compiled={summary.compiled}
        data-ranked={summary.ranked}
      >
        {countsText(summary)}
      </p>
      <table className="search-top">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Candidate</th>
            <th scope="col">Score</th>
            <th scope="col">Compiles</th>
            <th scope="col">Proposed by</th>
          </tr>
        </thead>
        <tbody>
          {summary.top.map((t) => (
            <tr key={t.index} data-testid="search-top-candidate">
              <td>{t.index + 1}</td>
              <td>
                <code>{changeText(candidates[t.index], t.line)}</code>
              </td>
              <td title="Log-probability after the edit-size and enumeration priors (higher is better)">
                {t.score.toFixed(2)}
              </td>
              <td>{t.compiles ? 'yes' : 'no'}</td>
              <td>{proposalText(t.proposal, summary.samples)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
