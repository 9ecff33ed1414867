// The short fuzz run of `npm test`: about a hundred cases per surface through the real command
// (worker thread, hang timer, leak check), which must print zero crashed, hung and leaked.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SURFACE_NAMES } from '../../src/fuzz/case';

const run = promisify(execFile);
const CASES = 100;

describe('npm run cli -- fuzz (short run)', () => {
  it(`refuses or accepts each of ${CASES} bad inputs per surface: none crashed, hung or leaked`, async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'fuzz', '--cases', String(CASES), '--seed', '7', '--json'],
      { maxBuffer: 1 << 24 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`fuzz exited non-zero:\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
    });
    const report = JSON.parse(stdout) as {
      surfaces: Record<string, Record<string, number>>;
      seed: number;
      seconds: number;
    };
    expect(report.seed).toBe(7);
    expect(Object.keys(report.surfaces)).toEqual([...SURFACE_NAMES]);
    for (const [name, counts] of Object.entries(report.surfaces)) {
      expect({ name, ...counts }).toEqual({
        name,
        tried: CASES,
        refused: counts.refused,
        accepted: counts.accepted,
        crashed: 0,
        hung: 0,
        leaked: 0,
      });
      expect(counts.refused + counts.accepted).toBe(CASES);
      expect(counts.refused).toBeGreaterThan(0); // the generators do make bad input
    }
  }, 180_000);
});
