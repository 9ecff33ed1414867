// The editor's compile check: a moment after the typing stops, the code is checked and the first
// error is underlined (and its line marked), its message in the mark's title. The check runs on a
// timer, not on each keystroke: it is synchronous, and a 5,000-line file takes tens of milliseconds.
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { checkPythonSyntax, type ParseCheck } from '../../model';
import { DOES_NOT_COMPILE_LABEL, errorMarkRange, pythonWouldSay } from './compile-status';

/** How long the typing must pause before the code is checked again. */
export const COMPILE_CHECK_DELAY_MS = 300;

/** Replaces the error's decorations with the latest check's. */
const setErrorMarks = StateEffect.define<DecorationSet>();

/** The error's decorations; between checks they move with the text. */
const errorMarks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    for (const effect of transaction.effects) if (effect.is(setErrorMarks)) return effect.value;
    return marks.map(transaction.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** A wavy underline under the error and a bar beside its line, both titled with the message. */
function marksFor(state: EditorState, check: ParseCheck): DecorationSet {
  if (check.ok || check.errorOffset === undefined) return Decoration.none;
  const title = pythonWouldSay(check) ?? DOES_NOT_COMPILE_LABEL;
  const offset = Math.min(check.errorOffset, state.doc.length);
  const line = state.doc.lineAt(offset);
  const marks = [Decoration.line({ class: 'cm-compile-error-line', attributes: { title } }).range(line.from)];
  const range = errorMarkRange(state.doc.toString(), offset);
  if (range)
    marks.push(
      Decoration.mark({ class: 'cm-compile-error', attributes: { title, 'data-testid': 'compile-error-mark' } }).range(
        range.from,
        range.to,
      ),
    );
  return Decoration.set(marks, true);
}

const errorTheme = EditorView.baseTheme({
  '.cm-compile-error': {
    textDecoration: 'underline wavy #b3261e',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  // A bar, not a tint: the line's text keeps the contrast of its highlighting.
  '.cm-compile-error-line': { boxShadow: 'inset 3px 0 0 #b3261e' },
});

/** The check, its marks, and `onCheck` told every result (the first a moment after the editor opens). */
export function compileCheck(onCheck: (check: ParseCheck) => void): Extension {
  const checker = ViewPlugin.fromClass(
    class {
      private timer: ReturnType<typeof setTimeout> | undefined;
      constructor(private readonly view: EditorView) {
        // Not at once: a plugin may not update the view while the view is being built.
        this.schedule(0);
      }
      update(update: ViewUpdate) {
        if (update.docChanged) this.schedule(COMPILE_CHECK_DELAY_MS);
      }
      destroy() {
        clearTimeout(this.timer);
      }
      private schedule(delayMs: number) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.check(), delayMs);
      }
      private check() {
        const state = this.view.state;
        const check = checkPythonSyntax(state.doc.toString());
        this.view.dispatch({ effects: setErrorMarks.of(marksFor(state, check)) });
        onCheck(check);
      }
    },
  );
  return [errorMarks, checker, errorTheme];
}
