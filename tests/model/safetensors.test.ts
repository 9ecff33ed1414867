import { describe, expect, it } from 'vitest';
import {
  assertTensorsMatch,
  checkTensorsAgainst,
  ModelFileError,
  readSafetensors,
  writeSafetensors,
  type NamedTensor,
} from '../../src/model/files/safetensors';

const META = { format: 'lstm-coding-optimizer', format_version: '1' };

/** A file from a header object and data bytes, laid out as any safetensors writer would. */
function buildFile(header: unknown, data: number[] | Uint8Array, pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

function errorOf(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a ModelFileError, nothing was thrown');
}

function tensors(entries: Record<string, [number[], number[]]>): Map<string, NamedTensor> {
  return new Map(
    Object.entries(entries).map(([name, [shape, values]]) => [name, { shape, data: new Float32Array(values) }]),
  );
}

describe('safetensors layout as Python writes it', () => {
  // What `safetensors.numpy.save_file({"bias": [1, -2], "weight": [[0.5, 3], [0.25, -1]]} (float32),
  // metadata={"format": "lstm-coding-optimizer", "format_version": "1"})` writes: u64 LE header
  // length, compact JSON (__metadata__ first, tensors of one dtype in name order), padded with
  // spaces to a multiple of 8, then the raw little-endian data.
  const headerText =
    '{"__metadata__":{"format":"lstm-coding-optimizer","format_version":"1"},' +
    '"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
    '"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}   ';
  const fixture = new Uint8Array([
    0xc0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, // 192
    ...new TextEncoder().encode(headerText),
    0x00,
    0x00,
    0x80,
    0x3f,
    0x00,
    0x00,
    0x00,
    0xc0, // bias: 1, -2
    0x00,
    0x00,
    0x00,
    0x3f,
    0x00,
    0x00,
    0x40,
    0x40,
    0x00,
    0x00,
    0x80,
    0x3e,
    0x00,
    0x00,
    0x80,
    0xbf, // weight: 0.5, 3, 0.25, -1
  ]);

  it('has the byte layout written out by hand', () => {
    expect(headerText.length).toBe(192);
    expect(fixture.length).toBe(8 + 192 + 24);
  });

  it('reads the fixture', () => {
    const { tensors: read, metadata, headerByteLength } = readSafetensors(fixture);
    expect(metadata).toEqual(META);
    expect(headerByteLength).toBe(192);
    expect([...read.keys()]).toEqual(['bias', 'weight']);
    expect(read.get('bias')).toEqual({ shape: [2], data: new Float32Array([1, -2]), fileDtype: 'F32' });
    expect(read.get('weight')!.shape).toEqual([2, 2]);
    expect([...read.get('weight')!.data]).toEqual([0.5, 3, 0.25, -1]);
  });

  it('writes the same bytes', () => {
    const written = writeSafetensors(
      tensors({
        weight: [
          [2, 2],
          [0.5, 3, 0.25, -1],
        ],
        bias: [[2], [1, -2]],
      }),
      {},
    );
    expect(written).toEqual(fixture);
  });

  it('reads an unpadded header with tensors listed out of offset order', () => {
    const file = buildFile(
      {
        b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        a: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
        __metadata__: META,
      },
      [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40],
      false,
    );
    const { tensors: read } = readSafetensors(file);
    expect(read.get('a')).toMatchObject({ shape: [], data: new Float32Array([1]) });
    expect(read.get('b')).toMatchObject({ shape: [1], data: new Float32Array([2]) });
  });
});

describe('writeSafetensors', () => {
  it('round-trips shapes, values, empty and scalar tensors and extra metadata', () => {
    const values = Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i) * 10));
    const input = tensors({ 'enc/l0/kernel': [[2, 3, 4], values], scalar: [[], [7.5]], empty: [[0, 3], []] });
    const bytes = writeSafetensors(input, { architecture_hash: '0123456789abcdef' });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    expect(bytes[8 + headerLength - 1]).toBe(0x20);
    const { tensors: read, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ ...META, architecture_hash: '0123456789abcdef' });
    expect([...read.keys()]).toEqual(['empty', 'enc/l0/kernel', 'scalar']);
    expect([...read.get('enc/l0/kernel')!.data]).toEqual(values);
    expect(read.get('enc/l0/kernel')!.shape).toEqual([2, 3, 4]);
    expect(read.get('scalar')!.data).toEqual(new Float32Array([7.5]));
    expect(read.get('empty')!.data.length).toBe(0);
  });

  it('refuses data that could not be read back', () => {
    expect(() =>
      writeSafetensors(
        tensors({
          w: [
            [2, 2],
            [1, 2, 3],
          ],
        }),
      ),
    ).toThrow('shape [2, 2] needs 4 values, data has 3');
    expect(() => writeSafetensors(tensors({ w: [[3], [1, NaN, 3]] }))).toThrow('tensor "w" contains NaN at index 1');
  });
});

