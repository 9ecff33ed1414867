// Downloads the three model files with byte progress and keeps them in the Cache API, so a reload
// does not download the weights again. A cached copy is checked with a HEAD request (ETag, then
// Last-Modified, then Content-Length): a new model on the server replaces it, a server that cannot
// be reached does not stop the cached model from loading. Files enter the cache only after they
// parsed (commit), so a broken download is never served again. The optional name files
// (identifiers.json, stdlib_members.json) are fetched beside them; a folder without them loads as before.
import { MODEL_FILE_NAMES, NAME_FILE_NAMES, type ModelFiles, ModelFileError } from '../model';

const MODEL_CACHE_NAME = 'lstm-coding-optimizer-models-v1';
const FIX_MISSING =
  'Put the model files in public/models/ (npm run cli -- train writes them) or point ?models= at their folder';

export interface FetchedModel {
  files: ModelFiles;
  /** Every file came from the cache. */
  fromCache: boolean;
  bytes: number;
  /** Stores the files that were downloaded; call once they have been read successfully. */
  commit(): Promise<void>;
}

/** Called with cumulative bytes over the three files; `total` is null until every size is known. */
export type ByteProgress = (loaded: number, total: number | null, file: string) => void;

type FileKey = keyof typeof MODEL_FILE_NAMES;
const VALIDATORS = ['etag', 'last-modified', 'content-length'] as const;

interface FileResult {
  bytes: Uint8Array;
  fromCache: boolean;
  /** Set when downloaded: the response to store once the model is known to be good. */
  toStore: Response | null;
}

function openCache(): Promise<Cache | null> {
  // The Cache API exists only in secure contexts (https, localhost).
  if (typeof caches === 'undefined') return Promise.resolve(null);
  return caches.open(MODEL_CACHE_NAME).catch(() => null);
}

/** True when the server's copy is the one we cached (or the server cannot tell us otherwise). */
async function cachedCopyIsCurrent(url: string, cached: Response): Promise<boolean> {
  let head: Response;
  try {
    head = await fetch(url, { method: 'HEAD', cache: 'no-store' });
  } catch {
    return true; // offline: the cached model is better than none
  }
  if (!head.ok || isHtml(head)) return true;
  for (const name of VALIDATORS) {
    const now = head.headers.get(name);
    const then = cached.headers.get(name);
    if (now !== null && then !== null) return now === then;
  }
  return true;
}

/** Vite and many static hosts answer a missing file with the app's index.html and status 200. */
function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/html');
}

