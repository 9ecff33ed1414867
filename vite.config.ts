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
    // The app alone; the developer pages (kernel check, bench) build apart: dev/vite.config.ts.
    rollupOptions: { input: { main: 'index.html' } },
  },
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
});
