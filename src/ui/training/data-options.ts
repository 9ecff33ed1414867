// When two data choices give the worker the same examples: a start compares the form's choice
// with what the worker last prepared. Apart from data-form.ts, which reads files (DOM types).
import type { DataOptions } from '../../worker/training-protocol';

/** The same data for the worker: equal settings and the same files (compared by name and text). */
export function sameDataOptions(a: DataOptions | null, b: DataOptions | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.seed !== b.seed || a.maxTokens !== b.maxTokens || a.validationPercent !== b.validationPercent) return false;
  const [x, y] = [a.source, b.source];
  if (x.kind === 'builtin') return y.kind === 'builtin' && x.functions === y.functions;
  if (y.kind !== x.kind || x.files.length !== y.files.length) return false;
  if (x.kind === 'adapt' && y.kind === 'adapt' && (x.perClass !== y.perClass || x.skipped.length !== y.skipped.length)) return false;
  return x.files === y.files || x.files.every((file, i) => file.name === y.files[i]?.name && file.text === y.files[i]?.text);
}
