import { defineConfig } from '@playwright/test';

/** Debian's Chromium: Playwright cannot download its own browser on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every test browser starts with; WebGPU runs on SwiftShader (the CPU). */
export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', ...BASE_ARGS];

/** The preview server's port; E2E_PORT lets two checkouts run their specs side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4173);
/** The developer pages' server (dev/vite.config.ts): E2E_DEV_PORT, or E2E_PORT + 100. */
const DEV_PORT = Number(process.env.E2E_DEV_PORT ?? PORT + 100);

/** *.measure.ts files take timings rather than test: only with MEASURE=1. */
const MEASURE = Boolean(process.env.MEASURE);
/** Specs of the developer pages (bench.html, kernel-check.html), which dev/vite.config.ts builds. */
const DEV_SPECS = [
  '**/bench.spec.ts',
  '**/webgpu-lstm.spec.ts',
  ...(MEASURE ? ['**/bench.measure.ts', '**/matmul-programs.measure.ts'] : []),
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: MEASURE ? ['**/*.spec.ts', '**/*.measure.ts'] : ['**/*.spec.ts'],
  // Two cores: one browser at a time keeps timings honest and SwiftShader from starving.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  // One retry on CI: under load a browser test can miss a deadline; a retry that passes is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: WEBGPU_ARGS },
    trace: 'retain-on-failure',
    // The offline service worker would answer requests page.route() means to intercept: specs run
    // without it, except e2e/offline.spec.ts, which allows it.
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
  },
  // The app's specs on the app's build; the developer pages' specs on theirs.
  projects: [
    { name: 'app', testIgnore: DEV_SPECS, use: { baseURL: `http://localhost:${PORT}` } },
    { name: 'dev', testMatch: DEV_SPECS, use: { baseURL: `http://localhost:${DEV_PORT}` } },
  ],
  webServer: [
    {
      // The app's tests' build (dist/, `vite build --mode e2e` first, with the test hooks: npm run test:e2e).
      command: `npx vite preview --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // The developer pages, built here from dev/vite.config.ts into dist-dev/ and served.
      command: `npx vite build --config dev/vite.config.ts --logLevel warn && npx vite preview --config dev/vite.config.ts --port ${DEV_PORT} --strictPort`,
      url: `http://localhost:${DEV_PORT}/kernel-check.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
    },
  ],
});
