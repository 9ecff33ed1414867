// The code-fix playground: task and mode pickers, examples, the editor and Run on the left; load
// status, errors and the answer on the right; the attention map and copied tokens below.
import { useCallback, useEffect, useRef, useState } from 'react';
import { InputError, type Mode, type Task } from '../../model';
import { isAbortError, WorkerCrashError } from '../../worker/inference-client';
import type { InferenceWorker } from '../hooks/useInferenceWorker';
import { examplesFor, findExampleByCode, EXAMPLES } from '../lib/examples';
import { openedShare, reportShareProblem, updateShare } from '../lib/share-store';
import { setBusy } from '../lib/update-state';
import { AttentionMap } from './AttentionMap';
import { CodeEditor } from './CodeEditor';
import { CopyTokens } from './CopyTokens';
import { ErrorBanner, type ShownError } from './ErrorBanner';
import { LoadStatus } from './LoadStatus';
import { ResultPanel, type RunResult } from './ResultPanel';

const TASKS: { value: Task; label: string; hint: string }[] = [
  {
    value: 'fix',
    label: 'Fix bug',
    hint: 'Give a function; the model names the line with the bug and rewrites it, or says there is none.',
  },
  { value: 'complete', label: 'Complete', hint: 'Give a function up to a line break; the model writes the next line.' },
  { value: 'generate', label: 'Generate', hint: 'Give a signature and a docstring; the model writes the body.' },
];
const MODES: { value: Mode; label: string; hint: string }[] = [
  { value: 'convergent', label: 'Convergent', hint: 'Beam search for the single most likely answer.' },
  { value: 'divergent', label: 'Divergent', hint: 'Several sampled answers, ranked by the model’s probability.' },
  {
    value: 'hybrid',
    label: 'Hybrid',
    hint: 'Fix: the convergent search, with sampled answers joined; most samples agreeing can choose another edit. Otherwise: beam search first; sampled answers join when its confidence is low.',
  },
];
/** The playground's part of the link it was opened with, its unknown values reported and dropped. */
function initialFromLink(): { task: Task; mode: Mode; code: string } {
  const shared = openedShare().playground;
  const task = TASKS.find((t) => t.value === shared?.task)?.value ?? 'fix';
  const mode = MODES.find((m) => m.value === shared?.mode)?.value ?? 'convergent';
  if (shared && task !== shared.task)
    reportShareProblem(
      `The link's task "${shared.task}" is not one of ${TASKS.map((t) => t.value).join(', ')}: Fix bug is shown.`,
    );
  if (shared && mode !== shared.mode)
    reportShareProblem(
      `The link's mode "${shared.mode}" is not one of ${MODES.map((m) => m.value).join(', ')}: Convergent is shown.`,
    );
  return { task, mode, code: shared?.code ?? EXAMPLES[0]!.code };
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Playground({ worker }: { worker: InferenceWorker }) {
  const [initial] = useState(initialFromLink);
  const [task, setTask] = useState<Task>(initial.task);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [code, setCode] = useState(initial.code);
  const [seed, setSeed] = useState(0);
  const [result, setResult] = useState<RunResult | null>(null);
  const [selected, setSelected] = useState(0);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<ShownError | null>(null);
  const [answers, setAnswers] = useState(0);
  // Refused and failed runs, and the worker's tensor count after the last answer: the fuzz spec reads them.
  const [refusals, setRefusals] = useState(0);
  const [workerTensors, setWorkerTensors] = useState<number | null>(null);
  /** The run in flight: aborting it cancels the run in the worker; a new run aborts the one before. */
  const inFlight = useRef<AbortController | null>(null);
  // The link follows what is on screen.
  useEffect(() => updateShare('playground', { task, mode, code }), [task, mode, code]);
  // A new build waits while an answer is being computed.
  useEffect(() => {
    setBusy('answer', running);
    return () => setBusy('answer', false);
  }, [running]);
  const ready = worker.model.phase === 'ready';

  const run = useCallback(async () => {
    if (!ready) {
      setRunError({
        kind: 'run',
        title: 'Not ready yet',
        message: 'The model is still loading (or did not load): wait for the progress bar, or press Retry.',
      });
      return;
    }
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setRunning(true);
    setRunError(null);
    const input = code;
    try {
      const answer = await worker.run({ task, mode, code: input, seed }, controller.signal);
      if (controller.signal.aborted) return;
      setResult({ answer, input });
      setSelected(answer.chosen);
      setAnswers((n) => n + 1);
      setWorkerTensors(worker.workerTensors());
      worker.dismissNotice();
    } catch (error) {
      if (controller.signal.aborted || isAbortError(error) || error instanceof WorkerCrashError) return; // the notice covers crashes
      const message = error instanceof Error ? error.message : String(error);
      const bad = error instanceof InputError;
      setRefusals((n) => n + 1);
      setRunError({
        kind: bad ? 'input' : 'run',
        title: bad ? 'This input cannot be run' : 'The request failed',
        message: message.charAt(0).toUpperCase() + message.slice(1),
      });
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setRunning(false);
      }
    }
  }, [ready, code, task, mode, seed, worker]);

  const cancel = () => {
    inFlight.current?.abort();
    inFlight.current = null;
    setRunning(false);
  };

  const changeTask = (next: Task) => {
    setTask(next);
    // An untouched example gives way to one for the new task; the user's own code stays.
    if (findExampleByCode(code) || code.trim() === '') setCode(examplesFor(next)[0]!.code);
  };

  const loadError: ShownError | null =
    worker.model.phase === 'failed'
      ? { kind: 'load', title: 'The model did not load', message: worker.model.message }
      : null;
  const crash: ShownError | null = worker.notice
    ? { kind: 'crash', title: 'The inference worker crashed and was restarted', message: worker.notice }
    : null;
  const shown = loadError ?? runError ?? crash;
  const selectedCandidate = result?.answer.candidates[selected];
  const taskHint = TASKS.find((t) => t.value === task)!.hint;
  const modeHint =
    MODES.find((m) => m.value === mode)!.hint +
    (mode === 'convergent' && task === 'fix' ? ' Fixes are re-applied until the model finds no more bugs.' : '');

  return (
    <>
      <div className="playground">
        <section className="panel input-panel" aria-labelledby="input-title">
          <h2 id="input-title">Your code</h2>
          <div className="controls">
            <label className="field">
              <span>Task</span>
              <select data-testid="task-select" value={task} onChange={(e) => changeTask(e.target.value as Task)}>
                {TASKS.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Mode</span>
              <select data-testid="mode-select" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
                {MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            {mode !== 'convergent' ? (
              <label className="field field-narrow">
                <span>Seed</span>
                <input
                  type="number"
                  min={0}
                  step={1}
                  value={seed}
                  onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
                  data-testid="seed"
                />
              </label>
            ) : null}
          </div>
          <p className="hint">
            {taskHint} {modeHint}
          </p>
          <div
            className="examples"
            role="group"
            aria-label={`Examples for ${TASKS.find((t) => t.value === task)!.label}`}
          >
            <span className="examples-label" aria-hidden="true">
              Examples
            </span>
            {examplesFor(task).map((example) => (
              <button
                key={example.id}
                type="button"
                className={`chip ${example.code === code ? 'chip-active' : ''}`}
                aria-pressed={example.code === code}
                onClick={() => setCode(example.code)}
                data-testid={`example-${example.id}`}
              >
                {example.title}
              </button>
            ))}
          </div>
          <span id="code-label" className="sr-only">
            Python code
          </span>
          <CodeEditor value={code} onChange={setCode} onRun={run} labelledBy="code-label" describedBy="run-hint" />
          <div className="run-row">
            <button
              type="button"
              className="button-primary"
              onClick={run}
              disabled={!ready || running}
              data-testid="run"
            >
              {running ? 'Running…' : 'Run'}
            </button>
            {running ? (
              <button type="button" className="button-quiet" onClick={cancel} data-testid="cancel">
                Cancel
              </button>
            ) : null}
            <span id="run-hint" className="muted small">
              <kbd>{IS_MAC ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd> in the editor runs · <kbd>Esc</kbd> then{' '}
              <kbd>Tab</kbd> leaves it
            </span>
          </div>
        </section>
        <section
          className="panel output-panel"
          aria-labelledby="answer-title"
          aria-busy={running}
          data-testid="output"
          data-answers={answers}
          data-refusals={refusals}
          data-worker-tensors={workerTensors ?? ''}
        >
          <h2 id="answer-title">Answer</h2>
          <LoadStatus model={worker.model} backend={worker.backend} />
          {shown ? (
            <ErrorBanner
              error={shown}
              onRetry={shown.kind === 'load' ? worker.retry : undefined}
              onDismiss={
                shown.kind === 'load' ? undefined : shown === runError ? () => setRunError(null) : worker.dismissNotice
              }
            />
          ) : null}
          {result ? (
            <ResultPanel result={result} selected={selected} onSelect={setSelected} onApply={setCode} />
          ) : worker.model.phase === 'failed' ? null : (
            <p className="placeholder">
              Pick an example or type a function, then press <strong>Run</strong>.
            </p>
          )}
        </section>
      </div>
      {result && selectedCandidate ? (
        <section className="panel insight-panel" aria-labelledby="insight-title">
          <h2 id="insight-title">
            Inside the answer <span className="muted small">candidate #{selected + 1}</span>
          </h2>
          <h3 className="subhead">Output tokens, coloured by copy probability</h3>
          <CopyTokens tokens={selectedCandidate.outputTokens} copyProbability={selectedCandidate.copyProbability} />
          <h3 className="subhead">Attention: which input tokens each output token looked at</h3>
          <AttentionMap
            sourceTokens={result.answer.sourceTokens}
            outputTokens={selectedCandidate.outputTokens}
            attention={selectedCandidate.attention}
          />
          <p className="muted small">
            Token markers: L3 starts line 3, ⏎ newline, ⇥ indent, ⇤ dedent, ⟨end⟩ end of output; the first column is the
            task token.
          </p>
        </section>
      ) : null}
    </>
  );
}
