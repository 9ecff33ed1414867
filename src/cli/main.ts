// The command line: `npm run cli -- <command> [args]` (tsx src/cli/main.ts). Each command lives in
// its own file exporting `usage` and `run(argv)`; the table below names it. Commands load lazily, so
// `inspect` starts in a moment instead of first loading TensorFlow.js for `train`.
//
// Errors are one line on stderr, `error: <message>`, exit 1; `--debug` adds the stack. Usage errors
// (unknown command or option, missing argument) print the usage too and exit 2.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InputError } from '../model';
import { UsageError } from './usage-error';

export interface CommandModule {
  /** Multi-line help; the first line is `usage: npm run cli -- <name> ...`. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Adding a command is one line here plus its file in src/cli/. */
export const COMMANDS: Record<string, CommandEntry> = {
  inspect: {
    summary: 'show and check a weights file: metadata, tensors, parameters, config/tokenizer hashes',
    load: () => import('./inspect'),
  },
  fix: {
    summary: 'fix, complete or write a Python function read on standard input, with the model in --models',
    load: () => import('./fix'),
  },
  train: {
    summary: 'train the model on the dataset splits; resumable (--resume); writes the model files, metrics and report',
    load: () => import('./train'),
  },
  eval: {
    summary: 'measure exact match, token accuracy, no-harm and parse rates on a JSONL file, beside the copy baseline',
    load: () => import('./eval'),
  },
  bench: {
    summary:
      'performance figures: train step, tokens/s, decode per token, beam-5, load time, tensors; vs tf.layers.lstm and stock wasm',
    load: () => import('./bench'),
  },
  finish: {
    summary:
      "evaluate a model folder on the test split; write its metrics' test section, report and chart (any trainer)",
    load: () => import('./finish'),
  },
  fuzz: {
    summary:
      'feed generated bad inputs to every surface (weights, config, tokenizer, jsonl, code, protocol) and count refused/accepted/crashed/hung/leaked',
    load: () => import('./fuzz'),
  },
  'critic-diff': {
    summary: "measure the syntax check against Python's compile() on real functions and their random token mutations",
    load: () => import('./critic-diff'),
  },
  dataset: {
    summary: 'build train/val/test JSONL, tokenizer.json and dataset_stats.json from .py files and generated functions',
    load: () => import('./dataset'),
  },
  adapt: {
    summary:
      'fine-tune a model on a folder of your Python for M minutes; held-out exact match per class before and after, with intervals',
    load: () => import('./adapt'),
  },
  corpus: {
    summary:
      'download the pinned PyPI wheels of training/corpus.toml and write their functions, once, for dataset --source',
    load: () => import('./corpus'),
  },
  'vocab-study': {
    summary:
      'counts only: identifier coverage and copy rate of word vocabularies and BPE pieces on held-out corpus packages',
    load: () => import('./vocab-study'),
  },
};

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;

function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length), 4);
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'usage: npm run cli -- <command> [args] [--debug]',
    '',
    'commands:',
    `  ${'help'.padEnd(width)}  list the commands, or show one command's usage: help <command>`,
    ...lines,
  ].join('\n');
}

/** Node's util.parseArgs reports bad options with these codes: they are usage errors too. */
function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((arg) => arg !== '--debug');
  const [name, ...rest] = args;
  const printError = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${oneLine(message)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  };

  if (name === undefined) {
    process.stderr.write(`${mainUsage()}\n`);
    return EXIT_USAGE;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(`${mainUsage()}\n`);
      return EXIT_OK;
    }
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, topic)) {
      process.stderr.write(`error: unknown command "${topic}"\n${mainUsage()}\n`);
      return EXIT_USAGE;
    }
    process.stdout.write(`${(await COMMANDS[topic].load()).usage}\n`);
    return EXIT_OK;
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    process.stderr.write(`error: unknown command "${name}"\n${mainUsage()}\n`);
    return EXIT_USAGE;
  }

  let command: CommandModule;
  try {
    command = await COMMANDS[name].load();
  } catch (error) {
    printError(error);
    return EXIT_ERROR;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    printError(error);
    // Input the model refuses (empty, too long, not Python): the person's to change, like a usage error.
    if (error instanceof InputError) return EXIT_USAGE;
    if (isUsageError(error)) {
      process.stderr.write(`${command.usage.split('\n')[0]}\n`);
      return EXIT_USAGE;
    }
    return EXIT_ERROR;
  }
}

/** True when this file is the program Node started, not a module a test imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `npm run cli -- inspect x | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  // exitCode, not exit(): let stdout drain when it is a pipe.
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
