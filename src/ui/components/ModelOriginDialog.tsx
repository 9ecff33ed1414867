// Asks before the page requests anything from another origin: a link with `?models=` on another
// site would otherwise put someone else's weights behind the playground. Modal, so nothing else
// on the page (the Train tab's shipped model included) moves before the answer; Escape declines.
import { useEffect, useRef, useState } from 'react';
import { allowForeignOrigin, declineForeignOrigin, type ModelSource } from '../lib/model-origin';

export function ModelOriginDialog({ source }: { source: ModelSource }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [remember, setRemember] = useState(false);
  const open = source.decision === 'ask';
  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) element.showModal();
    if (!open && element?.open) element.close();
  }, [open]);
  if (!source.foreignOrigin) return null;
  return (
    <dialog
      ref={dialog}
      className="origin-dialog"
      aria-labelledby="origin-dialog-title"
      data-testid="model-origin-dialog"
      data-origin={source.foreignOrigin}
      onCancel={(event) => {
        event.preventDefault();
        declineForeignOrigin();
      }}
    >
      <h2 id="origin-dialog-title">Load a model from another site?</h2>
      <p>
        This link asks to load the model’s files (weights, configuration, tokenizer) from{' '}
        <strong data-testid="model-origin-dialog-origin">{source.foreignOrigin}</strong>, not from this site. That model
        would write the fixes and code you may then use: load it only if you trust that site.
      </p>
      <p className="small muted">
        Folder: <code>{source.requestedUrl}</code>. Nothing has been requested from it yet.
      </p>
      <label className="origin-remember">
        <input
          type="checkbox"
          checked={remember}
          onChange={(e) => setRemember(e.target.checked)}
          data-testid="model-origin-remember"
        />{' '}
        Trust {source.foreignOrigin} from now on (forget it in “Model and runtime”)
      </label>
      <div className="origin-actions">
        <button
          type="button"
          className="button-quiet"
          onClick={declineForeignOrigin}
          data-testid="model-origin-decline"
          autoFocus
        >
          Use this site’s model
        </button>
        <button
          type="button"
          className="button-danger"
          onClick={() => allowForeignOrigin(remember)}
          data-testid="model-origin-allow"
        >
          Load from {source.foreignOrigin}
        </button>
      </div>
    </dialog>
  );
}
