import { threadsText } from '../../platform/shared/select';
import type { BackendState } from '../hooks/useInferenceWorker';

function stateText(state: BackendState): string {
  switch (state.status) {
    case 'starting':
      return 'starting…';
    case 'ready': {
      const { report } = state;
      const adapter = report.adapter ? ` · ${report.adapter.vendor} / ${report.adapter.architecture}` : '';
      return `${report.backend}${adapter}${threadsText(report)}`;
    }
    case 'failed':
      return 'no backend';
  }
}

/** The backend in use, the WebGPU adapter, and why any preferred backend was passed over. */
export function BackendBadge({ state, testId, label }: { state: BackendState; testId: string; label: string }) {
  const backend = state.status === 'ready' ? state.report.backend : state.status;
  const fallbacks = state.status === 'ready' ? state.report.fallbacks : [];
  return (
    <div
      className={`backend-badge backend-${backend}`}
      data-testid={testId}
      data-backend={backend}
      data-threads={state.status === 'ready' ? state.report.threads : undefined}
      aria-live="polite"
    >
      <span className="backend-label">{label}</span>
      <span className="backend-name">{stateText(state)}</span>
      {state.status === 'ready' && <span className="backend-time">{Math.round(state.report.initMs)} ms</span>}
      {fallbacks.length > 0 && (
        <ul className="backend-fallbacks" aria-label={`${label}: backends passed over`}>
          {fallbacks.map((fallback) => (
            <li key={fallback.backend} data-testid={`${testId}-fallback`}>
              <strong>{fallback.backend}</strong> not used: {fallback.reason}
            </li>
          ))}
        </ul>
      )}
      {state.status === 'failed' && (
        <p className="backend-error" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}
