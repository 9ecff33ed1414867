// The run saved in IndexedDB, offered for resuming: after a reload, a closed tab, a crashed worker,
// a lost GPU device or a NaN loss (the last good checkpoint is what resumes).
import { memo } from 'react';
import { formatBytes } from '../lib/format';
import type { SavedRunStatus, SavedRunSummary } from '../../worker/checkpoint-store';

const STATUS_TEXT: Record<SavedRunStatus, string> = {
  running: 'was interrupted (the page was closed or reloaded during training)',
  paused: 'was paused when the page was closed',
  stopped: 'was stopped',
  finished: 'finished',
  failed: 'stopped on an error',
  crashed: 'stopped when the training worker crashed',
};

interface SavedRunBannerProps {
  saved: SavedRunSummary;
  onResume(): void;
  onDiscard(): void;
}

export const SavedRunBanner = memo(function SavedRunBanner({ saved, onResume, onDiscard }: SavedRunBannerProps) {
  const { recipe, checkpoint } = saved;
  const when = new Date(checkpoint?.savedAt ?? recipe.updatedAt).toLocaleString();
  return (
    <div className="saved-run" role="region" aria-label="Saved run" data-testid="saved-run" data-step={checkpoint?.step ?? ''} data-status={recipe.status}>
      <div>
        <strong>A training run saved in this browser {STATUS_TEXT[recipe.status]}.</strong>
        <p className="small">
          {checkpoint
            ? `${recipe.origin}; checkpoint at step ${checkpoint.step} (epoch ${checkpoint.epoch + 1}), ${formatBytes(checkpoint.bytes)}, saved ${when}.`
            : `${recipe.origin}; no checkpoint was saved before it ended.`}
        </p>
      </div>
      <div className="saved-run-actions">
        {checkpoint && (
          <button type="button" className="button-primary" data-testid="train-resume-saved" onClick={onResume}>
            Resume from step {checkpoint.step}
          </button>
        )}
        <button type="button" className="button-quiet" data-testid="train-discard-saved" onClick={onDiscard}>Discard</button>
      </div>
    </div>
  );
});
