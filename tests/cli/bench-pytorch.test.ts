import { describe, expect, it } from 'vitest';
import { benchPytorch } from '../../src/cli/bench-pytorch';
import { formatTable } from '../../src/bench/bench-table';

describe('bench: the pytorch row', () => {
  it('says why it is missing when Python cannot run, and the table shows that instead of figures', () => {
    const row = benchPytorch('tiny', 1, 1, '/nonexistent/python3');
    expect(row.missing).toMatch(/did not start/);
    expect(Number.isNaN(row.trainStepMs)).toBe(true);
    expect(formatTable([row])).toContain('| tiny | pytorch | missing: /nonexistent/python3 did not start');
  });
});
