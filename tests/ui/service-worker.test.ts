// The offline shell's service worker as the build writes it: which files it keeps, a version per
// build, a new build's worker deleting the old build's cache (never the model cache), and the
// cross-origin isolation headers on what it serves.
import { describe, expect, it } from 'vitest';
import {
  isShellFile,
  serviceWorkerSource,
  SHELL_CACHE_PREFIX,
  shellVersion,
  SKIP_WAITING_MESSAGE,
} from '../../tools/service-worker-plugin';

type Listener = (event: { waitUntil(p: Promise<unknown>): void; data?: unknown }) => void;

/** Runs a generated sw.js against a fake global with these caches; returns its listeners. */
function loadWorker(source: string, cacheNames: string[]) {
  const listeners = new Map<string, Listener>();
  const deleted: string[] = [];
  const added: string[][] = [];
  const skipped: number[] = [];
  const self = {
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    skipWaiting: async () => {
      skipped.push(Date.now());
    },
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
  const fire = async (type: string, data?: unknown) => {
    const pending: Promise<unknown>[] = [];
    listeners.get(type)!({ waitUntil: (p) => pending.push(p), data });
    await Promise.all(pending);
  };
  return { fire, deleted, added, skipped };
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

  it('waits after installing, and takes over only when the page posts SKIP_WAITING', async () => {
    const worker = loadWorker(serviceWorkerSource('v', ['assets/main-a.js']), []);
    await worker.fire('install');
    expect(worker.skipped).toHaveLength(0);
    await worker.fire('message', { type: 'something else' });
    await worker.fire('message', null);
    expect(worker.skipped).toHaveLength(0);
    await worker.fire('message', { type: SKIP_WAITING_MESSAGE });
    expect(worker.skipped).toHaveLength(1);
  });

  it('adds the isolation headers to the pages and files it serves, and keeps the server’s own', async () => {
    const serve = serveThrough(serviceWorkerSource('v', ['assets/main-a.js']), {
      'http://localhost/': new Response('<html>', { headers: { 'content-type': 'text/html' } }),
      'http://localhost/assets/main-a.js': new Response('js', {
        headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' },
      }),
    });
    const page = await serve('http://localhost/', 'navigate');
    expect(page.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(page.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(await page.text()).toBe('<html>');
    const script = await serve('http://localhost/assets/main-a.js', 'same-origin');
    expect(script.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(script.headers.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
  });
});

type FetchListener = (event: { request: unknown; respondWith(p: Promise<Response>): void }) => void;

/** Runs a generated sw.js whose network answers from `network`; returns what it answers a GET with. */
function serveThrough(source: string, network: Record<string, Response>) {
  let listener: FetchListener | null = null;
  const self = {
    addEventListener: (type: string, l: FetchListener) => {
      if (type === 'fetch') listener = l;
    },
    registration: { scope: 'http://localhost/' },
  };
  const caches = { open: async () => ({ match: async () => undefined, put: async () => undefined }) };
  const fetch = async (request: { url: string }) => network[request.url]!.clone();
  new Function('self', 'caches', 'fetch', source)(self, caches, fetch);
  return async (url: string, mode: string): Promise<Response> => {
    let answer: Promise<Response> | null = null;
    listener!({ request: { url, method: 'GET', mode }, respondWith: (p) => (answer = p) });
    return answer!;
  };
}
