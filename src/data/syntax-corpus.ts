// The corpus of the syntax check's differential test and its scoring against CPython's compile():
// real functions, about a quarter as they are and the rest mutated (src/data/mutate.ts), each text
// later labelled by Python and checked by `checkPythonSyntax`.
import { deriveSeed, Rng } from '../model';
import { mutate, MUTATION_KINDS, type Mutation } from './mutate';

export const CORPUS_KINDS = ['original', ...MUTATION_KINDS] as const;
export type CorpusKind = (typeof CORPUS_KINDS)[number];

/** The share of a corpus that is real functions as they are; the rest are their mutations. */
export const ORIGINAL_SHARE = 0.25;
/** Functions tried for one mutation before the corpus gives that slot up. */
const MAX_MUTATION_TRIES = 20;

export interface CorpusFunction {
  text: string;
  file: string;
  startLine: number;
}

export interface CorpusText {
  text: string;
  kind: CorpusKind;
  /** `file:line` of the function it comes from. */
  source: string;
  /** How the text was made from the function; null for an original. */
  mutation: Mutation | null;
}

const shuffled = <T>(items: readonly T[], rng: Rng): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/**
 * n texts from the functions, the same for the same seed: ORIGINAL_SHARE of n distinct functions
 * as they are (fewer when there are fewer functions), the rest mutations of functions drawn at
 * random, each kind equally often.
 */
export function buildSyntaxCorpus(
  functions: readonly CorpusFunction[],
  options: { n: number; seed: number },
): CorpusText[] {
  if (functions.length === 0) return [];
  const source = (fn: CorpusFunction) => `${fn.file}:${fn.startLine}`;
  const originals = shuffled(functions, new Rng(deriveSeed(options.seed, 'critic:originals')))
    .slice(0, Math.min(functions.length, Math.round(options.n * ORIGINAL_SHARE)))
    .map((fn): CorpusText => ({ text: fn.text, kind: 'original', source: source(fn), mutation: null }));
  const mutations: CorpusText[] = [];
  for (let i = 0; mutations.length + originals.length < options.n && i < 2 * options.n; i++) {
    const rng = new Rng(deriveSeed(options.seed, `critic:mutation:${i}`));
    const kind = MUTATION_KINDS[i % MUTATION_KINDS.length]!;
    for (let tries = 0; tries < MAX_MUTATION_TRIES; tries++) {
      const fn = functions[rng.nextInt(functions.length)]!;
      const mutation = mutate(fn.text, rng, { kind });
      if (mutation === null) continue;
      mutations.push({ text: mutation.text, kind, source: source(fn), mutation });
      break;
    }
  }
  // Originals and mutations interleaved by a seeded shuffle, so any prefix is a fair sample.
  return shuffled([...originals, ...mutations], new Rng(deriveSeed(options.seed, 'critic:order')));
}

/** CPython's verdict on a text (compile_labels.py's label). */
export interface CompilerVerdict {
  ok: boolean;
  line: number | null;
  message: string | null;
}

/** The syntax check's answer; `message` where the check gives one. */
export interface CheckVerdict {
  ok: boolean;
  errorLine: number | null;
  message?: string;
}

export interface ScoredText {
  /** A CorpusKind, or another label (hand-written cases). */
  kind: string;
  cpython: CompilerVerdict;
  check: CheckVerdict;
}

/**
 * CPython's messages the check is to give in the same words ("expected an indented block" for
 * every statement and line, "was never closed" and "unmatched" for every bracket); others it
 * answers with plain "invalid syntax". Message agreement is measured over these.
 */
export const LISTED_SYNTAX_MESSAGES: readonly RegExp[] = [
  /^expected ':'$/,
  /^'[([{]' was never closed$/,
  /^unmatched '[)\]}]'$/,
  /^invalid syntax\. Perhaps you forgot a comma\?$/,
  /^Missing parentheses in call to 'print'\. Did you mean print\(\.\.\.\)\?$/,
  /^cannot assign to expression here\. Maybe you meant '==' instead of '='\?$/,
  /^positional argument follows keyword argument$/,
  /^'return' outside function$/,
  /^'break' outside loop$/,
  /^'await' outside async function$/,
  /^expected an indented block after .+ on line \d+$/,
  /^unexpected indent$/,
  /^unindent does not match any outer indentation level$/,
  /^inconsistent use of tabs and spaces in indentation$/,
  /^invalid syntax$/,
];

