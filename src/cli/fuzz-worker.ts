// A fuzz runner thread: builds the context once, then runs the cases it is sent, posting 'start'
// before each and the result after, so the main thread can tell a hung case (and terminate this
// thread) from a slow one. Errors that escape a case (an unhandled rejection, an uncaught
// exception) make that case crashed.
import { parentPort, workerData } from 'node:worker_threads';
import { createModelContext, type ModelContext } from '../fuzz/context';
import { runCase, type CaseResult } from '../fuzz/surfaces';
import type { SurfaceName } from '../fuzz/case';
import { initNodeBackend } from '../platform/node/node';
import { readModelDir } from './model-dir';

export interface WorkerSetup {
  seed: number;
  modelsDir: string;
  backend: string | null;
  withShippedModel: boolean;
}
export type ToWorker = { surface: SurfaceName; indices: number[] };
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'start'; surface: SurfaceName; index: number }
  | { type: 'note'; mutation: string }
  | { type: 'result'; result: CaseResult }
  | { type: 'idle' }
  | { type: 'fatal'; message: string };

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);
let escaped: string[] = [];
process.on('unhandledRejection', (reason) =>
  escaped.push(
    `unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`,
  ),
);
process.on('uncaughtException', (error) => escaped.push(`uncaught exception: ${error.name}: ${error.message}`));

async function main(): Promise<void> {
  const report = await initNodeBackend(setup.backend);
  const context: ModelContext = await createModelContext(
    readModelDir(setup.modelsDir),
    setup.withShippedModel,
    (mutation) => post({ type: 'note', mutation }),
  );
  post({ type: 'ready', backend: report.backend });
  port.on('message', async (job: ToWorker) => {
    for (const index of job.indices) {
      post({ type: 'start', surface: job.surface, index });
      escaped = [];
      const result = await runCase(job.surface, setup.seed, index, context);
      // Let a stray rejection of this case surface before it is judged.
      await new Promise((resolve) => setImmediate(resolve));
      if (escaped.length > 0 && result.outcome !== 'leaked') {
        post({
          type: 'result',
          result: {
            ...result,
            outcome: 'crashed',
            detail: `${escaped.join('; ')} (the case was ${result.outcome}: ${result.detail})`,
          },
        });
      } else {
        post({ type: 'result', result });
      }
    }
    post({ type: 'idle' });
  });
}

main().catch((error: unknown) =>
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }),
);
