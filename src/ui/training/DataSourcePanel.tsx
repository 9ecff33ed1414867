// Step 1 of a run: where the examples come from, and what the worker made of them — examples per
// task and per bug class, the validation split, files refused and bad JSONL lines by line number;
// for "your code", the split by file and the skipped files (YourCodePicker, AdaptDataSummary).
import { memo, useId, type ChangeEvent } from 'react';
import { DATA_KINDS, dataFormErrors, readChosenFiles, type DataForm, type DataKind } from './data-form';
import type { DataState } from './training-state';
import { AdaptDataSummary } from './AdaptDataSummary';
import { YourCodePicker } from './YourCodePicker';

interface DataSourcePanelProps {
  form: DataForm;
  onChange(next: DataForm): void;
  data: DataState;
  disabled: boolean;
}

const CLASS_LABELS: Record<string, string> = { no_bug: 'no bug (left unchanged)' };
const label = (name: string) => CLASS_LABELS[name] ?? name.replace(/_/g, ' ');
/** webkitdirectory is not in React's input types; it is a plain boolean attribute. */
const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

export const DataSourcePanel = memo(function DataSourcePanel({ form, onChange, data, disabled }: DataSourcePanelProps) {
  const id = useId();
  const errors = dataFormErrors(form);
  const pick = (key: 'pythonFiles' | 'jsonlFiles', extensions: string[]) => async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const { files, passedOver } = await readChosenFiles(input.files, extensions);
    onChange({ ...form, [key]: files, passedOver });
  };
  const chosen = form.kind === 'python' ? form.pythonFiles : form.kind === 'jsonl' ? form.jsonlFiles : [];
  const summary = data.summary;
  return (
    <section className="panel training-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}><span className="step-badge" aria-hidden="true">1</span>Training data</h2>
      <div className="training-fields">
        <label className="field">
          Source
          <select data-testid="train-data-source" value={form.kind} disabled={disabled} onChange={(e) => onChange({ ...form, kind: e.target.value as DataKind, passedOver: [] })}>
            {DATA_KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        {form.kind === 'builtin' && (
          <NumberField label="Functions to generate" value={form.functions} error={errors.functions} disabled={disabled} testId="data-functions" onChange={(functions) => onChange({ ...form, functions })} />
        )}
        {form.kind !== 'adapt' && <NumberField label="Validation share (%)" value={form.validationPercent} error={errors.validationPercent} disabled={disabled} testId="data-validation" onChange={(validationPercent) => onChange({ ...form, validationPercent })} />}
      </div>
      {form.kind === 'adapt' && <YourCodePicker form={form} errors={errors} disabled={disabled} onChange={onChange} />}
      {form.kind === 'python' && (
        <div className="file-pickers">
          <label className="file-picker">
            <span>Python files</span>
            <input type="file" multiple accept=".py,text/x-python" disabled={disabled} onChange={pick('pythonFiles', ['.py'])} data-testid="data-py-files" />
          </label>
          <label className="file-picker">
            <span>or a whole folder</span>
            <input type="file" multiple disabled={disabled} onChange={pick('pythonFiles', ['.py'])} data-testid="data-py-folder" {...FOLDER_PICKER} />
          </label>
          <p className="hint">Every function is extracted and a bug is injected on the fly (or none: the model must learn to leave correct code alone).</p>
        </div>
      )}
      {form.kind === 'jsonl' && (
        <div className="file-pickers">
          <label className="file-picker">
            <span>JSONL files</span>
            <input type="file" multiple accept=".jsonl,.json,.txt" disabled={disabled} onChange={pick('jsonlFiles', ['.jsonl', '.json', '.txt'])} data-testid="data-jsonl-files" />
          </label>
          <p className="hint">One object per line: <code>{'{"task": "fix" | "complete" | "generate", "input": "…", "target": "…"}'}</code>. Bad lines are listed and skipped.</p>
        </div>
      )}
      {chosen.length > 0 && <p className="small muted">{chosen.length} file{chosen.length === 1 ? '' : 's'} chosen: {chosen.slice(0, 4).map((f) => f.name).join(', ')}{chosen.length > 4 ? ', …' : ''}</p>}
      {form.passedOver.length > 0 && <p className="notice notice-warn small">Passed over: {form.passedOver.slice(0, 5).join('; ')}{form.passedOver.length > 5 ? ` and ${form.passedOver.length - 5} more` : ''}</p>}
      <DataSummaryView data={data} />
      {summary && summary.problems.length > 0 && (
        <details className="problems" open data-testid="data-problems" data-count={summary.problemCount}>
          <summary>{summary.problemCount} line{summary.problemCount === 1 ? '' : 's'} or files skipped</summary>
          <ul>
            {summary.problems.map((p) => (
              <li key={`${p.file}:${p.line}`} data-line={p.line}>
                <code>{p.file}{p.line > 0 ? `:${p.line}` : ''}</code> {p.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
});

function NumberField({ label: text, value, error, disabled, testId, onChange }: { label: string; value: string; error?: string; disabled: boolean; testId: string; onChange(v: string): void }) {
  const id = useId();
  return (
    <label className="field field-narrow">
      {text}
      <input inputMode="numeric" value={value} disabled={disabled} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} data-testid={testId} onChange={(e) => onChange(e.target.value)} />
      {error && <span id={`${id}-error`} className="field-error">{error}</span>}
    </label>
  );
}

function DataSummaryView({ data }: { data: DataState }) {
  const s = data.summary;
  return (
    <div className="data-summary" aria-live="polite" data-testid="data-summary" data-status={data.status} data-train={s?.trainExamples ?? 0} data-val={s?.valExamples ?? 0}>
      {data.status === 'preparing' && <p className="muted small">Preparing the examples…</p>}
      {data.status === 'failed' && <p className="data-error" role="alert" data-testid="data-error">{data.error}</p>}
      {data.status === 'idle' && <p className="muted small">Choose where the examples come from.</p>}
      {s && data.status !== 'failed' && (
        <>
          <p className="data-counts">
            <strong>{s.trainExamples.toLocaleString('en-US')}</strong> training examples, <strong data-testid="data-val-count">{s.valExamples.toLocaleString('en-US')}</strong> held out {s.kind === 'adapt' ? 'to measure' : 'for validation'}
            <span className="muted small"> · from {s.functions.toLocaleString('en-US')} {s.kind === 'jsonl' ? 'lines' : 'functions'}{s.duplicates > 0 ? `, ${s.duplicates} duplicates dropped` : ''}{s.notUsable > 0 ? `, ${s.notUsable} not usable` : ''} · {Math.round(s.prepareMs)} ms</span>
          </p>
          <div className="count-groups">
            <CountTable title="Per task" counts={s.byTask} />
            {Object.keys(s.byClass).length > 0 && <CountTable title="Fix examples per bug class" counts={s.byClass} testId="data-classes" />}
          </div>
          {s.adapt && <AdaptDataSummary adapt={s.adapt} />}
          {s.files.length > 0 && (
            <ul className="file-list">
              {s.files.slice(0, 12).map((f) => (
                <li key={f.name} className={f.refused ? 'file-refused' : undefined}>
                  <code>{f.name}</code> {f.refused ? <span className="tag tag-bad">refused</span> : null} <span className="muted small">{f.refused ?? `${f.items} ${s.kind === 'jsonl' ? 'lines' : 'functions'}, ${f.examples} examples`}</span>
                </li>
              ))}
              {s.files.length > 12 && <li className="muted small">and {s.files.length - 12} more files</li>}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function CountTable({ title, counts, testId }: { title: string; counts: Record<string, number>; testId?: string }) {
  const max = Math.max(1, ...Object.values(counts));
  return (
    <table className="count-table" data-testid={testId}>
      <caption>{title}</caption>
      <tbody>
        {Object.entries(counts).map(([name, n]) => (
          <tr key={name} data-name={name}>
            <th scope="row">{label(name)}</th>
            <td className="count-bar"><span style={{ width: `${(100 * n) / max}%` }} /></td>
            <td className="count-number">{n.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
