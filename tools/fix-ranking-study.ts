// Chooses the fix search's ranking weights (src/model/coding-optimizer.ts FIX_TUNING): runs the
// model once per outside fix line and keeps every candidate of the first look with what its score is
// made of (the model's log-probability, tokens changed, the enumeration's prior), then ranks the
// kept candidates again under other weights without running the model, and lists the lines whose
// target loses. Tune on the `tune` half only.
//   npx tsx tools/fix-ranking-study.ts run OUT.json FILE.jsonl [FIELD=VALUE]... [--skip N] [--limit N] [--models DIR]
//   npx tsx tools/fix-ranking-study.ts sweep OUT.json...
//   npx tsx tools/fix-ranking-study.ts show OUT.json [N]
import { readFileSync, writeFileSync } from 'node:fs';
import { load } from '../src/model/index';
import { FIX_TUNING } from '../src/model/coding-optimizer';
import { isSameTokens } from '../src/model/tasks';
import { changedSpan } from '../src/model/fix/fix-search';
import { lex, tokenTexts } from '../src/model/python/lexer';
import { checkPythonSyntax } from '../src/model/python/parse-check';
import { initNodeBackend } from '../src/platform/node/node';
import { readModelDir } from '../src/cli/model-dir';

interface StudiedCandidate {
  target: boolean;
  logProb: number;
  editSize: number;
  /** Log-probability the enumeration's prior took off (0: a rule's edit, a beam). */
  prior: number;
  outputLength: number;
  why: string;
  origin: string;
  noBug: boolean;
  nameCheck: boolean;
  usable: boolean;
  hasUnknown: boolean;
  /** The candidate's changed line, and the input's line there. */
  after: string;
  before: string;
  line: number | null;
}

interface StudiedLine {
  group: string;
  exact: boolean;
  errorLine: number | null;
  candidates: StudiedCandidate[];
  /** The answer's edits (`line: before -> after (why)`). */
  edits: string[];
}

const lineAt = (text: string, n: number | null) => (n === null ? '' : (text.split('\n')[n - 1] ?? ''));

async function study(out: string, file: string, args: string[]): Promise<void> {
  const where = args.filter((a) => a.includes('=') && !a.startsWith('--')).map((a) => a.split('=') as [string, string]);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const skip = Number(option('--skip') ?? 0);
  const limit = Number(option('--limit') ?? Infinity);
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { input: string; target: string; class?: string })
    .slice(skip)
    .filter((e) => where.every(([k, v]) => String(e[k]) === v))
    .slice(0, limit);
  await initNodeBackend(null);
  const model = await load(readModelDir(option('--models') ?? 'public/models'));
  const studied: StudiedLine[] = [];
  for (const [i, e] of lines.entries()) {
    const a = await model.run({ task: 'fix', mode: 'convergent', code: e.input });
    const check = checkPythonSyntax(e.input);
    const inputParses = check.ok;
    studied.push({
      group: `${e.class ?? ''}${e.kind ? `/${String(e.kind)}${e.size ? String(e.size) : ''}` : ''}`,
      exact: isSameTokens(a.text, e.target),
      errorLine: check.ok ? null : (check.errorLine ?? null),
      edits: (a.edits ?? []).map(
        (d) => `${d.line}: ${JSON.stringify(d.before.trim())} -> ${JSON.stringify(d.after.trim())} (${d.why})`,
      ),
      candidates: a.candidates.map((c) => ({
        target: c.noBug ? isSameTokens(e.input, e.target) : isSameTokens(c.text, e.target),
        logProb: c.logProb,
        editSize: c.editSize ?? 0,
        prior: c.noBug ? 0 : c.logProb - FIX_TUNING.editPenalty * (c.editSize ?? 0) - c.score,
        outputLength: c.outputTokens.length,
        why: c.noBug ? 'no bug' : (c.why ?? 'model'),
        origin: c.origin,
        noBug: c.noBug,
        nameCheck: c.nameCheck,
        usable: c.parses && c.problem === null && (c.noBug ? inputParses : c.text !== e.input),
        hasUnknown: c.hasUnknown,
        after: lineAt(c.text, c.changedLine),
        before: lineAt(e.input, c.changedLine),
        line: c.changedLine,
      })),
    });
    if ((i + 1) % 10 === 0) process.stderr.write(`  ${i + 1}/${lines.length}\n`);
    writeFileSync(out, JSON.stringify(studied));
  }
  model.dispose();
}

interface Weights {
  editPenalty: number;
  enumeratedPenalty: number;
  distancePenalty: number;
  /** Log-probability per output token given back (length normalisation, 0: none). */
  perToken: number;
  /** Log-probability given back per token an edit deletes and inserts nothing for (the model copies its input). */
  deleteBonus: number;
  /** Log-probability taken off a beam no rule nor the enumeration proposed, where the text does not compile. */
  beamPenalty: number;
}

const CURRENT: Weights = {
  editPenalty: 0.5,
  enumeratedPenalty: 8,
  distancePenalty: 0.1,
  perToken: 0,
  deleteBonus: 0,
  beamPenalty: 0,
};

/** Tokens the edit of one line removes with nothing in their place. */
const deletedCache = new WeakMap<StudiedCandidate, number>();
function deleted(c: StudiedCandidate): number {
  let n = deletedCache.get(c);
  if (n === undefined) {
    const a = tokenTexts(lex(c.before).tokens);
    const b = tokenTexts(lex(c.after).tokens);
    const { start, endA, endB } = changedSpan(a, b);
    n = endB === start ? endA - start : 0;
    deletedCache.set(c, n);
  }
  return n;
}

