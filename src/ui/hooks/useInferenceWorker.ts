// Owns the inference worker for the component tree: components never call postMessage.
import { useEffect, useState } from 'react';
import { InferenceClient } from '../../worker/inference-client';
import type { BackendState } from './usePageBackend';

export function useInferenceWorker(requested: string | null): { backend: BackendState } {
  const [backend, setBackend] = useState<BackendState>({ status: 'starting' });
  useEffect(() => {
    const client = new InferenceClient();
    let live = true;
    client.init(requested).then(
      (report) => live && setBackend({ status: 'ready', report }),
      (error: unknown) => live && setBackend({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
      client.dispose();
    };
  }, [requested]);
  return { backend };
}
