// Whether this bundle is the end-to-end tests' build (`vite build --mode e2e`, what `npm run
// test:e2e` builds). Vite writes the mode into the bundle as a string, so in the production build
// (`npm run build`, `npm run dev`) this is the constant false and every branch it guards, with the
// code only that branch uses, is left out: the crash and fault hooks (`?crash-test`,
// `?train-faults`) never ship. `scripts/check-production-build.ts` checks that they are absent.

/** True only in the tests' build (the mode is written out: Vite replaces `import.meta.env.MODE` alone). */
export const TEST_HOOKS: boolean = import.meta.env.MODE === 'e2e';

/** What a worker of the production build answers a fault-test request with. */
export const TEST_HOOKS_ABSENT = 'the fault tests are only in the test build (vite build --mode e2e)';
