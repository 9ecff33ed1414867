// A new build's service worker waits while the page is busy and is offered once it is idle.
import { describe, expect, it } from 'vitest';
import {
  decideUpdate,
  isBusy,
  setBusy,
  setBusyElsewhere,
  setUpdateWaiting,
  subscribeToBusy,
  subscribeToUpdate,
  updateDecision,
} from '../../src/ui/lib/update-state';

describe('service worker update decision', () => {
  it('offers nothing when no new build waits, busy or not', () => {
    expect(decideUpdate(false, new Set())).toBe('none');
    expect(decideUpdate(false, new Set(['training']))).toBe('none');
  });

  it('waits while a run trains or an answer is being computed', () => {
    expect(decideUpdate(true, new Set(['training']))).toBe('wait');
    expect(decideUpdate(true, new Set(['answer']))).toBe('wait');
    expect(decideUpdate(true, new Set(['training', 'answer']))).toBe('wait');
  });

  it('offers the reload when the page is idle, and says so when another tab held the last one back', () => {
    expect(decideUpdate(true, new Set())).toBe('offer');
    expect(decideUpdate(true, new Set(), true)).toBe('busy-elsewhere');
    expect(decideUpdate(true, new Set(['answer']), true)).toBe('wait');
    expect(decideUpdate(false, new Set(), true)).toBe('none');
  });

  it('follows the page: waits through a run and an answer, offers once both end, and tells subscribers of each change', () => {
    const seen: string[] = [];
    const unsubscribe = subscribeToUpdate(() => seen.push(updateDecision()));
    setBusy('training', true);
    setBusy('training', true);
    expect(updateDecision()).toBe('none');
    setUpdateWaiting(true);
    expect(updateDecision()).toBe('wait');
    setBusy('answer', true);
    setBusy('training', false); // paused or ended, but an answer is still being computed
    expect(updateDecision()).toBe('wait');
    setBusy('answer', false);
    expect(updateDecision()).toBe('offer');
    setBusy('answer', true);
    expect(updateDecision()).toBe('wait');
    setBusy('answer', false);
    setUpdateWaiting(false);
    expect(seen).toEqual(['wait', 'offer', 'wait', 'offer', 'none']);
    unsubscribe();
  });

  it("tells when the tab's first work starts and its last ends (what the shared lock follows)", () => {
    const seen: boolean[] = [];
    const unsubscribe = subscribeToBusy((busy) => seen.push(busy));
    setBusy('training', true);
    setBusy('answer', true);
    setBusy('training', false);
    expect(isBusy()).toBe(true);
    setBusy('answer', false);
    expect(isBusy()).toBe(false);
    expect(seen).toEqual([true, false]);
    unsubscribe();
  });

  it('keeps "another tab is busy" until a reload goes ahead or the update is gone', () => {
    setUpdateWaiting(true);
    setBusyElsewhere(true);
    expect(updateDecision()).toBe('busy-elsewhere');
    setBusyElsewhere(false);
    expect(updateDecision()).toBe('offer');
    setBusyElsewhere(true);
    setUpdateWaiting(false);
    setUpdateWaiting(true);
    expect(updateDecision()).toBe('offer');
    setUpdateWaiting(false);
  });
});
