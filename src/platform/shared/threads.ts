// One thread budget for the page's workers. The wasm backend's threads (XNNPACK's pool) are fixed
// when the backend starts, so the budget is split once, by role, before each worker starts tfjs.

/** The most threads a budget may hold (`?threads=` included): more than any machine's cores only adds switching. */
export const MAX_THREADS = 64;

/** Who asks for threads: the inference worker (the playground) or the training worker (training and evaluation). */
export type ThreadRole = 'inference' | 'training';

/** The page's budget: what `?threads=` asked for, else the machine's logical cores (at least 1). */
export function threadBudget(requested: number | null, hardwareConcurrency: number | undefined): number {
  if (requested !== null) return requested;
  const cores = Math.floor(hardwareConcurrency ?? 1);
  return Math.min(MAX_THREADS, Math.max(1, Number.isFinite(cores) ? cores : 1));
}

/**
 * A worker's share of the budget. Training (and evaluation, in the same worker) runs batched
 * products for minutes and takes the whole budget; inference decodes one token at a time, whose
 * small products gain little from threads, and takes half, so an answer asked for during training
 * adds at most half the budget's threads to the cores training keeps busy.
 */
export function threadsFor(role: ThreadRole, budget: number): number {
  const whole = Math.max(1, Math.floor(budget));
  return role === 'training' ? whole : Math.max(1, Math.floor(whole / 2));
}
