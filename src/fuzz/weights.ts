// The `weights` surface: lstm_weights.bin files made bad in every way the safetensors layout allows,
// fed with a matching config and tokenizer to readModelFiles (what the app's loader and the CLI's
// load() run). A file that loads must also answer a request: that is how "accepted" is known to be
// a usable model, not just a parsed one.
import { type Rng, readModelFiles, type ModelFiles } from '../model';
import {
  NASTY_NUMBERS,
  INVALID_UTF8,
  concatBytes,
  deepJson,
  nastyJsonValue,
  pick,
  randomBytes,
  verdictOfError,
  type Surface,
  type Verdict,
} from './case';
import { answerProblem, modelFromHost, type ModelContext } from './context';

interface Parts {
  header: Record<string, unknown>;
  data: Uint8Array;
}

function split(weights: Uint8Array): Parts {
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + length))) as Record<string, unknown>;
  return { header, data: weights.slice(8 + length) };
}

/** The layout: 8-byte length, the header text space-padded to 8 bytes, the data. */
function join(headerText: string | Uint8Array, data: Uint8Array, lengthField?: (n: number) => Uint8Array): Uint8Array {
  const json = typeof headerText === 'string' ? new TextEncoder().encode(headerText) : headerText;
  const padded = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + padded).fill(0x20, 8);
  head.set(json, 8);
  const length = lengthField ? lengthField(padded) : u64(padded);
  head.set(length.subarray(0, 8), 0);
  return concatBytes(head, data);
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, n % 4294967296, true);
  view.setUint32(4, Math.floor(n / 4294967296) % 4294967296, true);
  return out;
}

type Entry = { dtype: string; shape: number[]; data_offsets: [number, number] };
const tensorNames = (p: Parts) => Object.keys(p.header).filter((k) => k !== '__metadata__');
const entryOf = (p: Parts, name: string) => p.header[name] as Entry;
const meta = (p: Parts) => p.header.__metadata__ as Record<string, unknown>;

