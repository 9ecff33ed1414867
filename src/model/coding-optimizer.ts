// The model behind the CodingOptimizer interface: builds the input of a task, decodes it in one of
// the three cognitive modes (docs/design.md#cognitive-modes) and turns the output into text.
import * as tf from '@tensorflow/tfjs-core';
import {
  InputError,
  type Answer,
  type AnswerCandidate,
  type CodingOptimizer,
  type Mode,
  type ModelInfo,
  type RunRequest,
  type SearchSummary,
} from './api';
import type { ModelConfig } from './files/config';
import { EMPTY_NAME_LEXICON, type NameLexicon } from './files/name-files';
import { beamSearch, sampleDecode, type Candidate } from './net/decoding';
import { hasSuspectName, isTypoFix } from './python/name-check';
import { dedupeSamples, mergeCandidates, rankCandidates } from './ranking';
import {
  checkCompletionSyntax,
  checkFragmentSyntax,
  checkPythonSyntax,
  MAX_BRACKET_NESTING,
  MAX_INDENT_LEVELS,
  tooDeepLine,
} from './python/parse-check';
import { lex } from './python/lexer';
import { countParams, disposeParams, type NetworkConfig, type Params } from './net/parameters';
import { disposeEncoded, encode } from './net/encoder';
import {
  applyFixAnswer,
  completionText,
  generatedText,
  splitFunction,
  taskSource,
  TaskError,
  type Task,
} from './tasks';
import { EOS, MAX_LINES, NOBUG, UNK, type Vocabulary } from './vocab';
import { scoreOutputs } from './net/candidate-scoring';
import { searchFix, type FixModel } from './fix/fix-search';
import { assertLooksLikePython } from './python/not-python';
import { fixFile, refuseLongFile } from './fix/whole-file';
import { cutUnaskedEdits, joinSamples } from './fix/hybrid-join';
import { emptyTally, recordSamples, summarizeSearch, type SearchTally } from './fix/search-summary';
import {
  DISTANCE_PRIOR_NATS_PER_TOKEN,
  EDIT_SIZE_PRIOR_NATS,
  ENUMERATED_PRIOR_NATS,
  UNPROPOSED_BEAM_PRIOR_NATS,
} from './fix/search-limits';

/**
 * editPenalty: log-probability an edit loses per token it changes, so the smallest edit that
 * explains the error wins between near-equals. firstMargin / refineMargin: a model edit with no
 * parse error or suspect name behind it must beat "no bug" by this much (first edit / further ones).
 * enumeratedPenalty / distancePenalty: the prior of an edit only the enumeration found;
 * beamPenalty: of a beam nothing proposed where the text does not compile (search-limits.ts says
 * why each). Chosen on the outside set (docs/model-quality.md); a mutable object so the measuring
 * scripts can sweep them.
 */
export const FIX_TUNING = {
  editPenalty: EDIT_SIZE_PRIOR_NATS,
  firstMargin: 0,
  refineMargin: 2,
  enumeratedPenalty: ENUMERATED_PRIOR_NATS,
  distancePenalty: DISTANCE_PRIOR_NATS_PER_TOKEN,
  beamPenalty: UNPROPOSED_BEAM_PRIOR_NATS,
  /** `eval --without-model`: the fix search ranked by edit size and distance alone. */
  withoutModel: false,
};

interface Decoded {
  candidates: Candidate[];
  decodeMs: number;
  steps: number;
}

interface PreparedInput {
  sourceTokens: string[];
  totalTokens: number;
  /** The text decoded outputs are applied to: the code for fix/complete, the header for generate. */
  base: string;
}

export class Seq2SeqCodingOptimizer implements CodingOptimizer {
  readonly info: ModelInfo;

  constructor(
    readonly config: ModelConfig,
    readonly network: NetworkConfig,
    readonly vocab: Vocabulary,
    readonly params: Params,
    warnings: string[] = [],
    /** The optional name files (identifiers.json, stdlib_members.json); empty: names judged by the text alone. */
    readonly names: NameLexicon = EMPTY_NAME_LEXICON,
  ) {
    this.info = {
      name: config.model.name,
      version: config.model.version,
      parameters: countParams(network),
      vocabSize: vocab.size,
      maxSourceLength: network.maxSourceLength,
      backend: tf.getBackend(),
      warnings,
      nameFiles: { ...names.has },
    };
  }

  dispose(): void {
    disposeParams(this.params);
  }

