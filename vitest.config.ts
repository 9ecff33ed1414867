import { defineConfig } from 'vitest/config';

/** *.measure.ts files take timings rather than test: only with MEASURE=1 (as in playwright.config.ts). */
const MEASURE = Boolean(process.env.MEASURE);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', ...(MEASURE ? ['tests/**/*.measure.ts'] : [])],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs keeps one global engine per process: files run in separate forks, tests in a file in order.
    pool: 'forks',
  },
});
