// The package's worker host on the checked inference handler, driven from Node as its worker
// would drive it: requests are checked, a cancelled run is not answered, errors keep their names.
import { describe, expect, it } from 'vitest';
import { createPackageInferenceHandler } from '../../src/package/worker-host';
import type { InferenceResponse } from '../../src/worker/protocol';
import { tinyModelFiles } from '../model/tiny-model';

const CODE = 'def total(items):\n    return sum(items)\n';

function startHandler() {
  const posted: InferenceResponse[] = [];
  const handler = createPackageInferenceHandler((message) => posted.push(message));
  const answersTo = (id: number) => posted.filter((message) => message.id === id && message.type !== 'progress');
  return { handler, posted, answersTo };
}

describe("the package's worker host", () => {
  it('starts the requested backend, loads files given by the page and answers runs', async () => {
    const { handler, answersTo } = startHandler();
    await handler.receive({ type: 'init', id: 1, backend: 'cpu', wasmPaths: null });
    expect(answersTo(1)).toMatchObject([{ type: 'ready', report: { backend: 'cpu', requested: 'cpu' } }]);
    await handler.receive({
      type: 'load',
      id: 2,
      options: { modelsUrl: '', refresh: false, files: await tinyModelFiles() },
    });
    expect(answersTo(2)).toMatchObject([{ type: 'loaded', report: { origin: 'page', fromCache: false } }]);
    await handler.receive({ type: 'run', id: 3, request: { task: 'fix', mode: 'convergent', code: CODE } });
    await handler.receive({ type: 'dispose', id: 4 }); // waits for the queued run
    expect(answersTo(3)).toMatchObject([{ type: 'answer', answer: { task: 'fix' } }]);
    expect(answersTo(4)).toMatchObject([{ type: 'disposed' }]);
  });

  it('skips a run cancelled while it waits, and names the error of a bad one', async () => {
    const { handler, answersTo } = startHandler();
    await handler.receive({ type: 'init', id: 1, backend: 'cpu' });
    await handler.receive({
      type: 'load',
      id: 2,
      options: { modelsUrl: '', refresh: false, files: await tinyModelFiles() },
    });
    await handler.receive({ type: 'run', id: 3, request: { task: 'fix', mode: 'convergent', code: CODE } });
    await handler.receive({ type: 'cancel', id: 4, target: 3 });
    await handler.receive({ type: 'run', id: 5, request: { task: 'fix', mode: 'convergent', code: '   ' } });
    await handler.receive({ type: 'dispose', id: 6 });
    expect(answersTo(3)).toEqual([{ type: 'cancelled', id: 3 }]);
    expect(answersTo(5)).toMatchObject([{ type: 'error', error: { name: 'InputError' } }]);
  });

  it('refuses what it cannot use with a ProtocolError naming the field', async () => {
    const { handler, answersTo } = startHandler();
    await handler.receive({ type: 'init', id: 1, backend: 'cpu', wasmPaths: 7 });
    expect(answersTo(1)).toMatchObject([{ type: 'error', error: { name: 'ProtocolError' } }]);
    expect((answersTo(1)[0] as { error: { message: string } }).error.message).toContain('wasmPaths');
    await handler.receive({ type: 'init', id: 2, backend: 'nonsense' });
    expect(answersTo(2)).toMatchObject([
      { type: 'error', error: { message: expect.stringContaining('unknown backend') } },
    ]);
    await handler.receive({ type: 'fault-test', id: 3, fault: 'crash' });
    expect(answersTo(3)).toMatchObject([{ type: 'error', error: { name: 'ProtocolError' } }]);
  });
});
