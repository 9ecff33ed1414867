import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { collectPageErrors, snap } from './helpers';

// Saved runs: every run is kept in IndexedDB under its own id; a worker killed while it writes a
// checkpoint leaves the previous, complete checkpoint of that run; two tabs train two runs without
// touching each other's records, and a run trained in one tab cannot be taken by another until it
// is let go; version 1's one run is carried over; a checkpoint the browser cleared is reported missing.

const DB_NAME = 'lstm-coding-optimizer-training';
/** Each checkpoint's transaction stays open this long in the kill test: the kills land inside it. */
const HOLD_MS = 400;
const KILLS = 20;
/** Kills land at a random point of the first KILL_WINDOW_MS of an open transaction. */
const KILL_WINDOW_MS = 300;
const KILL_SEED = 29;
/** Checkpoints let through (committed) before a kill, at most. */
const MAX_SKIPPED = 2;

/** What IndexedDB holds of one run, read in the page (or null when the run is not saved). */
interface StoredRun {
  status: string;
  updatedAt: number;
  infoStep: number | null;
  infoBytes: number | null;
  checkpointStep: number | null;
  checkpointRunId: string | null;
  checkpointBytes: number | null;
  digest: string | null;
}

/**
 * The page's side of the database checks, as script text (the specs compile without the DOM's
 * types): each function takes the database's name first.
 */
const IN_PAGE = `
const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
const STORES = ['runs', 'checkpoints', 'checkpointInfo'];
const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
async function readRun(name, id) {
  const db = await request(indexedDB.open(name));
  const tx = db.transaction(STORES, 'readonly');
  const [run, checkpoint, info] = await Promise.all(STORES.map((store) => request(tx.objectStore(store).get(id))));
  db.close();
  if (!run) return null;
  const digest = checkpoint ? Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', checkpoint.bytes)).slice(0, 8)).join('.') : null;
  return {
    status: run.status, updatedAt: run.updatedAt, infoStep: info?.step ?? null, infoBytes: info?.bytes ?? null,
    checkpointStep: checkpoint?.step ?? null, checkpointRunId: checkpoint?.runId ?? null,
    checkpointBytes: checkpoint?.bytes.byteLength ?? null, digest,
  };
}
async function runIds(name) {
  const db = await request(indexedDB.open(name));
  const keys = await request(db.transaction('runs').objectStore('runs').getAllKeys());
  db.close();
  return keys.map(String);
}
/** Rewrites the database as version 1 held it: its one run and checkpoint under the key "current". */
async function toVersion1(name) {
  const current = await request(indexedDB.open(name));
  const tx = current.transaction(STORES);
  const [[run], [checkpoint], [info]] = await Promise.all(STORES.map((store) => request(tx.objectStore(store).getAll())));
  current.close();
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => STORES.forEach((store) => open.result.createObjectStore(store));
  const legacy = await request(open);
  const write = legacy.transaction(STORES, 'readwrite');
  const { id, name: runName, ...recipe } = run;
  const { runId, ...bytes } = checkpoint;
  write.objectStore('runs').put(recipe, 'current');
  write.objectStore('checkpoints').put(bytes, 'current');
  write.objectStore('checkpointInfo').put(info, 'current');
  await done(write);
  legacy.close();
}
/** What the browser does to a checkpoint under storage pressure: its bytes are gone. */
async function dropCheckpoint(name, id) {
  const db = await request(indexedDB.open(name));
  const tx = db.transaction('checkpoints', 'readwrite');
  tx.objectStore('checkpoints').delete(id);
  await done(tx);
  db.close();
}
`;

async function inPage<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  const call = [DB_NAME, ...args].map((a) => JSON.stringify(a)).join(', ');
  return page.evaluate(`(async () => { ${IN_PAGE}; return ${fn}(${call}); })()`) as Promise<T>;
}

const readRun = (page: Page, runId: string) => inPage<StoredRun | null>(page, 'readRun', runId);
const runIds = (page: Page) => inPage<string[]>(page, 'runIds');

/** The Train tab's test hook (src/ui/training/training-test-hooks.ts), in the tests' build. */
async function trainingHook<T>(page: Page, call: string): Promise<T> {
  return page.evaluate(`window.__trainingTest.${call}`) as Promise<T>;
}

