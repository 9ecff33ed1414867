// The `protocol` surface: sequences of inference-worker messages, malformed and out of order (an
// unknown type, missing or mistyped fields, a run before a load, a cancel of an unknown id, bad model
// files), fed to the worker's own handler (src/worker/inference-handler.ts) with a host that stands
// in for postMessage, the backend and the download. Every message must get the answers the protocol
// promises (one per request; none for cancel and fault-test), every error answer must be one of our
// errors with a message, and after a final dispose no tensor may be left.
import { MODEL_FILE_NAMES, type Rng, ModelFileError } from '../model';
import { createInferenceHandler, NO_ID, type FetchedFiles } from '../worker/inference-handler';
import type { InferenceResponse } from '../worker/protocol';
import { nastyJsonValue, pick, type Surface, type Verdict } from './case';
import { answerProblem, type ModelContext } from './context';

const OUR_ERRORS = ['ProtocolError', 'InputError', 'NotPythonError', 'ModelFileError'];
const TERMINAL = new Set(['ready', 'loaded', 'answer', 'cancelled', 'disposed', 'error']);
const GOOD_CODE = 'def f(items)\n    return items[0]\n';

interface Sent {
  message: unknown;
  /** Terminal answers this message must get under its id. */
  expects: number;
  valid: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The protocol's own rules for a message's fields, written out apart from the handler's check. */
function isValid(m: Record<string, unknown>): boolean {
  const r = m.request;
  const o = m.options;
  const files = isObject(o) ? o.files : undefined;
  switch (m.type) {
    case 'init':
      return m.backend === null || typeof m.backend === 'string';
    case 'cancel':
      return Number.isSafeInteger(m.target);
    case 'fault-test':
      return m.fault === 'crash' || m.fault === 'lose-device';
    case 'run':
      return (
        isObject(r) &&
        ['fix', 'complete', 'generate'].includes(r.task as string) &&
        ['convergent', 'divergent', 'hybrid'].includes(r.mode as string) &&
        typeof r.code === 'string' &&
        (r.seed === undefined || Number.isSafeInteger(r.seed))
      );
    case 'load':
      return (
        isObject(o) &&
        typeof o.modelsUrl === 'string' &&
        typeof o.refresh === 'boolean' &&
        (files === undefined ||
          files === null ||
          (isObject(files) &&
            files.weights instanceof Uint8Array &&
            typeof files.config === 'string' &&
            typeof files.tokenizer === 'string'))
      );
    default:
      return false;
  }
}

function messageFor(rng: Rng, id: number, runIds: number[], context: ModelContext): Sent {
  const broken = { ...context.tinyFiles, weights: context.tinyFiles.weights.slice(0, 100) };
  switch (rng.nextInt(12)) {
    case 0:
      return {
        message: { type: 'init', id, backend: pick(rng, [null, 'wasm', 'cpu', 'nonsense']) },
        expects: 1,
        valid: true,
      };
    case 1:
      return {
        message: {
          type: 'load',
          id,
          options: { modelsUrl: pick(rng, ['/models/', '/missing/', '/broken/']), refresh: rng.next() < 0.5 },
        },
        expects: 1,
        valid: true,
      };
    case 2:
      return {
        message: {
          type: 'load',
          id,
          options: { modelsUrl: '/models/', refresh: false, files: pick(rng, [context.tinyFiles, broken, null]) },
        },
        expects: 1,
        valid: true,
      };
    case 3:
    case 4: {
      runIds.push(id);
      const code = pick(rng, [GOOD_CODE, GOOD_CODE, '', 'def f(:', '\u0000']);
      return {
        message: {
          type: 'run',
          id,
          request: {
            task: pick(rng, ['fix', 'complete', 'generate']),
            mode: pick(rng, ['convergent', 'divergent', 'hybrid']),
            code,
          },
        },
        expects: 1,
        valid: true,
      };
    }
    case 5: {
      const target =
        runIds.length > 0 && rng.next() < 0.6 ? pick(rng, runIds) : pick(rng, [id + 1, id + 2, 424242, -5, 0]);
      return { message: { type: 'cancel', id, target }, expects: 0, valid: true };
    }
    case 6:
      return { message: { type: 'dispose', id }, expects: 1, valid: true };
    case 7:
      return {
        message: { type: 'fault-test', id, fault: pick(rng, ['crash', 'lose-device']) },
        expects: 0,
        valid: true,
      };
    case 8:
      return {
        message: { type: pick(rng, ['unknown', 'Run', '', 'constructor', '__proto__', 'toString']), id },
        expects: 1,
        valid: false,
      };
    case 9: {
      // A known type with a field missing or of the wrong type.
      const type = pick(rng, ['init', 'load', 'run', 'cancel', 'fault-test']);
      const field = { init: 'backend', load: 'options', run: 'request', cancel: 'target', 'fault-test': 'fault' }[
        type
      ]!;
      const message: Record<string, unknown> = { type, id };
      if (rng.next() < 0.5) message[field] = nastyJsonValue(rng);
      if (type === 'run' && rng.next() < 0.5)
        message.request = { task: 'fix', mode: 'convergent', code: nastyJsonValue(rng), seed: nastyJsonValue(rng) };
      if (type === 'load' && rng.next() < 0.5)
        message.options = { modelsUrl: nastyJsonValue(rng), refresh: nastyJsonValue(rng), files: nastyJsonValue(rng) };
      // nastyJsonValue can happen to give a valid value (e.g. backend null): then it is served as one.
      const valid = isValid(message);
      return { message, expects: valid && (type === 'cancel' || type === 'fault-test') ? 0 : 1, valid };
    }
    case 10:
      return {
        message: {
          type: pick(rng, ['run', 'load', 'dispose']),
          id: pick(rng, ['1', null, 1.5, NaN, undefined, {}, -0.5]),
        },
        expects: 1,
        valid: false,
      };
    default:
      return {
        message: pick(rng, [null, undefined, 42, 'run', [], [{ type: 'run' }], true, {}]),
        expects: 1,
        valid: false,
      };
  }
}

export const protocolSurface: Surface<ModelContext> = {
  name: 'protocol',
  async run(rng, _index, context): Promise<Verdict> {
    const responses: InferenceResponse[] = [];
    const handler = createInferenceHandler({
      post: (message) => responses.push(message),
      initBackend: async (requested) => ({ backend: 'wasm', requested, adapter: null, skipped: [] }) as never,
      watchDevice: () => {},
      fetchModelFiles: async (url): Promise<FetchedFiles> => {
        if (url === '/missing/')
          throw new ModelFileError(
            MODEL_FILE_NAMES.weights,
            `the server answered 404 Not Found for ${url}${MODEL_FILE_NAMES.weights}`,
            'Put the model files there',
          );
        const files =
          url === '/broken/'
            ? { ...context.tinyFiles, config: context.tinyFiles.config.replace('[architecture]', '[architecture\n') }
            : context.tinyFiles;
        return { files, fromCache: false, bytes: files.weights.length, commit: async () => {} };
      },
      injectFault: () => {},
    });
    const count = 1 + rng.nextInt(8);
    const runIds: number[] = [];
    const sent: Sent[] = [];
    // Ids mostly count up, as the page's do; sometimes one repeats.
    for (let i = 0; i < count; i++)
      sent.push(messageFor(rng, i > 0 && rng.next() < 0.1 ? i - 1 : i + 1, runIds, context));
    const names = sent
      .map((s) =>
        s.message && typeof s.message === 'object' && 'type' in s.message
          ? String((s.message as { type: unknown }).type)
          : typeof s.message,
      )
      .join(' ');
    const mutation = `${count} message(s): ${names}`;
    context.note(mutation);
    // Delivered as a worker's events are: each handled as it arrives, not one after the other finished.
    await Promise.all(sent.map((s) => handler.receive(s.message)));
    await handler.receive({ type: 'dispose', id: 1_000_000 });

    const expected = new Map<number, number>();
    for (const s of sent) {
      const raw = (s.message as { id?: unknown } | null)?.id;
      const id = typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : NO_ID;
      expected.set(id, (expected.get(id) ?? 0) + s.expects);
    }
    expected.set(1_000_000, 1);
    const got = new Map<number, number>();
    for (const r of responses) if (TERMINAL.has(r.type) && r.id !== null) got.set(r.id, (got.get(r.id) ?? 0) + 1);
    for (const [id, n] of new Map([...expected, ...got])) {
      if ((expected.get(id) ?? 0) !== (got.get(id) ?? 0)) {
        return {
          outcome: 'crashed',
          mutation,
          detail: `id ${id} got ${got.get(id) ?? 0} answer(s), the protocol promises ${expected.get(id) ?? 0} (${n})`,
        };
      }
    }
    let refused = sent.some((s) => !s.valid);
    let firstError = '';
    for (const r of responses) {
      if (r.type === 'error') {
        if (!OUR_ERRORS.includes(r.error.name) || r.error.message.trim().length < 12) {
          return {
            outcome: 'crashed',
            mutation,
            detail: `error answer for id ${r.id} is not one of ours: ${r.error.name}: ${r.error.message}`,
          };
        }
        refused = true;
        firstError ||= `${r.error.name}: ${r.error.message}`;
      }
      if (r.type === 'answer') {
        const runs = sent
          .map(
            (s) => s.message as { type?: unknown; id?: unknown; request?: Parameters<typeof answerProblem>[0] } | null,
          )
          .filter((m) => m?.type === 'run' && m.id === r.id && isObject(m.request));
        // Ids can repeat: the answer must fit one of the runs sent under its id.
        const problems = runs.map((m) => answerProblem(m!.request!, r.answer));
        const problem = problems.includes(null) ? null : (problems[0] ?? 'an answer to no run');
        if (problem) return { outcome: 'crashed', mutation, detail: `answer to run ${r.id} is malformed: ${problem}` };
      }
    }
    return refused
      ? { outcome: 'refused', mutation, detail: firstError || 'no error answer' }
      : {
          outcome: 'accepted',
          mutation,
          detail: 'every message got the answers the protocol promises, every answer well-formed',
        };
  },
};
