// Chooses HYBRID_TUNING (src/model/fix/hybrid-join.ts): runs hybrid fix on outside examples with
// the samples' agreement switched off (the answer is the convergent search's, with the samples
// joined and counted), then replays the choice for each minVotes and voteNats and prints the
// exact-match rate per class beside convergent's (the answer as the search gave it).
//   npx tsx tools/hybrid-vote-sweep.ts data/outside/functions_labelled.jsonl half=tune 90 [MODEL_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { load } from '../src/model/index';
import { chooseByAgreement, HYBRID_TUNING, type HybridFix } from '../src/model/fix/hybrid-join';
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
const rows: { cls: string; code: string; target: string; joined: HybridFix }[] = [];
const lines = readFileSync(file, 'utf8').trim().split('\n');
for (const line of lines) {
  if (rows.length >= Number(limit)) break;
  const e = JSON.parse(line) as Record<string, unknown> & { input: string; target: string; class: string };
  if (String(e[field]) !== value) continue;
  const a = await model.run({ task: 'fix', mode: 'hybrid', code: e.input });
  // Attention and copy rows are not needed for the choice, and are most of an answer's size.
  const candidates = a.candidates.map((c) => ({ ...c, attention: [], copyProbability: [] }));
  rows.push({ cls: e.class, code: e.input, target: e.target, joined: { ...a, candidates } });
  process.stderr.write(`\r${rows.length}`);
}
process.stderr.write('\n');
model.dispose();
// SWEEP_ROWS=file.json keeps the joined answers, to replay other choices without the model.
if (process.env.SWEEP_ROWS) writeFileSync(process.env.SWEEP_ROWS, JSON.stringify(rows));
const table = (choose: (r: (typeof rows)[number]) => string) => {
  const score = new Map<string, [number, number]>();
  for (const r of rows) {
    const [right, n] = score.get(r.cls) ?? [0, 0];
    score.set(r.cls, [right + Number(isSameTokens(choose(r), r.target)), n + 1]);
  }
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
for (const unfixedVotes of [1, 2, Number.POSITIVE_INFINITY])
  console.log(
    `unfixed only, unfixedVotes ${unfixedVotes}: ${table((r) => chooseByAgreement(r.code, r.joined, { minVotes: Number.POSITIVE_INFINITY, voteNats: 0, unfixedVotes }).text)}`,
  );
for (const minVotes of [1, 2, 3, 4, 5])
  for (const voteNats of [0.5, 1, 2, 4, 8, 1000])
    console.log(
      `minVotes ${minVotes} voteNats ${voteNats}: ${table((r) => chooseByAgreement(r.code, r.joined, { minVotes, voteNats, unfixedVotes: 1 }).text)}`,
    );
