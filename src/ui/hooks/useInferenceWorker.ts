// Owns the inference worker for the component tree: components never call postMessage. Starts the
// backend, loads the model with progress, restarts the worker when it crashes or loses its GPU
// device (the page says so; everything the user typed stays), and serves runs one at a time.
// Model files given by the page (the Train tab's, or picked by the user) replace the shipped ones,
// also across restarts, until "reload model" goes back to the shipped model.
import type { ModelFiles, Answer, RunRequest } from '../../model';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendReport } from '../../platform/shared/select';
import { InferenceClient } from '../../worker/inference-client';
import type { WorkerFault } from '../../worker/device-faults';
import type { LoadProgress, LoadReport } from '../../worker/protocol';
import { pageThreads } from '../lib/thread-budget';

export type BackendState =
  { status: 'starting' } | { status: 'ready'; report: BackendReport } | { status: 'failed'; message: string };

export type ModelState =
  | { phase: 'starting' }
  | { phase: 'loading'; progress: LoadProgress | null }
  | { phase: 'ready'; report: LoadReport }
  | { phase: 'failed'; name: string; message: string };

export interface InferenceWorker {
  backend: BackendState;
  model: ModelState;
  /** Something the user should know that is not an answer: the worker crashed and was restarted. */
  notice: string | null;
  /** How many times the worker was restarted after a crash. */
  restarts: number;
  /** Aborting `signal` cancels the run, in the worker too; it then rejects with an AbortError. */
  run(request: RunRequest, signal?: AbortSignal): Promise<Answer>;
  /** tf.memory().numTensors in the worker after the last answer (null before one). */
  workerTensors(): number | null;
  /** Starts a new worker and loads the model again (after a load error). */
  retry(): void;
  /** Drops the cached model files and downloads them again (back to the shipped model). */
  reloadModel(): void;
  /** Loads model files given by the page (the Train tab's "use in playground") in a new worker. */
  loadModelFiles(files: ModelFiles, label: string): void;
  /**
   * Loads model files in the running worker; rejects with the loader's error and keeps the model
   * that was running when they do not load (the person picked the wrong files).
   */
  openModelFiles(files: ModelFiles, label: string): Promise<void>;
  /** Where the running model's files came from: null for the shipped model (modelsUrl). */
  source: string | null;
  dismissNotice(): void;
  /** Test hooks (?crash-test): the worker throws an uncaught error, or loses its GPU device. */
  faultForTest(fault: WorkerFault): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `modelsUrl` null: the worker starts its backend and loads nothing until a folder is given. */
export function useInferenceWorker(requested: string | null, modelsUrl: string | null): InferenceWorker {
  const [backend, setBackend] = useState<BackendState>({ status: 'starting' });
  const [model, setModel] = useState<ModelState>({ phase: 'starting' });
  const [notice, setNotice] = useState<string | null>(null);
  const [restarts, setRestarts] = useState(0);
  // Bumped to replace the worker (crash, retry, reload); `refresh` says whether to skip the cache.
  const [generation, setGeneration] = useState<{ count: number; refresh: boolean }>({ count: 0, refresh: false });
  // Model files given by the page, loaded instead of the shipped ones (and again after a crash).
  const given = useRef<{ files: ModelFiles; label: string } | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const clientRef = useRef<InferenceClient | null>(null);

  useEffect(() => {
    let live = true;
    // A literal path, so that Vite finds and emits the worker.
    const worker = new Worker(new URL('../../worker/inference.worker.ts', import.meta.url), {
      type: 'module',
      name: 'inference',
    });
    const client = new InferenceClient(worker, {
      onCrash: (reason) => {
        if (!live) return;
        setNotice(
          `${reason.charAt(0).toUpperCase()}${reason.slice(1)}. The worker was restarted and the model is loading again; your code is kept.`,
        );
        setRestarts((n) => n + 1);
        setGeneration((g) => ({ count: g.count + 1, refresh: false }));
      },
    });
    clientRef.current = client;
    // A new worker starts from nothing: the reset belongs with the effect that replaces the worker.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBackend({ status: 'starting' });
    setModel({ phase: 'starting' });
    (async () => {
      let report: BackendReport;
      try {
        report = await client.init(
          requested,
          null,
          pageThreads('inference', location.search, navigator.hardwareConcurrency),
        );
      } catch (error) {
        if (!live) return;
        setBackend({ status: 'failed', message: message(error) });
        setModel({ phase: 'failed', name: 'BackendError', message: message(error) });
        return;
      }
      if (!live) return;
      setBackend({ status: 'ready', report });
      if (modelsUrl === null) return; // the person has not said yet where the model may come from
      setModel({ phase: 'loading', progress: null });
      try {
        const files = given.current;
        const loaded = await client.load(
          { modelsUrl, refresh: generation.refresh, files: files?.files ?? null },
          (progress) => {
            if (live) setModel({ phase: 'loading', progress });
          },
        );
        if (live) {
          setModel({ phase: 'ready', report: loaded });
          setSource(files?.label ?? null);
        }
      } catch (error) {
        // A crash during load is reported by onCrash, which starts the next worker.
        if (live && !client.isDead)
          setModel({ phase: 'failed', name: error instanceof Error ? error.name : 'Error', message: message(error) });
      }
    })();
    return () => {
      live = false;
      if (clientRef.current === client) clientRef.current = null;
      client.dispose();
    };
  }, [requested, modelsUrl, generation]);

  const run = useCallback(async (request: RunRequest, signal?: AbortSignal) => {
    const client = clientRef.current;
    if (!client) throw new Error('the inference worker is not running yet');
    return client.run(request, signal);
  }, []);

  const retry = useCallback(() => setGeneration((g) => ({ count: g.count + 1, refresh: false })), []);
  const loadModelFiles = useCallback((files: ModelFiles, label: string) => {
    given.current = { files, label };
    setGeneration((g) => ({ count: g.count + 1, refresh: false }));
  }, []);
  const openModelFiles = useCallback(
    async (files: ModelFiles, label: string) => {
      const client = clientRef.current;
      if (!client || client.isDead)
        throw new Error(
          'the inference worker is not running yet: wait until the model has loaded, then pick the files again',
        );
      // The worker parses and checks the files before it lets go of the running model.
      // Given files are loaded from memory: the folder is never read.
      const loaded = await client.load({ modelsUrl: modelsUrl ?? '', refresh: false, files });
      given.current = { files, label };
      setSource(label);
      setModel({ phase: 'ready', report: loaded });
    },
    [modelsUrl],
  );
  const reloadModel = useCallback(() => {
    given.current = null;
    setGeneration((g) => ({ count: g.count + 1, refresh: true }));
  }, []);
  const dismissNotice = useCallback(() => setNotice(null), []);
  const faultForTest = useCallback((fault: WorkerFault) => clientRef.current?.faultForTest(fault), []);

  const workerTensors = useCallback(() => clientRef.current?.workerTensors ?? null, []);
  return {
    backend,
    model,
    notice,
    restarts,
    source,
    run,
    workerTensors,
    retry,
    reloadModel,
    loadModelFiles,
    openModelFiles,
    dismissNotice,
    faultForTest,
  };
}
