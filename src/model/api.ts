// The public types of a coding optimizer: what the in-thread model and the worker client both
// implement, so the UI and the tests cannot tell them apart.
import type { EditReason } from './fix/edit-candidates';
import type { Task } from './tasks';

export type { EditReason } from './fix/edit-candidates';

export type { Task } from './tasks';
export type Mode = 'convergent' | 'divergent' | 'hybrid';
export const MODES: readonly Mode[] = ['convergent', 'divergent', 'hybrid'];

export interface RunRequest {
  task: Task;
  mode: Mode;
  /** fix: a function; complete: code up to the line to write; generate: signature and docstring. */
  code: string;
  /** Seed for divergent sampling (default 0, so an answer is repeatable). */
  seed?: number;
}

export interface AnswerCandidate {
  /** What the user gets from this candidate: the repaired function, the next line, the function. */
  text: string;
  /** The model's output tokens, without </s>. */
  outputTokens: string[];
  /** Model log-probability of the whole output. */
  logProb: number;
  /** Ranking score inside this answer (mode-specific; higher is better). */
  score: number;
  /** Whether `text` parses as Python (complete: the line can follow the input; see checkCompletionSyntax). */
  parses: boolean;
  /** edit: suggested by the text (a parse error, a suspect name) and scored by the model. */
  origin: 'beam' | 'sample' | 'edit';
  /** fix: why the edit was looked for (set for suggested edits and beams that equal one). */
  why?: EditReason;
  /** fix: why the search proposed it (a rule, an enumerated edit, the name channel, the model). */
  proposal?: Proposal;
  /** fix, convergent: tokens the edit changes (ranking prefers smaller edits). */
  editSize?: number;
  /** fix: the model says there is no bug. */
  noBug: boolean;
  /** fix: the name check confirms the edit (a read name turned into its bound near-twin), which ranks it first. */
  nameCheck: boolean;
  /** The output holds <unk>, a token the model could neither generate nor copy: ranked after the rest. */
  hasUnknown: boolean;
  /** fix: the physical line the edit replaced. */
  changedLine: number | null;
  /** Per output token: probability that it was copied from the input (1 − p_gen). */
  copyProbability: number[];
  /** Per output token: attention over the input tokens (head average). */
  attention: number[][];
  /** Set when the output could not be turned into text (e.g. a line number past the end). */
  problem: string | null;
}

export interface AnswerTiming {
  totalMs: number;
  decodeMs: number;
  /** Decoder steps run (each step advances every beam or sample by one token). */
  decodeSteps: number;
  msPerStep: number;
  tokensPerSecond: number;
}

export interface Answer {
  task: Task;
  mode: Mode;
  /** The result: the repaired code for fix, the next line for complete, the function for generate. */
  text: string;
  /** fix: no change was made. */
  noBug: boolean;
  /**
   * fix: `fixed` (edits made), `no_bug`, or `unfixed`: the code does not parse and no candidate
   * makes it parse (text is the input unchanged; candidates hold the best tried).
   */
  status?: 'fixed' | 'no_bug' | 'unfixed';
  /** fix: every edit made to the person's text, in order (line numbers of the text as it was then). */
  edits?: FileEdit[];
  candidates: AnswerCandidate[];
  /** Index of the chosen candidate in `candidates`. */
  chosen: number;
  /** The input tokens the model read (after any truncation): the columns of the attention map. */
  sourceTokens: string[];
  input: { tokens: number; usedTokens: number; truncated: boolean };
  /** fix, convergent: each further pass that changed the code, in order. */
  refinements: { changedLine: number; text: string }[];
  /** Geometric-mean token probability of the best convergent candidate. */
  confidence: number;
  /**
   * hybrid: divergent candidates joined because confidence was under the threshold; for fix, the
   * samples' agreement chose another candidate than the search's first.
   */
  switchedToDivergent: boolean;
  /** fix: what the search considered (counts over all its passes, the first five candidates). */
  search?: SearchSummary;
  timing: AnswerTiming;
}

/** One edit of a fix, on the person's text. */
export interface FileEdit {
  /** 1-based line in the text. */
  line: number;
  before: string;
  after: string;
  why: EditReason;
  /** The other candidates of that look: the changed line and its score. */
  candidates: { line: number | null; after: string; score: number; why: EditReason | 'no bug' }[];
}

export interface ModelInfo {
  name: string;
  version: string;
  parameters: number;
  vocabSize: number;
  maxSourceLength: number;
  backend: string;
  warnings: string[];
  /** Which optional name files came with the model (without them names are judged by the text alone). */
  nameFiles?: { identifiers: boolean; members: boolean };
}

export interface CodingOptimizer {
  readonly info: ModelInfo;
  /** `signal` cancels the request (a convergent fix's search stops between its checks). */
  run(request: RunRequest, signal?: AbortSignal): Promise<Answer>;
  dispose(): void;
}

/** The request cannot be answered as given; the message says what to change. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

// What a fix search considered (built by fix/search-summary.ts).

/** Where a candidate came from; a text several sources gave lists each. */
export type ProposalSource =
  'rule' | 'enumeration' | 'character edit' | 'name channel' | 'model beam' | 'model sample' | 'no bug';

export interface Proposal {
  by: ProposalSource[];
  /** enumeration: the token edit, e.g. `insert` or `delete ×2` (two edits when no one edit compiled). */
  edit?: string;
  /** model sample: how many of the samples drawn gave this text. */
  votes?: number;
}

export interface SummaryCandidate {
  /** Index in the answer's `candidates`. */
  index: number;
  /** The changed line (1-based), null for "no bug". */
  line: number | null;
  score: number;
  compiles: boolean;
  proposal: Proposal;
}

export interface SearchSummary {
  /** Candidate texts built: every enumerated edit tried, the rules' edits, beams and samples. */
  generated: number;
  /** Of those, the ones the syntax check accepts. */
  compiled: number;
  /** Candidates ranked (the model scored each, unless the search ran without it). */
  ranked: number;
  /** Passes of the search: one per window looked at and per further edit looked for. */
  passes: number;
  /** Samples drawn from the model (divergent and hybrid). */
  samples: number;
  /** The first candidates of the answer's list, as it ranks them. */
  top: SummaryCandidate[];
}
