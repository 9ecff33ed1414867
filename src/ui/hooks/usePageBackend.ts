// Starts tfjs in the page once and reports which backend runs and why.
import { useEffect, useState } from 'react';
import { initWebBackend, type BackendReport } from '../../platform/web';

export type BackendState =
  | { status: 'starting' }
  | { status: 'ready'; report: BackendReport }
  | { status: 'failed'; message: string };

let pageBackend: Promise<BackendReport> | null = null;

export function usePageBackend(requested: string | null): BackendState {
  const [state, setState] = useState<BackendState>({ status: 'starting' });
  useEffect(() => {
    let live = true;
    // One start per page: StrictMode runs effects twice, tfjs has one global engine.
    pageBackend ??= initWebBackend(requested);
    pageBackend.then(
      (report) => live && setState({ status: 'ready', report }),
      (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [requested]);
  return state;
}
