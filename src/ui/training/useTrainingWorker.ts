// Owns the training worker for the training tab: components never call postMessage. Starts the
// backend, prepares data (latest request wins), starts, pauses, resumes and stops runs, keeps each
// run's recipe in IndexedDB under the run's id (the worker stores the checkpoints there itself),
// holds the run's Web Lock while this tab trains it, lists the saved runs, and replaces the worker
// when it crashes or loses its GPU device, so the saved checkpoint can be resumed at once.
import { startTransition, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { TrainingClient } from '../../worker/training-client';
import type { DataOptions, ExportedFiles, FaultTest, MetricsDelta, ModelStart, RunSettings } from '../../worker/training-protocol';
import { createRun, deleteRun, isQuotaError, listRuns, loadRun, runName, updateStatus, type SavedRunRecipe, type SavedRunStatus } from '../../worker/checkpoint-store';
import { TEST_HOOKS } from '../../worker/test-build';
import { askPersistentStorage, claimRun, heldRunIds, storageUse, type ReleaseRun } from './run-locks';
import { TrainingKillSwitch } from './training-test-hooks';
import { sameDataOptions } from './data-options';
import { pageThreads } from '../lib/thread-budget';
import { initialTrainingState, isActive, trainingReducer, type TrainingState } from './training-state';

export interface TrainingController {
  state: TrainingState;
  prepareData(options: DataOptions): void;
  start(model: ModelStart, settings: RunSettings, data: DataOptions): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Continues a run saved in IndexedDB; `onRecipe` gets its data and settings (to show them). */
  resumeSaved(runId: string, onRecipe?: (recipe: SavedRunRecipe) => void): Promise<void>;
  discardSaved(runId: string): Promise<void>;
  /** The trained model's files (cached per step). */
  exportFiles(): Promise<ExportedFiles | null>;
  faultTest(fault: FaultTest): void;
  dismissError(): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Between a crashed worker and its replacement there is no client: a click then says so instead of doing nothing. */
const NO_WORKER = 'The training worker is starting again after a crash: try again in a moment.';
const HELD_ELSEWHERE = 'This run is training in another tab: it can be taken over here once that tab stops it or is closed.';
/** How often the list of saved runs is read again (another tab may start, end or delete one). */
const RUNS_POLL_MS = 2000;
/** Tests' build, `?train-faults`: the kill hook (training-test-hooks.ts). */
const KILL_HOOK = TEST_HOOKS && new URLSearchParams(window.location.search).has('train-faults');

export function useTrainingWorker(requestedBackend: string | null): TrainingController {
  const [state, dispatch] = useReducer(trainingReducer, initialTrainingState);
  const [generation, bumpGeneration] = useReducer((n: number) => n + 1, 0);
  const clientRef = useRef<TrainingClient | null>(null);
  const lastData = useRef<DataOptions | null>(null);
  const prepareSeq = useRef(0);
  const exported = useRef<{ step: number; files: ExportedFiles } | null>(null);
  const phaseRef = useRef(state.phase);
  useLayoutEffect(() => {
    phaseRef.current = state.phase;
  });

  // The worker throttles: chart rows come about once a second, progress up to five times.
  const takeDelta = useCallback((delta: MetricsDelta) => {
    dispatch({ type: 'progress', delta });
    const { replace, steps, evals } = delta;
    // A transition: React draws the charts in slices and lets frames and input in between.
    if (replace || steps.length > 0 || evals.length > 0) startTransition(() => dispatch({ type: 'rows', replace, steps, evals }));
  }, []);

  /** The run this tab trains and the release of its lock (held from its start until it is no longer training). */
  const runIdRef = useRef<string | null>(null);
  const releaseRef = useRef<{ runId: string; release: ReleaseRun } | null>(null);
  const letRunGo = useCallback(() => {
    releaseRef.current?.release();
    releaseRef.current = null;
  }, []);
  const setStatus = useCallback((status: SavedRunStatus) => {
    const runId = runIdRef.current;
    return runId ? updateStatus(runId, status).catch(() => undefined) : Promise.resolve();
  }, []);

  const refreshSaved = useCallback(() => {
    Promise.all([listRuns(), heldRunIds(), storageUse().catch(() => null)]).then(
      ([runs, held, storage]) => {
        const own = releaseRef.current?.runId;
        dispatch({ type: 'runs', saved: { runs, heldElsewhere: [...held].filter((id) => id !== own), storage } });
      },
      () => dispatch({ type: 'runs', saved: { runs: [], heldElsewhere: [], storage: null } }),
    );
  }, []);

  const [killSwitch] = useState(() => (TEST_HOOKS && KILL_HOOK ? new TrainingKillSwitch() : null));
  useEffect(() => {
    if (!TEST_HOOKS || !killSwitch) return;
    window.__trainingTest = killSwitch;
    return () => void delete window.__trainingTest;
  }, [killSwitch]);

  /** The latest prepare asked of a worker: the worker's data is for these options once it settles. */
  const preparing = useRef<{ client: TrainingClient; options: DataOptions; promise: Promise<void>; settled: boolean } | null>(null);
  const runPrepare = useCallback((client: TrainingClient, options: DataOptions) => {
    const seq = ++prepareSeq.current;
    dispatch({ type: 'data-preparing', options });
    const entry = { client, options, promise: Promise.resolve(), settled: false };
    entry.promise = client.prepareData(options).then(
      (summary) => {
        entry.settled = true;
        if (seq === prepareSeq.current) dispatch({ type: 'data-ready', summary });
      },
      (error: unknown) => {
        entry.settled = true;
        if (seq === prepareSeq.current && !client.isDead) dispatch({ type: 'data-failed', message: message(error) });
        throw error;
      },
    );
    preparing.current = entry;
    return entry.promise;
  }, []);

  /** Set by the worker effect: settles when the current worker's backend is up (or failed). */
  const backendReady = useRef<{ promise: Promise<unknown>; settled: boolean }>({ promise: new Promise(() => undefined), settled: false });

  /**
   * What a start waits for before it goes to the worker: the backend, then the data prepared for
   * exactly `data`. A click never depends on the debounced prepare having run, and the page
   * says what it waits for meanwhile. False (and the reason shown) when the run cannot start.
   */
  const readyFor = useCallback(async (client: TrainingClient, data: DataOptions): Promise<boolean> => {
    try {
      const backend = backendReady.current;
      if (!backend.settled) dispatch({ type: 'start-waiting', waitingFor: 'backend' });
      await backend.promise.catch((error: unknown) => {
        throw new Error(`the training worker has no backend: ${message(error)}`);
      });
      const latest = preparing.current;
      const prepared = latest && latest.client === client && sameDataOptions(latest.options, data) ? latest : null;
      if (!prepared?.settled) dispatch({ type: 'start-waiting', waitingFor: 'data' });
      await (prepared ? prepared.promise : runPrepare(client, data)).catch((error: unknown) => {
        throw new Error(`the training data could not be prepared: ${message(error)}`);
      });
      dispatch({ type: 'start-waiting', waitingFor: null });
      return true;
    } catch (error) {
      if (!client.isDead) dispatch({ type: 'start-failed', message: message(error) });
      return false;
    }
  }, [runPrepare]);

  useEffect(() => {
    let live = true;
    const client = new TrainingClient({
      onMetrics: (delta) => live && takeDelta(delta),
      onState: (runState, step) => {
        if (!live) return;
        dispatch({ type: 'run-state', state: runState, step });
        void setStatus(runState);
      },
      onCheckpoint: (step, savedAt) => {
        if (!live) return;
        killSwitch?.checkpointCommitted(step);
        dispatch({ type: 'checkpoint-saved', step, savedAt });
        refreshSaved();
      },
      onCheckpointOpen: (step) => live && killSwitch?.checkpointOpen(step),
      onCheckpointFailed: (step, quota, reason) => live && dispatch({
        type: 'warning',
        key: 'checkpoint-storage',
        message: quota
          ? `Storage is full: the checkpoint at step ${step} was not saved. Training goes on; free some space, or download the weights when the run ends.`
          : `The checkpoint at step ${step} was not saved (${reason}). Training goes on.`,
      }),
      onWarning: (text) => live && dispatch({ type: 'warning', message: text }),
      onEnded: (reason, step) => {
        if (!live) return;
        exported.current = null;
        dispatch({ type: 'ended', reason, step });
        void setStatus(reason === 'finished' || reason === 'early-stopped' ? 'finished' : 'stopped').then(letRunGo).then(refreshSaved);
      },
      onFailed: (error, nonFinite, lastCheckpointStep) => {
        if (!live) return;
        dispatch({ type: 'failed', message: error.message, nonFinite, lastCheckpointStep });
        void setStatus('failed').then(letRunGo).then(refreshSaved);
      },
      onCrash: (reason) => {
        if (!live) return;
        const wasTraining = isActive(phaseRef.current);
        dispatch({ type: wasTraining ? 'crashed' : 'warning', message: wasTraining ? reason : `${reason}; a new worker was started` });
        void (wasTraining ? setStatus('crashed').then(letRunGo) : Promise.resolve()).then(refreshSaved);
        bumpGeneration(); // a fresh worker, ready to resume from the checkpoint
      },
    });
    clientRef.current = client;
    killSwitch?.attach(client);
    dispatch({ type: 'backend', backend: { status: 'starting' } });
    const backend = { promise: client.init(requestedBackend, pageThreads('training', location.search, navigator.hardwareConcurrency)), settled: false };
    backendReady.current = backend;
    backend.promise.then(
      (report) => {
        backend.settled = true;
        if (live) dispatch({ type: 'backend', backend: { status: 'ready', report } });
      },
      (error: unknown) => {
        backend.settled = true;
        if (live) dispatch({ type: 'backend', backend: { status: 'failed', message: message(error) } });
      },
    );
    // A replaced worker has no data yet: prepare the last choice again.
    if (lastData.current) runPrepare(client, lastData.current).catch(() => undefined);
    return () => {
      live = false;
      if (clientRef.current === client) clientRef.current = null;
      client.dispose();
    };
  }, [requestedBackend, generation, runPrepare, refreshSaved, takeDelta, setStatus, letRunGo, killSwitch]);

  useEffect(() => {
    refreshSaved();
    const timer = setInterval(refreshSaved, RUNS_POLL_MS);
    return () => clearInterval(timer);
  }, [refreshSaved]);
  // The page going lets its locks go by itself; a remount (a new backend) lets them go here.
  useEffect(() => letRunGo, [letRunGo]);

  const prepareData = useCallback((options: DataOptions) => {
    lastData.current = options;
    const client = clientRef.current;
    if (client && !isActive(phaseRef.current)) runPrepare(client, options).catch(() => undefined);
  }, [runPrepare]);

  /** The run goes to the worker; one that does not start lets its lock go (and a new one is not kept). */
  const launch = useCallback(async (client: TrainingClient, runId: string, model: ModelStart, settings: RunSettings, resume: boolean) => {
    try {
      const info = await client.start({ runId, model, settings, resume });
      dispatch({ type: 'started', info });
    } catch (error) {
      if (client.isDead) return;
      dispatch({ type: 'start-failed', message: message(error) });
      await (resume ? updateStatus(runId, 'failed') : deleteRun(runId)).catch(() => undefined);
      letRunGo();
    }
    refreshSaved();
  }, [letRunGo, refreshSaved]);

  const start = useCallback(async (model: ModelStart, settings: RunSettings, data: DataOptions) => {
    const client = clientRef.current;
    if (!client) return void dispatch({ type: 'command-failed', message: NO_WORKER });
    exported.current = null;
    lastData.current = data;
    letRunGo();
    const runId = crypto.randomUUID();
    const release = await claimRun(runId);
    if (release) releaseRef.current = { runId, release };
    runIdRef.current = runId;
    dispatch({ type: 'starting', runId });
    askPersistentStorage();
    const site = model.kind === 'shipped' ? new URL(model.modelsUrl).origin : null;
    const origin =
      model.kind === 'scratch'
        ? `${model.preset} preset, from scratch`
        : site === window.location.origin
          ? 'the shipped model'
          : `the model from ${site}`;
    const now = Date.now();
    try {
      // A new run joins the saved ones; its recipe (with the data) is what a resume needs.
      await createRun({ id: runId, name: runName(origin, data), createdAt: now, updatedAt: now, status: 'running', data, model, settings, origin, totalSteps: 0 });
    } catch (error) {
      dispatch({ type: 'warning', message: `This run cannot be resumed after a reload: its data was not saved (${isQuotaError(error) ? 'storage is full' : message(error)}).` });
    }
    if (await readyFor(client, data)) await launch(client, runId, model, settings, false);
    else letRunGo();
  }, [launch, readyFor, letRunGo]);

  const resumeSaved = useCallback(async (runId: string, onRecipe?: (recipe: SavedRunRecipe) => void) => {
    const client = clientRef.current;
    if (!client) return void dispatch({ type: 'command-failed', message: NO_WORKER });
    exported.current = null;
    letRunGo();
    const release = await claimRun(runId);
    if (!release) {
      dispatch({ type: 'command-failed', message: HELD_ELSEWHERE });
      refreshSaved();
      return;
    }
    releaseRef.current = { runId, release };
    let saved;
    try {
      saved = await loadRun(runId);
    } catch (error) {
      letRunGo();
      dispatch({ type: 'command-failed', message: `The saved run could not be read: ${message(error)}` });
      return;
    }
    if (!saved?.checkpoint) {
      letRunGo();
      const missing = saved?.checkpointMissing ? 'Its checkpoint is missing: the browser cleared it to free space.' : 'No checkpoint of it is saved.';
      dispatch({ type: 'command-failed', message: `This run cannot be resumed. ${missing} Start a new run.` });
      refreshSaved();
      return;
    }
    onRecipe?.(saved.recipe);
    lastData.current = saved.recipe.data;
    runIdRef.current = runId;
    dispatch({ type: 'starting', runId });
    askPersistentStorage();
    if (!(await readyFor(client, saved.recipe.data))) return letRunGo();
    await updateStatus(runId, 'running').catch(() => undefined);
    await launch(client, runId, saved.recipe.model, saved.recipe.settings, true);
  }, [launch, readyFor, letRunGo, refreshSaved]);

  const discardSaved = useCallback(async (runId: string) => {
    const release = await claimRun(runId);
    if (!release) return void dispatch({ type: 'command-failed', message: HELD_ELSEWHERE });
    await deleteRun(runId).catch(() => undefined);
    release();
    refreshSaved();
  }, [refreshSaved]);

  const command = useCallback((run: (client: TrainingClient) => Promise<void>) => {
    const client = clientRef.current;
    if (!client) return void dispatch({ type: 'command-failed', message: NO_WORKER });
    run(client).catch((error: unknown) => !client.isDead && dispatch({ type: 'command-failed', message: message(error) }));
  }, []);

  const pause = useCallback(() => {
    dispatch({ type: 'pausing' });
    command((c) => c.pause());
  }, [command]);
  const resume = useCallback(() => command((c) => c.resume()), [command]);
  const stop = useCallback(() => {
    dispatch({ type: 'stopping' });
    command((c) => c.stop());
  }, [command]);
  const faultTest = useCallback((fault: FaultTest) => command((c) => c.faultTest(fault)), [command]);
  const dismissError = useCallback(() => dispatch({ type: 'dismiss-error' }), []);

  const stepRef = useRef(0);
  useLayoutEffect(() => {
    stepRef.current = state.progress?.step ?? 0;
  });
  const exportFiles = useCallback(async () => {
    const client = clientRef.current;
    if (!client) {
      dispatch({ type: 'command-failed', message: NO_WORKER });
      return null;
    }
    if (exported.current && exported.current.step === stepRef.current) return exported.current.files;
    try {
      const files = await client.exportFiles();
      exported.current = { step: files.step, files };
      return files;
    } catch (error) {
      dispatch({ type: 'command-failed', message: `The model could not be exported: ${message(error)}` });
      return null;
    }
  }, []);

  return { state, prepareData, start, pause, resume, stop, resumeSaved, discardSaved, exportFiles, faultTest, dismissError };
}