  async run(request: RunRequest, signal?: AbortSignal): Promise<Answer> {
    const started = performance.now();
    if (request.code.trim() === '') throw new InputError('the code is empty: paste or type a Python function');
    checkInputSize(request.code);
    if (request.task === 'fix') refuseLongFile(request.code);
    assertLooksLikePython(request.code);
    const input =
      request.task === 'fix' && !this.fits(request.code)
        ? { sourceTokens: [], totalTokens: 0, base: request.code }
        : this.prepare(request.task, request.code);
    const stats = { decodeMs: 0, steps: 0 };
    const decode = async (
      mode: 'beam' | 'sample',
      tokens: string[],
      beamWidth = this.config.inference.beam_width,
    ): Promise<Candidate[]> => {
      const d = await this.decode(mode, tokens, request.seed ?? 0, beamWidth);
      stats.decodeMs += d.decodeMs;
      stats.steps += d.steps;
      return d.candidates;
    };
    const finish = (partial: Omit<Answer, 'timing' | 'task' | 'mode' | 'sourceTokens' | 'input'>): Answer => ({
      ...partial,
      task: request.task,
      mode: request.mode,
      sourceTokens: input.sourceTokens,
      input: {
        tokens: input.totalTokens,
        usedTokens: input.sourceTokens.length,
        truncated: input.sourceTokens.length < input.totalTokens,
      },
      timing: {
        totalMs: performance.now() - started,
        decodeMs: stats.decodeMs,
        decodeSteps: stats.steps,
        msPerStep: stats.steps > 0 ? stats.decodeMs / stats.steps : 0,
        tokensPerSecond: stats.decodeMs > 0 ? (stats.steps * 1000) / stats.decodeMs : 0,
      },
    });

    if (request.task === 'fix' && (request.mode === 'convergent' || !this.fits(request.code))) {
      return this.fixConvergent(request.code, decode, stats, finish, signal);
    }
    if (request.task === 'fix' && request.mode === 'hybrid') {
      // The convergent search, then samples of the same text joined by agreement (fix/hybrid-join.ts).
      const tally = emptyTally();
      const draw = async (text: string, tokens: string[]) => {
        signal?.throwIfAborted();
        const drawn = this.describe('fix', text, await decode('sample', tokens), 'sample');
        recordSamples(drawn, tally);
        return drawn;
      };
      const found = await this.fixConvergent(request.code, decode, stats, finish, signal, tally);
      const noBugVotes = async (text: string) =>
        this.fits(text) ? (await draw(text, this.prepare('fix', text).sourceTokens)).filter((s) => s.noBug).length : 0;
      const searched = (await cutUnaskedEdits(found, noBugVotes)) ?? found;
      const samples = await draw(input.base, input.sourceTokens);
      const joined = joinSamples(request.code, searched, samples, FIX_TUNING.editPenalty);
      const { timing: _timing, task: _task, mode: _mode, sourceTokens, input: read, ...rest } = searched;
      const answer = finish({ ...rest, ...joined, search: summarizeSearch(tally, joined.candidates) });
      return { ...answer, sourceTokens, input: read };
    }
    const beams = rankCandidates(
      request.task,
      this.describe(
        request.task,
        input.base,
        await decode('beam', input.sourceTokens, this.beamWidthFor(request.task, input.base)),
        'beam',
      ),
    );
    const confidence = beams[0] ? tokenConfidence(beams[0]) : 0;
    const hybrid = this.config.cognitive_patterns.hybrid;
    const useDivergent =
      request.mode === 'divergent' || (request.mode === 'hybrid' && confidence < hybrid.mode_switching_threshold);

    if (!useDivergent) {
      // complete and generate: every fix in convergent or hybrid mode was answered by the search above.
      const best = beams[0]!;
      return finish({
        ...settle(request.task, request.code, best, best.text),
        candidates: beams,
        chosen: 0,
        refinements: [],
        confidence,
        switchedToDivergent: false,
      });
    }

    const drawn = this.describe(request.task, input.base, await decode('sample', input.sourceTokens), 'sample');
    const samples = dedupeSamples(drawn);
    if (request.mode === 'divergent') {
      const ranked = rankCandidates(request.task, samples);
      return finish({
        ...settle(request.task, request.code, ranked[0]!, ranked[0]!.text),
        candidates: ranked,
        chosen: 0,
        refinements: [],
        confidence,
        switchedToDivergent: false,
        ...(request.task === 'fix' ? { search: sampledSearch(drawn, ranked) } : {}),
      });
    }
    const merged = mergeCandidates(request.task, beams, samples, hybrid.convergent_weight, hybrid.divergent_weight);
    return finish({
      ...settle(request.task, request.code, merged[0]!, merged[0]!.text),
      candidates: merged,
      chosen: 0,
      refinements: [],
      confidence,
      switchedToDivergent: true,
    });
  }

