// The page's thread budget (`?threads=N`, else the machine's cores) and each worker's share of it
// (src/platform/shared/threads.ts), read where the page starts a worker.
import { MAX_THREADS, threadBudget, threadsFor, type ThreadRole } from '../../platform/shared/threads';

/**
 * Reads `?threads=N` from a query string: a whole number from 1 to MAX_THREADS, else null (the
 * machine's cores decide).
 */
export function requestedThreadsFromQuery(search: string): number | null {
  const value = new URLSearchParams(search).get('threads');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const threads = Number(value.trim());
  return threads >= 1 && threads <= MAX_THREADS ? threads : null;
}

/** A worker's share of the budget of a page with this query string on a machine with these cores. */
export function pageThreads(role: ThreadRole, search: string, cores: number | undefined): number {
  return threadsFor(role, threadBudget(requestedThreadsFromQuery(search), cores));
}
