// The `jsonl` surface: training files with one bad part among good lines, read by parseJsonl (the
// CLI's eval and dataset path) and by the training worker's prepareData (the browser's JSONL
// upload). Refused: each bad line is reported with its own line number and a reason, the good lines
// kept (or NoUsableDataError when nothing is left). Accepted: the line became an example whose
// fields are the line's own and which the model can encode.
import { exampleTokens, type Example } from '../data/examples';
import { parseJsonl, toJsonl } from '../data/jsonl';
import type { Rng } from '../model';
import { prepareData } from '../worker/training-data';
import {
  INVALID_UTF8,
  concatBytes,
  decodeLikeAHost,
  deepJson,
  describeError,
  isClearRefusal,
  nastyJsonValue,
  pick,
  randomBytes,
  type Surface,
  type Verdict,
} from './case';

const GOOD: readonly Example[] = [
  { task: 'fix', input: 'def f(x)\n    return x\n', target: 'def f(x):\n    return x\n', class: 'missing_colon' },
  { task: 'complete', input: 'def f(x):\n', target: '    return x' },
  {
    task: 'generate',
    input: 'def f(x):\n    """Identity."""\n',
    target: 'def f(x):\n    """Identity."""\n    return x\n',
  },
  {
    task: 'fix',
    input: 'def total(items):\n    s = 0\n    for i in items:\n        s += i\n    return s\n',
    target: 'def total(items):\n    s = 0\n    for i in items:\n        s += i\n    return s\n',
    class: 'no_bug',
  },
];
const FILE = 'fuzz.jsonl';

const WRONG_STRINGS = [
  '',
  ' ',
  '\n',
  '\u0000',
  'x',
  'def',
  'def f(:',
  '\ud800',
  '\ufeff',
  'SELECT * FROM t;',
  '<html></html>',
  'def f():\n\tif x:\n        pass\n',
  'def f():\n    return "unterminated\n',
];
const WRONG_TASKS = [
  'Fix',
  ' fix',
  'fix ',
  'FIX',
  'translate',
  '',
  'fix\u0000',
  'complete\n',
  '__proto__',
  'constructor',
  'toString',
];

type Mutation = (rng: Rng) => string;
const asLine = (value: unknown) => JSON.stringify(value) ?? 'undefined';
const base = (rng: Rng): Record<string, unknown> => ({ ...pick(rng, GOOD) });

const MUTATIONS: [string, Mutation][] = [
  [
    'a field of the wrong type',
    (rng) => {
      const record = base(rng);
      record[pick(rng, ['task', 'input', 'target', 'class'])] = nastyJsonValue(rng);
      return asLine(record);
    },
  ],
  [
    'a field missing',
    (rng) => {
      const record = base(rng);
      delete record[pick(rng, ['task', 'input', 'target'])];
      return asLine(record);
    },
  ],
  ['an unknown or miscased task', (rng) => asLine({ ...base(rng), task: pick(rng, WRONG_TASKS) })],
  [
    'input or target that is not a usable example',
    (rng) => asLine({ ...base(rng), [pick(rng, ['input', 'target'])]: pick(rng, WRONG_STRINGS) }),
  ],
  [
    'input and target swapped between tasks',
    (rng) => asLine({ ...base(rng), task: pick(rng, ['fix', 'complete', 'generate']) }),
  ],
  [
    'extra keys and "__proto__" keys',
    (rng) => {
      const line = asLine({ ...base(rng), extra: nastyJsonValue(rng) });
      return rng.next() < 0.5 ? line.replace(/^\{/, `{"__proto__":${asLine(base(rng))},`) : line;
    },
  ],
  [
    'a key written twice',
    (rng) => {
      const key = pick(rng, ['task', 'input', 'target', 'class']);
      return asLine(base(rng)).replace(/\}$/, `,${JSON.stringify(key)}:${asLine(nastyJsonValue(rng))}}`);
    },
  ],
  [
    'a huge line',
    (rng) => {
      const size = pick(rng, [100_000, 1_000_000, 2_000_000]);
      const field = pick(rng, ['input', 'target', 'class', 'padding']);
      const unit = pick(rng, ['x', 'a = 1\n', '(', '"', ' ', '    ', '\t']);
      return asLine({ ...base(rng), [field]: unit.repeat(Math.ceil(size / unit.length)) });
    },
  ],
  [
    'a value that is not an object',
    (rng) => pick(rng, ['[]', '[1, 2]', '1', '"fix"', 'null', 'true', '{}', asLine([base(rng)])]),
  ],
  [
    'not JSON',
    (rng) => {
      const line = asLine(base(rng));
      return pick(rng, [
        line.slice(0, rng.nextInt(line.length)),
        `${line},`,
        line.replace(/"/g, "'"),
        line.replace(/:/, '='),
        `${line}${line}`,
        'NaN',
        '{task: "fix"}',
        '\u0000',
        `${line}\u0000`,
      ]);
    },
  ],
  [
    'deeply nested JSON',
    (rng) => {
      const deep = deepJson(pick(rng, [1000, 100_000, 1_000_000]), rng.next() < 0.5);
      return rng.next() < 0.5 ? deep : asLine(base(rng)).replace(/\}$/, `,"deep":${deep}}`);
    },
  ],
  [
    'bytes that are not UTF-8',
    (rng) => {
      const bytes = new TextEncoder().encode(asLine(base(rng)));
      const at = rng.nextInt(bytes.length);
      return decodeLikeAHost(concatBytes(bytes.subarray(0, at), pick(rng, INVALID_UTF8), bytes.subarray(at)));
    },
  ],
  ['a byte-order mark', (rng) => `\ufeff${asLine(base(rng))}`],
  [
    'CR, CRLF and Unicode line breaks',
    (rng) => {
      const line = asLine(base(rng));
      return pick(rng, [
        `${line}\r`,
        line.replace(/,/, ',\r'),
        line.replace(/,/, ',\r\n'),
        line.replace(/\\n/g, '\\r\\n'),
        line.replace(/\\n/g, '\u2028'),
        line.replace(/\\n/g, '\\u2028'),
        line.replace(/\\n/g, '\\r'),
      ]);
    },
  ],
  ['random bytes', (rng) => decodeLikeAHost(randomBytes(rng, pick(rng, [1, 16, 256, 4096])))],
];

