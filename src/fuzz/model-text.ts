// The `config` (model_config.toml) and `tokenizer` (tokenizer.json) surfaces: the shipped files,
// mutated, loaded beside the shipped weights and the other shipped file through readModelFiles, as
// the app and the CLI load them. An accepted config must also decode: its [inference] and
// [cognitive_patterns] drive a request on the tiny model (its architecture cannot differ from the
// shipped one, or the architecture hash would have refused it), so a setting that loads but would
// hang or break decoding is caught.
import {
  Seq2SeqCodingOptimizer,
  MODES,
  type Mode,
  type Task,
  type Rng,
  readModelFiles,
  type ModelFiles,
  TASKS,
  parseModelConfig,
  type ModelConfig,
} from '../model';
import { canonicalJson } from '../model/internals';
import {
  INVALID_UTF8,
  NASTY_NUMBERS,
  concatBytes,
  decodeLikeAHost,
  deepJson,
  nastyJsonValue,
  pick,
  randomBytes,
  verdictOfError,
  type Surface,
  type Verdict,
} from './case';
import { answerProblem, type ModelContext } from './context';

const TOML_VALUES = [
  '-1',
  '0',
  '-0',
  '1',
  '2',
  '3.5',
  '-3.5',
  '1e400',
  '-1e400',
  'inf',
  '-inf',
  'nan',
  '1e-400',
  '99999999999999999999999',
  '9007199254740993',
  '2147483648',
  '4294967296',
  '65536',
  '1000000',
  '1_000_000_000',
  '0x7fffffff',
  '0o777',
  '0b101',
  '"5"',
  '""',
  '" "',
  "'''x'''",
  'true',
  'false',
  '[1, 2]',
  '[]',
  '{a = 1}',
  '{}',
  '1979-05-27',
  '07:32:00',
  '1979-05-27T07:32:00Z',
  '"\\u0000"',
  '"\\ud800"',
  '1.',
  '.5',
  '+5',
  '--5',
  '5 5',
  '',
  '"' + 'x'.repeat(100_000) + '"',
];

type TextMutation = (rng: Rng, lines: string[]) => string;
const keyLines = (lines: string[]) =>
  lines
    .map((l, i) => [l, i] as const)
    .filter(([l]) => /^[a-z_]+\s*=/.test(l))
    .map(([, i]) => i);
