// What the playground says about whether code compiles: the badge, the tag, "Python would say:
// line 3: expected ':'", and where the editor marks the error. "Compiles" means the code passed
// the syntax check, which applies the compiler's rules as CPython 3.11 does; nothing is run.
import {
  checkPythonSyntax,
  completionSyntaxCheck,
  type AnswerCandidate,
  type ParseCheck,
  type Task,
} from '../../model';

export const COMPILES_LABEL = 'Compiles';
export const DOES_NOT_COMPILE_LABEL = 'Does not compile';
/** The longest name or number the editor's mark covers: a longer one is underlined at its start only. */
const MAX_MARKED_WORD = 80;
/** The tooltip of every badge and tag: what was checked, and that nothing ran. */
export const CHECKED_NOT_RUN = "Checked against the Python compiler's rules (as CPython 3.11 applies them), not run.";

/** "Python would say: line 3: expected ':'", or null when the check found nothing to say. */
export function pythonWouldSay(check: ParseCheck): string | null {
  if (check.ok || !check.message) return null;
  return check.errorLine
    ? `Python would say: line ${check.errorLine}: ${check.message}`
    : `Python would say: ${check.message}`;
}

export interface CompileStatus {
  compiles: boolean;
  /** "Compiles" or "Does not compile". */
  label: string;
  /** "Python would say: ...", when the check has a message for the text shown. */
  message: string | null;
  /** Whose code the message is about: the answer's, or the input's, which the answer left as it was. */
  about: 'answer' | 'input';
}

/**
 * The status of one candidate whose shown text is `text`. `candidate.parses` decides the label (for
 * complete it means the line can follow the input); the message is the syntax check's first error
 * in the text shown, counted in lines of the input and the line together for complete. A candidate
 * that could not be applied gets no message: its text is the input, and its problem says why.
 */
export function candidateCompileStatus(
  task: Task,
  input: string,
  candidate: Pick<AnswerCandidate, 'parses' | 'problem'>,
  text: string,
): CompileStatus {
  const compiles = candidate.parses;
  const about = task === 'fix' && text === input ? 'input' : 'answer';
  const label = compiles ? COMPILES_LABEL : DOES_NOT_COMPILE_LABEL;
  if (compiles || candidate.problem) return { compiles, label, message: null, about };
  const check = task === 'complete' ? completionSyntaxCheck(input, text) : checkPythonSyntax(text);
  return { compiles, label, message: pythonWouldSay(check), about };
}

/** The sentence shown beside the answer, or null when there is no message. */
export function compileMessageText(status: CompileStatus): string | null {
  if (!status.message) return null;
  return status.about === 'input' ? `Your code does not compile. ${status.message}` : status.message;
}

/**
 * The characters the editor underlines for an error at `offset` in `text`: the name or number
 * there, or the one character. An error at the end of a line (a missing ':' after `def f(x)`)
 * underlines the character before it; on an empty line there is nothing to underline (null), and
 * the editor marks the line instead.
 */
export function errorMarkRange(text: string, offset: number): { from: number; to: number } | null {
  const at = Math.max(0, Math.min(offset, text.length));
  const isLineEnd = (i: number) => i >= text.length || text[i] === '\n' || text[i] === '\r';
  if (!isLineEnd(at)) {
    const word = /^[\p{L}\p{N}_]+/u.exec(text.slice(at, at + MAX_MARKED_WORD));
    return { from: at, to: at + (word ? word[0].length : 1) };
  }
  if (at > 0 && !isLineEnd(at - 1)) return { from: at - 1, to: at };
  return null;
}
