// The `code` surface: text that is hard to read as Python, sent to the model's run() (what the CLI's
// `fix`, the worker and `eval` call) for fix, complete and generate in every mode. Refused: an
// InputError naming the problem. Accepted: a well-formed answer whose edits keep every other line
// of the input byte for byte (answerProblem). Most cases run on the tiny model (volume); every
// SHIPPED_EVERY-th on the shipped model.
import { MODES, type Mode, type RunRequest, type Task, type Rng, TASKS } from '../model';
import { decodeLikeAHost, pick, randomBytes, verdictOfError, type Surface, type Verdict } from './case';
import { answerProblem, type ModelContext } from './context';

/** One case in this many runs on the shipped model (10,000 cases: 200 on it). */
const SHIPPED_EVERY = 50;

const FUNCTION = 'def total(items):\n    s = 0\n    for item in items:\n        s += item\n    return s\n';
const PROSE = [
  'The quick brown fox jumps over the lazy dog.\nIt was the best of times, it was the worst of times.\n',
  '{"task": "fix", "input": "def f(x)", "target": 3}\n',
  '<!doctype html>\n<html><body><p>Hello</p></body></html>\n',
  '#include <stdio.h>\nint main(void) {\n    printf("hi\\n");\n    return 0;\n}\n',
  'SELECT name, count(*) FROM users WHERE age > 30 GROUP BY name;\n',
  '# Title\n\n- item one\n- item two\n\n```python\nprint(1)\n```\n',
  'fn main() {\n    let x: i32 = 5;\n    println!("{}", x);\n}\n',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n',
];

/** Code points from every general category: controls, marks, separators, RTL, surrogates, private use, noncharacters, emoji. */
const UNICODE_RANGES: [number, number][] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x300, 0x36f],
  [0x2000, 0x200f],
  [0x2028, 0x202e],
  [0x2066, 0x2069],
  [0xd800, 0xdfff],
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
  [0xfff0, 0xffff],
  [0x1f300, 0x1f6ff],
  [0x10000, 0x10ffff],
  [0x0590, 0x06ff],
  [0x4e00, 0x9fff],
  [0x0085, 0x0085],
  [0xfeff, 0xfeff],
  [0x1d400, 0x1d7ff],
  [0x0660, 0x0669],
  [0x00a0, 0x00ff],
];

function unicodeText(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = pick(rng, UNICODE_RANGES);
    const cp = low + rng.nextInt(high - low + 1);
    out += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return out;
}

function validLines(count: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < count; i++) {
    lines.push(`def f${i}(items):`, '    s = 0', '    for item in items:', '        s += item', '    return s');
  }
  return `${lines.slice(0, count).join('\n')}\n`;
}

type Generator = (rng: Rng) => string;
const GENERATORS: [string, Generator][] = [
  ['random bytes', (rng) => decodeLikeAHost(randomBytes(rng, 1 + rng.nextInt(pick(rng, [16, 256, 4096]))))],
  ['text that is not Python', (rng) => pick(rng, PROSE)],
  [
    'extreme nesting',
    (rng) => {
      const depth = pick(rng, [50, 500, 5000, 100_000]);
      const kind = rng.nextInt(3);
      if (kind === 0) return `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`;
      if (kind === 1) return `x = ${'['.repeat(depth)}\n`;
      const d = Math.min(depth, 2000);
      return (
        Array.from({ length: d }, (_, i) => `${'    '.repeat(i)}if x${i}:`).join('\n') + `\n${'    '.repeat(d)}pass\n`
      );
    },
  ],
  [
    'a huge line',
    (rng) => {
      const size = pick(rng, [10_000, 100_000, 1_000_000]);
      const unit = pick(rng, ['x + ', 'a', '"', ' ', '1, ', 'é']);
      return `def f(x):\n    return ${unit.repeat(Math.ceil(size / unit.length))}x\n`;
    },
  ],
  [
    'mixed tabs and spaces',
    (rng) =>
      FUNCTION.split('\n')
        .map((line) =>
          line.replace(/^( {4})+/, (m) =>
            rng.next() < 0.5 ? m.replace(/ {4}/g, '\t') : rng.next() < 0.5 ? ` \t${m}` : m,
          ),
        )
        .join('\n'),
  ],
  [
    'an unterminated string',
    (rng) => {
      const opener = pick(rng, ['"', "'", '"""', "'''", 'f"', "rb'", 'f"{', 'f"{x', '"\\']);
      const lines = FUNCTION.split('\n');
      const at = 1 + rng.nextInt(lines.length - 2);
      lines[at] = `${lines[at]} ${opener}${pick(rng, ['', 'abc', 'abc\\'])}`;
      return lines.join('\n');
    },
  ],
  [
    'every Unicode category',
    (rng) => {
      const text = unicodeText(rng, 1 + rng.nextInt(200));
      return rng.next() < 0.5 ? text : FUNCTION.replace('item', text.replace(/[\r\n]/g, ''));
    },
  ],
  [
    'NUL bytes',
    (rng) => {
      const chars = [...FUNCTION];
      const count = 1 + rng.nextInt(5);
      for (let i = 0; i < count; i++) chars.splice(rng.nextInt(chars.length + 1), 0, '\u0000');
      return chars.join('');
    },
  ],
  ['a file at or over 5,000 lines', (rng) => validLines(pick(rng, [4999, 5000, 5001, 20_000]))],
  [
    'CR and CRLF line ends, form feeds, a BOM',
    (rng) => {
      const text = FUNCTION.replace(/\n/g, pick(rng, ['\r\n', '\r', '\n\f', '\u2028', '\u0085', '\v\n']));
      return rng.next() < 0.5 ? `\ufeff${text}` : text;
    },
  ],
  [
    'Python with a random character changed',
    (rng) => {
      const chars = [...FUNCTION];
      const count = 1 + rng.nextInt(4);
      for (let i = 0; i < count; i++)
        chars[rng.nextInt(chars.length)] = pick(rng, [
          '(',
          ')',
          ':',
          '"',
          '\\',
          '\t',
          '\n',
          ' ',
          '#',
          '@',
          '$',
          '?',
          '`',
          '!',
          '{',
          '=',
        ]);
      return chars.join('');
    },
  ],
  [
    'blank, whitespace or comment only',
    (rng) => pick(rng, ['', ' ', '\n\n\n', '\t', '# just a comment\n', '"""docstring only"""\n', '\\\n', 'pass']),
  ],
];

export const codeSurface: Surface<ModelContext> = {
  name: 'code',
  async run(rng, index, context): Promise<Verdict> {
    const [mutation, generate] = pick(rng, GENERATORS);
    const request: RunRequest = {
      task: pick<Task>(rng, TASKS),
      mode: pick<Mode>(rng, MODES),
      code: generate(rng),
      seed: rng.nextInt(1000),
    };
    const shipped = index % SHIPPED_EVERY === 0;
    const model = shipped ? context.shippedModel() : context.tinyModel;
    const name = `${mutation} (${request.task}/${request.mode}${shipped ? ', shipped model' : ''})`;
    context.note(`${name}: ${JSON.stringify(request.code.slice(0, 300))}`);
    let answer;
    try {
      answer = await model.run(request);
    } catch (error) {
      return verdictOfError(name, error);
    }
    const problem = answerProblem(request, answer);
    return problem === null
      ? {
          outcome: 'accepted',
          mutation: name,
          detail:
            'past the not-Python and size checks, a well-formed answer whose edits keep every other line of the input byte for byte',
        }
      : { outcome: 'crashed', mutation: name, detail: `malformed answer: ${problem}` };
  },
};
