// The page's state in its URL: the playground's code, task and mode and the Train tab's settings and
// data source kind, as JSON compressed with the browser's own deflate-raw and written base64url in
// the hash (`#s=…`). A link reproduces what its sender saw; a broken one opens the defaults with a
// message. Uploaded files never go in a link, and code over CODE_LIMIT_BYTES is left out.

/** Code longer than this (UTF-8 bytes) stays out of the link: links that long break in chat apps. */
export const CODE_LIMIT_BYTES = 20_000;
const PREFIX = 's=';
const VERSION = 1;

export interface PlaygroundShare {
  task: string;
  mode: string;
  /** null: the code was over the limit and left out. */
  code: string | null;
}

export interface TrainShare {
  choice: string;
  settings: Record<string, string>;
  /** The data source's kind and numbers; never the files a person picked. */
  data: { kind: string; functions: string; validationPercent: string };
}

export interface ShareState {
  playground?: PlaygroundShare;
  train?: TrainShare;
}

/** Thrown for a link that cannot be read back; the message says what is wrong with it. */
export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('it holds characters a link of this app never has');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    throw new ShareLinkError('it is not valid base64url (cut short?)');
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** The utf-8 size of a text, as the link limit counts it. */
function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The state as a URL hash (without `#`), and what was left out of it. */
export async function encodeShare(state: ShareState): Promise<{ hash: string; codeLeftOut: boolean }> {
  let codeLeftOut = false;
  let playground = state.playground;
  if (playground?.code != null && utf8Bytes(playground.code) > CODE_LIMIT_BYTES) {
    playground = { ...playground, code: null };
    codeLeftOut = true;
  }
  const json = JSON.stringify({ v: VERSION, ...state, playground });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return { hash: PREFIX + toBase64Url(packed), codeLeftOut };
}

function isRecordOfStrings(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

function checkShape(value: unknown): ShareState {
  if (typeof value !== 'object' || value === null) throw new ShareLinkError('it does not hold the page state');
  const { v, playground, train } = value as Record<string, unknown>;
  if (v !== VERSION)
    throw new ShareLinkError(
      `it was made by another version of this app (format ${String(v)}, this one reads ${VERSION})`,
    );
  const state: ShareState = {};
  if (playground !== undefined) {
    const p = playground as Partial<PlaygroundShare> | null;
    if (
      !p ||
      typeof p.task !== 'string' ||
      typeof p.mode !== 'string' ||
      !(p.code === null || typeof p.code === 'string')
    ) {
      throw new ShareLinkError('its playground part is not task, mode and code');
    }
    state.playground = { task: p.task, mode: p.mode, code: p.code };
  }
  if (train !== undefined) {
    const t = train as Partial<TrainShare> | null;
    if (!t || typeof t.choice !== 'string' || !isRecordOfStrings(t.settings) || !isRecordOfStrings(t.data)) {
      throw new ShareLinkError('its Train part is not model, settings and data source');
    }
    state.train = {
      choice: t.choice,
      settings: t.settings,
      data: {
        kind: String(t.data.kind),
        functions: String(t.data.functions),
        validationPercent: String(t.data.validationPercent),
      },
    };
  }
  return state;
}

/**
 * Reads a URL hash (with or without `#`): null when it holds no shared state, the state when it
 * reads, or a ShareLinkError saying why not (corrupt, truncated, another version).
 */
export async function decodeShare(hash: string): Promise<ShareState | null> {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!text.startsWith(PREFIX)) return null;
  const bytes = fromBase64Url(text.slice(PREFIX.length));
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(await pipe(bytes, new DecompressionStream('deflate-raw')));
  } catch {
    throw new ShareLinkError('its compressed data does not inflate (cut short or altered)');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShareLinkError('its data is not JSON');
  }
  return checkShape(value);
}
