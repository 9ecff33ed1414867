// "Load model files": the three files of a model from the person's computer (what the Train tab
// downloads, or a copy of public/models). Files that do not load leave the running model in place,
// with the loader's message saying which file is wrong and how to get a right one.
import { useId, useRef, useState } from 'react';
import type { InferenceWorker } from '../hooks/useInferenceWorker';
import { pickModelFiles } from '../lib/pick-model-files';

type PickState =
  | { status: 'idle' }
  | { status: 'loading'; names: string[] }
  | { status: 'loaded'; used: string[]; ignored: string[] }
  | { status: 'failed'; message: string };

export function ModelFilePicker({ worker }: { worker: InferenceWorker }) {
  const [state, setState] = useState<PickState>({ status: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const statusId = useId();
  // A failed shipped model does not block this: picking files is one way out of it.
  const busy = state.status === 'loading' || worker.model.phase === 'starting' || worker.model.phase === 'loading';

  const onPick = async (list: FileList | null) => {
    const picked = list ? Array.from(list) : [];
    if (input.current) input.current.value = ''; // picking the same files again fires a change
    if (picked.length === 0) return;
    setState({ status: 'loading', names: picked.map((f) => f.name) });
    try {
      const model = await pickModelFiles(picked);
      await worker.openModelFiles(model.files, `your files (${model.used.join(', ')})`);
      setState({ status: 'loaded', used: model.used, ignored: model.ignored });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      setState({
        status: 'failed',
        message: `These files were not loaded: ${message}. The model that was running still runs.`,
      });
    }
  };

  return (
    <div className="file-picker">
      <div className="file-picker-row">
        <label className={`button-quiet file-button${busy ? ' is-disabled' : ''}`}>
          Load model files…
          <input
            ref={input}
            type="file"
            multiple
            accept=".bin,.toml,.json,.md,.svg"
            className="visually-hidden"
            disabled={busy}
            aria-describedby={statusId}
            data-testid="load-model-files"
            onChange={(event) => void onPick(event.currentTarget.files)}
          />
        </label>
        <div
          id={statusId}
          aria-live="polite"
          className="file-picker-status"
          data-testid="model-files-status"
          data-status={state.status}
        >
          {state.status === 'loading' ? <span className="muted">Loading {state.names.join(', ')}…</span> : null}
          {state.status === 'loaded' && worker.source !== null ? (
            <span>
              Running {state.used.join(', ')}.
              {state.ignored.length > 0 ? ` Left out: ${state.ignored.join(', ')}.` : ''}
            </span>
          ) : (
            state.status !== 'loading' && (
              <span className="muted">
                Run a model from your computer: pick its lstm_weights.bin, model_config.toml and tokenizer.json
                together.
              </span>
            )
          )}
        </div>
      </div>
      {state.status === 'failed' ? (
        <p role="alert" className="inline-error" data-testid="model-files-error">
          {state.message}{' '}
          <button type="button" className="button-quiet" onClick={() => setState({ status: 'idle' })}>
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
