// "Your code", step 1: a folder (the File System Access API's picker where the browser has it, a
// folder upload otherwise) or .py files, read in the page and handed to the worker, which splits
// and measures them. What the page skipped before reading is counted here; the worker's summary
// (AdaptDataSummary) lists the split and everything skipped.
import { useId, useState, type ChangeEvent } from 'react';
import { describeSkipped } from '../../data/adapt-files';
import type { ChosenCode, DataForm, DataFormErrors } from './data-form';
import { directoryPicker, readDirectory, readFileList } from './your-code';

/** webkitdirectory is not in React's input types; it is a plain boolean attribute. */
const FOLDER_UPLOAD = { webkitdirectory: '', directory: '' } as Record<string, string>;

interface YourCodePickerProps {
  form: DataForm;
  errors: DataFormErrors;
  disabled: boolean;
  onChange(next: DataForm): void;
}

export function YourCodePicker({ form, errors, disabled, onChange }: YourCodePickerProps) {
  const id = useId();
  const [reading, setReading] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const picker = directoryPicker();
  const take = async (read: () => Promise<ChosenCode>) => {
    setFailure(null);
    try {
      onChange({ ...form, code: await read() });
    } catch (error) {
      // The user closed the picker: nothing changes.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setFailure(`The files could not be read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setReading(null);
    }
  };
  const progress = (read: number, total: number) => setReading(`Reading ${read.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} Python files…`);
  const fromInput = (event: ChangeEvent<HTMLInputElement>) => {
    const list = event.currentTarget.files;
    setReading('Listing the files…');
    void take(() => readFileList(list, progress));
  };
  const fromPicker = () => {
    if (!picker) return;
    void take(async () => {
      const root = await picker({ mode: 'read' });
      setReading('Listing the folder…');
      return readDirectory(root, progress, (n) => setReading(`Listing the folder: ${n.toLocaleString('en-US')} files…`));
    });
  };
  const code = form.code;
  return (
    <div className="file-pickers your-code" data-testid="your-code">
      {picker ? (
        <button type="button" className="button-quiet" disabled={disabled || reading !== null} onClick={fromPicker} data-testid="your-code-folder-button">
          Choose a folder…
        </button>
      ) : (
        <label className="file-picker">
          <span>A folder of your Python</span>
          <input type="file" multiple disabled={disabled || reading !== null} onChange={fromInput} data-testid="your-code-folder" {...FOLDER_UPLOAD} />
        </label>
      )}
      <label className="file-picker">
        <span>or .py files</span>
        <input type="file" multiple accept=".py,text/x-python" disabled={disabled || reading !== null} onChange={fromInput} data-testid="your-code-files" />
      </label>
      <label className="field field-narrow">
        Held-out examples per class
        <input inputMode="numeric" value={form.perClass} disabled={disabled} aria-invalid={errors.perClass ? true : undefined} aria-describedby={errors.perClass ? `${id}-per-class-error` : undefined} data-testid="your-code-per-class" onChange={(e) => onChange({ ...form, perClass: e.target.value })} />
        {errors.perClass && <span id={`${id}-per-class-error`} className="field-error">{errors.perClass}</span>}
      </label>
      <p className="hint">
        Your files stay in this browser. 20% of the files are held out (seeded, by file): the model is measured on them before and while it fine-tunes on the rest, per bug class, with 95% intervals.
        Hidden folders, .venv, venv, site-packages, node_modules, __pycache__, build and dist are skipped, and so are files over 1 MB and those past the first 5,000.
      </p>
      {reading && <p className="muted small" role="status" data-testid="your-code-reading">{reading}</p>}
      {failure && <p className="data-error" role="alert">{failure}</p>}
      {code && (
        <p className="small" data-testid="your-code-chosen" data-read={code.files.length} data-listed={code.listed} data-skipped={code.skipped.length} data-skipped-folders={code.skippedFolders.length}>
          <strong>{code.where}</strong>: {code.listed.toLocaleString('en-US')} files looked at, {code.files.length.toLocaleString('en-US')} Python files read
          {code.notPython > 0 ? `, ${code.notPython.toLocaleString('en-US')} not Python` : ''}; skipped before reading: {describeSkipped(code.skipped)}
          {code.skippedFolders.length > 0 ? `; folders not entered: ${code.skippedFolders.slice(0, 5).join(', ')}${code.skippedFolders.length > 5 ? ` and ${code.skippedFolders.length - 5} more` : ''}` : ''}.
        </p>
      )}
    </div>
  );
}
