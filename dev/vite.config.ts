// The developer pages, built apart from the app (whose build is index.html alone: vite.config.ts):
// kernel-check.html checks the project's WebGPU kernels against tfjs's and the plain-op reference
// (e2e/webgpu-lstm.spec.ts, e2e/matmul-programs.measure.ts); bench.html measures one bench row in
// the browser (e2e/bench.spec.ts, e2e/bench.measure.ts). Root is dev/, so the pages are served at
// /kernel-check.html and /bench.html; the build goes to dist-dev/.
//   npm run dev:tools        a dev server (port 5174)
//   npm run build:dev        dist-dev/, which playwright.config.ts serves for those specs
// Both servers send the app's cross-origin isolation headers, so the pages' wasm backend runs its
// threaded build as the app does (bench.html?threads=N).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../tools/cross-origin-isolation.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // No public/ (the shipped models): the pages make their own weights.
  publicDir: false,
  // The bench worker is an ES module: it imports tfjs like the page does.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist-dev', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { kernelCheck: `${root}kernel-check.html`, bench: `${root}bench.html` } },
  },
  // The pages import src/ from above the root.
  server: {
    port: 5174,
    headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS },
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
  preview: { port: 4174, strictPort: true, headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
});
