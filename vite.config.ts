import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './tools/service-worker-plugin.ts';

export default defineConfig({
  // sw.js: the offline app shell (tools/service-worker-plugin.ts).
  plugins: [react(), serviceWorkerPlugin()],
  // Workers are ES modules: they import tfjs like the page does.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    // kernel-check.html: a test page for the fused WebGPU LSTM cell (e2e/webgpu-lstm.spec.ts);
    // bench.html: one bench row in the browser (e2e/bench.spec.ts, e2e/bench.measure.ts).
    rollupOptions: { input: { main: 'index.html', kernelCheck: 'kernel-check.html', bench: 'bench.html' } },
  },
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
});