async function openTraining(page: Page, query = '?backend=wasm&train-faults'): Promise<void> {
  await page.route('**/models/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(`/${query}`);
  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
}

/** The tiny preset, checkpoints every `every` steps, no evaluation in the way. */
async function startTiny(page: Page, every: number, maxSteps = ''): Promise<void> {
  await page.getByTestId('train-model-tiny').check();
  await page.getByTestId('train-eval-interval').fill('1000');
  await page.getByTestId('train-eval-sample').fill('0');
  await page.getByTestId('train-checkpoint-interval').fill(String(every));
  await page.getByTestId('train-max-steps').fill(maxSteps);
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId('train-start').click();
}

async function expectPhase(page: Page, phase: string, timeout = 120_000): Promise<void> {
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', phase, { timeout });
}

async function lastCheckpoint(page: Page): Promise<number> {
  const step = await page
    .getByTestId('train-checkpoint')
    .getAttribute('data-step', { timeout: 1_000 })
    .catch(() => null);
  return Number(step ?? 0);
}

const savedRow = (page: Page, runId: string) => page.locator(`[data-testid="saved-run"][data-run-id="${runId}"]`);

/** A small seeded generator (mulberry32): the kill points are random, and the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('20 kills inside open checkpoint transactions: each resume loads the complete checkpoint of the right run', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const errors = collectPageErrors(page);
  await openTraining(page);
  // A first run, ended: the resumes below must never load its checkpoint.
  await startTiny(page, 3, '6');
  await expectPhase(page, 'ended');
  const [decoyId] = await runIds(page);
  const decoy = await readRun(page, decoyId!);
  expect(decoy?.infoStep).toBe(6);

  await startTiny(page, 3);
  await expect.poll(() => lastCheckpoint(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(3);
  const runId = (await runIds(page)).find((id) => id !== decoyId)!;
  await trainingHook(page, `holdCheckpoints(${HOLD_MS})`);

  const random = seeded(KILL_SEED);
  const kills: {
    delayMs: number;
    skip: number;
    writing: number;
    kept: number;
    openAtKill: boolean;
    aborted: boolean;
  }[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const delayMs = Math.round(random() * KILL_WINDOW_MS);
    // Some checkpoints commit between kills, so the kills land at different steps too.
    const skip = Math.floor(random() * (MAX_SKIPPED + 1));
    const report = await trainingHook<{ step: number; openAtKill: boolean }>(
      page,
      `killInNextCheckpoint(${delayMs}, ${skip})`,
    );
    await expect(page.getByTestId('train-error')).toHaveAttribute('data-kind', 'crash', { timeout: 60_000 });
    const stored = await readRun(page, runId);
    expect(stored).not.toBeNull();
    // Complete: the bytes are there, their size is the one recorded with them, and they are this run's.
    expect(stored!.checkpointRunId).toBe(runId);
    expect(stored!.checkpointStep).toBe(stored!.infoStep);
    expect(stored!.checkpointBytes).toBe(stored!.infoBytes);
    const kept = stored!.infoStep!;
    kills.push({
      delayMs,
      skip,
      writing: report.step,
      kept,
      openAtKill: report.openAtKill,
      aborted: kept < report.step,
    });

    const row = savedRow(page, runId);
    await expect(row).toHaveAttribute('data-step', String(kept), { timeout: 10_000 });
    await expect(row.getByTestId('train-resume-saved')).toHaveText(`Resume from step ${kept}`);
    if (kill === 0) await snap(page, 'saved-runs-after-kill');
    await row.getByTestId('train-resume-saved').click();
    await expectPhase(page, 'running');
    await expect(page.getByTestId('train-figures')).toHaveAttribute('data-start-step', String(kept));
    // The decoy run's records are never touched.
    expect(await readRun(page, decoyId!)).toEqual(decoy);
  }
  test.info().annotations.push({ type: 'kills', description: JSON.stringify(kills) });
  console.log(`kills (seed ${KILL_SEED}): ${JSON.stringify(kills)}`);
  // Every kill landed while the checkpoint's transaction was open: the page had not heard it commit,
  // and the step being written never reached the store (the transaction was aborted).
  expect(kills.filter((k) => k.openAtKill && k.aborted)).toHaveLength(KILLS);
  await page.getByTestId('train-stop').click();
  await expectPhase(page, 'ended');
  expect(errors).toEqual([]);
});

test('two pages of one context train two runs: neither writes the other’s records, and a run is taken over only once let go', async ({
  page: pageA,
  context,
}) => {
  test.setTimeout(600_000);
  await openTraining(pageA);
  await startTiny(pageA, 3);
  await expect.poll(() => lastCheckpoint(pageA), { timeout: 150_000 }).toBeGreaterThanOrEqual(3);
  const [runA] = await runIds(pageA);

  const pageB = await context.newPage();
  await openTraining(pageB);
  // B sees A's run as trained elsewhere, and cannot take it.
  await expect(savedRow(pageB, runA!)).toHaveAttribute('data-elsewhere', 'true', { timeout: 10_000 });
  await expect(savedRow(pageB, runA!).getByTestId('train-resume-saved')).toBeDisabled();
  await expect(savedRow(pageB, runA!).getByTestId('train-discard-saved')).toBeDisabled();
  await snap(pageB, 'saved-runs-training-elsewhere');
  await startTiny(pageB, 3);
  await expect.poll(() => lastCheckpoint(pageB), { timeout: 150_000 }).toBeGreaterThanOrEqual(3);
  const runB = (await runIds(pageB)).find((id) => id !== runA)!;

  // Both train; each run's records follow its own page only.
  const stepA = await lastCheckpoint(pageA);
  await expect.poll(() => lastCheckpoint(pageA), { timeout: 150_000 }).toBeGreaterThan(stepA);
  await pageA.getByTestId('train-stop').click();
  await expectPhase(pageA, 'ended');
  const frozenA = await readRun(pageA, runA!);
  expect(frozenA?.status).toBe('stopped');
  expect(frozenA?.infoStep).toBe(await lastCheckpoint(pageA));
  expect(frozenA?.checkpointRunId).toBe(runA);

  const stepB = await lastCheckpoint(pageB);
  await expect.poll(() => lastCheckpoint(pageB), { timeout: 150_000 }).toBeGreaterThanOrEqual(stepB + 6);
  const liveB = await readRun(pageB, runB);
  expect(liveB?.status).toBe('running');
  expect(liveB?.checkpointRunId).toBe(runB);
  expect(liveB?.infoStep).toBeGreaterThanOrEqual(stepB + 6);
  expect(await readRun(pageB, runA!)).toEqual(frozenA);

  // A let its run go: B stops its own and takes A's over; now A sees its run trained elsewhere.
  await pageB.getByTestId('train-stop').click();
  await expectPhase(pageB, 'ended');
  const frozenB = await readRun(pageB, runB);
  expect(frozenB?.status).toBe('stopped');
  expect(frozenB?.infoStep).toBe(await lastCheckpoint(pageB));
  await expect(savedRow(pageB, runA!)).toHaveAttribute('data-elsewhere', 'false', { timeout: 10_000 });
  await savedRow(pageB, runA!).getByTestId('train-resume-saved').click();
  await expectPhase(pageB, 'running');
  await expect(pageB.getByTestId('train-figures')).toHaveAttribute('data-start-step', String(frozenA!.infoStep));
  await expect(savedRow(pageA, runA!)).toHaveAttribute('data-elsewhere', 'true', { timeout: 10_000 });
  await expect(savedRow(pageA, runA!).getByTestId('train-resume-saved')).toBeDisabled();
  await snap(pageA, 'saved-runs-taken-over');
  await pageB.getByTestId('train-stop').click();
  await expectPhase(pageB, 'ended');
  expect(await readRun(pageA, runB)).toEqual(frozenB);
});

test('the one run of the old store is carried over and resumes; a checkpoint the browser cleared is reported missing', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await openTraining(page);
  await startTiny(page, 3, '6');
  await expectPhase(page, 'ended');

  // Rewrite the database as version 1 held it: one run and its checkpoint under the key `current`.
  await page.route('**/blank', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank');
  await inPage(page, 'toVersion1');

  await openTraining(page);
  const carried = page.getByTestId('saved-run');
  await expect(carried).toHaveAttribute('data-step', '6', { timeout: 10_000 });
  await expect(carried).toContainText('tiny preset, from scratch');
  const [runId] = await runIds(page);
  expect(runId).toMatch(/^run-\d+$/);
  await carried.getByTestId('train-resume-saved').click();
  // The run had reached its 6 steps: resumed, it starts at step 6 and ends at once (it may never
  // show 'running' between the two).
  await expect(page.getByTestId('train-figures')).toHaveAttribute('data-start-step', '6', { timeout: 120_000 });
  await expectPhase(page, 'ended');

  // The browser clears the checkpoint's bytes (storage pressure): the run is listed, its checkpoint missing.
  await page.goto('/blank');
  await inPage(page, 'dropCheckpoint', runId);
  await openTraining(page);
  const missing = page.getByTestId('saved-run');
  await expect(missing).toHaveAttribute('data-missing', 'true', { timeout: 10_000 });
  await expect(missing.getByTestId('saved-run-detail')).toContainText('Its checkpoint is missing');
  await expect(missing.getByTestId('train-resume-saved')).toHaveCount(0);
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  await expect(page.getByTestId('storage-use')).toContainText('This site stores');
  await snap(page, 'saved-runs-missing-checkpoint');
  expect(errors).toEqual([]);
});