  /** Whether the model reads a fix input whole (lines and tokens within its limits). */
  private fits(code: string): boolean {
    try {
      const tokens = taskSource('fix', code);
      return tokens.slice(1).filter((t) => !/^<L\d+>$/.test(t)).length <= this.network.maxSourceLength;
    } catch (error) {
      if (error instanceof TaskError) return false;
      throw error;
    }
  }

  /**
   * Convergent fix of a text of any length (whole-file.ts): each window the model reads whole gets
   * its beams and the edits the text suggests, scored by the model (fix-search.ts).
   */
  private async noBugCandidate(code: string, model: FixModel): Promise<AnswerCandidate> {
    // The model reads MAX_LINES lines (and its maximum of tokens) of a window: score the first.
    const firstWindow = code.split('\n').slice(0, MAX_LINES).join('\n');
    const [scored] = await model.score(firstWindow, [[NOBUG]]);
    return {
      text: code,
      outputTokens: [NOBUG],
      logProb: scored!.logProb,
      score: scored!.logProb,
      parses: checkPythonSyntax(code).ok,
      origin: 'edit',
      noBug: true,
      nameCheck: false,
      hasUnknown: false,
      changedLine: null,
      copyProbability: scored!.pGen.map((p) => 1 - p),
      attention: scored!.attention,
      problem: null,
    };
  }

  private async fixConvergent(
    code: string,
    decode: (mode: 'beam', tokens: string[], beamWidth: number) => Promise<Candidate[]>,
    stats: { decodeMs: number; steps: number },
    finish: (partial: Omit<Answer, 'timing' | 'task' | 'mode' | 'sourceTokens' | 'input'>) => Answer,
    signal?: AbortSignal,
    tally: SearchTally = emptyTally(),
  ): Promise<Answer> {
    let firstTokens: string[] | null = null;
    const model: FixModel = {
      beams: async (text) => {
        const tokens = this.prepare('fix', text).sourceTokens;
        firstTokens ??= tokens;
        return this.describe('fix', text, await decode('beam', tokens, this.beamWidthFor('fix', text)), 'beam');
      },
      score: async (text, outputs) => {
        const started = performance.now();
        const { encoded, enc } = this.encodeOne(this.prepare('fix', text).sourceTokens);
        try {
          const targets = outputs.map((o) => this.vocab.encodeTarget([...o, EOS], encoded.oovs));
          const scored = await scoreOutputs(this.params, enc, targets);
          stats.steps += Math.max(0, ...targets.map((t) => t.length));
          return scored;
        } finally {
          disposeEncoded(enc);
          stats.decodeMs += performance.now() - started;
        }
      },
    };
    const { solution_refinement_iterations: iterations } = this.config.cognitive_patterns.convergent;
    const result = await fixFile(code, {
      fits: (text) => this.fits(text),
      fix: (text, known, lookOnly) =>
        searchFix(text, model, {
          known,
          names: this.names,
          lookOnly,
          editPenalty: FIX_TUNING.editPenalty,
          firstMargin: FIX_TUNING.firstMargin,
          refineMargin: FIX_TUNING.refineMargin,
          enumeratedPenalty: FIX_TUNING.enumeratedPenalty,
          distancePenalty: FIX_TUNING.distancePenalty,
          beamPenalty: FIX_TUNING.beamPenalty,
          withoutModel: FIX_TUNING.withoutModel,
          signal,
          tally,
          iterations: Math.max(1, iterations),
        }),
    });
    // Nothing in the text fit a window the model reads (one block nested past its length): the
    // answer still holds a candidate, "no bug" as the model scores it on the text's first window.
    const candidates = result.candidates.length > 0 ? result.candidates : [await this.noBugCandidate(code, model)];
    const best = candidates[0];
    const answer = finish({
      text: result.text,
      noBug: result.status === 'no_bug',
      status: result.status,
      edits: result.edits,
      candidates,
      chosen: 0,
      refinements: result.steps,
      confidence: best ? tokenConfidence(best) : 0,
      switchedToDivergent: false,
      search: summarizeSearch(tally, candidates),
    });
    const read = firstTokens as string[] | null; // set inside the model's closure
    return read
      ? { ...answer, sourceTokens: read, input: { tokens: read.length, usedTokens: read.length, truncated: false } }
      : answer;
  }

