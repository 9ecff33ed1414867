// "Copy link": the page's state (code, task, mode, the Train tab's settings) as a link; beside it,
// what the link leaves out and, when the page was opened from a link it could not read, why.
import { useState } from 'react';
import { CODE_LIMIT_BYTES } from '../lib/share-link';
import { currentLink, useShareStatus } from '../lib/share-store';
import { useModelSource } from '../lib/model-origin';

export function ShareBar() {
  const status = useShareStatus();
  const source = useModelSource();
  // The link keeps `?models=`: whoever opens it is asked about that origin, and the one who copies it is told.
  const carriesOrigin = source.foreignOrigin && source.decision === 'allowed' ? source.foreignOrigin : null;
  const originNote = carriesOrigin
    ? ` It loads the model from ${carriesOrigin}, another site: whoever opens it is asked first.`
    : '';
  const [copied, setCopied] = useState<{ link: string; note: string } | null>(null);

  const copy = async () => {
    const link = await currentLink();
    try {
      await navigator.clipboard.writeText(link);
      setCopied({ link, note: `Link copied.${originNote}` });
    } catch {
      // No clipboard (permission, insecure origin): the link is shown to copy by hand.
      setCopied({
        link,
        note: `The clipboard is not available here: copy the link from the address bar.${originNote}`,
      });
    }
  };

  return (
    <div className="share-bar">
      <button type="button" className="button-quiet" onClick={copy} data-testid="copy-link">
        Copy link
      </button>
      <span
        className="muted small"
        role="status"
        data-testid="copy-link-status"
        data-link={copied?.link ?? ''}
        data-carries-origin={carriesOrigin ?? ''}
      >
        {copied?.note ?? 'The link keeps the code, task, mode and the Train tab’s settings; never uploaded files.'}
        {status.codeLeftOut ? ` The code is over ${CODE_LIMIT_BYTES / 1000} kB, so the link leaves it out.` : ''}
      </span>
      {status.openMessage && (
        <p className="share-message" role="alert" data-testid="link-message">
          {status.openMessage}
        </p>
      )}
    </div>
  );
}
