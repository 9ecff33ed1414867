// The app's content security policy, one definition for every way it is delivered: a response
// header from `vite preview` and `vite dev` (the header is what covers the workers: each worker
// runs under the policy of its own script's response), `dist/_headers` for static hosts that read
// that file (Netlify, Cloudflare Pages), and a <meta> copy in index.html for hosts that cannot set
// headers (it covers the page, not the workers). docs/app.md#content-security-policy says why each
// source is there.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './cross-origin-isolation.ts';

export const CSP_HEADER = 'Content-Security-Policy';

/**
 * Model folders the person may allow on another origin (src/ui/lib/model-origin.ts asks first, per
 * origin): any https origin, and plain http only on this machine (a model served from a local
 * folder). The policy is fixed at build time and cannot know the origin a person will allow, so
 * the dialog is the gate and the policy the outer fence: no plain-http origin elsewhere, no other
 * scheme.
 */
export const MODEL_ORIGIN_SOURCES = ['https:', 'http://localhost:*', 'http://127.0.0.1:*'];

/** The production policy, directive by directive. */
export const POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  // Scripts only from the page's origin; WebAssembly (the wasm backend) compiles under 'wasm-unsafe-eval'.
  // blob:: each thread of the threaded wasm build loads the backend's script from a blob: URL that
  // tfjs makes in the worker (importScripts); only script already running here can make one.
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'blob:'],
  // The threaded wasm build starts its workers from blob: URLs.
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", ...MODEL_ORIGIN_SOURCES],
  // The favicon is an inline data: SVG.
  'img-src': ["'self'", 'data:'],
  // CodeMirror writes the editor's theme into a <style> element as it starts (style-mod), and Vite's
  // dev server injects CSS the same way; a fixed nonce would allow no less, so inline styles are
  // allowed and scripts stay strict.
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** A <meta> policy may not hold these (the browser ignores them there, with a warning). */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

export function policyText(policy: Record<string, string[]>): string {
  return Object.entries(policy)
    .map(([directive, sources]) => [directive, ...sources].join(' '))
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = policyText(POLICY);

/** The copy for index.html's <meta>: the same policy less what only a header may say. */
export const META_POLICY = policyText(Object.fromEntries(Object.entries(POLICY).filter(([d]) => !HEADER_ONLY.has(d))));

/**
 * The dev server's policy: the same, plus the hashes of the inline scripts Vite itself writes into
 * the page (React's refresh preamble).
 */
export function devPolicy(inlineScripts: readonly string[]): string {
  const hashes = inlineScripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  return policyText({
    ...POLICY,
    'script-src': [...POLICY['script-src']!, ...hashes],
  });
}

/** The text of every inline <script> in an HTML page. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1]!)
    .filter((s) => s.trim());
}

/** Sets the dev policy on each HTML page as it is sent, with that page's inline scripts hashed. */
function hashInlineScriptsOnSend(res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    const [chunk] = args;
    const type = String(res.getHeader('content-type') ?? '');
    if (!res.headersSent && type.includes('text/html') && (typeof chunk === 'string' || chunk instanceof Uint8Array))
      res.setHeader(CSP_HEADER, devPolicy(inlineScripts(Buffer.from(chunk).toString('utf8'))));
    return end(...args);
  }) as typeof res.end;
}

/** dist/_headers: the policy and the isolation headers on every file. */
export function staticHostHeaders(): string {
  const lines = Object.entries({ [CSP_HEADER]: CONTENT_SECURITY_POLICY, ...CROSS_ORIGIN_ISOLATION_HEADERS });
  return `/*\n${lines.map(([name, value]) => `  ${name}: ${value}\n`).join('')}`;
}

export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'lco-content-security-policy',
    config: () => ({
      // The isolation headers travel with the policy: every response of preview and dev carries both.
      preview: { headers: { [CSP_HEADER]: CONTENT_SECURITY_POLICY, ...CROSS_ORIGIN_ISOLATION_HEADERS } },
      server: { headers: { [CSP_HEADER]: devPolicy([]), ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    }),
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        hashInlineScriptsOnSend(res);
        next();
      });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (context.server) return; // the dev server sends the header (with its own inline scripts hashed)
        return [{ tag: 'meta', attrs: { 'http-equiv': CSP_HEADER, content: META_POLICY }, injectTo: 'head-prepend' }];
      },
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: staticHostHeaders(),
      });
    },
  };
}
