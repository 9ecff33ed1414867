// Step 3: start, pause, resume and stop; the progress bar with step, epoch and ETA; the run's
// measured figures (steps/s, tokens/s, tensors alive after steps 10 and 100); checkpoint status.
import { memo } from 'react';
import { formatBytes } from '../lib/format';
import type { StartWait, TrainingState } from './training-state';

interface RunPanelProps {
  state: TrainingState;
  /** Why Start is disabled, or null when it is not. */
  startBlocker: string | null;
  /** What a press of Start waits for before the run begins (the button stays enabled), or null. */
  startWait: string | null;
  onStart(): void;
  onPause(): void;
  onResume(): void;
  onStop(): void;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const END_TEXT: Record<string, string> = {
  finished: 'Finished: every epoch done.',
  'early-stopped': 'Stopped early: the validation loss stopped improving.',
  aborted: 'Stopped. The weights at this step can be downloaded or used in the playground.',
  'max-steps': 'Reached the step limit.',
};

/** What a pressed Start waits for, as the status line and the button say it. */
const WAIT_TEXT: Record<StartWait, string> = {
  backend: "the training worker's backend is up",
  data: 'the training data is prepared',
};
const WAIT_LABEL: Record<StartWait, string> = {
  backend: 'Waiting for the backend…',
  data: 'Waiting for the data…',
};

function statusText(state: TrainingState): string {
  const p = state.progress;
  const where = p ? `step ${p.step} of ${p.totalSteps}, epoch ${Math.min(p.epoch + 1, p.epochs)} of ${p.epochs}` : '';
  switch (state.phase) {
    case 'idle':
      return 'Ready to start.';
    case 'starting':
      if (state.waitingFor) return `Start pressed: the run begins once ${WAIT_TEXT[state.waitingFor]}.`;
      return state.run ? 'Starting…' : 'Building the model and compiling the first step (slow on software WebGPU)…';
    case 'running':
      if (state.measuring)
        return `Measuring your held-out code ${state.measuring.before ? 'before fine-tuning' : `at ${where}`}: ${state.measuring.done} of ${state.measuring.total} examples.`;
      return p ? `Training: ${where}.` : 'Training: compiling the first step…';
    case 'pausing':
      return 'Pausing after this step…';
    case 'paused':
      return `Paused at ${where}.`;
    case 'stopping':
      return 'Stopping: saving a checkpoint…';
    case 'ended':
      return `${END_TEXT[state.endReason ?? ''] ?? 'Ended.'} ${where ? `(${where})` : ''}`;
    case 'failed':
      return 'Training stopped on an error (see above).';
    case 'crashed':
      return 'The training worker stopped (see above).';
  }
}

export const RunPanel = memo(function RunPanel({ state, startBlocker, startWait, onStart, onPause, onResume, onStop }: RunPanelProps) {
  const p = state.progress;
  const phase = state.phase;
  const running = phase === 'running';
  const paused = phase === 'paused';
  const canStop = running || paused || phase === 'pausing';
  const percent = p && p.totalSteps > 0 ? Math.min(100, (100 * p.step) / p.totalSteps) : 0;
  const mark = (step: number) => state.memoryMarks.find((m) => m.step === step);
  const m10 = mark(10);
  const m100 = mark(100);
  const waiting = phase === 'starting' ? state.waitingFor : null;
  const note = startBlocker ?? startWait;
  return (
    <section className="panel training-panel run-panel" aria-label="Run">
      <div className="run-head">
        <h2><span className="step-badge" aria-hidden="true">3</span>Run</h2>
        <div className="run-buttons">
          <button type="button" className="button-primary" data-testid="train-start" onClick={onStart} disabled={startBlocker !== null || canStop || phase === 'starting' || phase === 'stopping'} aria-describedby={note ? 'train-start-blocker' : undefined} aria-busy={waiting !== null} data-waiting={waiting ?? undefined}>
            {waiting ? WAIT_LABEL[waiting] : 'Start training'}
          </button>
          {paused ? (
            <button type="button" className="button-quiet button-strong" data-testid="train-resume" onClick={onResume}>Resume</button>
          ) : (
            <button type="button" className="button-quiet button-strong" data-testid="train-pause" onClick={onPause} disabled={!running}>Pause</button>
          )}
          <button type="button" className="button-danger" data-testid="train-stop" onClick={onStop} disabled={!canStop}>Stop</button>
        </div>
      </div>
      {note && <p id="train-start-blocker" className="small muted start-blocker" data-testid="train-start-note" data-kind={startBlocker ? 'blocked' : 'wait'}>{note}</p>}
      <div className="run-progress">
        <div className="progress" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)} aria-valuetext={statusText(state)}>
          <div className={`progress-fill ${phase === 'starting' ? 'progress-indeterminate' : ''}`} style={{ width: `${phase === 'starting' ? 100 : percent}%` }} />
        </div>
        <div className="run-numbers">
          <span>Step <strong data-testid="train-step">{p?.step ?? 0}</strong>{p ? <span className="muted"> / {p.totalSteps}</span> : null}</span>
          <span>Epoch <strong data-testid="train-epoch">{p ? Math.min(p.epoch + 1, p.epochs) : 0}</strong>{p ? <span className="muted"> / {p.epochs}</span> : null}</span>
          <span>ETA <strong data-testid="train-eta">{running || phase === 'pausing' ? formatDuration(p?.etaMs ?? null) : '–'}</strong></span>
          <span>Elapsed <strong>{formatDuration(p?.elapsedMs ?? null)}</strong></span>
        </div>
      </div>
      <p className="run-status" role="status" aria-live="polite" data-testid="train-status" data-phase={phase} data-reason={state.endReason ?? undefined}>{statusText(state)}</p>
      {state.run && (
        <dl
          className="run-figures"
          data-testid="train-figures"
          data-backend={state.run.backend}
          data-run-id={state.runId ?? ''}
          data-start-step={state.run.startStep}
          data-steps-per-second={p?.stepsPerSecond?.toFixed(4) ?? ''}
          data-tokens-per-second={p?.tokensPerSecond?.toFixed(1) ?? ''}
          data-recent-step-ms={p?.recentStepMs?.toFixed(1) ?? ''}
          data-recent-tokens-per-second={p?.recentTokensPerSecond?.toFixed(1) ?? ''}
          data-tensors={state.memory?.numTensors ?? ''}
          data-tensors-after10={m10?.numTensors ?? ''}
          data-tensors-after100={m100?.numTensors ?? ''}
          data-bytes-after10={m10?.numBytes ?? ''}
          data-bytes-after100={m100?.numBytes ?? ''}
        >
          <div><dt>Model</dt><dd>{state.run.origin} · {state.run.parameters.toLocaleString('en-US')} parameters · vocabulary {state.run.vocabSize}</dd></div>
          <div><dt>Backend</dt><dd>{state.run.backend}</dd></div>
          <div><dt>Data</dt><dd>{state.run.trainExamples} train / {state.run.valExamples} validation, {state.run.batchesPerEpoch} batches per epoch{state.run.skippedExamples > 0 ? `, ${state.run.skippedExamples} not encodable` : ''}</dd></div>
          <div>
            <dt>Speed</dt>
            <dd>
              {p?.stepsPerSecond ? `${p.stepsPerSecond.toFixed(2)} steps/s overall (evaluations included)` : '–'}
              {p?.recentStepMs ? ` · last steps ${Math.round(p.recentStepMs)} ms each, ${Math.round(p.recentTokensPerSecond ?? 0).toLocaleString('en-US')} tokens/s` : ''}
            </dd>
          </div>
          <div><dt>Best validation loss</dt><dd>{p?.bestValLoss?.toFixed(4) ?? '–'}</dd></div>
          <div>
            <dt>Tensors alive</dt>
            <dd>
              {state.memory ? `${state.memory.numTensors} (${formatBytes(state.memory.numBytes)})` : '–'}
              {m10 ? ` · after step 10: ${m10.numTensors}` : ''}{m100 ? ` · after step 100: ${m100.numTensors}` : ''}
            </dd>
          </div>
        </dl>
      )}
      {state.lastSaved && (
        <p className="small muted" data-testid="train-checkpoint" data-step={state.lastSaved.step}>
          Checkpoint saved in this browser at step {state.lastSaved.step} ({new Date(state.lastSaved.savedAt).toLocaleTimeString()}).
        </p>
      )}
      {state.warnings.length > 0 && (
        <ul className="run-warnings" role="status" data-testid="train-warnings">
          {state.warnings.map((w, i) => <li key={w.key ?? i} className="notice notice-warn">{w.message}</li>)}
        </ul>
      )}
    </section>
  );
});