  /** The source tokens of a request, cut to the model's maximum length (the cut is reported). */
  private prepare(task: Task, code: string): PreparedInput {
    if (code.trim() === '') throw new InputError('the code is empty: paste or type a Python function');
    let base = code;
    if (task === 'generate') {
      try {
        base = splitFunction(code.endsWith('\n') ? code : `${code}\n`).headerText;
      } catch (error) {
        if (error instanceof TaskError)
          throw new InputError(`${error.message}: give a signature line such as "def name(args):" and a docstring`);
        throw error;
      }
    }
    let tokens: string[];
    try {
      tokens = taskSource(task, base);
    } catch (error) {
      if (error instanceof TaskError) throw new InputError(error.message);
      throw error;
    }
    if (tokens.length <= 2) throw new InputError('the input holds no Python tokens: paste a Python function');
    // max_sequence_length counts the code's own tokens; the task token and line markers come on top.
    const max = this.network.maxSourceLength;
    const isCode = (t: string) => !/^<L\d+>$/.test(t);
    const codeTokens = tokens.slice(1).filter(isCode).length;
    if (codeTokens <= max) return { sourceTokens: tokens, totalTokens: tokens.length, base };
    const keep = (list: string[]) => {
      const out: string[] = [];
      let count = 0;
      for (const t of list) {
        if (isCode(t) && ++count > max) break;
        out.push(t);
      }
      return out;
    };
    // complete: the line to write depends most on what comes just before it, so keep the end.
    const kept =
      task === 'complete'
        ? [tokens[0]!, ...keep(tokens.slice(1).reverse()).reverse()]
        : [tokens[0]!, ...keep(tokens.slice(1))];
    return { sourceTokens: kept, totalTokens: tokens.length, base };
  }

  /** The beam width for a request: wider for a fix when the name check suspects a misspelled name. */
  private beamWidthFor(task: Task, base: string): number {
    const width = this.config.inference.beam_width;
    const suspect = this.config.cognitive_patterns.convergent.suspect_name_beam_width;
    return task === 'fix' && suspect > width && hasSuspectName(base) ? suspect : width;
  }

  /** Encodes one source (a batch of one); the caller disposes `enc` with disposeEncoded. */
  private encodeOne(sourceTokens: string[]) {
    const encoded = this.vocab.encodeSource(sourceTokens);
    const length = encoded.ids.length;
    const src = tf.tidy(() => ({
      srcIds: tf.tensor2d(encoded.ids, [1, length], 'int32'),
      srcExtIds: tf.tensor2d(encoded.extIds, [1, length], 'int32'),
      srcMask: tf.ones([1, length]) as tf.Tensor2D,
    }));
    const enc = encode(this.network, this.params, { ...src, numOovs: encoded.oovs.length });
    tf.dispose([src.srcIds, src.srcExtIds, src.srcMask]);
    return { encoded, enc };
  }

  private async decode(
    mode: 'beam' | 'sample',
    sourceTokens: string[],
    seed: number,
    beamWidth: number,
  ): Promise<Decoded> {
    const started = performance.now();
    const { encoded, enc } = this.encodeOne(sourceTokens);
    const inference = this.config.inference;
    const divergent = this.config.cognitive_patterns.divergent;
    try {
      const candidates =
        mode === 'beam'
          ? await beamSearch(this.params, enc, { beamWidth, lengthPenalty: inference.length_penalty })
          : await sampleDecode(this.params, enc, {
              numSamples: divergent.alternative_generation_count,
              temperature: inference.temperature * divergent.creativity_factor,
              topK: inference.top_k,
              topP: inference.top_p,
              repetitionPenalty: inference.repetition_penalty,
              seed,
            });
      const steps = candidates.reduce((most, c) => Math.max(most, c.ids.length), 0);
      // Decoded ids name the source's own out-of-vocabulary tokens: keep their texts with them.
      const texts = candidates.map((c) => this.vocab.decodeIds(c.ids, encoded.oovs));
      return {
        candidates: candidates.map((c, i) => ({ ...c, texts: texts[i] })) as Candidate[],
        decodeMs: performance.now() - started,
        steps,
      };
    } finally {
      disposeEncoded(enc);
    }
  }