/** How many physical lines parseJsonl sees in a text. */
const lineCount = (text: string) => text.split(/\r?\n/).length;

export const jsonlSurface: Surface = {
  name: 'jsonl',
  async run(rng, _index, context): Promise<Verdict> {
    const [mutation, mutate] = pick(rng, MUTATIONS);
    const bad = mutate(rng);
    const before = Array.from({ length: rng.nextInt(3) }, () => pick(rng, GOOD));
    const after = Array.from({ length: rng.nextInt(3) }, () => pick(rng, GOOD));
    const crlf = rng.next() < 0.2;
    const head = toJsonl(before);
    const text = `${crlf ? head.replace(/\n/g, '\r\n') : head}${bad}\n${toJsonl(after)}`;
    const first = lineCount(head);
    const last = first + lineCount(bad) - 1;
    context.note(`${mutation}: ${bad.slice(0, 300)}`);
    let parsed;
    try {
      parsed = parseJsonl(text, FILE);
    } catch (error) {
      return { outcome: 'crashed', mutation, detail: `parseJsonl threw ${describeError(error)}` };
    }
    try {
      prepareData({
        source: { kind: 'jsonl', files: [{ name: FILE, text }] },
        validationPercent: 10,
        seed: 1,
        maxTokens: 100,
      });
    } catch (error) {
      if (!isClearRefusal(error))
        return { outcome: 'crashed', mutation, detail: `prepareData threw ${describeError(error)}` };
    }
    const stray = parsed.problems.find(
      (p) => p.line < first || p.line > last || p.file !== FILE || p.reason.trim().length < 8,
    );
    if (stray)
      return {
        outcome: 'crashed',
        mutation,
        detail: `a problem outside the bad line(s) ${first}-${last} or without a reason: ${stray.line}: ${stray.reason}`,
      };
    const good = [...before, ...after];
    const fromBad = parsed.examples.length - good.length;
    const kept = [...parsed.examples.slice(0, before.length), ...parsed.examples.slice(before.length + fromBad)];
    if (fromBad < 0 || JSON.stringify(kept) !== JSON.stringify(good))
      return { outcome: 'crashed', mutation, detail: 'a good line was lost or changed' };
    if (parsed.problems.length > 0)
      return {
        outcome: 'refused',
        mutation,
        detail: `${FILE}:${parsed.problems[0]!.line}: ${parsed.problems[0]!.reason}`,
      };
    // Accepted: what the bad part became must be the line's own fields, and encodable.
    const made = parsed.examples.slice(before.length, before.length + fromBad);
    for (const example of made) {
      try {
        exampleTokens(example);
      } catch (error) {
        return {
          outcome: 'crashed',
          mutation,
          detail: `accepted an example the model cannot encode: ${describeError(error)}`,
        };
      }
      const again = parseJsonl(toJsonl([example]), FILE).examples[0];
      if (JSON.stringify(again) !== JSON.stringify(example))
        return { outcome: 'crashed', mutation, detail: 'an accepted example does not survive a write and a read' };
    }
    return {
      outcome: 'accepted',
      mutation,
      detail:
        made.length === 0
          ? 'blank line(s), ignored as the format allows'
          : `${made.length} example(s) whose fields are the line's own, encodable, and stable through toJsonl/parseJsonl`,
    };
  },
};
