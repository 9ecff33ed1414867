// The Train tab's kill hook, in the tests' build only (with `?train-faults`): e2e/saved-runs.spec.ts
// holds each checkpoint's transaction open in the worker and ends the worker inside it, to show that a
// killed write never leaves a broken checkpoint behind. The page exposes it as `window.__trainingTest`.
import type { TrainingClient } from '../../worker/training-client';

/** What the test learns of one kill. */
export interface KillReport {
  /** The checkpoint whose transaction was open when the worker was ended. */
  step: number;
  /** The page had not heard that checkpoint committed when it ended the worker. */
  openAtKill: boolean;
}

export interface TrainingTestApi {
  /** Every checkpoint's transaction stays open this much longer (0: not held), in this worker and the next ones. */
  holdCheckpoints(holdMs: number): Promise<void>;
  /** Lets `skip` checkpoints commit, then ends the worker `delayMs` after the next one's transaction opens. */
  killInNextCheckpoint(delayMs: number, skip?: number): Promise<KillReport>;
}

/** The page's side: the hook forwards the worker's reports here. */
export class TrainingKillSwitch implements TrainingTestApi {
  private holdMs = 0;
  private armed: { delayMs: number; skip: number; done(report: KillReport): void } | null = null;
  private readonly committed = new Set<number>();
  private client: TrainingClient | null = null;

  /** The worker the page talks to now; a new one gets the hold too. */
  attach(client: TrainingClient): void {
    this.client = client;
    this.committed.clear();
    if (this.holdMs > 0) client.holdCheckpoints(this.holdMs).catch(() => undefined);
  }

  async holdCheckpoints(holdMs: number): Promise<void> {
    this.holdMs = holdMs;
    await this.client?.holdCheckpoints(holdMs);
  }

  killInNextCheckpoint(delayMs: number, skip = 0): Promise<KillReport> {
    return new Promise((done) => (this.armed = { delayMs, skip, done }));
  }

  checkpointOpen(step: number): void {
    // A new write of this step (an earlier run may have committed the same step number).
    this.committed.delete(step);
    const armed = this.armed;
    if (!armed) return;
    if (armed.skip > 0) {
      armed.skip -= 1;
      return;
    }
    this.armed = null;
    setTimeout(() => {
      const openAtKill = !this.committed.has(step);
      this.client?.kill();
      armed.done({ step, openAtKill });
    }, armed.delayMs);
  }

  checkpointCommitted(step: number): void {
    this.committed.add(step);
  }
}

declare global {
  interface Window {
    __trainingTest?: TrainingTestApi;
  }
}
