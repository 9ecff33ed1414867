// The policy's promises: scripts only from the page (no inline, no eval; blob: for the wasm threads'
// script), workers from the page and blob:, the dev server's hashes for exactly the inline scripts a
// page holds, and the static host's header file with the policy and the isolation headers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  devPolicy,
  inlineScripts,
  META_POLICY,
  POLICY,
  staticHostHeaders,
} from '../../tools/content-security-policy';

describe('the content security policy', () => {
  it('allows scripts from the page alone, wasm compiling, and workers from the page and blob:', () => {
    // blob:: the threaded wasm build's threads import the backend's script from a blob tfjs makes.
    expect(POLICY['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(POLICY['worker-src']).toEqual(["'self'", 'blob:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    expect(POLICY['connect-src']).not.toContain('http:');
  });

  it('leaves what a <meta> may not say out of the <meta> copy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_POLICY).not.toContain('frame-ancestors');
    expect(META_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('writes the policy and the cross-origin isolation headers for static hosts', () => {
    const lines = staticHostHeaders().split('\n');
    expect(lines[0]).toBe('/*');
    expect(lines).toContain(`  Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`);
    expect(lines).toContain('  Cross-Origin-Opener-Policy: same-origin');
    expect(lines).toContain('  Cross-Origin-Embedder-Policy: require-corp');
  });

  it('hashes the inline scripts of a page for the dev server, and nothing else', () => {
    const preamble = 'import { x } from "/@react-refresh"; x(window);';
    const html = `<head><script type="module">${preamble}</script><script type="module" src="/src/main.tsx"></script></head>`;
    expect(inlineScripts(html)).toEqual([preamble]);
    const hash = createHash('sha256').update(preamble).digest('base64');
    expect(devPolicy(inlineScripts(html))).toContain(`script-src 'self' 'wasm-unsafe-eval' blob: 'sha256-${hash}';`);
    expect(devPolicy([])).toBe(CONTENT_SECURITY_POLICY);
  });
});
