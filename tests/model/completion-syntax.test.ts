// checkCompletionSyntax reads only the last top-level statement of a long prefix: a differential
// test against the whole text, on standard-library files cut at many lines, with the real next
// line, mutated lines and lines that only fit some places.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/model';
import {
  checkCompletionSyntax,
  checkPythonSyntax,
  COMPLETION_TAIL_MIN_LINES,
} from '../../src/model/python/parse-check';
import { mutate } from '../../src/data/mutate';

const SOURCE = join(__dirname, '..', 'fixtures', 'critic-source');
const FILES = ['calendar.py', 'fractions.py', 'pprint.py'];
const CUTS_PER_FILE = 12;

/** The answer checkCompletionSyntax gave before it read tails: the prefix and the line, whole. */
function wholeText(prefix: string, line: string): boolean {
  const text = `${prefix.replace(/\n?$/, '\n')}${line}\n`;
  if (checkPythonSyntax(text).ok) return true;
  if (!/:\s*(#.*)?$/.test(line)) return false;
  return checkPythonSyntax(`${text}${/^[ \t]*/.exec(line)![0]}    pass\n`).ok;
}

const FIXED_LINES = [
  'else:',
  '    else:',
  'x = 1',
  '    return x',
  'def g(a, a):',
  'nonlocal q',
  'global x',
  'x: int = 1',
  'from __future__ import annotations',
  'except ValueError:',
  '        yield',
  ')',
  '    """unterminated',
];

describe('checkCompletionSyntax on a long prefix', () => {
  it('answers as the whole text does', () => {
    const rng = new Rng(7);
    let compared = 0;
    let tails = 0;
    for (const name of FILES) {
      const lines = readFileSync(join(SOURCE, name), 'utf8').split('\n');
      for (let i = 0; i < CUTS_PER_FILE; i++) {
        const cut = COMPLETION_TAIL_MIN_LINES + rng.nextInt(lines.length - COMPLETION_TAIL_MIN_LINES - 1);
        const prefix = lines.slice(0, cut).join('\n') + '\n';
        const next = lines[cut]!;
        const candidates = [next, ...FIXED_LINES];
        for (let m = 0; m < 4; m++) {
          const mutated = mutate(next, rng);
          if (mutated) candidates.push(mutated.text.split('\n')[0]!);
        }
        if (checkPythonSyntax(prefix).ok) tails++;
        for (const line of candidates) {
          expect(checkCompletionSyntax(prefix, line), `${name} cut at ${cut}: ${JSON.stringify(line)}`).toBe(
            wholeText(prefix, line),
          );
          compared++;
        }
      }
    }
    // The test means something only where prefixes compile (the tail is read) and lines vary.
    expect(tails).toBeGreaterThan(FILES.length * 2);
    expect(compared).toBeGreaterThan(FILES.length * CUTS_PER_FILE * FIXED_LINES.length);
  });

  it('still refuses a global after a use and a late __future__ import, which only the whole text shows', () => {
    const filler = Array.from({ length: COMPLETION_TAIL_MIN_LINES }, (_, i) => `v${i} = ${i}`).join('\n');
    expect(checkCompletionSyntax(`x = 1\n${filler}\n`, 'global x')).toBe(false);
    expect(checkCompletionSyntax(`${filler}\n`, 'from __future__ import annotations')).toBe(false);
    expect(checkCompletionSyntax(`${filler}\n`, 'v0 += 1')).toBe(true);
  });
});