async function readStream(response: Response, onBytes: (n: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
    onBytes(value.length);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Fetches the three files from `folderUrl` (ending in '/'), from the cache where it is current. */
export async function fetchModelFiles(
  folderUrl: string,
  refresh: boolean,
  onProgress: ByteProgress,
): Promise<FetchedModel> {
  const cache = await openCache();
  if (refresh && cache)
    await Promise.all(
      [...Object.values(MODEL_FILE_NAMES), ...Object.values(NAME_FILE_NAMES)].map((name) =>
        cache.delete(new URL(name, folderUrl).href),
      ),
    );
  const keys = Object.keys(MODEL_FILE_NAMES) as FileKey[];
  const sizes = new Map<FileKey, number | null>();
  const loaded = new Map<FileKey, number>(keys.map((k) => [k, 0]));
  const report = (file: string) => {
    const known = keys.every((k) => typeof sizes.get(k) === 'number');
    const total = known ? keys.reduce((sum, k) => sum + (sizes.get(k) as number), 0) : null;
    onProgress(
      [...loaded.values()].reduce((a, b) => a + b, 0),
      total,
      file,
    );
  };

  const one = async (key: FileKey): Promise<FileResult> => {
    const name = MODEL_FILE_NAMES[key];
    const url = new URL(name, folderUrl).href;
    const cached = cache ? await cache.match(url) : undefined;
    if (cached && (await cachedCopyIsCurrent(url, cached))) {
      const bytes = new Uint8Array(await cached.arrayBuffer());
      sizes.set(key, bytes.length);
      loaded.set(key, bytes.length);
      report(name);
      return { bytes, fromCache: true, toStore: null };
    }
    let response: Response;
    try {
      response = await fetch(url, { cache: 'no-store' });
    } catch (error) {
      throw new ModelFileError(
        name,
        `could not download ${url} (${error instanceof Error ? error.message : String(error)})`,
        'Check the connection and press Retry',
      );
    }
    if (!response.ok)
      throw new ModelFileError(
        name,
        `the server answered ${response.status} ${response.statusText} for ${url}`,
        FIX_MISSING,
      );
    if (isHtml(response))
      throw new ModelFileError(name, `not found at ${url} (the server sent a web page instead)`, FIX_MISSING);
    // A compressed response's Content-Length counts compressed bytes: no percentage then.
    const declared = response.headers.get('content-encoding')
      ? null
      : Number(response.headers.get('content-length') ?? NaN);
    sizes.set(key, declared !== null && Number.isFinite(declared) ? declared : null);
    const headers = new Headers();
    for (const h of [...VALIDATORS, 'content-type'] as const) {
      const value = response.headers.get(h);
      if (value !== null) headers.set(h, value);
    }
    const bytes = await readStream(response, (n) => {
      loaded.set(key, (loaded.get(key) ?? 0) + n);
      report(name);
    });
    sizes.set(key, bytes.length);
    headers.set('content-length', headers.get('content-length') ?? String(bytes.length));
    report(name);
    return { bytes, fromCache: false, toStore: new Response(bytes, { headers }) };
  };

  /** An optional file: undefined when the folder has none (or it cannot be had), never an error. */
  const optional = async (name: string): Promise<FileResult | undefined> => {
    const url = new URL(name, folderUrl).href;
    const cached = cache ? await cache.match(url) : undefined;
    if (cached && (await cachedCopyIsCurrent(url, cached)))
      return { bytes: new Uint8Array(await cached.arrayBuffer()), fromCache: true, toStore: null };
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok || isHtml(response)) return undefined;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const headers = new Headers({ 'content-length': String(bytes.length) });
      for (const h of [...VALIDATORS, 'content-type'] as const) {
        const value = response.headers.get(h);
        if (value !== null && h !== 'content-length') headers.set(h, value);
      }
      return { bytes, fromCache: false, toStore: new Response(bytes, { headers }) };
    } catch {
      return undefined;
    }
  };

  const [[weights, config, tokenizer], identifiers, members] = await Promise.all([
    Promise.all(keys.map(one)),
    optional(NAME_FILE_NAMES.identifiers),
    optional(NAME_FILE_NAMES.members),
  ]);
  const results = { weights: weights!, config: config!, tokenizer: tokenizer! };
  const text = (r: FileResult) => new TextDecoder().decode(r.bytes);
  const named = [
    [NAME_FILE_NAMES.identifiers, identifiers],
    [NAME_FILE_NAMES.members, members],
  ] as const;
  return {
    files: {
      weights: results.weights.bytes,
      config: text(results.config),
      tokenizer: text(results.tokenizer),
      ...(identifiers ? { identifiers: text(identifiers) } : {}),
      ...(members ? { members: text(members) } : {}),
    },
    fromCache: keys.every((k) => results[k].fromCache),
    bytes: keys.reduce((sum, k) => sum + results[k].bytes.length, 0),
    commit: async () => {
      if (!cache) return;
      const toStore = [
        ...keys.map((k) => [MODEL_FILE_NAMES[k], results[k].toStore] as const),
        ...named.map(([name, r]) => [name, r?.toStore ?? null] as const),
      ];
      await Promise.all(
        toStore.map(([name, stored]) =>
          stored ? cache.put(new URL(name, folderUrl).href, stored).catch(() => undefined) : undefined,
        ),
      );
    },
  };
}
