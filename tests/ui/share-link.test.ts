// The link format: round trip, the 20 kB code limit, and a clear error for every way a link breaks.
import { describe, expect, it } from 'vitest';
import {
  CODE_LIMIT_BYTES,
  decodeShare,
  encodeShare,
  ShareLinkError,
  type ShareState,
} from '../../src/ui/lib/share-link';

const STATE: ShareState = {
  playground: { task: 'complete', mode: 'hybrid', code: 'def f(x):\n    return "é" + x\n' },
  train: {
    choice: 'tiny',
    settings: { epochs: '3', maxSteps: '7' },
    data: { kind: 'builtin', functions: '600', validationPercent: '10' },
  },
};

describe('share links', () => {
  it('round-trips the state through a compressed base64url hash', async () => {
    const { hash, codeLeftOut } = await encodeShare(STATE);
    expect(codeLeftOut).toBe(false);
    expect(hash).toMatch(/^s=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(`#${hash}`)).toEqual(STATE);
  });

  it('leaves code over the limit out and says so', async () => {
    const code = 'x = 1\n'.repeat(Math.ceil(CODE_LIMIT_BYTES / 6) + 1);
    const { hash, codeLeftOut } = await encodeShare({ playground: { task: 'fix', mode: 'convergent', code } });
    expect(codeLeftOut).toBe(true);
    expect((await decodeShare(hash))?.playground?.code).toBeNull();
  });

  it('reads a hash without shared state as nothing', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#part-2')).toBeNull();
  });

  it('refuses truncated, altered and foreign links with a reason', async () => {
    const { hash } = await encodeShare(STATE);
    await expect(decodeShare(hash.slice(0, hash.length - 10))).rejects.toThrow(ShareLinkError);
    await expect(decodeShare('s=%%%')).rejects.toThrow(/characters/);
    await expect(decodeShare('s=AAAA')).rejects.toThrow(/inflate/);
    const foreign = await encodeShare(STATE);
    const json = JSON.stringify({ v: 99 });
    const packed = new Uint8Array(
      await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    const b64 = Buffer.from(packed).toString('base64url');
    expect(foreign.hash).not.toBe(`s=${b64}`);
    await expect(decodeShare(`s=${b64}`)).rejects.toThrow(/another version/);
  });
});
