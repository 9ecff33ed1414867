// Updates never mix versions. A new build's service worker installs and then waits (it does not
// skip waiting on its own, tools/service-worker-plugin.ts): activating it deletes the old build's
// cached files, which a page still running the old build may yet load (the Train tab's chunk, a
// worker script). So the page lets it take over only when nothing is in flight
// (src/ui/lib/update-state.ts decides): then "Reload" posts SKIP_WAITING to the waiting worker and
// reloads once the new one controls the page. The new worker takes over every tab of the app, so
// each tab holds a Web Lock, shared, while it is busy, and "Reload" goes ahead only when it can take
// that lock alone: while another tab trains or computes an answer it says so and waits.
import { isBusy, setBusyElsewhere, setUpdateWaiting, subscribeToBusy } from './update-state';

/** The lock busy tabs share and "Reload" takes alone. */
export const UPDATE_HOLD_LOCK = 'lco-update-hold';

/** How long "Reload" keeps other tabs from holding the lock while the new worker takes over. */
export const TAKE_OVER_TIMEOUT_MS = 10_000;

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

/**
 * Holds UPDATE_HOLD_LOCK, shared, from when this tab's first work starts to when its last ends, so
 * that another tab's "Reload" waits for it. Returns the unsubscribe.
 */
export function holdUpdatesWhileBusy(locks: LockManager | undefined): () => void {
  if (!locks) return () => undefined; // no Web Locks (an old browser): each tab only guards itself
  let requested = false;
  let release: (() => void) | null = null;
  const follow = (busy: boolean) => {
    if (!busy) {
      release?.();
      release = null;
      return;
    }
    if (requested) return;
    requested = true;
    void locks.request(UPDATE_HOLD_LOCK, { mode: 'shared' }, () => {
      const done = () => {
        requested = false;
      };
      // The work may have ended while the lock was queued behind a "Reload" elsewhere.
      if (!isBusy()) return Promise.resolve(done());
      return new Promise<void>((resolve) => {
        release = () => resolve(done());
      });
    });
  };
  if (isBusy()) follow(true);
  return subscribeToBusy(follow);
}

/**
 * "Reload": unless another tab is busy, the waiting worker takes over, and the page reloads once
 * it controls the page. Resolves to false when another tab held it back.
 */
export async function activateUpdate(
  container: ServiceWorkerContainer,
  locks: LockManager | undefined = navigator.locks,
  reload: () => void = () => location.reload(),
): Promise<boolean> {
  const next = waiting;
  if (!next) return false;
  const takeOver = () =>
    new Promise<void>((resolve) => {
      container.addEventListener(
        'controllerchange',
        () => {
          resolve();
          reload();
        },
        { once: true },
      );
      next.postMessage({ type: SKIP_WAITING_MESSAGE });
      // Kept from other tabs until the page goes (or, should the worker not take over, for a while).
      setTimeout(resolve, TAKE_OVER_TIMEOUT_MS);
    });
  if (!locks) {
    await takeOver();
    return true;
  }
  const alone = await locks.request(UPDATE_HOLD_LOCK, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await takeOver();
    return true;
  });
  setBusyElsewhere(!alone);
  return alone;
}
