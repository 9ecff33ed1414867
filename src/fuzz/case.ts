// What every fuzz surface shares: a case is made from (seed, surface, index) alone, so `--case K`
// replays it without running the K before it; a case's verdict says how its input was handled.
import { InputError, Rng, deriveSeed, ModelFileError } from '../model';
import { ProtocolError } from '../worker/protocol';
import { NoUsableDataError } from '../worker/training-data';

export const SURFACE_NAMES = ['weights', 'config', 'tokenizer', 'jsonl', 'code', 'protocol'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

/** The outcomes a case can have. hung and leaked are decided by the runner, not the surface. */
export type Outcome = 'refused' | 'accepted' | 'crashed' | 'hung' | 'leaked';
export const OUTCOMES: readonly Outcome[] = ['refused', 'accepted', 'crashed', 'hung', 'leaked'];

/** What a surface says about one case. */
export interface Verdict {
  outcome: 'refused' | 'accepted' | 'crashed';
  /** The generator's name for the mutation, e.g. "header: data_offsets past the end". */
  mutation: string;
  /** The refusal message, what the acceptance check found, or the crash (name: message). */
  detail: string;
}

/** Shared, expensive things a surface may use (built once per runner thread). */
export interface FuzzContext {
  /** tf.memory().numTensors, for the leak check around each case. */
  numTensors(): number;
  /** Told what a case is before it runs, so that a case that hangs can still be named. */
  note(mutation: string): void;
}

export interface Surface<C extends FuzzContext = FuzzContext> {
  name: SurfaceName;
  /** One case: the input is made from the rng alone and fed to the same code the app and CLI use. */
  run(rng: Rng, index: number, context: C): Promise<Verdict>;
}

/** The rng of case `index` of `surface`: independent of every other case. */
export function caseRng(seed: number, surface: SurfaceName, index: number): Rng {
  return new Rng(deriveSeed(seed, `fuzz:${surface}:${index}`));
}

/**
 * An error of ours whose text names the problem: the loaders' ModelFileError (which starts with the
 * file's name), the model's InputError (NotPythonError included), the training data's
 * NoUsableDataError and the workers' ProtocolError. Anything else (a TypeError from deep inside,
 * a RangeError, a tfjs shape error) is a crash, whatever its message.
 */
export function isClearRefusal(error: unknown): error is Error {
  if (!(error instanceof Error) || error.message.trim().length < 12) return false;
  if (error instanceof ModelFileError) return error.message.startsWith(error.file) && error.problem.trim() !== '';
  return error instanceof InputError || error instanceof NoUsableDataError || error instanceof ProtocolError;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `thrown non-error: ${String(error)}`;
}

/** The verdict for an error thrown by the code under test. */
export function verdictOfError(mutation: string, error: unknown): Verdict {
  return isClearRefusal(error)
    ? { outcome: 'refused', mutation, detail: error.message }
    : { outcome: 'crashed', mutation, detail: describeError(error) };
}

// ---- small helpers for generators ----

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.nextInt(items.length)]!;
}

export function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextInt(256);
  return out;
}

/** Numbers that break code: zero, negatives, fractions, huge, unsafe, special floats. */
export const NASTY_NUMBERS: readonly number[] = [
  0,
  -1,
  -0,
  1,
  2,
  3,
  0.5,
  -0.5,
  1e-300,
  255,
  256,
  65535,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 1,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -(2 ** 31),
  -(2 ** 53),
];

/** JSON values of every type, for "this field has the wrong type". */
export function nastyJsonValue(rng: Rng, depth = 0): unknown {
  switch (rng.nextInt(depth > 2 ? 7 : 10)) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return pick(rng, NASTY_NUMBERS);
    case 3:
      return pick(rng, [
        '',
        ' ',
        '\u0000',
        'x'.repeat(rng.nextInt(3) === 0 ? 100_000 : 5),
        '__proto__',
        'constructor',
        '\ud800',
        '🐍',
        '1',
        'NaN',
        'F32',
        'fix',
      ]);
    case 4:
      return rng.nextInt(1_000_000) - 500_000;
    case 5:
      return rng.uniform(-10, 10);
    case 6:
      return String.fromCharCode(...Array.from({ length: rng.nextInt(20) }, () => rng.nextInt(0x10000)));
    case 7:
      return Array.from({ length: rng.nextInt(4) }, () => nastyJsonValue(rng, depth + 1));
    case 8:
      return Object.fromEntries(
        Array.from({ length: rng.nextInt(3) }, (_, i) => [
          pick(rng, ['a', '__proto__', 'constructor', 'toString', `k${i}`]),
          nastyJsonValue(rng, depth + 1),
        ]),
      );
    default:
      return {};
  }
}

/** `[[[...]]]` or `{"a":{"a":...}}` nested `depth` deep, as text. */
export function deepJson(depth: number, objects: boolean): string {
  return objects ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

/** Text with bytes that are not UTF-8 (lone continuation bytes, overlongs, surrogates, 0xFF). */
export const INVALID_UTF8: readonly Uint8Array[] = [
  new Uint8Array([0x80]),
  new Uint8Array([0xff]),
  new Uint8Array([0xc0, 0xaf]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0xf4, 0x90, 0x80, 0x80]),
  new Uint8Array([0xe2, 0x82]),
  new Uint8Array([0xfe, 0xfe, 0xff]),
];

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Decodes bytes as a browser's File.text() and Node's readFileSync(…, 'utf8') do: bad bytes become U+FFFD. */
export function decodeLikeAHost(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
