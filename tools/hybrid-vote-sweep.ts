// Chooses HYBRID_TUNING (src/model/fix/hybrid-join.ts): runs hybrid fix on outside examples with
// the samples' agreement switched off (the answer is the convergent search's, with the samples
// joined and counted), samples each text after an edit the search went on from, then replays the
// choice for each refineVotes, minVotes and voteNats and prints the exact-match rate per class
// beside convergent's (the answer as the search gave it).
//   npx tsx tools/hybrid-vote-sweep.ts data/outside/functions_labelled.jsonl half=tune 90 [MODEL_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { load } from '../src/model/index';
import type { Answer } from '../src/model/api';
import { chooseByAgreement, cutUnaskedEdits, HYBRID_TUNING } from '../src/model/fix/hybrid-join';
import { isSameTokens } from '../src/model/tasks';
import { initNodeBackend } from '../src/platform/node/node';
import { readModelDir } from '../src/cli/model-dir';

const [file = 'data/outside/functions_labelled.jsonl', where = 'half=tune', limit = '90', modelDir = 'public/models'] =
  process.argv.slice(2);
const [field, value] = where.split('=') as [string, string];
await initNodeBackend(null);
const model = await load(readModelDir(modelDir));
HYBRID_TUNING.minVotes = Number.POSITIVE_INFINITY;
HYBRID_TUNING.unfixedVotes = Number.POSITIVE_INFINITY;
HYBRID_TUNING.refineVotes = Number.POSITIVE_INFINITY;
const rows: {
  cls: string;
  code: string;
  target: string;
  joined: Answer;
  /** The samples saying "no bug" of each text after an edit that led to another (as hybrid draws them). */
  noBugVotes: Record<string, number>;
}[] = [];
const lines = readFileSync(file, 'utf8').trim().split('\n');
for (const line of lines) {
  if (rows.length >= Number(limit)) break;
  const e = JSON.parse(line) as Record<string, unknown> & { input: string; target: string; class: string };
  if (String(e[field]) !== value) continue;
  const a = await model.run({ task: 'fix', mode: 'hybrid', code: e.input });
  // Attention and copy rows are not needed for the choice, and are most of an answer's size.
  const candidates = a.candidates.map((c) => ({ ...c, attention: [], copyProbability: [] }));
  const noBugVotes: Record<string, number> = {};
  for (const step of a.refinements.slice(0, -1)) {
    const sampled = await model.run({ task: 'fix', mode: 'divergent', code: step.text });
    noBugVotes[step.text] = sampled.search?.top.find((t) => t.proposal.by.includes('no bug'))?.proposal.votes ?? 0;
  }
  rows.push({ cls: e.class, code: e.input, target: e.target, joined: { ...a, candidates }, noBugVotes });
  process.stderr.write(`\r${rows.length}`);
}
process.stderr.write('\n');
model.dispose();
// SWEEP_ROWS=file.json keeps the joined answers, to replay other choices without the model.
if (process.env.SWEEP_ROWS) writeFileSync(process.env.SWEEP_ROWS, JSON.stringify(rows));
// The search's answers with its further edits cut back, for each refineVotes.
const REFINE_VOTES = [2, 3, 4, 5, Number.POSITIVE_INFINITY];
const cut = new Map<number, Answer[]>();
for (const refineVotes of REFINE_VOTES)
  cut.set(
    refineVotes,
    await Promise.all(
      rows.map(
        async (r) =>
          (await cutUnaskedEdits(r.joined, async (text) => r.noBugVotes[text] ?? 0, {
            ...HYBRID_TUNING,
            refineVotes,
          })) ?? r.joined,
      ),
    ),
  );
const table = (choose: (r: (typeof rows)[number], i: number) => string) => {
  const score = new Map<string, [number, number]>();
  rows.forEach((r, i) => {
    const [right, n] = score.get(r.cls) ?? [0, 0];
    score.set(r.cls, [right + Number(isSameTokens(choose(r, i), r.target)), n + 1]);
  });
  const all = [...score.values()].reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
  return `${all[0]}/${all[1]}: ${[...score]
    .sort()
    .map(([c, [right, n]]) => `${c} ${right}/${n}`)
    .join(', ')}`;
};
console.log(`convergent: ${table((r) => r.joined.text)}`);
// What the samples could give at best: the right text when any sample gave it.
console.log(
  `oracle, right among the samples: ${table((r) => r.joined.candidates.find((c) => (c.proposal?.votes ?? 0) > 0 && isSameTokens(c.text, r.target))?.text ?? r.joined.text)}`,
);
for (const refineVotes of REFINE_VOTES)
  console.log(`cut only, refineVotes ${refineVotes}: ${table((_r, i) => cut.get(refineVotes)![i]!.text)}`);
for (const unfixedVotes of [1, 2, Number.POSITIVE_INFINITY])
  console.log(
    `unfixed only, unfixedVotes ${unfixedVotes}: ${table((r) => chooseByAgreement(r.code, r.joined, { ...HYBRID_TUNING, minVotes: Number.POSITIVE_INFINITY, unfixedVotes }).text)}`,
  );
for (const refineVotes of [3, Number.POSITIVE_INFINITY])
  for (const minVotes of [1, 2, 3, 4, 5])
    for (const voteNats of [0.5, 1, 2, 4, 8, 1000])
      console.log(
        `refineVotes ${refineVotes} minVotes ${minVotes} voteNats ${voteNats}: ${table((r, i) => chooseByAgreement(r.code, cut.get(refineVotes)![i]!, { minVotes, voteNats, unfixedVotes: 1, refineVotes }).text)}`,
      );
