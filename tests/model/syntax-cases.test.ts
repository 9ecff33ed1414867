// The syntax check against Python's compile() on labelled cases (tests/fixtures/syntax-cases.json,
// written by tools/build-syntax-cases.ts; tests/cli/syntax-cases-python.test.ts re-labels them
// with python3). No Python is needed here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPythonSyntax } from '../../src/model';
import { isListedMessage, LISTED_SYNTAX_MESSAGES, summarizeAgreement } from '../../src/data/syntax-corpus';

/** The targets: agreement on compiling or not, and where both refuse, on the line and the message. */
const MIN_AGREEMENT = 0.995;
const MIN_LINE_AGREEMENT = 0.97;
const MIN_MESSAGE_AGREEMENT = 0.9;
const MIN_CASES = 300;

interface SyntaxCase {
  text: string;
  kind: string;
  origin: string;
  cpython: { ok: boolean; line: number | null; column: number | null; message: string | null };
}

export const SYNTAX_CASES_FILE = resolve(__dirname, '../fixtures/syntax-cases.json');
const fixture = JSON.parse(readFileSync(SYNTAX_CASES_FILE, 'utf8')) as { python: string; cases: SyntaxCase[] };

function scored() {
  return fixture.cases.map((c) => {
    const result = checkPythonSyntax(c.text) as { ok: boolean; errorLine: number | null; message?: string };
    return { kind: c.kind, cpython: c.cpython, check: result, text: c.text, origin: c.origin };
  });
}

describe('syntax check against compile() on labelled cases', () => {
  it(`holds at least ${MIN_CASES} cases, every message the check is to give among them`, () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    for (const pattern of LISTED_SYNTAX_MESSAGES)
      expect(
        fixture.cases.some((c) => pattern.test(c.cpython.message ?? '')),
        String(pattern),
      ).toBe(true);
    // Both sides of the question: texts that compile and texts that do not, real and mutated.
    const kinds = new Set(fixture.cases.map((c) => c.kind));
    for (const kind of ['original', 'insert', 'delete', 'substitute', 'swap', 'hand-written'])
      expect(kinds).toContain(kind);
    expect(fixture.cases.filter((c) => c.cpython.ok).length).toBeGreaterThan(50);
  });

  it('never throws, and answers a line inside the text when it refuses', () => {
    for (const { check, text } of scored()) {
      if (!check.ok && check.errorLine !== null) {
        expect(check.errorLine).toBeGreaterThanOrEqual(1);
        expect(check.errorLine).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length + 1);
      }
    }
  });

  it(`agrees with compile() on at least ${MIN_AGREEMENT * 100}% of the cases`, () => {
    const all = scored();
    const summary = summarizeAgreement(all);
    const wrong = all
      .filter((s) => s.check.ok !== s.cpython.ok)
      .map((s) => `${s.origin} (${s.kind}): Python says ${s.cpython.message ?? 'it compiles'}`);
    expect(summary.agree, wrong.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it("where both refuse, names the line and gives the listed messages in Python's words", () => {
    const summary = summarizeAgreement(scored());
    expect(summary.line_agree).toBeGreaterThanOrEqual(MIN_LINE_AGREEMENT);
    expect(summary.message_agree).toBeGreaterThanOrEqual(MIN_MESSAGE_AGREEMENT);
    expect(fixture.cases.filter((c) => isListedMessage(c.cpython.message)).length).toBeGreaterThan(100);
  });
});
