// The TypeScript side of the PyTorch parity tests (trainer/tests/test_parity.py runs it with tsx):
//   loss    --models DIR --ids FILE --count N   the app's loader reads DIR (hashes checked), then
//           prints {loss, accuracy, greedy} for the first N examples of FILE as one batch (cpu backend)
//   write   --data DIR --out DIR --steps K [--layers L] [--bidirectional]   a tiny model trained K steps by the TypeScript loop's
//           Adam on DATA/train.ids.jsonl, written as the app writes model files
//   presets                                      MODEL_PRESETS and the hashes of their [architecture]
//   flops   --preset P --vocab V --batch B --source S --target T   the matmul GFLOP of one training step
//           of preset P's network (vocabulary V) on a full batch, read off its profile as the bench's floor does
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  presetConfig,
  downloadParams,
  networkFromConfig,
  readModelFiles,
  uploadParams,
  writeModelFiles,
  initParams,
  Vocabulary,
  Rng,
} from '../../src/model';
import {
  MODEL_PRESETS,
  architectureFingerprint,
  encode,
  lossAndGrads,
  sequenceLoss,
  greedyDecode,
} from '../../src/model/internals';
import { packBatch } from '../../src/data/batching';
import { parseIdsJsonl } from '../../src/data/ids-file';
import { Adam, DEFAULT_ADAM } from '../../src/train/adam';
import { toTensorBatch } from '../../src/train/host-batch';
import { initNodeBackend } from '../../src/platform/node/node';
import { readModelDir, writeModelDir } from '../../src/cli/model-dir';
import { profileTrainStep } from '../../src/bench/bench-profile';
import { matmulFlops } from '../../src/bench/bench-floor';
import type { HostBatch } from '../../src/data/host-batch';
import type { ModelPresetName } from '../../src/model';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    models: { type: 'string' },
    ids: { type: 'string' },
    count: { type: 'string', default: '8' },
    data: { type: 'string' },
    out: { type: 'string' },
    steps: { type: 'string', default: '2' },
    layers: { type: 'string', default: '1' },
    bidirectional: { type: 'boolean', default: false },
    preset: { type: 'string', default: 'seed' },
    vocab: { type: 'string', default: '200' },
    batch: { type: 'string', default: '2' },
    source: { type: 'string', default: '12' },
    target: { type: 'string', default: '5' },
  },
});

async function main(): Promise<void> {
  await initNodeBackend('cpu');
  const command = positionals[0];
  if (command === 'presets') {
    const hashes = Object.fromEntries(Object.entries(MODEL_PRESETS).map(([k, c]) => [k, architectureFingerprint(c)]));
    process.stdout.write(`${JSON.stringify({ presets: MODEL_PRESETS, architecture_hashes: hashes })}\n`);
  } else if (command === 'loss') {
    const host = readModelFiles(readModelDir(values.models!));
    const params = uploadParams(host);
    const examples = parseIdsJsonl(readFileSync(values.ids!, 'utf8'), values.ids!).slice(0, Number(values.count));
    const batch = toTensorBatch(packBatch(examples));
    const { loss, accuracy } = sequenceLoss(host.network, params, batch);
    const enc = encode(host.network, params, batch);
    const greedy = (await greedyDecode(params, enc)).map((c) => c.ids);
    process.stdout.write(
      `${JSON.stringify({ loss: (await loss.data())[0], accuracy: (await accuracy.data())[0], greedy, warnings: host.warnings })}\n`,
    );
  } else if (command === 'write') {
    const vocab = Vocabulary.fromJSON(readFileSync(join(values.data!, 'tokenizer.json'), 'utf8'));
    const config = presetConfig('tiny');
    config.architecture.vocab_size = vocab.size;
    config.architecture.num_layers = Number(values.layers);
    config.architecture.bidirectional_encoder = values.bidirectional!;
    const network = networkFromConfig(config);
    const params = initParams(network, 7);
    const examples = parseIdsJsonl(readFileSync(join(values.data!, 'train.ids.jsonl'), 'utf8'), 'train.ids.jsonl');
    const adam = new Adam({ ...DEFAULT_ADAM });
    for (let step = 0; step < Number(values.steps); step++) {
      const batch = toTensorBatch(packBatch(examples.slice(step * 8, step * 8 + 8)));
      const { loss, accuracy, grads } = lossAndGrads(network, params, batch);
      const norm = Adam.globalNorm(grads);
      adam.apply(params, grads, (await norm.data())[0]!);
      tf.dispose([loss, accuracy, norm, ...Object.values(grads)]);
    }
    // Noise on every weight, bias included: near its initialisation the network barely depends on
    // its LSTMs (a swapped gate moved the loss by 1e-4), with it every parameter shows in the loss.
    const host = await downloadParams(params);
    const rng = new Rng(11);
    for (const t of host.values()) for (let i = 0; i < t.data.length; i++) t.data[i]! += rng.uniform(-0.5, 0.5);
    writeModelDir(values.out!, writeModelFiles(config, vocab, host));
    process.stdout.write(`${JSON.stringify({ written: values.out })}\n`);
  } else if (command === 'flops') {
    const config = presetConfig(values.preset as ModelPresetName);
    config.architecture.vocab_size = Number(values.vocab);
    const network = networkFromConfig(config);
    const [b, s, t, v] = [values.batch, values.source, values.target, values.vocab].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const id = (i: number) => 4 + ((i * 7) % (v - 4));
    const batch: HostBatch = {
      batchSize: b,
      sourceLength: s,
      targetLength: t,
      numOovs: 0,
      srcIds: Int32Array.from({ length: b * s }, (_, i) => id(i)),
      srcExtIds: Int32Array.from({ length: b * s }, (_, i) => id(i)),
      srcMask: new Float32Array(b * s).fill(1),
      tgtInIds: Int32Array.from({ length: b * t }, (_, i) => (i % t === 0 ? 2 : id(i + 3))),
      tgtOutExtIds: Int32Array.from({ length: b * t }, (_, i) => id(i + 4)),
      tgtMask: new Float32Array(b * t).fill(1),
    };
    const params = initParams(network, 1);
    const step = await profileTrainStep(network, params, batch);
    const flops = step.matmuls!.reduce((sum, m) => sum + m.count * matmulFlops(m.a, m.b, m.out), 0);
    process.stdout.write(`${JSON.stringify({ gflop: flops / 1e9 })}\n`);
  } else {
    throw new Error(`unknown probe command ${command}: use loss, write, presets or flops`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
