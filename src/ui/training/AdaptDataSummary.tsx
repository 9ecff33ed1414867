// What the worker made of "your code": the split by file (both lists), the held-out examples per
// class, and every skipped file counted by reason, the first ones by name.
import { SKIP_REASON_WORDS, type SkipReason } from '../../data/adapt-files';
import type { AdaptSummary } from '../../worker/training-protocol';

/** File names shown per list before "and N more". */
const SHOWN_FILES = 20;

function FileList({ title, files, testId }: { title: string; files: readonly string[]; testId: string }) {
  return (
    <details className="adapt-files" data-testid={testId} data-count={files.length}>
      <summary>{title}: {files.length.toLocaleString('en-US')} file{files.length === 1 ? '' : 's'}</summary>
      <ul className="file-list">
        {files.slice(0, SHOWN_FILES).map((f) => <li key={f}><code>{f}</code></li>)}
        {files.length > SHOWN_FILES && <li className="muted small">and {files.length - SHOWN_FILES} more</li>}
      </ul>
    </details>
  );
}

export function AdaptDataSummary({ adapt }: { adapt: AdaptSummary }) {
  const reasons = (Object.keys(adapt.skipped) as SkipReason[]).filter((r) => adapt.skipped[r] > 0);
  const skippedTotal = reasons.reduce((sum, r) => sum + adapt.skipped[r], 0);
  return (
    <div className="adapt-summary" data-testid="adapt-summary" data-train-files={adapt.trainFiles.length} data-heldout-files={adapt.heldoutFiles.length} data-skipped={skippedTotal}>
      <p className="small">
        Split by file: <strong>{adapt.trainFiles.length}</strong> to fine-tune on ({adapt.functions.train} functions), <strong>{adapt.heldoutFiles.length}</strong> held out ({adapt.functions.heldout} functions
        {adapt.functions.heldoutDuplicates > 0 ? `; ${adapt.functions.heldoutDuplicates} left out as copies of training code` : ''})
        {adapt.filesWithoutFunctions.length > 0 ? `; ${adapt.filesWithoutFunctions.length} files hold no function the model can read` : ''}.
      </p>
      <FileList title="Fine-tuned on" files={adapt.trainFiles} testId="adapt-train-files" />
      <FileList title="Held out" files={adapt.heldoutFiles} testId="adapt-heldout-files" />
      <table className="count-table" data-testid="adapt-heldout-classes">
        <caption>Held-out examples per class</caption>
        <tbody>
          {Object.entries(adapt.heldoutByClass).map(([name, n]) => (
            <tr key={name} data-name={name}>
              <th scope="row">{name.replace(/_/g, ' ')}</th>
              <td className="count-number">{n.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="problems" data-testid="adapt-skipped" data-count={skippedTotal} open={skippedTotal > 0}>
        <summary>
          {skippedTotal === 0 ? 'No .py file skipped' : `${skippedTotal.toLocaleString('en-US')} .py file${skippedTotal === 1 ? '' : 's'} skipped`}
          {adapt.notPython > 0 ? `, ${adapt.notPython.toLocaleString('en-US')} other files not read` : ''}
          {adapt.skippedFolders.length > 0 ? `, ${adapt.skippedFolders.length} folders not entered` : ''}
        </summary>
        <ul>
          {reasons.map((r) => <li key={r} data-reason={r} data-count={adapt.skipped[r]}>{adapt.skipped[r].toLocaleString('en-US')} {SKIP_REASON_WORDS[r]}</li>)}
          {adapt.skippedFiles.slice(0, SHOWN_FILES).map((f) => <li key={f.path} className="small"><code>{f.path}</code> <span className="muted">{SKIP_REASON_WORDS[f.reason]}</span></li>)}
        </ul>
      </details>
    </div>
  );
}
