// What runs: the model's description, how it loaded (fetch, parse, upload, warm-up), tensors held,
// loader warnings, and the inference worker's backend. "Reload model" drops the cached files and
// goes back to the shipped model; "Load model files" runs files from the person's computer.
import type { InferenceWorker } from '../hooks/useInferenceWorker';
import { ModelFilePicker } from './ModelFilePicker';
import { formatBytes, formatMs } from '../lib/format';
import { BackendBadge } from './BackendBadge';
import { TEST_HOOKS } from '../../worker/test-build';
import { forgetForeignOrigin, type ModelSource } from '../lib/model-origin';

const ORIGIN_LABELS = {
  network: 'downloaded',
  cache: 'browser cache',
  page: 'given by this page, nothing downloaded',
} as const;

/** What the name channel has beside the text: the optional name files that came with the model. */
function describeNameFiles(files: { identifiers: boolean; members: boolean } | undefined): string {
  const present = [
    files?.identifiers ? 'identifier frequencies' : null,
    files?.members ? 'standard-library members' : null,
  ].filter((x) => x !== null);
  return present.length === 0
    ? "no name files: misspelled names are judged by the text's own counts"
    : `${present.join(' and ')} (identifiers.json, stdlib_members.json)`;
}

export function ModelPanel({
  worker,
  source,
  crashTest,
}: {
  worker: InferenceWorker;
  source: ModelSource;
  crashTest: boolean;
}) {
  const foreign = source.decision === 'allowed' ? source.foreignOrigin : null;
  const ready = worker.model.phase === 'ready' ? worker.model.report : null;
  return (
    <section className="panel model-panel" aria-labelledby="model-title">
      <div className="panel-head">
        <h2 id="model-title">Model and runtime</h2>
        <div className="panel-actions">
          <button
            type="button"
            className="button-quiet"
            onClick={worker.reloadModel}
            disabled={worker.model.phase === 'loading'}
            data-testid="reload-model"
          >
            {worker.source ? 'Back to the shipped model' : 'Reload model (clear cache)'}
          </button>
          {/* TEST_HOOKS here, not only in the prop: the minifier drops the buttons only where the constant is read. */}
          {TEST_HOOKS && crashTest ? (
            <>
              <button
                type="button"
                className="button-danger"
                onClick={() => worker.faultForTest('crash')}
                data-testid="crash-worker"
              >
                Crash the worker (test)
              </button>
              <button
                type="button"
                className="button-danger"
                onClick={() => worker.faultForTest('lose-device')}
                data-testid="lose-device"
                disabled={worker.model.phase !== 'ready' || worker.model.report.info.backend !== 'webgpu'}
              >
                Lose the GPU device (test)
              </button>
            </>
          ) : null}
        </div>
      </div>
      <ModelFilePicker worker={worker} />
      {ready ? (
        <dl
          className="facts"
          data-testid="model-info"
          data-from-cache={String(ready.fromCache)}
          data-backend={ready.info.backend}
        >
          <div>
            <dt>Model</dt>
            <dd>
              {ready.info.name} {ready.info.version}
            </dd>
          </div>
          <div>
            <dt>From</dt>
            <dd data-testid="model-source">
              {worker.source ?? (foreign ? `the model at ${source.requestedUrl}` : 'the shipped model')}
            </dd>
          </div>
          <div className="fact-wide">
            <dt>Folder’s site</dt>
            <dd
              data-testid="model-folder-origin"
              data-origin={foreign ?? 'self'}
              data-remembered={String(source.remembered)}
            >
              {foreign
                ? `${foreign}, another site: allowed ${source.remembered ? 'and remembered' : 'for this visit (the next visit asks again)'}`
                : 'this site'}
              {foreign && source.remembered ? (
                <>
                  {' '}
                  <button
                    type="button"
                    className="button-quiet"
                    onClick={forgetForeignOrigin}
                    data-testid="forget-model-origin"
                  >
                    Forget {foreign}
                  </button>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Parameters</dt>
            <dd>{ready.info.parameters.toLocaleString('en')}</dd>
          </div>
          <div>
            <dt>Vocabulary</dt>
            <dd>{ready.info.vocabSize.toLocaleString('en')} tokens + copy</dd>
          </div>
          <div>
            <dt>Reads at most</dt>
            <dd>{ready.info.maxSourceLength} code tokens</dd>
          </div>
          <div>
            <dt>Files</dt>
            <dd>
              {formatBytes(ready.bytes)} ({ORIGIN_LABELS[ready.origin]})
            </dd>
          </div>
          <div className="fact-wide">
            <dt>Load</dt>
            <dd data-testid="load-timing" data-timing={JSON.stringify(ready.timing)}>
              {formatMs(ready.timing.totalMs)}: fetch {formatMs(ready.timing.fetchMs)}, parse{' '}
              {formatMs(ready.timing.parseMs)}, upload {formatMs(ready.timing.uploadMs)}, warm-up{' '}
              {formatMs(ready.timing.warmupMs)}
            </dd>
          </div>
          <div className="fact-wide">
            <dt>Name fixes</dt>
            <dd data-testid="name-files">{describeNameFiles(ready.info.nameFiles)}</dd>
          </div>
          <div>
            <dt>Tensors held</dt>
            <dd>{ready.numTensors}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">{worker.model.phase === 'failed' ? 'No model loaded.' : 'Loading…'}</p>
      )}
      {ready && ready.info.warnings.length > 0 ? (
        <details className="warnings">
          <summary>
            {ready.info.warnings.length} loader warning{ready.info.warnings.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {ready.info.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <BackendBadge state={worker.backend} testId="worker-backend" label="Inference worker" />
      {worker.restarts > 0 ? (
        <p className="muted">
          The worker was restarted {worker.restarts} time{worker.restarts === 1 ? '' : 's'} after a crash.
        </p>
      ) : null}
      <p className="muted small">
        The model runs in a Web Worker, so the page stays responsive. Add <code>?backend=webgpu|webgl|wasm|cpu</code> to
        choose a backend and <code>?models=URL/</code> to load model files from another folder.
      </p>
    </section>
  );
}
