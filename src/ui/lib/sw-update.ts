// Updates never mix versions. A new build's service worker installs and then waits (it does not
// skip waiting on its own, tools/service-worker-plugin.ts): activating it deletes the old build's
// cached files, which a page still running the old build may yet load (the Train tab's chunk, a
// worker script). So the page lets it take over only when nothing is in flight
// (src/ui/lib/update-state.ts decides): then "Reload" posts SKIP_WAITING to the waiting worker and
// reloads once the new one controls the page.
import { setUpdateWaiting } from './update-state';

/** Must equal SKIP_WAITING_MESSAGE in tools/service-worker-plugin.ts (the worker's side). */
export const SKIP_WAITING_MESSAGE = 'SKIP_WAITING';

let waiting: ServiceWorker | null = null;

function noteWaiting(worker: ServiceWorker | null): void {
  waiting = worker;
  setUpdateWaiting(worker !== null);
}

/**
 * Follows the registration for a new build: one already waiting, or one that installs later while
 * an older worker controls the page (the very first install has nothing to replace and activates
 * at once).
 */
export function watchForUpdate(registration: ServiceWorkerRegistration, container: ServiceWorkerContainer): void {
  if (registration.waiting && container.controller) noteWaiting(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener('statechange', () => {
      if (installing.state === 'installed' && container.controller) noteWaiting(installing);
      // Another tab let it take over, or a newer build replaced it: nothing of it waits here any more.
      if ((installing.state === 'activated' || installing.state === 'redundant') && waiting === installing) {
        noteWaiting(null);
      }
    });
  });
}

/** "Reload": the waiting worker takes over, and the page reloads once it controls the page. */
export function activateUpdate(container: ServiceWorkerContainer, reload: () => void = () => location.reload()): void {
  if (!waiting) return;
  let reloaded = false;
  container.addEventListener('controllerchange', () => {
    if (reloaded) return;
    reloaded = true;
    reload();
  });
  waiting.postMessage({ type: SKIP_WAITING_MESSAGE });
}