describe('readSafetensors refuses bad files', () => {
  it('names the seed file for what it is: raw float32 values, no header', () => {
    // 1 MiB of raw float32 values. The first two, read as a u64, give 0xbe0d9e84_3efe4f76 ≈ 1.4e19.
    const raw = new Float32Array(262144);
    for (let i = 0; i < raw.length; i++) raw[i] = Math.sin(i * 12.9898) * 1.7;
    raw[0] = 0.4967;
    raw[1] = -0.1383;
    const error = errorOf(() => readSafetensors(new Uint8Array(raw.buffer)));
    expect(error.file).toBe('lstm_weights.bin');
    expect(error.message).toMatch(
      /^lstm_weights\.bin: no safetensors header \(the first 8 bytes give a header length of 1\.4e19 bytes, larger than the 1048576-byte file\); this looks like raw float32 data \(262144 values\), not a lstm-coding-optimizer weights file\. Get a valid file from public\/models\/ or train one with `npm run cli -- train`$/,
    );
    expect(error.message).not.toContain('\n');
  });

  it('does not call random bytes float32 data', () => {
    const bytes = new Uint8Array(4096);
    let state = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
    bytes.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    const message = errorOf(() => readSafetensors(bytes, 'x.bin')).message;
    expect(message).toContain('x.bin: no safetensors header');
    expect(message).toContain('this is not a lstm-coding-optimizer weights file');
  });

  it('refuses a file too short for a header', () => {
    expect(errorOf(() => readSafetensors(new Uint8Array(5))).problem).toContain(
      'the file is 5 bytes, too short for a safetensors file',
    );
  });

  it('refuses a header that is not JSON, or not an object', () => {
    const notJson = buildFile({}, []);
    notJson.set(new TextEncoder().encode('{"a": '), 8);
    expect(errorOf(() => readSafetensors(notJson)).problem).toMatch(/^the safetensors header is not valid JSON \(/);
    expect(errorOf(() => readSafetensors(buildFile([1, 2], []))).problem).toBe(
      'no safetensors header (the 8 header bytes do not start with a JSON object); this is not a lstm-coding-optimizer weights file',
    );
    const nullHeader = buildFile({}, []);
    nullHeader.set(new TextEncoder().encode(' {}[]   '), 8);
    expect(errorOf(() => readSafetensors(nullHeader)).problem).toMatch(/^the safetensors header is not valid JSON/);
  });

  it('says which metadata is missing or wrong', () => {
    const entry = { w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    const data = [0, 0, 0x80, 0x3f];
    expect(errorOf(() => readSafetensors(buildFile(entry, data))).problem).toContain(
      'the safetensors header has no __metadata__',
    );
    expect(errorOf(() => readSafetensors(buildFile({ ...entry, __metadata__: { format: 'pt' } }, data))).problem).toBe(
      '__metadata__.format is "pt", expected "lstm-coding-optimizer": this safetensors file was not written by this project',
    );
    const newer = errorOf(() =>
      readSafetensors(buildFile({ ...entry, __metadata__: { ...META, format_version: '2' } }, data)),
    );
    expect(newer.problem).toBe('__metadata__.format_version is "2", but this app reads "1"');
    expect(newer.fix).toContain('Update the app');
    expect(
      errorOf(() => readSafetensors(buildFile({ ...entry, __metadata__: { ...META, format_version: 'one' } }, data)))
        .problem,
    ).toBe('__metadata__.format_version is "one", expected an integer string: "1"');
    expect(
      errorOf(() => readSafetensors(buildFile({ ...entry, __metadata__: { ...META, epochs: 3 } }, data))).problem,
    ).toBe('__metadata__.epochs is a number, but safetensors metadata values must be strings');
  });

  it('refuses a truncated file, naming the tensor and the sizes', () => {
    const whole = writeSafetensors(tensors({ a: [[2], [1, 2]], b: [[3], [1, 2, 3]] }));
    const error = errorOf(() => readSafetensors(whole.subarray(0, whole.length - 4)));
    expect(error.problem).toBe(
      `the file is truncated: tensor "b" ends at byte 20 of the data section, which has only 16 bytes (the file is ${whole.length - 4} bytes, it should be ${whole.length})`,
    );
  });

  it('refuses overlapping, non-contiguous and trailing data', () => {
    const meta = { __metadata__: META };
    const data = new Uint8Array(16);
    const overlap = buildFile(
      {
        ...meta,
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      },
      data.subarray(0, 12),
    );
    expect(errorOf(() => readSafetensors(overlap)).problem).toBe(
      'tensors "a" and "b" overlap (data_offsets [0, 8] and [4, 12])',
    );
    const gap = buildFile(
      {
        ...meta,
        a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
      },
      data.subarray(0, 12),
    );
    expect(errorOf(() => readSafetensors(gap)).problem).toBe(
      'the data section has a gap: bytes 4 to 8 belong to no tensor (before tensor "b")',
    );
    const trailing = buildFile(
      { ...meta, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      data.subarray(0, 12),
    );
    expect(errorOf(() => readSafetensors(trailing)).problem).toBe(
      'the file has 8 bytes after the last tensor that belong to no tensor',
    );
  });

  it('refuses sizes that do not match dtype and shape, and unknown dtypes', () => {
    const meta = { __metadata__: META };
    const size = buildFile({ ...meta, w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(20));
    expect(errorOf(() => readSafetensors(size)).problem).toBe(
      'tensor "w" holds 20 bytes, but dtype F32 with shape [2, 3] needs 24',
    );
    const unknown = buildFile({ ...meta, w: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(errorOf(() => readSafetensors(unknown)).problem).toBe(
      'tensor "w" has unknown dtype "F33" (this model reads F32, F16, BF16 and F64)',
    );
    const int = buildFile({ ...meta, w: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(errorOf(() => readSafetensors(int)).problem).toContain('has unsupported dtype "I32"');
    const shape = buildFile({ ...meta, w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(errorOf(() => readSafetensors(shape)).problem).toContain('has an invalid shape [-1]');
  });

  it('names the tensor and index of the first NaN or Infinity', () => {
    const values = [0, 1, 2, 3, 4, NaN];
    const bytes = buildFile(
      { __metadata__: META, w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] } },
      new Uint8Array(new Float32Array(values).buffer),
    );
    const error = errorOf(() => readSafetensors(bytes, 'model.bin'));
    expect(error.message).toMatch(/^model\.bin: tensor "w" contains NaN at index 5 \(position \[1, 2\]\)\. /);
    const inf = buildFile(
      { __metadata__: META, v: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } },
      [0, 0x3c, 0, 0xfc],
    );
    expect(errorOf(() => readSafetensors(inf)).problem).toBe('tensor "v" contains -Infinity at index 1');
  });
});

describe('other float dtypes', () => {
  it('widens F16 to float32 exactly', () => {
    // 1, -2, 1/3 rounded to half, smallest subnormal, largest half
    const halves = [0x3c00, 0xc000, 0x3555, 0x0001, 0x7bff];
    const data = new Uint8Array(halves.flatMap((h) => [h & 0xff, h >> 8]));
    const { tensors: read } = readSafetensors(
      buildFile({ __metadata__: META, h: { dtype: 'F16', shape: [5], data_offsets: [0, 10] } }, data),
    );
    expect(read.get('h')!.fileDtype).toBe('F16');
    expect([...read.get('h')!.data]).toEqual([1, -2, 0.333251953125, 2 ** -24, 65504]);
  });

  it('widens BF16 and narrows F64', () => {
    const bf16 = buildFile(
      { __metadata__: META, b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } },
      [0x80, 0x3f, 0x40, 0xc0],
    );
    expect([...readSafetensors(bf16).tensors.get('b')!.data]).toEqual([1, -3]);
    const f64 = new Float64Array([0.1, -1e-3]);
    const file = buildFile(
      { __metadata__: META, d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } },
      new Uint8Array(f64.buffer),
    );
    expect([...readSafetensors(file).tensors.get('d')!.data]).toEqual([Math.fround(0.1), Math.fround(-1e-3)]);
    const big = buildFile(
      { __metadata__: META, d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } },
      new Uint8Array(new Float64Array([1, 1e300]).buffer),
    );
    expect(errorOf(() => readSafetensors(big)).problem).toBe(
      'tensor "d" (F64) holds 1e+300 at index 1, which does not fit in float32',
    );
  });
});

describe('checking tensors against a model', () => {
  const found = new Map([
    ['a', { shape: [2, 3] }],
    ['b', { shape: [4] }],
    ['extra', { shape: [1] }],
  ]);
  const expected = { a: [2, 3], b: [5], c: [7, 7] };

  it('lists missing, unexpected and misshapen tensors', () => {
    expect(checkTensorsAgainst(expected, found)).toEqual([
      'tensor "b" has shape [4], expected [5]',
      'missing tensor "c" (expected shape [7, 7])',
      'unexpected tensor "extra" (shape [1])',
    ]);
    expect(checkTensorsAgainst({ a: [2, 3] }, new Map([['a', { shape: [2, 3] }]]))).toEqual([]);
  });

  it('throws one error that summarises them', () => {
    const error = errorOf(() => assertTensorsMatch(expected, found, 'w.bin', 'cfg.toml'));
    expect(error.message).toBe(
      'w.bin: 3 tensor problems against the model built from cfg.toml: tensor "b" has shape [4], expected [5]; missing tensor "c" (expected shape [7, 7]); unexpected tensor "extra" (shape [1]). Use the cfg.toml that was saved with these weights, or retrain with `npm run cli -- train`',
    );
    expect(() => assertTensorsMatch({ a: [2, 3] }, new Map([['a', { shape: [2, 3] }]]))).not.toThrow();
  });
});
