// `?models=`: the page's own folder, another folder of its origin, another origin, a refused scheme.
import { describe, expect, it } from 'vitest';
import { resolveModelFolder } from '../../src/ui/lib/model-folder';

const PAGE = 'https://app.example/tools/?models=x';
const OWN = 'https://app.example/tools/models/';

describe('resolveModelFolder', () => {
  it('uses this build’s models/ without a parameter', () => {
    expect(resolveModelFolder(null, '/tools/', PAGE)).toEqual({
      requestedUrl: OWN,
      ownUrl: OWN,
      foreignOrigin: null,
      refused: null,
    });
  });

  it('keeps a folder of the page’s origin as its own, with a trailing slash', () => {
    expect(resolveModelFolder('/other/models', '/tools/', PAGE)).toMatchObject({
      requestedUrl: 'https://app.example/other/models/',
      foreignOrigin: null,
    });
  });

  it('names another origin, a port or a scheme apart included', () => {
    expect(resolveModelFolder('https://weights.example/m/', '/', PAGE).foreignOrigin).toBe('https://weights.example');
    expect(resolveModelFolder('https://app.example:8443/m/', '/', PAGE).foreignOrigin).toBe('https://app.example:8443');
    expect(resolveModelFolder('//evil.example/m/', '/', PAGE).foreignOrigin).toBe('https://evil.example');
  });

  it('refuses schemes that cannot serve model files, and loads its own folder then', () => {
    for (const param of ['javascript:alert(1)', 'data:text/plain,x', 'file:///etc/']) {
      const folder = resolveModelFolder(param, '/tools/', PAGE);
      expect(folder.refused).toMatch(/cannot hold model files/);
      expect(folder).toMatchObject({ requestedUrl: OWN, foreignOrigin: null });
    }
  });
});
