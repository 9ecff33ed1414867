// The output tokens of a candidate, coloured by how likely each was copied from the input
// (1 − p_gen of the pointer-generator) rather than generated from the vocabulary.
import { displayToken, formatProbability } from '../lib/format';

/** Amber (generated) to teal (copied); t in 0..1 is the copy probability. */
function copyColour(t: number): string {
  const from = [253, 226, 184];
  const to = [151, 224, 203];
  const x = Math.max(0, Math.min(1, t));
  return `rgb(${from.map((v, k) => Math.round(v + (to[k]! - v) * x)).join(',')})`;
}

export function CopyTokens({ tokens, copyProbability }: { tokens: string[]; copyProbability: number[] }) {
  if (tokens.length === 0) return <p className="muted">The candidate has no output tokens.</p>;
  return (
    <div className="copy-tokens" data-testid="copy-tokens">
      <ol className="token-strip" aria-label="Output tokens with the probability that each was copied from the input">
        {tokens.map((token, i) => {
          const p = copyProbability[i] ?? 0;
          return (
            <li
              key={i}
              className="token"
              style={{ background: copyColour(p) }}
              title={`copied with probability ${formatProbability(p)}`}
            >
              <span>{displayToken(token)}</span>
              <span className="sr-only"> (copied {formatProbability(p)})</span>
            </li>
          );
        })}
      </ol>
      <p className="legend" aria-hidden="true">
        <span className="legend-swatch" style={{ background: copyColour(0) }} /> generated from the vocabulary
        <span className="legend-gradient" />
        <span className="legend-swatch" style={{ background: copyColour(1) }} /> copied from the input
      </p>
    </div>
  );
}
