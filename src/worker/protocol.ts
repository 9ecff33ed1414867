// The messages between the page and the inference worker: one discriminated union per direction,
// each payload tied to its `type`. Both sides handle them with an exhaustive switch.
import type { BackendReport } from '../platform/select';

/** Page → worker. Every request carries an id; the answer carries the same id. */
export type InferenceRequest =
  | { type: 'init'; id: number; backend: string | null };

/** Worker → page. */
export type InferenceResponse =
  | { type: 'ready'; id: number; report: BackendReport }
  | { type: 'error'; id: number; message: string };

/** Compile-time proof that a switch handled every message type. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