  /** Turns decoded candidates into answer candidates: text, parse status, copy and attention. */
  private describe(task: Task, base: string, candidates: Candidate[], origin: 'beam' | 'sample'): AnswerCandidate[] {
    return candidates.map((c) => {
      const all = (c as Candidate & { texts: string[] }).texts;
      const end = all.indexOf(EOS);
      const outputTokens = end >= 0 ? all.slice(0, end) : all;
      let text = base;
      let problem: string | null = null;
      let changedLine: number | null = null;
      let parses: boolean;
      if (task === 'fix') {
        const applied = applyFixAnswer(base, outputTokens);
        if (applied.ok) {
          text = applied.text;
          changedLine = applied.changedLine;
        } else {
          problem = applied.error;
        }
        parses = problem === null && checkFragmentSyntax(text).ok;
      } else if (task === 'complete') {
        text = completionText(base, outputTokens);
        parses = checkCompletionSyntax(base, text);
      } else {
        text = generatedText(base, outputTokens);
        parses = checkPythonSyntax(text).ok;
      }
      return {
        text,
        outputTokens,
        logProb: c.logProb,
        score: c.score,
        parses,
        origin,
        nameCheck: task === 'fix' && changedLine !== null && parses && problem === null && isTypoFix(base, text),
        hasUnknown: outputTokens.includes(UNK),
        noBug: task === 'fix' && outputTokens[0] === NOBUG,
        changedLine,
        copyProbability: c.pGen.map((p) => 1 - p),
        attention: c.attention,
        problem,
      };
    });
  }
}

export type { Mode };

/**
 * The text and status of a divergent answer (or a hybrid one for complete and generate): for fix, when the input does not parse,
 * neither "no bug" nor an edit that does not parse is an answer (status unfixed, input unchanged).
 */
function settle(
  task: Task,
  code: string,
  best: AnswerCandidate,
  text: string,
): Pick<Answer, 'text' | 'noBug' | 'status'> {
  if (task !== 'fix') return { text, noBug: best.noBug };
  if (!checkPythonSyntax(code).ok && !(best.parses && best.problem === null && !best.noBug))
    return { text: code, noBug: false, status: 'unfixed' };
  return { text, noBug: best.noBug, status: best.noBug ? 'no_bug' : 'fixed' };
}

/** 5,000 lines of 100 characters: more is refused before any work (a parse of far longer text takes seconds). */
const MAX_CODE_CHARS = 500_000;
/** Lezer takes about half a second per check on a 50,000-character expression, and each candidate is checked. */
const MAX_LINE_CHARS = 20_000;

/** Refuses text no answer could be checked on in time: too long, or nested deeper than Python compiles. */
function checkInputSize(code: string): void {
  if (code.length > MAX_CODE_CHARS) {
    throw new InputError(
      `the code is ${code.length.toLocaleString('en')} characters; the most this model reads is ${MAX_CODE_CHARS.toLocaleString('en')}: send the function to fix, not the whole file`,
    );
  }
  const lines = code.split(/\r\n|\r|\n/);
  const long = lines.findIndex((line) => line.length > MAX_LINE_CHARS);
  if (long >= 0) {
    throw new InputError(
      `line ${long + 1} is ${lines[long]!.length.toLocaleString('en')} characters long; lines over ${MAX_LINE_CHARS.toLocaleString('en')} are data, not code this model can fix (checking each answer on it takes seconds)`,
    );
  }
  const deep = tooDeepLine(lex(code).tokens);
  if (deep !== null) {
    throw new InputError(
      `line ${deep} nests brackets or blocks deeper than Python allows (${MAX_BRACKET_NESTING} brackets, ${MAX_INDENT_LEVELS} indented blocks), so it cannot run: flatten it`,
    );
  }
}

/** A divergent fix's summary: the samples drawn, each proposed by the model. */
function sampledSearch(drawn: readonly AnswerCandidate[], ranked: readonly AnswerCandidate[]): SearchSummary {
  const tally = emptyTally();
  recordSamples(drawn, tally);
  const votes = (c: AnswerCandidate) =>
    drawn.filter((d) => d.outputTokens.join(' ') === c.outputTokens.join(' ')).length;
  return summarizeSearch(
    { ...tally, ranked: ranked.length, passes: 1 },
    ranked.map((c): AnswerCandidate => ({
      ...c,
      proposal: { by: [c.noBug ? 'no bug' : 'model sample'], votes: votes(c) },
    })),
  );
}

/** The geometric mean of a candidate's token probabilities (its end token included). */
function tokenConfidence(c: AnswerCandidate): number {
  return Math.exp(c.logProb / Math.max(1, c.outputTokens.length + 1));
}
