// The offline shell's service worker as the build writes it: which files it keeps, a version per
// build, and a new build's worker deleting the old build's cache (never the model cache).
import { describe, expect, it } from 'vitest';
import { isShellFile, serviceWorkerSource, SHELL_CACHE_PREFIX, shellVersion } from '../../tools/service-worker-plugin';

type Listener = (event: { waitUntil(p: Promise<unknown>): void }) => void;

/** Runs a generated sw.js against a fake global with these caches; returns its listeners. */
function loadWorker(source: string, cacheNames: string[]) {
  const listeners = new Map<string, Listener>();
  const deleted: string[] = [];
  const added: string[][] = [];
  const self = {
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
    registration: { scope: 'http://localhost/' },
  };
  const caches = {
    keys: async () => cacheNames,
    delete: async (name: string) => {
      deleted.push(name);
      return true;
    },
    open: async () => ({
      addAll: async (urls: string[]) => {
        added.push(urls);
      },
    }),
  };
  new Function('self', 'caches', source)(self, caches);
  const fire = async (type: string) => {
    const pending: Promise<unknown>[] = [];
    listeners.get(type)!({ waitUntil: (p) => pending.push(p) });
    await Promise.all(pending);
  };
  return { fire, deleted, added };
}

describe('offline service worker', () => {
  it('keeps the app shell, not source maps, developer pages or the model files', () => {
    expect(isShellFile('assets/main-abc.js')).toBe(true);
    expect(isShellFile('assets/tfjs-backend-wasm-simd-x.wasm')).toBe(true);
    expect(isShellFile('assets/main-abc.js.map')).toBe(false);
    expect(isShellFile('bench.html')).toBe(false);
    expect(isShellFile('assets/bench.worker-x.js')).toBe(false);
    expect(isShellFile('models/lstm_weights.bin')).toBe(false);
    expect(isShellFile('_headers')).toBe(false); // a static host's header file, not served
  });

  it('gives a new version when any file changes', () => {
    const a = shellVersion(['assets/main-aaa.js'], '<html>');
    expect(shellVersion(['assets/main-aaa.js'], '<html>')).toBe(a);
    expect(shellVersion(['assets/main-bbb.js'], '<html>')).not.toBe(a);
  });

  it('precaches its build on install and deletes older builds on activate, never the model cache', async () => {
    const files = ['assets/main-bbb.js', 'assets/main-bbb.css'];
    const version = shellVersion(files, '');
    const worker = loadWorker(serviceWorkerSource(version, files), [
      `${SHELL_CACHE_PREFIX}old`,
      `${SHELL_CACHE_PREFIX}${version}`,
      'lstm-coding-optimizer-models-v1',
    ]);
    await worker.fire('install');
    expect(worker.added).toEqual([['./', ...files]]);
    await worker.fire('activate');
    expect(worker.deleted).toEqual([`${SHELL_CACHE_PREFIX}old`]);
  });
});
