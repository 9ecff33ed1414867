// What the playground says beside a generate answer whose body is only a placeholder.
import { describe, expect, it } from 'vitest';
import { generateHeadline, placeholderAnswerMessage } from '../../src/ui/lib/placeholder-answer';

const HEADER = 'def is_even(n):\n    """Return True when n is even."""\n';
const NO_PROBLEM = { problem: null };

describe('placeholder answers', () => {
  it.each([
    ['    pass\n', 'The model wrote only a placeholder body (`pass`): this is not a solution.'],
    [
      '    raise NotImplementedError\n',
      'The model wrote only a placeholder body (`raise NotImplementedError`): this is not a solution.',
    ],
    ['    return False\n', 'The model wrote only `return False`, the same whatever the input: this is not a solution.'],
    ['    return\n', 'The model wrote only `return`, the same whatever the input: this is not a solution.'],
    [
      '    return (n)\n',
      'The model wrote only `return (n)`, which hands a parameter back unchanged: this is not a solution.',
    ],
    ['', 'The model wrote no body: this is not a solution.'],
  ])('says a body of %j is not a solution', (body, message) => {
    expect(placeholderAnswerMessage('generate', NO_PROBLEM, HEADER + body)).toBe(message);
    expect(generateHeadline(HEADER + body)).toBe('Only a placeholder body: not a solution');
  });

  it('says nothing of a body that does something', () => {
    const text = `${HEADER}    return n % 2 == 0\n`;
    expect(placeholderAnswerMessage('generate', NO_PROBLEM, text)).toBeNull();
    expect(generateHeadline(text)).toBe('Function body written');
  });

  it('says nothing for the other tasks, nor for an answer that could not be applied', () => {
    const text = `${HEADER}    pass\n`;
    expect(placeholderAnswerMessage('fix', NO_PROBLEM, text)).toBeNull();
    expect(placeholderAnswerMessage('complete', NO_PROBLEM, '    pass')).toBeNull();
    expect(placeholderAnswerMessage('generate', { problem: 'no body' }, text)).toBeNull();
  });
});
