// The training tab: fine-tune the model in a Web Worker on the built-in generator, .py files,
// JSONL pairs or "your code" (measured per class before and while it adapts); live charts;
// checkpoints in IndexedDB that survive a reload; downloads and "use in playground". All worker
// traffic goes through useTrainingWorker.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ModelFiles } from '../../model';
import type { DataOptions, ModelStart } from '../../worker/training-protocol';
import { BackendBadge } from '../components/BackendBadge';
import { openedShare, reportShareProblem, updateShare } from '../lib/share-store';
import { setBusy } from '../lib/update-state';
import { sameDataOptions } from './data-options';
import { dataOptionsFrom, DATA_KINDS, INITIAL_DATA_FORM, type DataForm } from './data-form';
import { DataSourcePanel } from './DataSourcePanel';
import { ExportPanel } from './ExportPanel';
import { RunPanel } from './RunPanel';
import { SavedRuns } from './SavedRuns';
import { defaultSettings, formFromSettings, maxTokensFor, MODEL_CHOICES, validateSettings, type ModelChoice, type SettingsField, type SettingsForm } from './settings-form';
import { SettingsPanel } from './SettingsPanel';
import { TrainingCharts } from './TrainingCharts';
import { isActive, type TrainingState } from './training-state';
import { useTrainingWorker } from './useTrainingWorker';
import { TEST_HOOKS } from '../../worker/test-build';
import { modelSource } from '../lib/model-origin';
import './training.css';

const query = new URLSearchParams(window.location.search);
const requestedBackend = query.get('backend')?.trim().toLowerCase() || null;
/** Shows buttons that poison the weights or crash the worker, for the end-to-end tests (the tests' build only). */
const faultTests = TEST_HOOKS && query.has('train-faults');
/** Data order, splits, injected bugs and initial weights all derive from it. */
const SEED = 42;

/** The shipped model's folder is the playground's: `?models=` only once its origin was allowed. */
function modelStart(choice: ModelChoice): ModelStart {
  const source = modelSource();
  const modelsUrl = source.decision === 'allowed' ? source.requestedUrl : source.ownUrl;
  return choice === 'shipped' ? { kind: 'shipped', modelsUrl } : { kind: 'scratch', preset: choice };
}

function formFromData(options: DataOptions): DataForm {
  const s = options.source;
  return {
    ...INITIAL_DATA_FORM,
    kind: s.kind,
    functions: s.kind === 'builtin' ? String(s.functions) : INITIAL_DATA_FORM.functions,
    validationPercent: String(options.validationPercent),
    pythonFiles: s.kind === 'python' ? s.files : [],
    jsonlFiles: s.kind === 'jsonl' ? s.files : [],
    code: s.kind === 'adapt' ? { files: s.files, where: s.where, listed: s.listed, skipped: s.skipped, skippedFolders: s.skippedFolders, notPython: s.notPython } : null,
    perClass: s.kind === 'adapt' ? String(s.perClass) : INITIAL_DATA_FORM.perClass,
  };
}

/**
 * The Train tab's part of the link it was opened with: model, settings (as typed, checked like
 * typed ones) and the data source's kind; a file-based kind comes back without its files.
 */
function initialFromLink(): { choice: ModelChoice; settings: SettingsForm; data: DataForm } {
  const shared = openedShare().train;
  const choice = MODEL_CHOICES.find((c) => c.value === shared?.choice)?.value ?? 'shipped';
  if (shared && choice !== shared.choice) reportShareProblem(`The link's model "${shared.choice}" is not one of ${MODEL_CHOICES.map((c) => c.value).join(', ')}: the shipped model is chosen.`);
  const settings = defaultSettings(choice);
  for (const field of Object.keys(settings) as SettingsField[]) {
    const value = shared?.settings[field];
    if (typeof value === 'string') settings[field] = value;
  }
  const kind = DATA_KINDS.find((k) => k.value === shared?.data.kind)?.value ?? 'builtin';
  if (shared && kind !== shared.data.kind) reportShareProblem(`The link's data source "${shared.data.kind}" is not one of ${DATA_KINDS.map((k) => k.value).join(', ')}: the built-in generator is chosen.`);
  if (shared && kind !== 'builtin') reportShareProblem('The link chose your own files as training data; links never carry files: pick them again in step 1.');
  const data: DataForm = shared
    ? { ...INITIAL_DATA_FORM, kind, functions: shared.data.functions, validationPercent: shared.data.validationPercent }
    : INITIAL_DATA_FORM;
  return { choice, settings, data };
}

