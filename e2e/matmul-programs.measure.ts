// Not a test: runs only with MEASURE=1, after `vite build`:
//   MEASURE=1 npx playwright test e2e/matmul-programs.measure.ts
// PROGRAMS=auto,packed picks tfjs programs; TILES=1x4,4x8 adds the direct matmul with other blocks per thread.
// Times the model's matrix multiplies under each WebGPU matmul program of tfjs (kernel-check.html
// ?matmul=1) and writes bench-results/matmul-programs.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from '@playwright/test';
import type { MatmulTiming } from '../dev/kernel-check/matmul-programs';

test('times the model matmuls under each WebGPU matmul program', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  page.on('console', (m) => m.type() === 'error' && console.log(`page: ${m.text()}`));
  await page.goto(
    `/kernel-check.html?matmul=1&repeats=${process.env.REPEATS ?? '5'}${process.env.PROGRAMS ? `&programs=${process.env.PROGRAMS}` : ''}${process.env.TILES ? `&tiles=${process.env.TILES}` : ''}`,
  );
  await page.waitForFunction(
    () =>
      ['passed', 'failed', 'error'].includes(
        (globalThis as unknown as { kernelCheck: { status: string } }).kernelCheck.status,
      ),
    null,
    { timeout: 29 * 60_000, polling: 2000 },
  );
  const result = await page.evaluate(
    () =>
      (
        globalThis as unknown as {
          kernelCheck: { status: string; error?: string; matmul?: MatmulTiming[]; backend: string };
        }
      ).kernelCheck,
  );
  if (!result.matmul) throw new Error(`kernel-check ended ${result.status}: ${result.error}`);
  const programs = Object.keys(result.matmul[0]!.ms);
  const md = [
    `# Matmul programs on ${result.backend}`,
    '',
    `${new Date().toISOString()}; median ms per multiply (the result read back), after a compile run.`,
    '',
    `| shape | ${programs.join(' | ')} | best |`,
    `|---|${programs.map(() => '---:').join('|')}|---|`,
    ...result.matmul.map(
      (r) =>
        `| ${r.shape} | ${programs.map((p) => (r.ms[p] === null ? '–' : r.ms[p]!.toFixed(1))).join(' | ')} | ${r.best} |`,
    ),
  ].join('\n');
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/matmul-programs.json', `${JSON.stringify(result.matmul, null, 1)}\n`);
  writeFileSync('bench-results/matmul-programs.md', `${md}\n`);
  console.log(md);
});
