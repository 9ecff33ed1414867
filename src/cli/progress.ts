// One status line on the terminal, rewritten in place at most twice a second: step, epoch, loss,
// accuracy, tokens per second and ETA. Log lines print above it.
import type { StepRecord } from '../train/loop';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

export class ProgressLine {
  private lastDraw = 0;
  private line = '';
  private readonly recentMs: number[] = [];
  private readonly recentTokensPerSecond: number[] = [];
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly totalSteps: number,
    private readonly startStep: number,
  ) {}

  update(s: StepRecord, batchesPerEpoch: number, epochs: number): void {
    this.recentMs.push(s.stepMs);
    this.recentTokensPerSecond.push(s.tokensPerSecond);
    if (this.recentMs.length > 50) this.recentMs.shift();
    if (this.recentTokensPerSecond.length > 50) this.recentTokensPerSecond.shift();
    const now = Date.now();
    // Without a terminal (a log file), one line every 25 steps is plenty.
    if (this.tty ? now - this.lastDraw < 500 : s.step % 25 !== 0) return;
    this.lastDraw = now;
    const meanMs = this.recentMs.reduce((a, b) => a + b, 0) / this.recentMs.length;
    const tokensPerSecond = this.recentTokensPerSecond.reduce((a, b) => a + b, 0) / this.recentTokensPerSecond.length;
    const left = Math.max(0, this.totalSteps - s.step);
    const width = 20;
    const filled = Math.round((width * Math.min(s.step, this.totalSteps)) / Math.max(1, this.totalSteps));
    this.line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${s.step}/${this.totalSteps} epoch ${s.epoch + 1}/${epochs} ` +
      `(${s.step % batchesPerEpoch || batchesPerEpoch}/${batchesPerEpoch}) loss ${s.loss.toFixed(3)} acc ${(s.accuracy * 100).toFixed(1)}% ` +
      `${meanMs.toFixed(0)} ms/step ${tokensPerSecond.toFixed(0)} tok/s ETA ${formatDuration(left * meanMs)}`;
    process.stderr.write(this.tty ? `\r\x1b[2K${this.line}` : `${this.line}\n`);
  }

  log(message: string): void {
    process.stderr.write(this.tty ? `\r\x1b[2K${message}\n${this.line}` : `${message}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
