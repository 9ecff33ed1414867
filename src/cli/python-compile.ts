// Python's own compile() as a labeller: one python3 process labels a whole corpus of texts (JSON
// lines in and out, src/cli/python/compile_labels.py). The interpreter is `python3`, or $PYTHON.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What CPython says of a text: it compiles, or where and why it does not. */
export interface CompileLabel {
  ok: boolean;
  /** 1-based line of the error; null when it compiles or the refusal has no line (a null byte). */
  line: number | null;
  /** 1-based column of the error, as Python's SyntaxError.offset gives it. */
  column: number | null;
  message: string | null;
  /** The exception's class: SyntaxError, IndentationError, TabError, ValueError, RecursionError... */
  error: string | null;
}

export interface CompileLabels {
  /** The interpreter's version, e.g. 3.11.7. */
  python: string;
  labels: CompileLabel[];
}

export const LABELLER_SCRIPT = fileURLToPath(new URL('./python/compile_labels.py', import.meta.url));
/** Texts and labels of a corpus pass through one pipe: room for 20,000 long functions. */
const MAX_PIPE_BYTES = 1 << 30;

/** The interpreter that labels: $PYTHON when set, else python3. */
export function pythonInterpreter(): string {
  return process.env.PYTHON || 'python3';
}

function missingPython(python: string, detail: string): Error {
  return new Error(
    `cannot run Python (${python}: ${detail}); the labels come from Python's compile(): install python3 or set PYTHON to an interpreter`,
  );
}

/** The interpreter's version, or a clear error when it cannot be started. */
export function pythonVersion(python = pythonInterpreter()): string {
  const result = spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' });
  if (result.error) throw missingPython(python, result.error.message);
  if (result.status !== 0) throw missingPython(python, result.stderr.trim() || `exit ${result.status}`);
  return result.stdout.trim();
}

/** Labels every text with compile(), in one Python process. */
export function compileWithPython(texts: readonly string[], python = pythonInterpreter()): CompileLabels {
  const input = texts.map((text) => JSON.stringify(text)).join('\n') + '\n';
  const result = spawnSync(python, [LABELLER_SCRIPT], { input, encoding: 'utf8', maxBuffer: MAX_PIPE_BYTES });
  if (result.error) throw missingPython(python, result.error.message);
  if (result.status !== 0)
    throw new Error(`the Python labeller failed (exit ${result.status}): ${result.stderr.trim()}`);
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  const header = JSON.parse(lines[0] ?? '{}') as { python?: string };
  const labels = lines.slice(1).map((line) => {
    const raw = JSON.parse(line) as Partial<CompileLabel>;
    return {
      ok: raw.ok === true,
      line: raw.line ?? null,
      column: raw.column ?? null,
      message: raw.message ?? null,
      error: raw.error ?? null,
    };
  });
  if (header.python === undefined || labels.length !== texts.length)
    throw new Error(`the Python labeller answered ${labels.length} labels for ${texts.length} texts`);
  return { python: header.python, labels };
}
