import { describe, expect, it } from 'vitest';
import { benchPytorch, benchPytorchThreads, missingRow } from '../../src/cli/bench-pytorch';
import { formatComparisons, formatTable, type BenchRow } from '../../src/bench/bench-table';

describe('bench: the pytorch row', () => {
  it('says why it is missing when Python cannot run, and the table shows that instead of figures', () => {
    const row = benchPytorch('tiny', 1, 1, '/nonexistent/python3');
    expect(row.missing).toMatch(/did not start/);
    expect(Number.isNaN(row.trainStepMs)).toBe(true);
    expect(formatTable([row])).toContain('| tiny | pytorch | missing: /nonexistent/python3 did not start');
  });
});

describe('bench: pytorch on several thread counts', () => {
  const fakeRow = (threads: number, stepMs: number): BenchRow => ({
    ...missingRow('seed', ''),
    missing: undefined,
    parameters: 10,
    trainStepMs: stepMs,
    tokensPerSecond: 1000 / stepMs,
    greedyMsPerToken: 2,
    loadMs: 1,
    pytorch: { torch: '2.5', threads },
    environment: { cores: 2, cpu: null, crossOriginIsolated: null, threads, torch: '2.5' },
  });

  it('alternates the counts in flipping order, one run each per round, and keeps the medians', async () => {
    const order: number[] = [];
    const steps: Record<number, number[]> = { 1: [300, 360, 330], 2: [200, 260, 210] };
    const rows = await benchPytorchThreads('seed', 5, [1, 2], 3, (threads) => {
      order.push(threads);
      return fakeRow(threads, steps[threads]!.shift()!);
    });
    expect(order).toEqual([1, 2, 2, 1, 1, 2]);
    expect(rows.map((r) => r.trainStepMs)).toEqual([330, 210]);
    expect(rows[0]!.spread!.trainStepMs).toEqual({ median: 330, min: 300, max: 360, n: 3 });
    expect(rows[0]!.alternatedWith).toEqual(['pytorch, 2 threads']);
    expect(formatComparisons(rows)).toContain('| seed | – | pytorch, 2 threads ÷ pytorch, 1 thread | 0.64× |');
  });

  it("keeps the median of the runs' floors beside the median step, and the table gives their ratio", async () => {
    const steps = [300, 360, 330];
    const floors = [150, 130, 170];
    const rows = await benchPytorchThreads('seed', 5, [2], 3, () => {
      const floorMs = floors.shift()!;
      return {
        ...fakeRow(2, steps.shift()!),
        floorMs,
        floor: { floorMs, gflop: 17, gflopsPerSecond: 17_000 / floorMs },
      };
    });
    expect(rows[0]!.floorMs).toBe(150);
    expect(rows[0]!.floor).toEqual({ floorMs: 150, gflop: 17, gflopsPerSecond: 17_000 / 150 });
    expect(formatTable(rows)).toContain('| 150.0 (2.20×) |');
    const unprofiled = await benchPytorchThreads('seed', 5, [2], 1, () => fakeRow(2, 300));
    expect(unprofiled[0]!.floorMs).toBeNull();
  });

  it('gives a missing row for a count that could not be measured', async () => {
    const rows = await benchPytorchThreads('seed', 5, [1, 2], 1, (threads) =>
      threads === 2 ? missingRow('seed', 'no torch') : fakeRow(1, 300),
    );
    expect(rows[0]!.trainStepMs).toBe(300);
    expect(rows[1]!.missing).toBe('no torch');
  });
});
