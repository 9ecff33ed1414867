// The npm package lstm-coding-optimizer (scripts/build-package.ts runs this build): ES modules for
// the Node entry, the browser entry and its worker. tfjs stays outside (a peer dependency: one
// tfjs per app, or kernels registered in one copy are missing in the other); the parser and TOML
// reader are bundled in.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'build/package/dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    lib: {
      entry: { node: 'src/package/node.ts', browser: 'src/package/browser.ts', worker: 'src/package/worker.ts' },
      formats: ['es'],
    },
    rollupOptions: { external: [/^@tensorflow\//, /^node:/] },
  },
});
