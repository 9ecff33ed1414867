// `finish`: evaluates a model folder on the test split and writes the test section of its
// training_metrics.json, [training_results], training_report.md and training_metrics.svg: the code
// `train --finish` runs, for a model whoever trained it (`python3 -m trainer train --finish` calls it).
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../platform/node/node';
import { finishModelDir } from './train-finish';
import { UsageError } from './usage-error';

export const usage = `usage: npm run cli -- finish --models DIR --data DIR [--test-sample 300] [--backend wasm|cpu]
                              [--outside FILE [--outside-limit 360]] [--previous DIR]
  DIR (--models) holds lstm_weights.bin, model_config.toml, tokenizer.json and the training_metrics.json
  its trainer wrote (python3 -m trainer train, or npm run cli -- train). Evaluates the model on
  DATA/test.jsonl in every mode beside the copy baseline and writes the metrics' test section, the
  config's [training_results], training_report.md and training_metrics.svg into DIR.
  --outside FILE (dataset --outside's functions.jsonl) adds the report's "Outside real code"
  section, convergent mode, on its first --outside-limit lines (and of complete.jsonl and generate.jsonl beside it). --previous DIR puts the model this
  one replaces beside it, on the same examples (measured again unless DIR's metrics hold them).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string' },
      data: { type: 'string' },
      'test-sample': { type: 'string', default: '300' },
      backend: { type: 'string' },
      outside: { type: 'string' },
      'outside-limit': { type: 'string', default: '360' },
      previous: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`finish takes no positional arguments, got ${positionals.join(' ')}`);
  if (!values.models) throw new UsageError('finish needs --models DIR (the model folder to evaluate)');
  if (!values.data) throw new UsageError('finish needs --data DIR (the folder `npm run cli -- dataset` wrote)');
  const testSample = Number(values['test-sample']);
  if (!Number.isInteger(testSample) || testSample < 1)
    throw new UsageError(`--test-sample must be an integer >= 1, got ${JSON.stringify(values['test-sample'])}`);
  const outsideLimit = Number(values['outside-limit']);
  if (!Number.isInteger(outsideLimit) || outsideLimit < 1)
    throw new UsageError(`--outside-limit must be an integer >= 1, got ${JSON.stringify(values['outside-limit'])}`);
  await initNodeBackend(values.backend ?? null);
  await finishModelDir(values.models, values.data, {
    testSample,
    outside: values.outside,
    outsideLimit,
    previous: values.previous,
  });
  return 0;
}
