// "Load model files" sorts picked files by name into weights, config and tokenizer, names what it
// leaves out, and refuses a pick it cannot sort with a message that says what to choose.
import { describe, expect, it } from 'vitest';
import { MAX_WEIGHTS_BYTES, ModelPickError, pickModelFiles } from '../../src/ui/lib/pick-model-files';

const file = (name: string, content: string | Uint8Array = 'x') => new File([content], name);
const threeFiles = () => [
  file('lstm_weights.bin', new Uint8Array([1, 2, 3])),
  file('model_config.toml', '[model]'),
  file('tokenizer.json', '{}'),
];

describe('pickModelFiles', () => {
  it('takes the three files by name and reads them', async () => {
    const picked = await pickModelFiles([...threeFiles(), file('training_metrics.json'), file('training_report.md')]);
    expect(Array.from(picked.files.weights)).toEqual([1, 2, 3]);
    expect(picked.files.config).toBe('[model]');
    expect(picked.files.tokenizer).toBe('{}');
    expect(picked.used).toEqual(['lstm_weights.bin', 'model_config.toml', 'tokenizer.json']);
    expect(picked.ignored).toEqual(['training_metrics.json', 'training_report.md']);
  });

  it('accepts renamed files when each kind has exactly one candidate', async () => {
    const picked = await pickModelFiles([
      file('my-run.bin'),
      file('my-run.toml'),
      file('vocab.json'),
      file('training_metrics.json'),
    ]);
    expect(picked.used).toEqual(['my-run.bin', 'my-run.toml', 'vocab.json']);
  });

  it.each([
    [[], /no files were picked/],
    [
      [file('lstm_weights.bin')],
      /no configuration \(model_config\.toml\).*lstm_weights\.bin, model_config\.toml and tokenizer\.json/,
    ],
    [[file('lstm_weights.bin'), file('model_config.toml')], /no tokenizer \(tokenizer\.json\)/],
    [[file('model_config.toml'), file('tokenizer.json')], /no weights file \(lstm_weights\.bin\)/],
    [
      [file('a.bin'), file('b.bin'), file('model_config.toml'), file('tokenizer.json')],
      /2 files could be the weights file \(a\.bin, b\.bin\)/,
    ],
    [
      [file('lstm_weights.bin', new Uint8Array(0)), file('model_config.toml'), file('tokenizer.json')],
      /lstm_weights\.bin is empty/,
    ],
    [[file('notes.txt'), file('photo.png')], /no weights file/],
  ])('refuses %#', async (files, message) => {
    await expect(pickModelFiles(files)).rejects.toThrow(message);
    await expect(pickModelFiles(files)).rejects.toBeInstanceOf(ModelPickError);
  });

  it('refuses a weights file larger than any model of the app before reading it', async () => {
    const huge = file('lstm_weights.bin');
    Object.defineProperty(huge, 'size', { value: MAX_WEIGHTS_BYTES + 1 });
    await expect(pickModelFiles([huge, file('model_config.toml'), file('tokenizer.json')])).rejects.toThrow(
      /more than the 512 MiB/,
    );
  });
});
