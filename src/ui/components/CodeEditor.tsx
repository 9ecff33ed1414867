// A CodeMirror 6 editor for Python. Ctrl+Enter / Cmd+Enter runs; Tab indents (Escape then Tab
// moves focus on, as CodeMirror does for keyboard users). Code that does not compile gets its
// error underlined and, below the editor, Python's message.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { pythonWouldSay } from '../lib/compile-status';
import { compileCheck } from '../lib/editor-compile-check';

interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  /** id of the visible label, and of the hint that says how to run. */
  labelledBy: string;
  describedBy: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '14px', backgroundColor: '#fbfcfe', border: '1px solid var(--border)', borderRadius: '8px' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55', minHeight: '260px', maxHeight: '480px' },
  '.cm-content': { padding: '10px 0' },
  '.cm-gutters': { backgroundColor: '#f1f4f9', color: '#8a93a6', border: 'none', borderRadius: '8px 0 0 8px' },
  '.cm-activeLine': { backgroundColor: '#eef3ff' },
  '.cm-activeLineGutter': { backgroundColor: '#e3eaff' },
});

export function CodeEditor({ value, onChange, onRun, labelledBy, describedBy }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const compileNoteId = useId();
  /** "Python would say: ..." for the editor's code, or null when it compiles. */
  const [compileNote, setCompileNote] = useState<string | null>(null);
  // The editor is built once; these refs let it call the latest callbacks.
  const onChangeRef = useRef(onChange);
  const onRunRef = useRef(onRun);
  useLayoutEffect(() => {
    onChangeRef.current = onChange;
    onRunRef.current = onRun;
  });

  useEffect(() => {
    const runKey = (): boolean => {
      onRunRef.current();
      return true;
    };
    const state = EditorState.create({
      doc: value,
      extensions: [
        Prec.highest(
          keymap.of([
            { key: 'Mod-Enter', run: runKey },
            { key: 'Ctrl-Enter', run: runKey },
          ]),
        ),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        python(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.tabSize.of(4),
        theme,
        EditorView.contentAttributes.of({
          'data-testid': 'code-input',
          'aria-labelledby': labelledBy,
          'aria-describedby': `${describedBy} ${compileNoteId}`,
          'aria-multiline': 'true',
          spellcheck: 'false',
        }),
        compileCheck((check) => setCompileNote(pythonWouldSay(check))),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChangeRef.current(update.state.doc.toString());
        }),
      ],
    });
    const editor = new EditorView({ state, parent: host.current! });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Built once: later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value set from outside (an example was picked) replaces the document.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return (
    <>
      <div className="code-editor" ref={host} />
      <p id={compileNoteId} className="compile-note" data-testid="editor-compile-status" hidden={!compileNote}>
        {compileNote ? <>Your code does not compile. {compileNote}</> : null}
      </p>
    </>
  );
}
