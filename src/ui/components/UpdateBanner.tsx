// The offer to load a new build (src/ui/lib/sw-update.ts): shown only while nothing in this tab is
// in flight; when "Reload" finds another tab training or computing an answer, it says so.
import { useSyncExternalStore } from 'react';
import { activateUpdate } from '../lib/sw-update';
import { subscribeToUpdate, updateDecision } from '../lib/update-state';

export function UpdateBanner() {
  const decision = useSyncExternalStore(subscribeToUpdate, updateDecision);
  if (decision !== 'offer' && decision !== 'busy-elsewhere') return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner" data-decision={decision}>
      <span>
        {decision === 'offer'
          ? 'A new version is ready'
          : 'A new version is ready; another tab is training or computing an answer: reload once it pauses or ends'}
      </span>
      <button type="button" data-testid="update-reload" onClick={() => void activateUpdate(navigator.serviceWorker)}>
        Reload
      </button>
    </div>
  );
}
