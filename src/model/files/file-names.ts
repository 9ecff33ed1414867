// The names of the three files a model is made of (docs/design.md#model-files), in a module of their own
// so that the page can name them without importing tfjs.
export const MODEL_FILE_NAMES = {
  weights: 'lstm_weights.bin',
  config: 'model_config.toml',
  tokenizer: 'tokenizer.json',
} as const;
