// Examples for each task, written for this app (not taken from any corpus).
import type { Task } from '../../model';

export interface Example {
  id: string;
  task: Task;
  title: string;
  code: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'fix-missing-colon',
    task: 'fix',
    title: 'Missing colon',
    code: 'def count_positive(numbers):\n    count = 0\n    for n in numbers\n        if n > 0:\n            count += 1\n    return count\n',
  },
  {
    id: 'fix-misspelled-name',
    task: 'fix',
    title: 'Misspelled name',
    code: 'def average(values):\n    total = sum(values)\n    return totl / len(values)\n',
  },
  {
    id: 'fix-assign-for-compare',
    task: 'fix',
    title: '= instead of ==',
    code: 'def is_empty(items):\n    if len(items) = 0:\n        return True\n    return False\n',
  },
  {
    id: 'fix-correct',
    task: 'fix',
    title: 'Correct function (no bug)',
    code: 'def clamp(value, low, high):\n    if value < low:\n        return low\n    if value > high:\n        return high\n    return value\n',
  },
  {
    id: 'complete-loop-body',
    task: 'complete',
    title: 'Loop body',
    code: 'def total_of(items):\n    total = 0\n    for item in items:\n',
  },
  {
    id: 'complete-return',
    task: 'complete',
    title: 'After a search loop',
    code: 'def find_index(items, target):\n    for i, item in enumerate(items):\n        if item == target:\n            return i\n',
  },
  {
    id: 'generate-squares',
    task: 'generate',
    title: 'Squares of a list',
    code: 'def square_all(numbers):\n    """Return a list with the square of each number."""\n',
  },
  {
    id: 'generate-is-even',
    task: 'generate',
    title: 'Is it even?',
    code: 'def is_even(n):\n    """Return True when n is even."""\n',
  },
];

export function examplesFor(task: Task): Example[] {
  return EXAMPLES.filter((example) => example.task === task);
}

export function findExampleByCode(code: string): Example | undefined {
  return EXAMPLES.find((example) => example.code === code);
}