/** Rewrites the data of one tensor in another float dtype (valid: the loader widens it). */
function convertTensor(p: Parts, name: string, dtype: 'BF16' | 'F64'): Parts {
  const order = tensorNames(p).sort((a, b) => entryOf(p, a).data_offsets[0] - entryOf(p, b).data_offsets[0]);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: meta(p) };
  for (const n of order) {
    const e = entryOf(p, n);
    let bytes = p.data.slice(e.data_offsets[0], e.data_offsets[1]);
    let entryDtype = e.dtype;
    if (n === name) {
      const floats = new Float32Array(bytes.buffer.slice(0));
      if (dtype === 'F64') {
        bytes = new Uint8Array(new Float64Array(floats).buffer);
      } else {
        const bits = new Uint32Array(floats.buffer);
        bytes = new Uint8Array(new Uint16Array(Array.from(bits, (b) => b >>> 16)).buffer);
      }
      entryDtype = dtype;
    }
    header[n] = { dtype: entryDtype, shape: e.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  return { header, data: concatBytes(...chunks) };
}

type Mutation = (rng: Rng, p: Parts, original: Uint8Array) => { name: string; bytes: Uint8Array };

const text = (p: Parts) => JSON.stringify(p.header);
const MUTATIONS: Mutation[] = [
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p)));
    const [which, value] = [rng.nextInt(2), p.data.length + 1 + rng.nextInt(rng.next() < 0.5 ? 8 : 1e9)];
    e.data_offsets[which] = value;
    if (which === 0 && rng.next() < 0.5) e.data_offsets[1] = value + (e.data_offsets[1] - e.data_offsets[0]);
    return { name: 'header: data_offsets past the end', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p)));
    e.data_offsets[rng.nextInt(2)] = -1 - rng.nextInt(1000);
    return { name: 'header: negative data_offsets', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const names = tensorNames(p);
    const a = entryOf(p, pick(rng, names));
    const b = entryOf(p, pick(rng, names));
    const shift = rng.nextInt(4) * 4;
    b.data_offsets = [a.data_offsets[0] + shift, a.data_offsets[0] + shift + (b.data_offsets[1] - b.data_offsets[0])];
    return { name: 'header: overlapping data_offsets', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const names = tensorNames(p);
    const a = entryOf(p, pick(rng, names));
    const b = entryOf(p, pick(rng, names));
    [a.data_offsets, b.data_offsets] = [b.data_offsets, a.data_offsets];
    return { name: 'header: two tensors swap data_offsets', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p))) as unknown as Record<string, unknown>;
    e.data_offsets = pick(rng, [
      [0],
      [0, 1, 2],
      [0.5, 4],
      ['0', '4'],
      null,
      'x',
      {},
      [NaN, 1],
      [1e308, 1e308 + 4],
      [2 ** 53, 2 ** 53 + 4],
      [4, 0],
    ]);
    return { name: 'header: data_offsets of the wrong form', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p))) as unknown as Record<string, unknown>;
    e.shape = pick(rng, [
      [2 ** 31, 2 ** 31],
      [2 ** 26, 2 ** 26, 2 ** 26],
      [2 ** 53],
      [2 ** 53 + 2],
      [1e308, 1e308],
      [-1, 4],
      [1.5],
      ['4'],
      4,
      null,
      [],
      [0],
      [0, 2 ** 40],
      Array.from({ length: 1000 }, () => 1),
      Array.from({ length: 64 }, () => 2),
      [[4]],
      [true],
    ]);
    return { name: 'header: huge, negative or malformed shape', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p))) as unknown as Record<string, unknown>;
    e.dtype = pick(rng, [
      'f32',
      'F32 ',
      'float32',
      'F16',
      'BF16',
      'F64',
      'I32',
      'U8',
      'BOOL',
      'F8_E4M3',
      'C64',
      '',
      '__proto__',
      'constructor',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      32,
      null,
    ]);
    return { name: 'header: wrong dtype', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const name = pick(rng, tensorNames(p));
    return {
      name: 'dtype: a tensor stored as BF16 or F64 (valid)',
      bytes: (() => {
        const q = convertTensor(p, name, pick(rng, ['BF16', 'F64'] as const));
        return join(text(q), q.data);
      })(),
    };
  },
  (rng, p) => {
    const name = pick(rng, tensorNames(p));
    const entry = JSON.stringify(p.header[name]);
    const other = JSON.stringify(p.header[pick(rng, tensorNames(p))]);
    const body = text(p);
    return {
      name: 'header: a tensor name twice',
      bytes: join(`${body.slice(0, -1)},${JSON.stringify(name)}:${rng.next() < 0.5 ? entry : other}}`, p.data),
    };
  },
  (rng, p) => {
    const depth = pick(rng, [1000, 100_000, 1_000_000]);
    const body = text(p);
    const where = rng.nextInt(3);
    const deep = deepJson(depth, rng.next() < 0.5);
    const header =
      where === 0 ? deep : where === 1 ? `${body.slice(0, -1)},"deep":${deep}}` : `{"__metadata__":${deep}}`;
    return { name: `header: JSON nested ${depth} deep`, bytes: join(header, p.data) };
  },
  (rng, p) => {
    const size = pick(rng, [100_000, 1_000_000, 4_000_000]);
    if (rng.next() < 0.5) meta(p).padding = 'x'.repeat(size);
    else
      for (let i = 0; i < size / 50; i++) p.header[`extra_${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
    return { name: 'header: huge JSON', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const body = new TextEncoder().encode(text(p));
    const at = 1 + rng.nextInt(body.length - 2);
    const bad = pick(rng, INVALID_UTF8);
    return {
      name: 'header: bytes that are not UTF-8',
      bytes: join(concatBytes(body.subarray(0, at), bad, body.subarray(at)), p.data),
    };
  },
  (rng, p) => {
    const lie = rng.nextInt(6);
    const field = (n: number) =>
      lie === 0
        ? u64(n + 1 + rng.nextInt(16))
        : lie === 1
          ? u64(Math.max(0, n - 1 - rng.nextInt(16)))
          : lie === 2
            ? u64(pick(rng, [0, 1, 2, 7]))
            : lie === 3
              ? randomBytes(rng, 8)
              : lie === 4
                ? u64(pick(rng, [2 ** 32, 2 ** 53, 2 ** 53 + 8, 100_000_001, 2 ** 63]))
                : u64(n + 8 * (1 + rng.nextInt(100)));
    return { name: 'length field: the header length lies', bytes: join(text(p), p.data, field) };
  },
  (rng, _p, original) => {
    const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
    const headerEnd = 8 + view.getUint32(0, true);
    const region = rng.nextInt(5);
    const at =
      region === 0
        ? rng.nextInt(8)
        : region === 1
          ? 8 + rng.nextInt(headerEnd - 8)
          : region === 2
            ? headerEnd
            : region === 3
              ? headerEnd + rng.nextInt(original.length - headerEnd)
              : original.length - 1 - rng.nextInt(4);
    return {
      name: `truncated in the ${['length field', 'header', 'header end', 'data', 'last bytes'][region]}`,
      bytes: original.slice(0, at),
    };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p)));
    const count = (e.data_offsets[1] - e.data_offsets[0]) / 4;
    if (count === 0) return { name: 'data: NaN in an empty tensor (unchanged)', bytes: join(text(p), p.data) };
    const view = new DataView(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    const bits = pick(rng, [0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff, 0x7f800000, 0xff800000]);
    const hits = 1 + rng.nextInt(3);
    for (let i = 0; i < hits; i++) view.setUint32(e.data_offsets[0] + 4 * rng.nextInt(count), bits, true);
    return {
      name: `data: ${bits === 0x7f800000 ? '+Inf' : bits === 0xff800000 ? '-Inf' : 'NaN'} in a tensor`,
      bytes: join(text(p), p.data),
    };
  },
  (rng, p) => {
    const m = meta(p);
    const key = pick(rng, ['architecture_hash', 'vocab_hash', 'format_version', 'format']);
    const value =
      key === 'format_version'
        ? pick(rng, ['2', '0', '01', '1.0', '', ' 1', '1e0', '99999999999999999999', '-1', undefined])
        : key === 'format'
          ? pick(rng, ['', 'lstm', 'LSTM-CODING-OPTIMIZER', 'pt', undefined])
          : pick(rng, [
              '0000000000000000',
              (m[key] as string).toUpperCase(),
              (m[key] as string).slice(1),
              '',
              undefined,
              `${m[key]} `,
            ]);
    if (value === undefined) delete m[key];
    else m[key] = value;
    return {
      name: `metadata lies: ${key}${value === undefined ? ' missing' : ` = ${JSON.stringify(value).slice(0, 24)}`}`,
      bytes: join(text(p), p.data),
    };
  },
  (rng, p) => {
    const kind = rng.nextInt(4);
    if (kind === 0) meta(p)[pick(rng, ['format', 'model_name', 'x'])] = nastyJsonValue(rng);
    else if (kind === 1) p.header.__metadata__ = nastyJsonValue(rng);
    else if (kind === 2) delete p.header.__metadata__;
    else meta(p)[`note_${rng.nextInt(100)}`] = 'an extra string (valid)';
    return {
      name: [
        'metadata: a value of the wrong type',
        '__metadata__ of the wrong type',
        '__metadata__ missing',
        'metadata: an extra key (valid)',
      ][kind]!,
      bytes: join(text(p), p.data),
    };
  },
  (rng, p) => {
    const name = pick(rng, [
      '__proto__',
      'constructor',
      'toString',
      '',
      ' ',
      'encoder.embedding\u0000',
      'x'.repeat(10_000),
      '\ud800',
    ]);
    const value = rng.next() < 0.5 ? { dtype: 'F32', shape: [0], data_offsets: [0, 0] } : nastyJsonValue(rng);
    const body = text(p);
    return {
      name: 'header: an odd tensor name',
      bytes: join(`${body.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(value ?? null)}}`, p.data),
    };
  },
  (rng, p) => {
    const body = new TextEncoder().encode(text(p));
    const flips = 1 + rng.nextInt(4);
    for (let i = 0; i < flips; i++) body[rng.nextInt(body.length)] ^= 1 << rng.nextInt(8);
    return { name: 'header: random bit flips', bytes: join(body, p.data) };
  },
  (rng, p) => {
    const flips = 1 + rng.nextInt(8);
    for (let i = 0; i < flips; i++) p.data[rng.nextInt(p.data.length)] ^= 1 << rng.nextInt(8);
    return { name: 'data: random bit flips', bytes: join(text(p), p.data) };
  },
  (rng, p) => {
    const extra = pick(rng, [1, 3, 4, 8, 4096]);
    return {
      name: 'data: bytes after the last tensor',
      bytes: join(text(p), concatBytes(p.data, randomBytes(rng, extra))),
    };
  },
  (rng, p) => {
    const e = entryOf(p, pick(rng, tensorNames(p)));
    const value = pick(rng, NASTY_NUMBERS);
    e.shape = e.shape.length > 0 ? e.shape.map((d, i) => (i === 0 ? value : d)) : [value];
    return { name: 'header: a shape that does not fit the offsets', bytes: join(text(p), p.data) };
  },
  (rng) => ({ name: 'random bytes', bytes: randomBytes(rng, pick(rng, [0, 1, 7, 8, 9, 64, 4096, 1 << 20])) }),
];

async function acceptedCheck(context: ModelContext, files: ModelFiles): Promise<string | null> {
  const model = modelFromHost(readModelFiles(files));
  try {
    const request = { task: 'fix' as const, mode: 'convergent' as const, code: 'def f(items):\n    return items[0]\n' };
    return answerProblem(request, await model.run(request));
  } finally {
    model.dispose();
  }
}

export const weightsSurface: Surface<ModelContext> = {
  name: 'weights',
  async run(rng, _index, context): Promise<Verdict> {
    const original = context.tinyFiles.weights;
    const mutate = MUTATIONS[rng.nextInt(MUTATIONS.length)]!;
    let mutation = 'generator';
    let files: ModelFiles;
    try {
      const made = mutate(rng, split(original), original);
      mutation = made.name;
      context.note(mutation);
      files = { ...context.tinyFiles, weights: made.bytes };
    } catch (error) {
      throw new Error(`the weights generator failed (${mutation}): ${(error as Error).message}`, { cause: error });
    }
    try {
      readModelFiles(files);
    } catch (error) {
      return verdictOfError(mutation, error);
    }
    try {
      const problem = await acceptedCheck(context, files);
      return problem === null
        ? {
            outcome: 'accepted',
            mutation,
            detail:
              'every check passed (header, offsets tile the data, all values finite, hashes, shapes) and the model answered a well-formed fix',
          }
        : { outcome: 'crashed', mutation, detail: `loaded, but the answer is malformed: ${problem}` };
    } catch (error) {
      return {
        outcome: 'crashed',
        mutation,
        detail: `loaded, but a request failed: ${(error as Error).name}: ${(error as Error).message}`,
      };
    }
  },
};
