// The yardstick of the benchmark: a seq2seq LSTM of the same size built from tf.layers.lstm
// (no attention, no copy: the stock way to build one in tfjs), trained and decoded on the same
// backend. Our figures are reported as ratios against it.
import * as tfjs from '@tensorflow/tfjs';
import type { NetworkConfig } from '../model';

export interface LayersBaseline {
  trainStep(srcIds: tfjs.Tensor2D, tgtInIds: tfjs.Tensor2D, tgtOutIds: tfjs.Tensor2D): Promise<number>;
  /** One greedy decoding step for one sequence: the stock layers way (a step model with states). */
  decodeStep(token: tfjs.Tensor2D, states: tfjs.Tensor[]): { next: tfjs.Tensor; states: tfjs.Tensor[] };
  initialStates(srcIds: tfjs.Tensor2D): tfjs.Tensor[];
  parameters: number;
  dispose(): void;
}

/**
 * tfjs-layers 4.22's graph executor hands one kwargs object to every layer it runs, and RNN.apply
 * writes its `initialState` into it, so with two decoder LSTMs the second one sees the first one's
 * state ("When inputs is an array, neither initialState or constants should be provided"). Each
 * recurrent layer gets a copy instead.
 */
function withOwnKwargs<L extends tfjs.layers.Layer>(layer: L): L {
  const apply = layer.apply.bind(layer);
  layer.apply = ((inputs: never, kwargs?: Record<string, unknown>) =>
    apply(inputs, kwargs ? { ...kwargs } : kwargs)) as L['apply'];
  return layer;
}

export function buildLayersBaseline(c: NetworkConfig, sourceLength: number, targetLength: number): LayersBaseline {
  const { layers } = tfjs;
  const H = c.hiddenSize;
  const embedding = layers.embedding({ inputDim: c.vocabSize, outputDim: c.embeddingDim });
  const encoderLayers = [
    c.bidirectionalEncoder
      ? layers.bidirectional({
          layer: layers.lstm({ units: H / 2, returnSequences: true }) as never,
          mergeMode: 'concat',
        })
      : layers.lstm({ units: H, returnSequences: true }),
    ...Array.from({ length: c.numLayers - 1 }, () => layers.lstm({ units: H, returnSequences: true })),
  ].map(withOwnKwargs);
  const finalState = withOwnKwargs(layers.lstm({ units: H, returnState: true }));
  const decoderLayers = Array.from({ length: c.numLayers }, () =>
    withOwnKwargs(layers.lstm({ units: H, returnSequences: true, returnState: true })),
  );
  const output = layers.dense({ units: c.vocabSize, activation: 'softmax' });

  // Training model: encoder states initialise every decoder layer.
  const src = tfjs.input({ shape: [sourceLength], dtype: 'int32' });
  const tgt = tfjs.input({ shape: [targetLength], dtype: 'int32' });
  let x = embedding.apply(src) as tfjs.SymbolicTensor;
  for (const layer of encoderLayers) x = layer.apply(x) as tfjs.SymbolicTensor;
  const [, h, cState] = finalState.apply(x) as tfjs.SymbolicTensor[];
  let y = embedding.apply(tgt) as tfjs.SymbolicTensor;
  for (const layer of decoderLayers) y = (layer.apply(y, { initialState: [h!, cState!] }) as tfjs.SymbolicTensor[])[0]!;
  const model = tfjs.model({ inputs: [src, tgt], outputs: output.apply(y) as tfjs.SymbolicTensor });
  model.compile({ optimizer: tfjs.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });

  // Encoder model and one-step decoder model sharing the same layers (weights).
  const encoder = tfjs.model({ inputs: src, outputs: [h!, cState!] });
  const token = tfjs.input({ shape: [1], dtype: 'int32' });
  const stateInputs = decoderLayers.flatMap(() => [tfjs.input({ shape: [H] }), tfjs.input({ shape: [H] })]);
  let z = embedding.apply(token) as tfjs.SymbolicTensor;
  const stateOutputs: tfjs.SymbolicTensor[] = [];
  decoderLayers.forEach((layer, i) => {
    const [seq, hOut, cOut] = layer.apply(z, {
      initialState: [stateInputs[2 * i]!, stateInputs[2 * i + 1]!],
    }) as tfjs.SymbolicTensor[];
    z = seq!;
    stateOutputs.push(hOut!, cOut!);
  });
  const step = tfjs.model({
    inputs: [token, ...stateInputs],
    outputs: [output.apply(z) as tfjs.SymbolicTensor, ...stateOutputs],
  });

  return {
    parameters: model.countParams(),
    async trainStep(srcIds, tgtInIds, tgtOutIds) {
      const loss = await model.trainOnBatch([srcIds, tgtInIds], tfjs.expandDims(tgtOutIds, -1));
      return Array.isArray(loss) ? loss[0]! : loss;
    },
    initialStates(srcIds) {
      const [hs, cs] = encoder.predict(srcIds) as tfjs.Tensor[];
      return decoderLayers
        .flatMap(() => [hs!.clone(), cs!.clone()])
        .concat([])
        .map((t, i, all) => {
          if (i === all.length - 1) tfjs.dispose([hs!, cs!]);
          return t;
        });
    },
    decodeStep(tokenIds, states) {
      const [probs, ...next] = step.predict([tokenIds, ...states]) as tfjs.Tensor[];
      const argmax = tfjs.tidy(() => tfjs.argMax(tfjs.reshape(probs!, [1, -1]), -1));
      probs!.dispose();
      return { next: argmax, states: next };
    },
    dispose() {
      model.dispose();
    },
  };
}
