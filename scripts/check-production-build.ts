// Checks what users get against what the tests get: builds the production app (`vite build`, as
// `npm run build` does) into build/production and fails when any test hook is in it or its content
// security policy is missing (the <meta> copy, `_headers`, no inline script), then checks
// that the tests' build (dist/, `vite build --mode e2e`, built first by `npm run test:e2e`) has
// every one of them, so a marker that no longer names a hook fails here instead of passing forever.
//   npx tsx scripts/check-production-build.ts [TEST_BUILD_DIR]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY, CSP_HEADER, inlineScripts, META_POLICY } from '../tools/content-security-policy.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PRODUCTION_DIR = join(ROOT, 'build/production');
const TEST_BUILD_DIR = resolve(ROOT, process.argv[2] ?? 'dist');

/** Text only the test hooks put in a bundle: their query parameters, test ids and messages. */
export const TEST_HOOK_MARKERS = [
  'crash-test', // ?crash-test (src/ui/App.tsx)
  'train-faults', // ?train-faults (src/ui/training/TrainingDashboard.tsx)
  'crash-worker', // the playground's crash button
  'train-fault-nan', // the Train tab's fault buttons
  'crash test: the', // the worker's own crash (src/worker/device-faults.ts)
  '__trainingTest', // the Train tab's kill hook (src/ui/training/training-test-hooks.ts)
];

/** Every script of a build, with its text. */
function scripts(dir: string): { file: string; text: string }[] {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ file: join(assets, name), text: readFileSync(join(assets, name), 'utf8') }));
}

function main(): void {
  execFileSync('npx', ['vite', 'build', '--outDir', PRODUCTION_DIR, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const problems: string[] = [];
  const production = scripts(PRODUCTION_DIR);
  for (const marker of TEST_HOOK_MARKERS)
    for (const { file } of production.filter((s) => s.text.includes(marker)))
      problems.push(`the production build holds the test hook "${marker}": ${file}`);
  const html = readFileSync(join(PRODUCTION_DIR, 'index.html'), 'utf8');
  const meta = new RegExp(`<meta http-equiv="${CSP_HEADER}" content="([^"]*)"`)
    .exec(html)?.[1]
    ?.replaceAll('&#39;', "'");
  if (meta !== META_POLICY) problems.push(`index.html's <meta> policy is ${meta ?? 'missing'}, not: ${META_POLICY}`);
  if (inlineScripts(html).length > 0) problems.push('index.html has an inline script, which the policy refuses');
  const headers = readFileSync(join(PRODUCTION_DIR, '_headers'), 'utf8');
  if (!headers.includes(`${CSP_HEADER}: ${CONTENT_SECURITY_POLICY}\n`))
    problems.push(`_headers lacks the policy: ${headers}`);
  const tests = scripts(TEST_BUILD_DIR);
  for (const marker of TEST_HOOK_MARKERS)
    if (!tests.some((s) => s.text.includes(marker)))
      problems.push(
        `the tests' build (${TEST_BUILD_DIR}) lacks "${marker}": build it with --mode e2e, or update the marker`,
      );
  if (problems.length > 0) {
    for (const problem of problems) console.error(`error: ${problem}`);
    process.exit(1);
  }
  console.log(
    `production build: none of ${TEST_HOOK_MARKERS.length} test hooks in ${production.length} scripts, the policy in index.html and _headers; the tests' build has every hook`,
  );
}

main();