export const isListedMessage = (message: string | null): boolean =>
  message !== null && LISTED_SYNTAX_MESSAGES.some((pattern) => pattern.test(message));

/** A message with its line numbers and names taken out, to count messages by kind. */
export function messageKey(message: string | null): string {
  if (message === null) return '(no message)';
  return message
    .replace(/\bon line \d+/g, 'on line N')
    .replace(/\b(nonlocal|argument|name|parameter) '[^']*'/g, "$1 'NAME'")
    .replace(/keyword argument repeated: \S+/g, 'keyword argument repeated: NAME');
}

export interface KindAgreement {
  n: number;
  agree: number;
  laxer: number;
  stricter: number;
}

/** The `--json` summary: every figure but `n` is a share of its `n` (0 to 1). */
export interface AgreementSummary {
  n: number;
  agree: number;
  /** Accepted by the check, refused by CPython. */
  laxer: number;
  /** Refused by the check, compiled by CPython. */
  stricter: number;
  /** Of the texts both refuse: the check names CPython's line; null when there are none. */
  line_agree: number | null;
  /** Of the texts both refuse with a listed CPython message: the check gives that message. */
  message_agree: number | null;
  /** Per kind, the corpus kinds first. */
  by_kind: Record<string, KindAgreement>;
  /** Per CPython message (messageKey): texts CPython refuses with it, and the share the check accepts. */
  by_message: Record<string, { n: number; laxer: number }>;
}

const share = (count: number, total: number): number => (total === 0 ? 0 : Math.round((count / total) * 1e6) / 1e6);

export function summarizeAgreement(scored: readonly ScoredText[]): AgreementSummary {
  const counts = () => ({ n: 0, agree: 0, laxer: 0, stricter: 0 });
  const total = counts();
  const byKind = new Map<string, ReturnType<typeof counts>>();
  const byMessage = new Map<string, { n: number; laxer: number }>();
  let bothRefuse = 0;
  let lineAgree = 0;
  let listed = 0;
  let messageAgree = 0;
  for (const { kind, cpython, check } of scored) {
    const kindCounts = byKind.get(kind) ?? counts();
    byKind.set(kind, kindCounts);
    for (const c of [total, kindCounts]) {
      c.n++;
      if (check.ok === cpython.ok) c.agree++;
      else if (check.ok) c.laxer++;
      else c.stricter++;
    }
    if (!cpython.ok) {
      const key = messageKey(cpython.message);
      const entry = byMessage.get(key) ?? { n: 0, laxer: 0 };
      entry.n++;
      if (check.ok) entry.laxer++;
      byMessage.set(key, entry);
    }
    if (!cpython.ok && !check.ok) {
      bothRefuse++;
      if (check.errorLine === cpython.line) lineAgree++;
      if (isListedMessage(cpython.message)) {
        listed++;
        if (check.message === cpython.message) messageAgree++;
      }
    }
  }
  const rates = (c: ReturnType<typeof counts>): KindAgreement => ({
    n: c.n,
    agree: share(c.agree, c.n),
    laxer: share(c.laxer, c.n),
    stricter: share(c.stricter, c.n),
  });
  const by_kind: AgreementSummary['by_kind'] = {};
  const known: readonly string[] = CORPUS_KINDS;
  for (const kind of [...known, ...[...byKind.keys()].filter((k) => !known.includes(k)).sort()]) {
    const c = byKind.get(kind);
    if (c) by_kind[kind] = rates(c);
  }
  const by_message: AgreementSummary['by_message'] = {};
  for (const [key, entry] of [...byMessage].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))) {
    by_message[key] = { n: entry.n, laxer: share(entry.laxer, entry.n) };
  }
  return {
    ...rates(total),
    line_agree: bothRefuse === 0 ? null : share(lineAgree, bothRefuse),
    message_agree: listed === 0 ? null : share(messageAgree, listed),
    by_kind,
    by_message,
  };
}