/** Why Start cannot be pressed: something only the user can change. */
function startBlocker(state: TrainingState, dataOptions: DataOptions | null, settingsValid: boolean): string | null {
  if (isActive(state.phase)) return null;
  if (state.backend.status === 'failed') return `The training worker has no backend: ${state.backend.message}`;
  if (!dataOptions) return 'Choose the training data in step 1.';
  if (state.data.status === 'failed' && sameDataOptions(state.data.options, dataOptions)) return 'The training data has a problem: see step 1.';
  if (!settingsValid) return 'Fix the settings marked in step 2.';
  return null;
}

/** What a press of Start would wait for first (it starts the run once that is done), or null. */
function startWait(state: TrainingState, dataOptions: DataOptions | null): string | null {
  if (isActive(state.phase)) return null;
  if (state.backend.status === 'starting') return 'The training worker is still starting its TensorFlow.js backend: Start now, and the run begins as soon as it is ready.';
  if (state.data.status !== 'ready' || !sameDataOptions(state.data.options, dataOptions)) return 'The training data is being prepared: Start now, and the run begins as soon as it is ready.';
  return null;
}

export function TrainingDashboard({ onUseInPlayground }: { onUseInPlayground(files: ModelFiles): void }) {
  const controller = useTrainingWorker(requestedBackend);
  const { state } = controller;
  const [initial] = useState(initialFromLink);
  const [dataForm, setDataForm] = useState<DataForm>(initial.data);
  const [choice, setChoice] = useState<ModelChoice>(initial.choice);
  const [settingsForm, setSettingsForm] = useState(initial.settings);
  // The link follows the form (never the files in it).
  useEffect(() => updateShare('train', {
    choice,
    settings: { ...settingsForm },
    data: { kind: dataForm.kind, functions: dataForm.functions, validationPercent: dataForm.validationPercent },
  }), [choice, settingsForm, dataForm.kind, dataForm.functions, dataForm.validationPercent]);
  const active = isActive(state.phase);
  // A new build waits while the run trains; paused or ended, the page may offer it.
  const trains = active && state.phase !== 'paused';
  useEffect(() => {
    setBusy('training', trains);
    return () => setBusy('training', false);
  }, [trains]);
  const activeRef = useRef(active);
  useLayoutEffect(() => {
    activeRef.current = active;
  });

  const dataOptions = useMemo(() => dataOptionsFrom(dataForm, SEED, maxTokensFor(choice)), [dataForm, choice]);
  const { prepareData, start, resumeSaved } = controller;
  useEffect(() => {
    if (!dataOptions) return;
    // Debounced, and never during a run (the form is locked then; a resumed run prepares its own).
    const timer = setTimeout(() => !activeRef.current && prepareData(dataOptions), 250);
    return () => clearTimeout(timer);
  }, [dataOptions, prepareData]);

  const validated = useMemo(() => validateSettings(settingsForm, SEED), [settingsForm]);
  const blocker = startBlocker(state, dataOptions, validated.settings !== null);
  const wait = blocker ? null : startWait(state, dataOptions);

  const onChoice = useCallback((next: ModelChoice) => {
    setChoice(next);
    setSettingsForm(defaultSettings(next));
  }, []);
  const onField = useCallback((field: SettingsField, value: string) => setSettingsForm((f) => ({ ...f, [field]: value })), []);
  const onStart = useCallback(() => {
    if (validated.settings && dataOptions) start(modelStart(choice), validated.settings, dataOptions);
  }, [start, validated.settings, dataOptions, choice]);
  const onResumeSaved = useCallback((runId: string) => {
    resumeSaved(runId, (recipe) => {
      setDataForm(formFromData(recipe.data));
      setChoice(recipe.model.kind === 'shipped' ? 'shipped' : recipe.model.preset);
      setSettingsForm(formFromSettings(recipe.settings));
    });
  }, [resumeSaved]);

  const exportBlocker = !state.run
    ? 'Train a model first: the files appear here when the run is paused or has ended.'
    : state.phase === 'paused' || state.phase === 'ended'
      ? null
      : state.phase === 'failed' || state.phase === 'crashed'
        ? 'Resume from the last checkpoint first (above).'
        : 'Available when the run is paused or has ended.';

  return (
    <div className="training" data-testid="training-dashboard">
      <div className="training-intro">
        <div>
          <h2 className="training-title">Fine-tune in your browser</h2>
          <p className="muted">The same training loop as the command line, in a Web Worker: the page stays responsive, checkpoints are kept in this browser, and the result loads into the playground or downloads as the model files.</p>
        </div>
        <BackendBadge state={state.backend} testId="train-backend" label="Training runs on" />
      </div>
      {state.error && (
        <div className={`error-banner error-${state.error.kind === 'crash' ? 'crash' : 'run'}`} role="alert" data-testid="train-error" data-kind={state.error.kind}>
          <div className="error-text">
            <strong>{state.error.title}</strong>
            <p>{state.error.message}</p>
          </div>
          <div className="error-actions">
            <button type="button" className="button-quiet" onClick={controller.dismissError} aria-label="Dismiss this message">Dismiss</button>
          </div>
        </div>
      )}
      <SavedRuns runs={state.runs} heldElsewhere={state.heldElsewhere} storage={state.storage} activeRunId={active ? state.runId : null} onResume={onResumeSaved} onDelete={controller.discardSaved} />
      <div className="training-setup">
        <DataSourcePanel form={dataForm} onChange={setDataForm} data={state.data} disabled={active} />
        <SettingsPanel choice={choice} onChoice={onChoice} form={settingsForm} onField={onField} errors={validated.errors} disabled={active} />
      </div>
      <RunPanel state={state} startBlocker={blocker} startWait={wait} onStart={onStart} onPause={controller.pause} onResume={controller.resume} onStop={controller.stop} />
      <section className="panel training-panel" aria-labelledby="train-charts-title">
        <h2 id="train-charts-title">Live charts</h2>
        <TrainingCharts
          stepRows={state.stepRows}
          evalRows={state.evalRows}
          evalInterval={state.run?.settings.evalIntervalSteps ?? null}
          evalShareBudget={state.run?.settings.evalShare ?? null}
          adapt={state.data.summary?.kind === 'adapt' || dataForm.kind === 'adapt'}
          measuring={state.measuring}
        />
      </section>
      <ExportPanel blocker={exportBlocker} exportFiles={controller.exportFiles} onUseInPlayground={onUseInPlayground} />
      {/* TEST_HOOKS again here: the minifier drops the section only where the constant itself is read. */}
      {TEST_HOOKS && faultTests && (
        <section className="panel training-panel" aria-label="Fault tests">
          <h2>Fault tests</h2>
          <div className="export-actions">
            <button type="button" className="button-quiet" data-testid="train-fault-nan" disabled={!active} onClick={() => controller.faultTest('nan')}>Make the weights NaN</button>
            <button type="button" className="button-quiet" data-testid="train-fault-crash" disabled={!active} onClick={() => controller.faultTest('crash')}>Crash the worker</button>
            <button type="button" className="button-quiet" data-testid="train-fault-device" disabled={!active} onClick={() => controller.faultTest('lose-device')}>Lose the GPU device</button>
          </div>
        </section>
      )}
    </div>
  );
}
