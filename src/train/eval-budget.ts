// How often a training run may evaluate: at most a share of its wall time goes to evaluations
// (decoding a fixed set in every mode is slow), so evaluations due by the interval are skipped
// while the time spent on them, the next one included, would exceed that share.

/** Default share of a run's wall time that evaluations may take. */
export const DEFAULT_EVAL_SHARE = 0.15;

export class EvalBudget {
  private spentMs = 0;
  private lastMs = 0;

  constructor(readonly maxShare = DEFAULT_EVAL_SHARE) {
    if (!(maxShare > 0 && maxShare <= 1)) throw new RangeError(`the evaluation share is in (0, 1], got ${maxShare}`);
  }

  /**
   * Whether an evaluation may start after `wallMs` of run time: the first always may; later ones
   * when the time spent, plus the last evaluation's as the estimate of this one, stays within the share.
   */
  allows(wallMs: number): boolean {
    if (this.lastMs === 0) return true;
    return this.spentMs + this.lastMs <= this.maxShare * (wallMs + this.lastMs);
  }

  record(evalMs: number): void {
    this.spentMs += evalMs;
    this.lastMs = Math.max(evalMs, Number.MIN_VALUE);
  }

  /** Share of `wallMs` spent evaluating so far. */
  share(wallMs: number): number {
    return wallMs > 0 ? Math.min(1, this.spentMs / wallMs) : 0;
  }
}
