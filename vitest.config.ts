import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // tfjs keeps one global engine per process: files run in separate forks, tests in a file in order.
    pool: 'forks',
  },
});
