// The page's side of share-link.ts: reads the link the page was opened with (before the first
// render, so components start from it), keeps the hash up to date as the person edits, and tells
// the "Copy link" bar what to say. One module-level store: both tabs write their part into it.
import { useSyncExternalStore } from 'react';
import {
  CODE_LIMIT_BYTES,
  decodeShare,
  encodeShare,
  ShareLinkError,
  type PlaygroundShare,
  type ShareState,
  type TrainShare,
} from './share-link';

export interface ShareStatus {
  /** Why the link the page was opened with was not used, or which of its values were not. */
  openMessage: string | null;
  /** The code is over the limit, so the link leaves it out. */
  codeLeftOut: boolean;
}

let opened: ShareState = {};
let current: ShareState = {};
let status: ShareStatus = { openMessage: null, codeLeftOut: false };
const listeners = new Set<() => void>();
let writeTimer: ReturnType<typeof setTimeout> | null = null;
let latestWrite: Promise<string> = Promise.resolve(location.href);

function setStatus(next: Partial<ShareStatus>): void {
  status = { ...status, ...next };
  for (const listener of listeners) listener();
}

/** Reads location.hash once, before the app renders. Never throws: a bad link opens the defaults. */
export async function openShareFromLocation(): Promise<void> {
  try {
    opened = (await decodeShare(location.hash)) ?? {};
    current = { ...opened };
    if (opened.playground && opened.playground.code === null) {
      setStatus({
        openMessage: `This link left the code out (it was over ${CODE_LIMIT_BYTES / 1000} kB): the example code is shown instead.`,
      });
    }
  } catch (error) {
    opened = {};
    const why = error instanceof ShareLinkError ? error.message : String(error);
    setStatus({ openMessage: `This link could not be read: ${why}. The page opened with its defaults.` });
  }
}

/** The part of the opening link for one tab, read once by its state initialisers. */
export function openedShare(): ShareState {
  return opened;
}

/** A value from the link that the page does not know: the default is used and the bar says so. */
export function reportShareProblem(message: string): void {
  const before = status.openMessage;
  if (before?.includes(message)) return;
  setStatus({ openMessage: before ? `${before} ${message}` : message });
}

async function writeHash(): Promise<string> {
  const { hash, codeLeftOut } = await encodeShare(current);
  const url = `${location.pathname}${location.search}#${hash}`;
  history.replaceState(history.state, '', url);
  if (codeLeftOut !== status.codeLeftOut) setStatus({ codeLeftOut });
  return location.href;
}

/** A tab's part changed: the hash follows shortly (debounced, so typing is not slowed). */
export function updateShare(part: 'playground', value: PlaygroundShare): void;
export function updateShare(part: 'train', value: TrainShare): void;
export function updateShare(part: keyof ShareState, value: PlaygroundShare | TrainShare): void {
  current = { ...current, [part]: value };
  if (writeTimer !== null) clearTimeout(writeTimer);
  writeTimer = setTimeout(() => {
    writeTimer = null;
    latestWrite = writeHash();
  }, 200);
}

/** The link to the state as it is now (a pending hash write is done first). */
export async function currentLink(): Promise<string> {
  if (writeTimer !== null) {
    clearTimeout(writeTimer);
    writeTimer = null;
    latestWrite = writeHash();
  }
  return latestWrite;
}

export function useShareStatus(): ShareStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => status,
  );
}
