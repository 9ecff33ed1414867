// Whether the page may offer a new build (src/ui/lib/sw-update.ts follows the service worker): an
// update waiting while a training run trains or an answer is being computed waits; once nothing
// is in flight, the page offers "Reload". No DOM types here, so the unit tests run it under Node.

/** What keeps the page on its version: a run that trains, an answer being computed. */
export type BusyReason = 'training' | 'answer';

/** What the page does about an update: nothing waits, it waits for the work to end, or it offers a reload. */
export type UpdateDecision = 'none' | 'wait' | 'offer';

/** The pure rule: an update waiting while anything is busy waits; with nothing busy it is offered. */
export function decideUpdate(updateWaiting: boolean, busy: ReadonlySet<BusyReason>): UpdateDecision {
  if (!updateWaiting) return 'none';
  return busy.size > 0 ? 'wait' : 'offer';
}

let updateWaiting = false;
let busy: ReadonlySet<BusyReason> = new Set();
let decision: UpdateDecision = 'none';
const listeners = new Set<() => void>();

function changed(): void {
  const next = decideUpdate(updateWaiting, busy);
  if (next === decision) return;
  decision = next;
  for (const listener of listeners) listener();
}

/** Marks one kind of work as in flight or done (the Train tab and the playground call this). */
export function setBusy(reason: BusyReason, isBusy: boolean): void {
  if (busy.has(reason) === isBusy) return;
  const next = new Set(busy);
  if (isBusy) next.add(reason);
  else next.delete(reason);
  busy = next;
  changed();
}

/** Whether a new build's worker is installed and waiting (src/ui/lib/sw-update.ts sets it). */
export function setUpdateWaiting(waiting: boolean): void {
  updateWaiting = waiting;
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
