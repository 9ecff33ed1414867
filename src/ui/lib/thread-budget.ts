// The page's thread budget (`?threads=N`, else the machine's cores) and each worker's share of it
// (src/platform/shared/threads.ts), read where the page starts a worker.
import { requestedThreadsFromQuery, threadBudget, threadsFor, type ThreadRole } from '../../platform/shared/threads';

export function pageThreads(role: ThreadRole): number {
  return threadsFor(role, threadBudget(requestedThreadsFromQuery(location.search), navigator.hardwareConcurrency));
}
