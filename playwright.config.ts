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

export default defineConfig({
  testDir: 'e2e',
  // *.measure.ts files take timings rather than test: only with MEASURE=1.
  testMatch: process.env.MEASURE ? ['**/*.spec.ts', '**/*.measure.ts'] : ['**/*.spec.ts'],
  // Two cores: one browser at a time keeps timings honest and SwiftShader from starving.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  // One retry on CI: under load a browser test can miss a deadline; a retry that passes is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: WEBGPU_ARGS },
    trace: 'retain-on-failure',
    // The offline service worker would answer requests page.route() means to intercept: specs run
    // without it, except e2e/offline.spec.ts, which allows it.
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
