// One tab trains a run at a time: the page that trains a run holds the Web Lock `run:<id>` from
// its start until it ends, fails or the page goes (the browser lets a closed or crashed tab's locks
// go by itself). The page, not the worker, holds it: a crashed worker is replaced by the same page,
// which offers the resume, and no other tab may take the run meanwhile. Another tab sees the lock
// held and offers the run only once it is free. Also here: the storage the runs take.

const LOCK_PREFIX = 'run:';

export const lockName = (runId: string): string => `${LOCK_PREFIX}${runId}`;

/** Lets the lock go. */
export type ReleaseRun = () => void;

/** Takes the run's lock if no tab holds it: the release, or null when another tab trains the run. */
export function claimRun(runId: string): Promise<ReleaseRun | null> {
  // Without the Web Locks API (an old browser, an insecure origin) every tab may train every run.
  if (!('locks' in navigator)) return Promise.resolve(() => undefined);
  return new Promise((resolve, reject) => {
    navigator.locks
      .request(lockName(runId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until the release is called (or the page goes).
        return new Promise<void>((release) => resolve(release));
      })
      .catch(reject);
  });
}

/** The runs whose lock is held, by this tab or another (the caller knows its own). */
export async function heldRunIds(): Promise<Set<string>> {
  if (!('locks' in navigator)) return new Set();
  const { held = [] } = await navigator.locks.query();
  return new Set(held.flatMap((lock) => (lock.name?.startsWith(LOCK_PREFIX) ? [lock.name.slice(LOCK_PREFIX.length)] : [])));
}

export interface StorageUse {
  usage: number;
  quota: number;
  /** The browser promised not to clear this site's storage when space runs low. */
  persisted: boolean;
}

/** What this site stores and may store, or null where the browser does not say. */
export async function storageUse(): Promise<StorageUse | null> {
  if (!navigator.storage?.estimate) return null;
  const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([
    navigator.storage.estimate(),
    navigator.storage.persisted?.() ?? Promise.resolve(false),
  ]);
  return { usage, quota, persisted };
}

/** Asks that this site's storage be kept when space runs low (a run's checkpoints live there). */
export function askPersistentStorage(): void {
  navigator.storage?.persist?.().catch(() => undefined);
}
