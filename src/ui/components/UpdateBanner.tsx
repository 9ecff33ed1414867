// The offer to load a new build (src/ui/lib/sw-update.ts): shown only while nothing is in flight.
import { useSyncExternalStore } from 'react';
import { activateUpdate } from '../lib/sw-update';
import { subscribeToUpdate, updateDecision } from '../lib/update-state';

export function UpdateBanner() {
  const decision = useSyncExternalStore(subscribeToUpdate, updateDecision);
  if (decision !== 'offer') return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>A new version is ready</span>
      <button type="button" data-testid="update-reload" onClick={() => activateUpdate(navigator.serviceWorker)}>
        Reload
      </button>
    </div>
  );
}
