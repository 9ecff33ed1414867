// The worker behind createWorkerOptimizer: loads the model with the browser entry's load() and
// answers run requests one at a time.
import type { CodingOptimizer } from '../model';
import { load } from './browser';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

let model: CodingOptimizer | null = null;

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  const reply = (r: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(r);
  try {
    if (message.type === 'load') {
      model?.dispose();
      model = await load(message.source, message.options);
      reply({ id: message.id, ok: true, value: model.info });
    } else {
      if (!model) throw new Error('no model loaded yet');
      reply({ id: message.id, ok: true, value: await model.run(message.request) });
    }
  } catch (error) {
    reply({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
