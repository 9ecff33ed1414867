// The surfaces by name, and one case run with the leak check around it.
import { caseRng, describeError, type Outcome, type Surface, type SurfaceName } from './case';
import { codeSurface } from './code';
import type { ModelContext } from './context';
import { jsonlSurface } from './jsonl';
import { configSurface, tokenizerSurface } from './model-text';
import { protocolSurface } from './protocol';
import { weightsSurface } from './weights';

const SURFACES: Record<SurfaceName, Surface<ModelContext>> = {
  weights: weightsSurface,
  config: configSurface,
  tokenizer: tokenizerSurface,
  jsonl: jsonlSurface,
  code: codeSurface,
  protocol: protocolSurface,
};

export interface CaseResult {
  surface: SurfaceName;
  index: number;
  outcome: Outcome;
  mutation: string;
  detail: string;
  ms: number;
}

/** Runs case `index` of `surface`; a case that leaves tensors behind is `leaked`, whatever it answered. */
export async function runCase(
  surface: SurfaceName,
  seed: number,
  index: number,
  context: ModelContext,
): Promise<CaseResult> {
  const started = performance.now();
  const before = context.numTensors();
  let verdict;
  try {
    verdict = await SURFACES[surface].run(caseRng(seed, surface, index), index, context);
  } catch (error) {
    verdict = { outcome: 'crashed' as const, mutation: 'the case itself', detail: describeError(error) };
  }
  const after = context.numTensors();
  const ms = performance.now() - started;
  if (after > before)
    return {
      surface,
      index,
      outcome: 'leaked',
      mutation: verdict.mutation,
      detail: `${after - before} tensor(s) left behind (${before} → ${after}); the case was ${verdict.outcome}: ${verdict.detail}`,
      ms,
    };
  return { surface, index, ...verdict, ms };
}
