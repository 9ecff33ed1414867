import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // Workers are ES modules: they import tfjs like the page does.
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  preview: { port: 4173, strictPort: true },
  server: { port: 5173 },
});
