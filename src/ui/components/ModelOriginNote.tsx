// Under the header's backend badge: where the playground's model files come from, and plainly so
// when that is another site.
import type { ModelSource } from '../lib/model-origin';

/** What the page says about the model's folder, for the header and the model panel. */
export function modelOriginText(source: ModelSource): string {
  if (source.decision === 'allowed' && source.foreignOrigin) return `Model from ${source.foreignOrigin} (another site)`;
  if (source.decision === 'ask') return `Waiting for your answer about ${source.foreignOrigin ?? 'the model’s site'}`;
  return 'Model from this site';
}

export function ModelOriginNote({ source }: { source: ModelSource }) {
  const foreign = source.decision === 'allowed' && source.foreignOrigin !== null;
  return (
    <p
      className={`model-origin small ${foreign ? 'model-origin-foreign' : 'muted'}`}
      data-testid="model-origin"
      data-origin={foreign ? source.foreignOrigin : 'self'}
      data-decision={source.decision}
    >
      {modelOriginText(source)}
    </p>
  );
}
