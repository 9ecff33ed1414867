// Cross-origin isolation: the two headers that give the page and its workers SharedArrayBuffer,
// which the threaded wasm build needs for its threads' shared memory. One definition for every way
// they are delivered: `vite preview` and `vite dev` (tools/content-security-policy.ts's plugin sends
// them with the policy), `dist/_headers` for static hosts, and the offline service worker
// (tools/service-worker-plugin.ts), which adds them to what it serves on hosts that set no headers.
// docs/app.md#cross-origin-isolation says why require-corp and not credentialless.

/** The page opens no cross-origin windows it must script. */
export const OPENER_POLICY: readonly [string, string] = ['Cross-Origin-Opener-Policy', 'same-origin'];
/**
 * require-corp, the policy every browser with SharedArrayBuffer supports (Safari has no
 * credentialless): the app embeds nothing from another origin, and the one cross-origin load it
 * makes, a model folder the person allowed, is a CORS fetch that a CORS answer already satisfies.
 */
export const EMBEDDER_POLICY: readonly [string, string] = ['Cross-Origin-Embedder-Policy', 'require-corp'];

export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.fromEntries([
  OPENER_POLICY,
  EMBEDDER_POLICY,
]);
