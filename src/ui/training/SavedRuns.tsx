// The runs saved in this browser (IndexedDB), each kept until the user deletes it, and offered for
// resuming: after a reload, a closed tab, a crashed worker, a lost GPU device or a NaN loss (the
// last good checkpoint is what resumes). A run another tab trains is shown as such and cannot be
// taken here until that tab lets it go. Below the list: what this site stores, of what it may.
import { memo } from 'react';
import { formatBytes } from '../lib/format';
import type { SavedRunStatus, SavedRunSummary } from '../../worker/checkpoint-store';
import type { StorageUse } from './run-locks';

const STATUS_TEXT: Record<SavedRunStatus, string> = {
  running: 'was interrupted (the page was closed or reloaded during training)',
  paused: 'was paused when the page was closed',
  stopped: 'was stopped',
  finished: 'finished',
  failed: 'stopped on an error',
  crashed: 'stopped when the training worker crashed',
};

const GIB = 1024 ** 3;
const sizeText = (bytes: number) => (bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : formatBytes(bytes));

interface SavedRunsProps {
  runs: SavedRunSummary[];
  heldElsewhere: string[];
  storage: StorageUse | null;
  /** The run this tab trains now (listed in the run panel, not here), or null. */
  activeRunId: string | null;
  onResume(runId: string): void;
  onDelete(runId: string): void;
}

export const SavedRuns = memo(function SavedRuns({ runs, heldElsewhere, storage, activeRunId, onResume, onDelete }: SavedRunsProps) {
  const listed = runs.filter((run) => run.recipe.id !== activeRunId);
  const busy = activeRunId !== null;
  return (
    <section className="panel training-panel" aria-labelledby="saved-runs-title" data-testid="saved-runs" data-count={listed.length}>
      <h2 id="saved-runs-title">Saved runs</h2>
      {listed.length === 0 ? (
        <p className="small muted">No other run is saved in this browser. Each run you start is kept here, with its latest checkpoint, until you delete it.</p>
      ) : (
        <ul className="saved-run-list">
          {listed.map((run) => (
            <SavedRunRow key={run.recipe.id} run={run} elsewhere={heldElsewhere.includes(run.recipe.id)} busy={busy} onResume={onResume} onDelete={onDelete} />
          ))}
        </ul>
      )}
      {storage && (
        <p className="small muted" data-testid="storage-use" data-usage={storage.usage} data-quota={storage.quota} data-persisted={storage.persisted}>
          This site stores {sizeText(storage.usage)} of the {sizeText(storage.quota)} the browser allows it;{' '}
          {storage.persisted ? 'the browser keeps it when space runs low.' : 'the browser may clear it when space runs low (it was asked not to).'}
        </p>
      )}
    </section>
  );
});

interface SavedRunRowProps {
  run: SavedRunSummary;
  /** Another tab trains it now. */
  elsewhere: boolean;
  /** This tab trains another run. */
  busy: boolean;
  onResume(runId: string): void;
  onDelete(runId: string): void;
}

function SavedRunRow({ run, elsewhere, busy, onResume, onDelete }: SavedRunRowProps) {
  const { recipe, checkpoint, checkpointMissing, bytes } = run;
  const when = new Date(checkpoint?.savedAt ?? recipe.updatedAt).toLocaleString();
  const status = elsewhere ? 'is training in another tab' : STATUS_TEXT[recipe.status];
  const detail = checkpoint
    ? `Checkpoint at step ${checkpoint.step} (epoch ${checkpoint.epoch + 1}), saved ${when}; ${formatBytes(bytes)} in all.`
    : checkpointMissing
      ? `Its checkpoint is missing: the browser cleared it to free space. ${formatBytes(bytes)} left (the recipe).`
      : `No checkpoint was saved before it ended; ${formatBytes(bytes)}.`;
  const resumeBlocker = elsewhere ? 'Another tab trains this run: it can be taken over once that tab stops it or is closed.' : busy ? 'Stop the run in progress first.' : undefined;
  return (
    <li
      className="saved-run"
      aria-label={`Saved run: ${recipe.name}`}
      data-testid="saved-run"
      data-run-id={recipe.id}
      data-step={checkpoint?.step ?? ''}
      data-status={recipe.status}
      data-elsewhere={elsewhere}
      data-missing={checkpointMissing}
    >
      <div>
        <strong>{recipe.name}</strong>
        <p className="small">
          Started {new Date(recipe.createdAt).toLocaleString()}; {status}.
        </p>
        <p className="small muted" data-testid="saved-run-detail">{detail}</p>
      </div>
      <div className="saved-run-actions">
        {checkpoint && (
          <button type="button" className="button-primary" data-testid="train-resume-saved" disabled={resumeBlocker !== undefined} title={resumeBlocker} onClick={() => onResume(recipe.id)}>
            Resume from step {checkpoint.step}
          </button>
        )}
        <button type="button" className="button-quiet" data-testid="train-discard-saved" disabled={elsewhere} title={elsewhere ? resumeBlocker : undefined} onClick={() => onDelete(recipe.id)}>
          Delete
        </button>
      </div>
    </li>
  );
}