/** The candidates in the order the weights give: the search's tiers first, as rankFix has them. */
function rerank(candidates: readonly StudiedCandidate[], w: Weights, compiles = false): StudiedCandidate[] {
  const tier = (c: StudiedCandidate) => [Number(c.usable), Number(!c.hasUnknown), Number(c.nameCheck)];
  const score = (c: StudiedCandidate) => {
    if (c.noBug) return c.logProb + w.perToken * c.outputLength;
    const enumerated = c.prior > 0.5;
    const distance = enumerated ? (c.prior - CURRENT.enumeratedPenalty) / CURRENT.distancePenalty : 0;
    return (
      c.logProb +
      w.perToken * c.outputLength +
      w.deleteBonus * deleted(c) -
      w.editPenalty * c.editSize -
      (!compiles && c.origin === 'beam' && c.why === 'model' ? w.beamPenalty : 0) -
      (enumerated ? w.enumeratedPenalty + w.distancePenalty * distance : 0)
    );
  };
  const order = new Map(candidates.map((c, i) => [c, i]));
  return [...candidates].sort((a, b) => {
    const [ta, tb] = [tier(a), tier(b)];
    for (let k = 0; k < ta.length; k++) if (ta[k] !== tb[k]) return tb[k]! - ta[k]!;
    // Name-check fixes keep the channel's order (not recorded here).
    if (a.nameCheck) return order.get(a)! - order.get(b)!;
    return score(b) - score(a);
  });
}

function firstRight(line: StudiedLine, w: Weights): boolean {
  return rerank(line.candidates, w, line.errorLine === null)[0]?.target === true;
}

function sweep(files: string[]): void {
  const lines = files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as StudiedLine[]);
  const groups = [...new Set(lines.map((l) => l.group))].sort();
  const report = (w: Weights) => {
    const cells = groups.map((g) => {
      const of = lines.filter((l) => l.group === g);
      return `${g} ${of.filter((l) => firstRight(l, w)).length}/${of.length}`;
    });
    const all = lines.filter((l) => firstRight(l, w)).length;
    return `${all}/${lines.length}  ${cells.join(', ')}`;
  };
  const recalled = lines.filter((l) => l.candidates.some((c) => c.target)).length;
  console.log(
    `lines ${lines.length}, target among candidates ${recalled}, exact as run ${lines.filter((l) => l.exact).length}`,
  );
  console.log(`current ${JSON.stringify(CURRENT)}: ${report(CURRENT)}`);
  const results: [number, Weights][] = [];
  for (const editPenalty of [0, 0.5, 1, 2, 3])
    for (const enumeratedPenalty of [0, 2, 4, 8, 12])
      for (const distancePenalty of [0, 0.1, 0.3, 1])
        for (const perToken of [0, 0.1])
          for (const deleteBonus of [0, 2, 4])
            for (const beamPenalty of [0, 8, 12, 16, 24, 1000]) {
              const w = { editPenalty, enumeratedPenalty, distancePenalty, perToken, deleteBonus, beamPenalty };
              results.push([lines.filter((l) => firstRight(l, w)).length, w]);
            }
  results.sort((a, b) => b[0] - a[0]);
  for (const [, w] of results.slice(0, 12)) console.log(`${JSON.stringify(w)}: ${report(w)}`);
  // Weights given on the command line (`editPenalty=0.5 beamPenalty=12 ...`), each beside the current ones.
  for (const given of process.argv.slice(4).filter((a) => a.includes('='))) {
    const w = { ...CURRENT };
    for (const pair of given.split(',')) {
      const [key, value] = pair.split('=') as [keyof Weights, string];
      w[key] = Number(value);
    }
    console.log(`given ${JSON.stringify(w)}: ${report(w)}`);
  }
}

function show(file: string, count: number): void {
  const lines = JSON.parse(readFileSync(file, 'utf8')) as StudiedLine[];
  let shown = 0;
  for (const l of lines) {
    const ranked = rerank(l.candidates, CURRENT, l.errorLine === null);
    if ((ranked[0]?.target && l.exact) || shown >= count) continue;
    shown++;
    const at = ranked.findIndex((c) => c.target);
    console.log(
      `\n[${l.group}] error line ${l.errorLine}; target at ${at} of ${ranked.length}; answer ${l.exact ? 'right' : 'wrong'}`,
    );
    for (const edit of l.edits) console.log(`  edit ${edit}`);
    for (const [i, c] of ranked.entries())
      if (i < 3 || c.target)
        console.log(
          `  ${i}${c.target ? '*' : ' '} lp ${c.logProb.toFixed(2)} size ${c.editSize} prior ${c.prior.toFixed(1)} ` +
            `len ${c.outputLength} ${c.origin}/${c.why}${c.nameCheck ? ' name' : ''}${c.usable ? '' : ' unusable'} ` +
            `L${c.line}: ${JSON.stringify(c.before.trim())} -> ${JSON.stringify(c.after.trim())}`,
        );
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'run') await study(rest[0]!, rest[1]!, rest.slice(2));
else if (command === 'sweep') sweep(rest.filter((a) => !a.includes('=')));
else if (command === 'show') show(rest[0]!, Number(rest[1] ?? 40));
else console.error('usage: fix-ranking-study.ts run|sweep|show ...');
