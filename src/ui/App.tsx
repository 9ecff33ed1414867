import { BackendBadge } from './components/BackendBadge';
import { useInferenceWorker } from './hooks/useInferenceWorker';
import { usePageBackend } from './hooks/usePageBackend';
import { requestedBackendFromQuery } from '../platform/web';

const requested = requestedBackendFromQuery(window.location.search);

export function App() {
  const page = usePageBackend(requested);
  const worker = useInferenceWorker(requested);
  return (
    <div className="app">
      <header className="app-header">
        <h1>LSTM Coding Optimizer</h1>
        <BackendBadge state={page} testId="backend" label="Page" />
      </header>
      <main>
        <section className="panel" aria-labelledby="runtime-title">
          <h2 id="runtime-title">Runtime</h2>
          <p>
            The model runs in a dedicated Web Worker so the page stays responsive. Add{' '}
            <code>?backend=webgpu|webgl|wasm|cpu</code> to the address to choose a backend.
          </p>
          <BackendBadge state={worker.backend} testId="worker-backend" label="Inference worker" />
        </section>
      </main>
    </div>
  );
}
