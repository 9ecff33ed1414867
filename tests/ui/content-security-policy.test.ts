// The policy's promises: scripts only from the page (no inline, no eval), workers from the page and
// blob:, and the dev server's hashes for exactly the inline scripts a page holds.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  devPolicy,
  inlineScripts,
  META_POLICY,
  POLICY,
} from '../../tools/content-security-policy';

describe('the content security policy', () => {
  it('allows scripts from the page alone, wasm compiling, and workers from the page and blob:', () => {
    expect(POLICY['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(POLICY['worker-src']).toEqual(["'self'", 'blob:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    expect(POLICY['connect-src']).not.toContain('http:');
  });

  it('leaves what a <meta> may not say out of the <meta> copy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_POLICY).not.toContain('frame-ancestors');
    expect(META_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('hashes the inline scripts of a page for the dev server, and nothing else', () => {
    const preamble = 'import { x } from "/@react-refresh"; x(window);';
    const html = `<head><script type="module">${preamble}</script><script type="module" src="/src/main.tsx"></script></head>`;
    expect(inlineScripts(html)).toEqual([preamble]);
    const hash = createHash('sha256').update(preamble).digest('base64');
    expect(devPolicy(inlineScripts(html))).toContain(`script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}';`);
    expect(devPolicy([])).toBe(CONTENT_SECURITY_POLICY);
  });
});
