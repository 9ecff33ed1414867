// The weights file, lstm_weights.bin, in the safetensors layout (docs/design.md#weights-file):
//   8-byte little-endian header length N | N bytes of UTF-8 JSON, space-padded | raw LE tensor bytes.
// The same bytes load in Python with `safetensors.numpy.load_file`. The reader checks everything it
// can, because a wrong file must be refused with a message that says what is wrong and what to do,
// never turned into a model that silently answers garbage.

/** The `format` value every weights file of this project carries in `__metadata__`. */
const WEIGHTS_FORMAT = 'lstm-coding-optimizer';
/** The `format_version` this code writes. */
const WEIGHTS_FORMAT_VERSION = 1;
/** The versions this code reads. */
const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1];

const DEFAULT_FIX = 'Get a valid file from public/models/ or train one with `npm run cli -- train`';
const TWO_32 = 4294967296;
/** Python's safetensors refuses headers above 100 MB; so do we (and it bounds what we decode). */
const MAX_HEADER_BYTES = 100_000_000;
const FLOAT32_MAX = 3.4028234663852886e38;
/** Far above any model here (the seed preset has a few dozen tensors). */
const MAX_TENSORS = 10_000;

/** A file that cannot be used as it is: which file, what is wrong, and how to fix it. */
export class ModelFileError extends Error {
  readonly file: string;
  readonly problem: string;
  readonly fix: string;
  constructor(file: string, problem: string, fix: string) {
    // One line, always: the CLI prints `error: <message>` and the UI shows it in a banner.
    super(`${file}: ${problem.replace(/\.$/, '')}. ${fix}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'ModelFileError';
    this.file = file;
    this.problem = problem;
    this.fix = fix;
  }
}

/** The dtypes the reader converts to float32; the writer always writes F32. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64';
const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };
/** Valid safetensors dtypes that a float model cannot use: named as unsupported, not unknown. */
const OTHER_SAFETENSORS_DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'U16',
  'I16',
  'U32',
  'I32',
  'U64',
  'I64',
  'C64',
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
];

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export interface LoadedTensor extends NamedTensor {
  /** The dtype stored in the file; `data` is always float32. */
  fileDtype: SafetensorsDtype;
}

export interface SafetensorsContents {
  /** Tensors in name order. */
  tensors: Map<string, LoadedTensor>;
  metadata: Record<string, string>;
  /** N, the JSON header's length in bytes (padding included). */
  headerByteLength: number;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Serialises float32 tensors. Tensors go in name order, as Python's safetensors orders tensors of
 * one dtype, so both writers give the same bytes for the same input. `format` and `format_version`
 * are filled in unless `metadata` sets them.
 */
export function writeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const fullMetadata: Record<string, string> = {
    format: WEIGHTS_FORMAT,
    format_version: String(WEIGHTS_FORMAT_VERSION),
    ...metadata,
  };
  for (const [key, value] of Object.entries(fullMetadata)) {
    if (typeof value !== 'string')
      throw new Error(`safetensors metadata values must be strings: ${key} is a ${typeof value}`);
  }
  const names = [...tensors.keys()].sort();
  // Built as text, not as an object, so a tensor named "__proto__" cannot touch a prototype.
  const headerParts = [`"__metadata__":${JSON.stringify(fullMetadata)}`];
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors.get(name)!;
    if (name === '' || name === '__metadata__') throw new Error(`invalid tensor name ${JSON.stringify(name)}`);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new Error(`tensor "${name}": invalid shape ${formatShape(shape)}`);
    if (elementCount(shape) !== data.length) {
      throw new Error(
        `tensor "${name}": shape ${formatShape(shape)} needs ${elementCount(shape)} values, data has ${data.length}`,
      );
    }
    const bad = firstNonFinite(data);
    if (bad >= 0)
      throw new Error(
        `tensor "${name}" contains ${data[bad]} at index ${bad}; refusing to write a file that cannot be loaded`,
      );
    const entry = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + data.length * 4] };
    headerParts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(`{${headerParts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8; // pad with spaces so tensor data is 8-aligned
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    if (HOST_IS_LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat32(position + i * 4, data[i], true);
    }
    position += data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses and validates a weights file; every tensor comes back as float32. */
export function readSafetensors(input: Uint8Array, fileName = 'lstm_weights.bin'): SafetensorsContents {
  // A Node Buffer is a Uint8Array whose slice() is a view, not a copy: work on a plain Uint8Array.
  const bytes =
    input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const fail = (problem: string, fix = DEFAULT_FIX) => new ModelFileError(fileName, problem, fix);
  if (bytes.length < 8) {
    throw fail(
      `the file is ${bytes.length} bytes, too short for a safetensors file (an 8-byte header length, a JSON header, then tensor data)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A u64 read as a number: exact below 2^53, and only printed above it.
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * TWO_32;
  const noHeader = (why: string) => fail(`no safetensors header (${why}); ${describeHeaderlessBytes(bytes)}`);
  if (headerLength > bytes.length) {
    throw noHeader(
      `the first 8 bytes give a header length of ${formatBigNumber(headerLength)} bytes, larger than the ${bytes.length}-byte file`,
    );
  }
  if (headerLength > bytes.length - 8 || headerLength > MAX_HEADER_BYTES) {
    throw noHeader(
      `the first 8 bytes give a header length of ${headerLength} bytes, more than the ${bytes.length - 8} bytes that follow`,
    );
  }
  if (headerLength < 2) throw noHeader(`the first 8 bytes give a header length of ${headerLength} bytes`);

  let headerText: string;
  try {
    headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw noHeader(`the ${headerLength} header bytes are not UTF-8 text`);
  }
  if (!headerText.trimStart().startsWith('{'))
    throw noHeader(`the ${headerLength} header bytes do not start with a JSON object`);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    throw fail(`the safetensors header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw fail(
      `the safetensors header is JSON but not an object (found ${Array.isArray(header) ? 'an array' : String(header)})`,
    );
  }
  const record = header as Record<string, unknown>;
  const metadata = readMetadata(record.__metadata__, fail);
  const count = Object.keys(record).length - (record.__metadata__ === undefined ? 0 : 1);
  if (count > MAX_TENSORS) {
    // Checked before each entry is: 80,000 of them took seconds (fuzz weights case 4868).
    throw fail(
      `the header lists ${count} tensors; a weights file of this project holds a few dozen (at most ${MAX_TENSORS} are read)`,
    );
  }

  const entries = Object.keys(record)
    .filter((name) => name !== '__metadata__')
    .map((name) => readHeaderEntry(name, record[name], fail));
  checkOffsets(entries, bytes.length - 8 - headerLength, bytes.length, fail);

  const dataStart = 8 + headerLength;
  const tensors = new Map<string, LoadedTensor>();
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const data = decodeTensor(bytes, view, dataStart + entry.begin, entry, fail);
    const bad = firstNonFinite(data);
    if (bad >= 0) {
      throw fail(
        `tensor "${entry.name}" contains ${data[bad]} at index ${bad}${positionOf(bad, entry.shape)}`,
        'The weights are corrupt, e.g. from a training run whose loss became NaN; retrain, or use a checkpoint from before that',
      );
    }
    tensors.set(entry.name, { shape: entry.shape, data, fileDtype: entry.dtype });
  }
  return { tensors, metadata, headerByteLength: headerLength };
}

type Fail = (problem: string, fix?: string) => ModelFileError;

function readMetadata(raw: unknown, fail: Fail): Record<string, string> {
  if (raw === undefined) {
    throw fail(
      `the safetensors header has no __metadata__, so this is not a ${WEIGHTS_FORMAT} weights file (expected __metadata__.format "${WEIGHTS_FORMAT}")`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw fail('__metadata__ is not a JSON object of strings');
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      // Not String() (an object such as {"toString": 1} cannot become a string: fuzz weights case 481), nor
      // JSON.stringify (a value nested 100,000 deep overflows the stack: weights case 191).
      const found =
        value === null
          ? 'null'
          : Array.isArray(value)
            ? 'an array'
            : typeof value === 'object'
              ? 'an object'
              : `a ${typeof value}`;
      const asText =
        value === null ? 'null' : Array.isArray(value) ? '[…]' : typeof value === 'object' ? '{…}' : String(value);
      throw fail(
        `__metadata__.${key} is ${found}, but safetensors metadata values must be strings`,
        `Write it as a string, e.g. "${key}": ${JSON.stringify(asText.length > 40 ? `${asText.slice(0, 40)}…` : asText)}`,
      );
    }
    metadata[key] = value;
  }
  if (metadata.format !== WEIGHTS_FORMAT) {
    const found = metadata.format === undefined ? 'missing' : `"${metadata.format}"`;
    throw fail(
      `__metadata__.format is ${found}, expected "${WEIGHTS_FORMAT}": this safetensors file was not written by this project`,
    );
  }
  const version = metadata.format_version;
  const supported = SUPPORTED_FORMAT_VERSIONS.map((v) => `"${v}"`).join(' or ');
  if (version === undefined || !/^[0-9]+$/.test(version)) {
    throw fail(
      `__metadata__.format_version is ${version === undefined ? 'missing' : `"${version}"`}, expected an integer string: ${supported}`,
    );
  }
  if (!SUPPORTED_FORMAT_VERSIONS.includes(Number(version))) {
    const newest = Math.max(...SUPPORTED_FORMAT_VERSIONS);
    throw fail(
      `__metadata__.format_version is "${version}", but this app reads ${supported}`,
      Number(version) > newest
        ? 'Update the app, or export the weights again with this version'
        : `Convert the file to version ${newest} or train again with \`npm run cli -- train\``,
    );
  }
  return metadata;
}

function readHeaderEntry(name: string, raw: unknown, fail: Fail): HeaderEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw fail(`header entry "${name}" is not a {dtype, shape, data_offsets} object`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') throw fail(`tensor "${name}" has no dtype string`);
  // An own key: `in` would take "constructor" or "toString" for a dtype (fuzz weights cases).
  if (!Object.prototype.hasOwnProperty.call(DTYPE_BYTES, dtype)) {
    const kind = OTHER_SAFETENSORS_DTYPES.includes(dtype) ? 'unsupported' : 'unknown';
    throw fail(
      `tensor "${name}" has ${kind} dtype "${dtype}" (this model reads F32, F16, BF16 and F64)`,
      'Save the weights as F32',
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(
      `tensor "${name}" has an invalid shape ${JSON.stringify(shape)} (expected a list of non-negative integers)`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw fail(
      `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end] with 0 <= begin <= end)`,
    );
  }
  const typedDtype = dtype as SafetensorsDtype;
  const needed = elementCount(shape) * DTYPE_BYTES[typedDtype];
  const [begin, end] = offsets as [number, number];
  if (end - begin !== needed) {
    throw fail(
      `tensor "${name}" holds ${end - begin} bytes, but dtype ${dtype} with shape ${formatShape(shape)} needs ${needed}`,
    );
  }
  return { name, dtype: typedDtype, shape: shape as number[], begin, end };
}

/** The tensors must tile the data section exactly, as the safetensors spec (and Python's loader) requires. */
function checkOffsets(entries: HeaderEntry[], dataLength: number, fileLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const last = sorted.reduce<HeaderEntry | undefined>((far, e) => (far && far.end >= e.end ? far : e), undefined);
  if (last && last.end > dataLength) {
    throw fail(
      `the file is truncated: tensor "${last.name}" ends at byte ${last.end} of the data section, which has only ${dataLength} bytes (the file is ${fileLength} bytes, it should be ${fileLength - dataLength + last.end})`,
      'The file was cut off while copying or downloading; copy it again, or get a valid file from public/models/',
    );
  }
  const damaged =
    'The file is damaged or was not written by a safetensors writer; get a valid file from public/models/ or train one with `npm run cli -- train`';
  let position = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    if (entry.begin < position && previous) {
      throw fail(
        `tensors "${previous.name}" and "${entry.name}" overlap (data_offsets [${previous.begin}, ${previous.end}] and [${entry.begin}, ${entry.end}])`,
        damaged,
      );
    }
    if (entry.begin > position) {
      throw fail(
        `the data section has a gap: bytes ${position} to ${entry.begin} belong to no tensor (before tensor "${entry.name}")`,
        damaged,
      );
    }
    position = entry.end;
    previous = entry;
  }
  if (position < dataLength) {
    throw fail(`the file has ${dataLength - position} bytes after the last tensor that belong to no tensor`, damaged);
  }
}

function decodeTensor(bytes: Uint8Array, view: DataView, start: number, entry: HeaderEntry, fail: Fail): Float32Array {
  const count = elementCount(entry.shape);
  if (entry.dtype === 'F32') {
    if (HOST_IS_LITTLE_ENDIAN) return new Float32Array(bytes.slice(start, start + count * 4).buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + i * 4, true);
    return out;
  }
  const out = new Float32Array(count);
  if (entry.dtype === 'F16') {
    const table = halfTable();
    for (let i = 0; i < count; i++) out[i] = table[view.getUint16(start + i * 2, true)];
  } else if (entry.dtype === 'BF16') {
    // bfloat16 is the top half of a float32: shift it back into place.
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(start + i * 2, true) << 16;
  } else {
    for (let i = 0; i < count; i++) {
      const value = view.getFloat64(start + i * 8, true);
      if (Math.abs(value) > FLOAT32_MAX && Number.isFinite(value)) {
        throw fail(
          `tensor "${entry.name}" (F64) holds ${value} at index ${i}, which does not fit in float32`,
          'Rescale or retrain the weights; this model computes in float32',
        );
      }
      out[i] = value;
    }
  }
  return out;
}

let halfToFloat: Float32Array | undefined;
/** All 65536 float16 values as float32, built once (subnormals, infinities and NaN included). */
function halfTable(): Float32Array {
  if (halfToFloat) return halfToFloat;
  halfToFloat = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    halfToFloat[h] =
      exponent === 0
        ? sign * fraction * 2 ** -24
        : exponent === 31
          ? fraction
            ? NaN
            : sign * Infinity
          : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return halfToFloat;
}

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** " (position [i, j])" for a flat index into a tensor of rank 2 or more. */
function positionOf(flat: number, shape: readonly number[]): string {
  if (shape.length < 2) return '';
  const position: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    position.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return ` (position ${formatShape(position)})`;
}

function formatBigNumber(n: number): string {
  return n >= 1e9 ? n.toExponential(1).replace('e+', 'e') : String(n);
}

/**
 * Says what a headerless file looks like. The seed shipped 262,144 raw normal float32 values under
 * this name: read as float32, such data has ordinary magnitudes almost everywhere, while text,
 * archives and random bytes spread over the whole exponent range.
 */
function describeHeaderlessBytes(bytes: Uint8Array): string {
  const notOurs = `not a ${WEIGHTS_FORMAT} weights file`;
  if (bytes.length % 4 !== 0) return `this is ${notOurs}`;
  const count = bytes.length / 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const step = Math.max(1, Math.floor(count / 65536));
  let sampled = 0;
  let ordinary = 0;
  for (let i = 0; i < count; i += step) {
    const magnitude = Math.abs(view.getFloat32(i * 4, true));
    sampled++;
    if (magnitude === 0 || (magnitude > 1e-30 && magnitude < 1e10)) ordinary++;
  }
  return ordinary >= 0.99 * sampled
    ? `this looks like raw float32 data (${count} values), ${notOurs}`
    : `this is ${notOurs}`;
}

/** Compares a file's tensors with the names and shapes a model expects; returns one line per problem. */
export function checkTensorsAgainst(
  expected: Record<string, readonly number[]>,
  tensors: ReadonlyMap<string, { shape: readonly number[] }>,
): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(expected).sort()) {
    const found = tensors.get(name);
    if (!found) problems.push(`missing tensor "${name}" (expected shape ${formatShape(expected[name])})`);
    else if (formatShape(found.shape) !== formatShape(expected[name])) {
      problems.push(`tensor "${name}" has shape ${formatShape(found.shape)}, expected ${formatShape(expected[name])}`);
    }
  }
  for (const [name, tensor] of [...tensors].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!Object.prototype.hasOwnProperty.call(expected, name))
      problems.push(`unexpected tensor "${name}" (shape ${formatShape(tensor.shape)})`);
  }
  return problems;
}

/** Throws one ModelFileError summarising checkTensorsAgainst's problems (the first few, then a count). */
export function assertTensorsMatch(
  expected: Record<string, readonly number[]>,
  tensors: ReadonlyMap<string, { shape: readonly number[] }>,
  fileName = 'lstm_weights.bin',
  configFile = 'model_config.toml',
): void {
  const problems = checkTensorsAgainst(expected, tensors);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 4).join('; ');
  const more = problems.length > 4 ? `; and ${problems.length - 4} more` : '';
  throw new ModelFileError(
    fileName,
    `${problems.length} tensor problem${problems.length === 1 ? '' : 's'} against the model built from ${configFile}: ${shown}${more}`,
    `Use the ${configFile} that was saved with these weights, or retrain with \`npm run cli -- train\``,
  );
}
