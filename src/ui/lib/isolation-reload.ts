// The service worker's fallback for hosts that set no isolation headers (tools/service-worker-plugin.ts
// adds them to what it serves): the page that registered it was not served through it, so it reloads
// once, when the worker is active, and comes back cross-origin isolated (the wasm backend threaded).

/** Set in sessionStorage before the reload: a page still not isolated after it does not reload again. */
export const ISOLATION_RELOAD_KEY = 'lco-isolation-reload';

export async function reloadOnceForIsolation(container: ServiceWorkerContainer): Promise<void> {
  let storage: Storage;
  try {
    storage = sessionStorage;
  } catch {
    return; // storage refused: without the guard a reload could repeat, so none
  }
  if (globalThis.crossOriginIsolated) {
    storage.removeItem(ISOLATION_RELOAD_KEY);
    return;
  }
  if (storage.getItem(ISOLATION_RELOAD_KEY) !== null) return; // tried in this tab: this browser does not isolate
  await container.ready;
  storage.setItem(ISOLATION_RELOAD_KEY, String(Date.now()));
  location.reload();
}