const sectionLines = (lines: string[]) =>
  lines
    .map((l, i) => [l, i] as const)
    .filter(([l]) => /^\[/.test(l))
    .map(([, i]) => i);

const CONFIG_MUTATIONS: [string, TextMutation][] = [
  [
    'a value of another type or size',
    (rng, lines) => {
      const i = pick(rng, keyLines(lines));
      lines[i] = `${lines[i]!.split('=')[0]!.trim()} = ${pick(rng, TOML_VALUES)}`;
      return lines.join('\n');
    },
  ],
  [
    'a huge or negative number',
    (rng, lines) => {
      const i = pick(rng, keyLines(lines));
      const n = pick(rng, NASTY_NUMBERS);
      lines[i] =
        `${lines[i]!.split('=')[0]!.trim()} = ${Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : String(n).replace('Infinity', 'inf')}`;
      return lines.join('\n');
    },
  ],
  [
    'a decoding setting at an extreme',
    (rng, lines) => {
      const key = pick(rng, [
        'beam_width',
        'suspect_name_beam_width',
        'alternative_generation_count',
        'solution_refinement_iterations',
        'top_k',
        'temperature',
        'top_p',
        'repetition_penalty',
        'length_penalty',
        'creativity_factor',
        'mode_switching_threshold',
        'focus_threshold',
        'convergent_weight',
        'divergent_weight',
      ]);
      const i = lines.findIndex((l) => l.startsWith(`${key} =`));
      lines[i] =
        `${key} = ${pick(rng, ['1', '0', '1000', '100000', '2147483647', '1e300', '1e-300', '0.0000001', '1.0', '0.999999', '1e10', '5e-324'])}`;
      return lines.join('\n');
    },
  ],
  [
    'a key removed',
    (rng, lines) => {
      lines.splice(pick(rng, keyLines(lines)), 1);
      return lines.join('\n');
    },
  ],
  [
    'a section removed',
    (rng, lines) => {
      const starts = sectionLines(lines);
      const k = rng.nextInt(starts.length);
      const end = starts[k + 1] ?? lines.length;
      lines.splice(starts[k]!, end - starts[k]!);
      return lines.join('\n');
    },
  ],
  [
    'a section header removed',
    (rng, lines) => {
      lines.splice(pick(rng, sectionLines(lines)), 1);
      return lines.join('\n');
    },
  ],
  [
    'an unknown key or section',
    (rng, lines) => {
      const at = 1 + rng.nextInt(lines.length - 1);
      lines.splice(
        at,
        0,
        pick(rng, [
          'unknown_key = 1',
          'vocabulary_size = 3',
          '[data_preprocessing]\nvocabulary_size = 5',
          '[cognitive_patterns.lateral]\nx = 1',
          '[extra]\n"__proto__" = 1',
          'constructor = "x"',
          '__proto__ = { polluted = true }',
        ]),
      );
      return lines.join('\n');
    },
  ],
  [
    'a key written twice',
    (rng, lines) => {
      const i = pick(rng, keyLines(lines));
      lines.splice(i + 1, 0, lines[i]!);
      return lines.join('\n');
    },
  ],
  [
    'a section written twice',
    (rng, lines) => {
      const i = pick(rng, sectionLines(lines));
      lines.push(lines[i]!);
      return lines.join('\n');
    },
  ],
  [
    'a section of the wrong kind',
    (rng, lines) => {
      const name = pick(rng, ['architecture', 'inference', 'cognitive_patterns', 'model', 'training_results', 'paths']);
      const form = pick(rng, [
        `${name} = 5`,
        `[[${name}]]`,
        `${name} = [1, 2]`,
        `${name} = "x"`,
        `[cognitive_patterns]\nconvergent = 3`,
      ]);
      return rng.next() < 0.5 ? `${form}\n${lines.join('\n')}` : `${lines.join('\n')}\n${form}`;
    },
  ],
  [
    'deeply nested TOML',
    (rng, lines) => {
      const depth = pick(rng, [1000, 10_000, 100_000]);
      const value =
        rng.next() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{a = '.repeat(depth) + '1' + ' }'.repeat(depth);
      return `deep = ${value}\n${lines.join('\n')}`;
    },
  ],
  [
    'a huge file',
    (rng, lines) => {
      const count = pick(rng, [2_000, 20_000]);
      const extra = Array.from({ length: count }, (_, i) => `key_${i} = ${i}`).join('\n');
      return `${lines.join('\n')}\n[extra]\n${extra}`;
    },
  ],
  [
    'random characters replaced',
    (rng, lines) => {
      const chars = [...lines.join('\n')];
      const edits = 1 + rng.nextInt(5);
      for (let i = 0; i < edits; i++)
        chars[rng.nextInt(chars.length)] = pick(rng, [
          '=',
          '[',
          ']',
          '"',
          "'",
          '\n',
          '#',
          '\u0000',
          '\\',
          ' ',
          '.',
          ',',
          '\ufeff',
          '\u2028',
          'x',
        ]);
      return chars.join('');
    },
  ],
  [
    'truncated',
    (rng, lines) => {
      const t = lines.join('\n');
      return t.slice(0, rng.nextInt(t.length));
    },
  ],
  ['CRLF line ends and a BOM', (rng, lines) => `${rng.next() < 0.5 ? '\ufeff' : ''}${lines.join('\r\n')}`],
  [
    'bytes that are not UTF-8',
    (rng, lines) => {
      const bytes = new TextEncoder().encode(lines.join('\n'));
      const at = rng.nextInt(bytes.length);
      return decodeLikeAHost(concatBytes(bytes.subarray(0, at), pick(rng, INVALID_UTF8), bytes.subarray(at)));
    },
  ],
  ['random bytes', (rng) => decodeLikeAHost(randomBytes(rng, pick(rng, [0, 1, 16, 4096])))],
];

type Json = Record<string, unknown>;
type JsonMutation = (rng: Rng, doc: Json, textOf: () => string) => string;
const TOKENIZER_MUTATIONS: [string, JsonMutation][] = [
  [
    'format or lexer_version wrong',
    (rng, doc, textOf) => {
      const key = pick(rng, ['format', 'lexer_version']);
      if (rng.next() < 0.3) delete doc[key];
      else
        doc[key] =
          rng.next() < 0.5
            ? nastyJsonValue(rng)
            : pick(rng, [2, 0, '1', 1.5, 'lstm-coding-optimizer', 'LSTM-CODING-OPTIMIZER-TOKENIZER']);
      return textOf();
    },
  ],
  [
    'a special token missing, doubled or moved',
    (rng, doc, textOf) => {
      const list = (rng.next() < 0.5 ? doc.specials : doc.tokens) as unknown[];
      const i = rng.nextInt(11);
      const kind = rng.nextInt(4);
      if (kind === 0) list.splice(i, 1);
      else if (kind === 1) list.splice(i, 0, list[i]);
      else if (kind === 2) [list[i], list[i + 1]] = [list[i + 1], list[i]];
      else list.push(list[i]);
      return textOf();
    },
  ],
  [
    'a token doubled, removed or of the wrong type',
    (rng, doc, textOf) => {
      const tokens = doc.tokens as unknown[];
      const i = rng.nextInt(tokens.length);
      const kind = rng.nextInt(4);
      if (kind === 0) tokens.push(tokens[i]);
      else if (kind === 1) tokens.splice(i, 1);
      else if (kind === 2) tokens[i] = nastyJsonValue(rng);
      else tokens[i] = pick(rng, ['', ' ', '\u0000', '<pad>', '\ud800', 'x'.repeat(100_000), '__proto__']);
      return textOf();
    },
  ],
  [
    'specials or tokens of the wrong type',
    (rng, doc, textOf) => {
      doc[pick(rng, ['specials', 'tokens'])] = rng.next() < 0.3 ? undefined : nastyJsonValue(rng);
      return textOf();
    },
  ],
  [
    'fingerprint wrong or missing',
    (rng, doc, textOf) => {
      if (rng.next() < 0.4) delete doc.fingerprint;
      else
        doc.fingerprint =
          rng.next() < 0.5
            ? nastyJsonValue(rng)
            : pick(rng, ['0000000000000000', String(doc.fingerprint).toUpperCase(), '']);
      return textOf();
    },
  ],
  [
    'an unknown key',
    (rng, doc, textOf) => {
      doc[pick(rng, ['merges', 'added_tokens', 'note', 'constructor', 'toString'])] = nastyJsonValue(rng);
      return textOf();
    },
  ],
  [
    '"__proto__" keys',
    (rng, _doc, textOf) =>
      textOf().replace(/^\{/, `{"__proto__": ${pick(rng, ['{"format": "x"}', '{"tokens": []}', 'null', '[]'])},`),
  ],
  [
    'huge vocabulary',
    (rng, doc, textOf) => {
      const tokens = doc.tokens as string[];
      const more = pick(rng, [10_000, 50_000]);
      for (let i = 0; i < more; i++) tokens.push(`extra_${i}`);
      return textOf();
    },
  ],
  [
    'deeply nested JSON',
    (rng, doc, textOf) => {
      const deep = deepJson(pick(rng, [1000, 100_000, 1_000_000]), rng.next() < 0.5);
      return rng.next() < 0.5 ? deep : textOf().replace(/^\{/, `{"deep": ${deep},`);
    },
  ],
  [
    'not JSON',
    (rng, _doc, textOf) => {
      const t = textOf();
      return pick(rng, [
        t.slice(0, rng.nextInt(t.length)),
        `\ufeff${t}`,
        t.replace(/,/, ',,'),
        `${t}}`,
        t.replace(/"/g, "'"),
        '',
        'null',
        '[]',
        '"tokens"',
        'NaN',
      ]);
    },
  ],
  [
    'bytes that are not UTF-8',
    (rng, _doc, textOf) => {
      const bytes = new TextEncoder().encode(textOf());
      const at = rng.nextInt(bytes.length);
      return decodeLikeAHost(concatBytes(bytes.subarray(0, at), pick(rng, INVALID_UTF8), bytes.subarray(at)));
    },
  ],
  [
    'whitespace and layout changed (valid)',
    (rng, _doc, textOf) => JSON.stringify(JSON.parse(textOf()), null, pick(rng, [0, 2, '\t'])),
  ],
];

/** The lines of `after` that `before` does not have (at most 3, each cut short): what a mutation wrote. */
function changedLines(before: string, after: string): string {
  const old = new Set(before.split('\n'));
  const added = after.split(/\r?\n/).filter((line) => !old.has(line));
  return added.length === 0
    ? '(lines removed only)'
    : added
        .slice(0, 3)
        .map((line) => JSON.stringify(line.slice(0, 80)))
        .join(' ');
}

let shippedDecoding: string | undefined;

export const configSurface: Surface<ModelContext> = {
  name: 'config',
  async run(rng, _index, context): Promise<Verdict> {
    const [mutation, mutate] = pick(rng, CONFIG_MUTATIONS);
    const files: ModelFiles = { ...context.shippedFiles, config: mutate(rng, context.shippedFiles.config.split('\n')) };
    context.note(`${mutation}: ${changedLines(context.shippedFiles.config, files.config)}`);
    let host;
    try {
      host = readModelFiles(files);
    } catch (error) {
      return verdictOfError(mutation, error);
    }
    // Accepted: the config loads beside the shipped weights; now its decoding settings must decode
    // (unless they are the shipped file's own, which every code case decodes with).
    const decoding = (c: ModelConfig) =>
      canonicalJson({ inference: c.inference, cognitive_patterns: c.cognitive_patterns });
    shippedDecoding ??= decoding(parseModelConfig(context.shippedFiles.config).config);
    if (decoding(host.config) === shippedDecoding) {
      return {
        outcome: 'accepted',
        mutation,
        detail:
          'loads beside the shipped weights and tokenizer (hashes match); its decoding settings are the shipped ones',
      };
    }
    const tiny = context.tinyModel;
    const decoder = new Seq2SeqCodingOptimizer(
      { ...host.config, architecture: tiny.config.architecture },
      tiny.network,
      tiny.vocab,
      tiny.params,
    );
    const request = {
      task: pick<Task>(rng, TASKS),
      mode: pick<Mode>(rng, MODES),
      code: 'def f(totl, items):\n    for item in items\n        total += item\n    return total\n',
      seed: rng.nextInt(1000),
    };
    try {
      const problem = answerProblem(request, await decoder.run(request));
      return problem === null
        ? {
            outcome: 'accepted',
            mutation,
            detail: `loads beside the shipped weights and tokenizer (hashes match), and its decoding settings answered a ${request.task}/${request.mode} request well-formed`,
          }
        : { outcome: 'crashed', mutation, detail: `loaded, but the answer is malformed: ${problem}` };
    } catch (error) {
      return {
        outcome: 'crashed',
        mutation,
        detail: `loaded, but decoding with it failed: ${(error as Error).name}: ${(error as Error).message}`,
      };
    }
  },
};

export const tokenizerSurface: Surface<ModelContext> = {
  name: 'tokenizer',
  async run(rng, _index, context): Promise<Verdict> {
    const [mutation, mutate] = pick(rng, TOKENIZER_MUTATIONS);
    const doc = JSON.parse(context.shippedFiles.tokenizer) as Json;
    const files: ModelFiles = {
      ...context.shippedFiles,
      tokenizer: mutate(rng, doc, () => JSON.stringify(doc, null, 1)),
    };
    context.note(mutation);
    let host;
    try {
      host = readModelFiles(files);
    } catch (error) {
      return verdictOfError(mutation, error);
    }
    // Accepted only when the weights' vocab_hash matched, i.e. the vocabulary is the shipped one token for token.
    const shipped = context.shippedTokens;
    const same = host.vocab.size === shipped.length && host.vocab.list().every((t, i) => t === shipped[i]);
    return same
      ? {
          outcome: 'accepted',
          mutation,
          detail: 'loads: its vocabulary is the shipped one token for token (vocab_hash matched)',
        }
      : {
          outcome: 'crashed',
          mutation,
          detail: 'loaded a vocabulary that differs from the one the weights were trained with',
        };
  },
};
