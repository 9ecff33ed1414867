// Whether the page may offer a new build (src/ui/lib/sw-update.ts follows the service worker): an
// update waiting while a training run trains or an answer is being computed waits; once nothing
// is in flight, the page offers "Reload". A new build takes over every tab of the app at once, so
// a tab that is busy also holds the others back (sw-update.ts, through a Web Lock): "Reload" in an
// idle tab then says that another tab is busy. No DOM types here, so the unit tests run it under Node.

/** What keeps the page on its version: a run that trains, an answer being computed. */
export type BusyReason = 'training' | 'answer';

/**
 * What the page does about an update: nothing waits; it waits for this tab's work to end; it
 * offers a reload; or it offers one but the last try found another tab busy ('busy-elsewhere').
 */
export type UpdateDecision = 'none' | 'wait' | 'offer' | 'busy-elsewhere';

/** The pure rule: an update waiting while anything is busy waits; with nothing busy it is offered. */
export function decideUpdate(
  updateWaiting: boolean,
  busy: ReadonlySet<BusyReason>,
  busyElsewhere = false,
): UpdateDecision {
  if (!updateWaiting) return 'none';
  if (busy.size > 0) return 'wait';
  return busyElsewhere ? 'busy-elsewhere' : 'offer';
}

let updateWaiting = false;
let busy: ReadonlySet<BusyReason> = new Set();
let busyElsewhere = false;
let decision: UpdateDecision = 'none';
const listeners = new Set<() => void>();
const busyListeners = new Set<(isBusy: boolean) => void>();

function changed(): void {
  const next = decideUpdate(updateWaiting, busy, busyElsewhere);
  if (next === decision) return;
  decision = next;
  for (const listener of listeners) listener();
}

/** Marks one kind of work as in flight or done (the Train tab and the playground call this). */
export function setBusy(reason: BusyReason, isBusy: boolean): void {
  if (busy.has(reason) === isBusy) return;
  const wasBusy = busy.size > 0;
  const next = new Set(busy);
  if (isBusy) next.add(reason);
  else next.delete(reason);
  busy = next;
  if (wasBusy !== busy.size > 0) for (const listener of busyListeners) listener(busy.size > 0);
  changed();
}

/** Whether anything in this tab is in flight. */
export function isBusy(): boolean {
  return busy.size > 0;
}

/** Called with true when this tab's first work starts and with false when its last ends. */
export function subscribeToBusy(listener: (isBusy: boolean) => void): () => void {
  busyListeners.add(listener);
  return () => busyListeners.delete(listener);
}

/** What the last "Reload" found: another tab busy (true), or nothing in its way (false). */
export function setBusyElsewhere(elsewhere: boolean): void {
  busyElsewhere = elsewhere;
  changed();
}

/** Whether a new build's worker is installed and waiting (src/ui/lib/sw-update.ts sets it). */
export function setUpdateWaiting(waiting: boolean): void {
  updateWaiting = waiting;
  if (!waiting) busyElsewhere = false;
  changed();
}

/** For useSyncExternalStore. */
export function subscribeToUpdate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateDecision(): UpdateDecision {
  return decision;
}
