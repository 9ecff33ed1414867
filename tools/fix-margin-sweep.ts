// Chooses firstMargin (src/model/coding-optimizer.ts FIX_TUNING): runs the shipped model on outside
// fix examples with any margin allowed, records how far each first edit with no evidence behind it
// (why `model`) beats "no bug", and prints the exact-match rate per class for each margin.
//   npx tsx tools/fix-margin-sweep.ts data/outside/functions.jsonl 360 1080 no_bug,missing_self,misspelled_name [MODEL_DIR]
import { readFileSync } from 'node:fs';
import { load } from '../src/model/index';
import { FIX_TUNING } from '../src/model/coding-optimizer';
import { isSameTokens } from '../src/model/tasks';
import { initNodeBackend } from '../src/platform/node/node';
import { readModelDir } from '../src/cli/model-dir';

const [
  file = 'data/outside/functions.jsonl',
  from = '360',
  to = '1080',
  classes = 'no_bug,missing_self,misspelled_name',
  modelDir = 'public/models',
] = process.argv.slice(2);
const wanted = new Set(classes.split(','));
await initNodeBackend(null);
const model = await load(readModelDir(modelDir));
FIX_TUNING.firstMargin = -1e9;
const rows: { cls: string; why: string | null; gap: number; exact: boolean; oneEditExact: boolean }[] = [];
for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(Number(from), Number(to))) {
  const e = JSON.parse(line) as { input: string; target: string; class: string };
  if (!wanted.has(e.class)) continue;
  const a = await model.run({ task: 'fix', mode: 'convergent', code: e.input });
  const noBug = a.candidates.find((c) => c.noBug);
  const first = a.edits?.[0];
  const edit = first ? a.candidates.find((c) => !c.noBug && c.changedLine === first.line) : undefined;
  rows.push({
    cls: e.class,
    why: first?.why ?? null,
    gap: edit && noBug ? edit.logProb - noBug.logProb : Number.NaN,
    exact: isSameTokens(a.text, e.target),
    oneEditExact: a.refinements[0] ? isSameTokens(a.refinements[0].text, e.target) : false,
  });
}
model.dispose();
for (const margin of [0, 0.5, 1, 1.5, 2, 3, 4, 6]) {
  const score = new Map<string, [number, number]>();
  for (const r of rows) {
    // Only a first edit with no evidence behind it is subject to the margin.
    const ok = r.why === 'model' ? (r.gap >= margin ? r.oneEditExact : r.cls === 'no_bug') : r.exact;
    const [right, n] = score.get(r.cls) ?? [0, 0];
    score.set(r.cls, [right + Number(ok), n + 1]);
  }
  console.log(
    `margin ${margin}: ${[...score]
      .sort()
      .map(([c, [right, n]]) => `${c} ${right}/${n} = ${((100 * right) / n).toFixed(1)}%`)
      .join(', ')}`,
  );
}
