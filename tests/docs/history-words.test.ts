// The repository describes what is and how to reproduce it; what shipped when goes to CHANGELOG.md.
// No code, test or docs page may cite work periods, numbered issues or sections of a brief that is
// not in the repository, nor point outside it.
import { describe, expect, it } from 'vitest';
import { matchingLines, repositoryText, type TextFile } from './repository-text';

/**
 * The same pattern as `grep -rnE` over the checked folders. `[ ]` stands for a space, so that this
 * file's own text does not match it.
 */
const HISTORY_WORDS =
  /[Ss]ession[- ][0-9]+|section[- ][0-9]+|real-code[ ]issue|[Ii]ssue [0-9]+|issue.s[ ]day|DESIGN\.md|\.\.\/shared\/(DESIGN|seed)/;

const planted = (text: string): TextFile => ({ path: 'docs/planted.md', text });

describe('history words', () => {
  it('finds each kind of reference the repository must not hold', () => {
    const phrases = [
      ['the model of ses', 'sion 9'],
      ['Session', '-8 weights'],
      ['see sec', 'tion 3'],
      ['the real-code', ' issue'],
      ['filed as iss', 'ue 25'],
      ["the issue's", ' day'],
      ['DESIGN', '.md'],
      ['../shared/', 'seed/README.md'],
    ].map((parts) => parts.join(''));
    for (const phrase of phrases)
      expect(matchingLines(planted(`fine\n${phrase}`), HISTORY_WORDS), phrase).toEqual([
        { path: 'docs/planted.md', line: 2, text: phrase },
      ]);
  });

  it('lets ordinary words through', () => {
    const text = 'a session of training\nsection headings\nthe shared/select module\nissue tracker';
    expect(matchingLines(planted(text), HISTORY_WORDS)).toEqual([]);
  });

  it('finds none in the code, tests and docs', () => {
    const files = repositoryText();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => matchingLines(file, HISTORY_WORDS))).toEqual([]);
  });
});
