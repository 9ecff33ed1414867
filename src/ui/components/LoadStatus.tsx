// The model's boot, as a progress bar: backend start, download (bytes and percent), parse, upload
// to the device, kernel warm-up; then one line that says the model is ready and how it loaded.
import type { BackendState, ModelState } from '../hooks/useInferenceWorker';
import { formatBytes, formatMs } from '../lib/format';

function describe(model: ModelState, backend: BackendState): { text: string; percent: number | null } {
  switch (model.phase) {
    case 'starting':
      return { text: backend.status === 'starting' ? 'Starting the TensorFlow.js backend…' : 'Preparing…', percent: 0 };
    case 'loading': {
      const p = model.progress;
      if (!p) return { text: 'Requesting the model files…', percent: 0 };
      switch (p.phase) {
        case 'fetch': {
          const total = p.totalBytes === null ? '' : ` of ${formatBytes(p.totalBytes)}`;
          const percent = p.percent === null ? '' : ` (${Math.floor(p.percent)}%)`;
          return { text: `Downloading the model: ${formatBytes(p.loadedBytes)}${total}${percent}`, percent: p.percent };
        }
        case 'parse':
          return { text: `Reading the model files (${formatBytes(p.loadedBytes)})…`, percent: 100 };
        case 'upload':
          return { text: 'Uploading the weights to the device…', percent: 100 };
        case 'warmup':
          return { text: 'Compiling the kernels with a first run (slow on software WebGPU)…', percent: 100 };
      }
      return { text: 'Loading…', percent: null };
    }
    case 'ready': {
      const r = model.report;
      const source =
        r.origin === 'cache' ? 'from the browser cache' : r.origin === 'page' ? 'given by this page' : 'downloaded';
      return {
        text: `Model ready: ${formatBytes(r.bytes)} ${source}, loaded in ${formatMs(r.timing.totalMs)}`,
        percent: 100,
      };
    }
    case 'failed':
      return { text: 'Stopped: no model is loaded.', percent: 0 };
  }
}

export function LoadStatus({ model, backend }: { model: ModelState; backend: BackendState }) {
  const { text, percent } = describe(model, backend);
  const phase = model.phase === 'loading' ? (model.progress?.phase ?? 'fetch') : model.phase;
  const busy = model.phase === 'starting' || model.phase === 'loading';
  return (
    <div className={`load-status load-${model.phase}`}>
      <div
        className="progress"
        role="progressbar"
        aria-label="Model loading"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent === null ? undefined : Math.round(percent)}
        aria-valuetext={text}
        aria-busy={busy}
        data-testid="load-progress"
        data-phase={phase}
      >
        <div
          className={`progress-fill ${percent === null ? 'progress-indeterminate' : ''}`}
          style={{ width: `${percent ?? 100}%` }}
        />
      </div>
      <p className="load-text" aria-live="polite">
        {text}
      </p>
    </div>
  );
}
