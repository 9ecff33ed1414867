// Why the threaded wasm build hung tf.setBackend('wasm') in a production build, and the fix.
//
// tfjs hands each of the build's threads (Emscripten's pthread workers) the backend's script as a
// blob made from the factory function's own text: `var WasmBackendModuleThreadedSimd = ` +
// factory.toString(). The minifier renames the factory's outer variables and drops the `typeof`
// guard around one of them (`_scriptDir`), so in a minified bundle that text reads a variable that
// exists only in the bundle: every thread dies at load with "ReferenceError: e is not defined",
// Emscripten waits for its pool forever, and setBackend never settles. (In `vite dev` nothing is
// minified, which is why only the production build hung.) The cure: the threads get the package's
// own unminified script, which defines the same factory on its own.
import threadedSimdFactory from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSimdScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

let patched = false;

/**
 * Makes the text tfjs gives the threads the package's script, wrapped as an expression (tfjs puts
 * `var WasmBackendModuleThreadedSimd = ` before it). The main thread keeps the bundled factory: both
 * are the same Emscripten glue for the same binary, one minified.
 */
export function giveThreadsTheUnminifiedFactory(): void {
  if (patched) return;
  patched = true;
  const expression = `(function () {\n${threadedSimdScript}\nreturn WasmBackendModuleThreadedSimd;\n})()`;
  Object.defineProperty(threadedSimdFactory, 'toString', { value: () => expression });
}

/**
 * tfjs caps its pool at half of `navigator.hardwareConcurrency` (it assumes two hyperthreads per
 * core; backend.cc reads the count once, as the module starts), whatever setThreadsCount asked:
 * on a 2-core machine that is 1 thread. While the backend starts, this worker's navigator reports
 * twice the threads it was given, so the cap is the count asked for; the returned function puts
 * the real count back.
 */
export function reportCoresForThreads(threads: number): () => void {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}
