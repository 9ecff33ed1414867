// The one place errors appear: a model that did not load (with Retry), a request the model
// refused, a worker that crashed and was restarted. role=alert so screen readers announce it.

export interface ShownError {
  kind: 'load' | 'input' | 'run' | 'crash';
  title: string;
  message: string;
}

interface ErrorBannerProps {
  error: ShownError;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorBanner({ error, onRetry, onDismiss }: ErrorBannerProps) {
  return (
    <div className={`error-banner error-${error.kind}`} role="alert" data-testid="error" data-kind={error.kind}>
      <div className="error-text">
        <strong>{error.title}</strong>
        <p>{error.message}</p>
      </div>
      <div className="error-actions">
        {onRetry ? (
          <button type="button" onClick={onRetry} data-testid="retry">
            Retry
          </button>
        ) : null}
        {onDismiss ? (
          <button type="button" className="button-quiet" onClick={onDismiss} aria-label="Dismiss this message">
            Dismiss
          </button>
        ) : null}
      </div>
    </div>
  );
}
