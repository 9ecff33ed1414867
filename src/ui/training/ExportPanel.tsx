// Step 4: keep the work. Every model file (docs/design.md#model-files) of the trained model as a
// download (what the CLI's `inspect` and `eval` read), and "use in playground", which hands the
// model files to the app.
import { memo, useState } from 'react';
import type { ModelFiles } from '../../model';
import type { ExportedFiles } from '../../worker/training-protocol';

type FileKey = 'weights' | 'config' | 'tokenizer' | 'metrics' | 'report' | 'chart' | 'identifiers' | 'members';

const FILES: { key: FileKey; name: string; type: string; testId: string; what: string }[] = [
  { key: 'weights', name: 'lstm_weights.bin', type: 'application/octet-stream', testId: 'download-weights', what: 'weights (safetensors)' },
  { key: 'config', name: 'model_config.toml', type: 'application/toml', testId: 'download-config', what: 'architecture and settings' },
  { key: 'tokenizer', name: 'tokenizer.json', type: 'application/json', testId: 'download-tokenizer', what: 'vocabulary' },
  { key: 'metrics', name: 'training_metrics.json', type: 'application/json', testId: 'download-metrics', what: 'every measured series' },
  { key: 'report', name: 'training_report.md', type: 'text/markdown', testId: 'download-report', what: 'the report' },
  { key: 'chart', name: 'training_metrics.svg', type: 'image/svg+xml', testId: 'download-chart', what: 'the loss chart' },
  // The optional name files, when the run started from a model that had them.
  { key: 'identifiers', name: 'identifiers.json', type: 'application/json', testId: 'download-identifiers', what: 'identifier frequencies (name fixes)' },
  { key: 'members', name: 'stdlib_members.json', type: 'application/json', testId: 'download-members', what: 'standard-library members (name fixes)' },
];

function saveAs(name: string, type: string, data: Uint8Array | string): void {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface ExportPanelProps {
  /** Why the files cannot be taken now, or null. */
  blocker: string | null;
  exportFiles(): Promise<ExportedFiles | null>;
  onUseInPlayground(files: ModelFiles): void;
}

export const ExportPanel = memo(function ExportPanel({ blocker, exportFiles, onUseInPlayground }: ExportPanelProps) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const withFiles = async (act: (files: ExportedFiles) => string) => {
    setBusy(true);
    setDone(null);
    try {
      const files = await exportFiles();
      if (files) setDone(act(files));
    } finally {
      setBusy(false);
    }
  };
  const disabled = blocker !== null || busy;
  return (
    <section className="panel training-panel" aria-labelledby="train-export-title">
      <h2 id="train-export-title"><span className="step-badge" aria-hidden="true">4</span>Keep the model</h2>
      <p className="hint">{blocker ?? 'The weights as they are at this step, with the files that go with them. The command line reads them: npm run cli -- inspect lstm_weights.bin.'}</p>
      <div className="export-actions">
        <button
          type="button"
          className="button-primary"
          data-testid="use-in-playground"
          disabled={disabled}
          onClick={() => withFiles((files) => {
            // A copy: the app may transfer the buffer to its worker, and this export stays cached.
            onUseInPlayground({
              weights: files.weights.slice(),
              config: files.config,
              tokenizer: files.tokenizer,
              ...(files.identifiers === undefined ? {} : { identifiers: files.identifiers }),
              ...(files.members === undefined ? {} : { members: files.members }),
            });
            return `The model at step ${files.step} was sent to the playground.`;
          })}
        >
          Use in playground
        </button>
        <div className="download-list" role="group" aria-label="Downloads">
          {FILES.map((f) => (
            <button
              key={f.key}
              type="button"
              className="button-quiet"
              data-testid={f.testId}
              disabled={disabled}
              title={`Download ${f.name}: ${f.what}`}
              onClick={() => withFiles((files) => {
                const data = files[f.key];
                if (data === undefined) return `${f.name}: the model this run started from has none.`;
                saveAs(f.name, f.type, data);
                return `${f.name} (step ${files.step}) downloaded.`;
              })}
            >
              <span aria-hidden="true">↓ </span>{f.name}
            </button>
          ))}
        </div>
      </div>
      <p className="small muted" aria-live="polite" data-testid="export-status">{busy ? 'Preparing the files…' : done ?? ''}</p>
    </section>
  );
});
