import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './tools/service-worker-plugin.ts';
import { contentSecurityPolicyPlugin } from './tools/content-security-policy.ts';

export default defineConfig({
  // sw.js: the offline app shell (tools/service-worker-plugin.ts); the content security policy as a
  // header of preview and dev, dist/_headers and a <meta> copy (tools/content-security-policy.ts).
  plugins: [react(), serviceWorkerPlugin(), contentSecurityPolicyPlugin()],
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
