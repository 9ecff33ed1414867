// A tiny, randomly initialised model as the three model files: for API and loader tests.
import { presetConfig, type ModelConfig } from '../../src/model/files/config';
import { downloadParams, networkFromConfig, writeModelFiles, type ModelFiles } from '../../src/model/files/model-files';
import { disposeParams, initParams } from '../../src/model/net/parameters';
import { Vocabulary } from '../../src/model/vocab';

export async function tinyModelFiles(seed = 1, edit: (config: ModelConfig) => void = () => {}): Promise<ModelFiles> {
  const vocab = Vocabulary.build(
    new Map([
      ['total', 5],
      ['items', 4],
      ['item', 3],
    ]),
    300,
  );
  const config = presetConfig('tiny');
  config.architecture.vocab_size = vocab.size;
  edit(config);
  const params = initParams(networkFromConfig(config), seed);
  const tensors = await downloadParams(params);
  disposeParams(params);
  return writeModelFiles(config, vocab, tensors);
}
