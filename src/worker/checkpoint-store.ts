// The training runs saved in this browser, in IndexedDB (idb), each under its own id until the user
// deletes it: its recipe (name, data source with the file texts, model choice, settings, status),
// written by the page, and its latest checkpoint (writeCheckpoint bytes, which carry the weights,
// Adam's moments, the metric history, the config and the vocabulary), written and read by the
// training worker itself, so the bytes never cross to the page. A reload, a crash or a closed tab
// finds them and offers to resume. Every write is one transaction keyed by the run's id, so two
// tabs training two runs never touch each other's records (and one run trains in one tab at a
// time: src/ui/training/run-locks.ts).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { DataOptions, ModelStart, RunSettings } from './training-protocol';

export type SavedRunStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | 'crashed';

export interface SavedRunRecipe {
  id: string;
  /** e.g. "tiny preset, from scratch · 300 generated functions". */
  name: string;
  createdAt: number;
  updatedAt: number;
  status: SavedRunStatus;
  data: DataOptions;
  model: ModelStart;
  settings: RunSettings;
  /** e.g. "tiny preset, from scratch". */
  origin: string;
  totalSteps: number;
}

export interface SavedCheckpoint {
  runId: string;
  step: number;
  epoch: number;
  savedAt: number;
  bytes: ArrayBuffer;
}

/** Step and size of a checkpoint, so that listing the runs never reads the bytes. */
export interface CheckpointInfo {
  step: number;
  epoch: number;
  savedAt: number;
  bytes: number;
}

/** What the page lists before the user decides to resume (no bytes). */
export interface SavedRunSummary {
  recipe: SavedRunRecipe;
  /** The checkpoint that can be resumed; null when none was saved or its bytes are gone. */
  checkpoint: CheckpointInfo | null;
  /** A checkpoint was saved but its bytes are gone (the browser cleared them to free space). */
  checkpointMissing: boolean;
  /** Recipe and checkpoint together, as stored. */
  bytes: number;
}

interface TrainingDB extends DBSchema {
  runs: { key: string; value: SavedRunRecipe };
  checkpoints: { key: string; value: SavedCheckpoint };
  checkpointInfo: { key: string; value: CheckpointInfo };
}

const DB_NAME = 'lstm-coding-optimizer-training';
/** 1: one run under the key `current`; 2: every run under its own id. */
const DB_VERSION = 2;
/** The one key of version 1, carried over to an id by the upgrade. */
const LEGACY_KEY = 'current';
const ALL_STORES = ['runs', 'checkpoints', 'checkpointInfo'] as const;

/** The worker asked for a checkpoint of a run that has none (never saved, or cleared by the browser). */
export class CheckpointMissingError extends Error {
  constructor(runId: string) {
    super(
      `The checkpoint of this run (${runId}) is missing: the browser may have cleared this site's storage to free space. Start a new run.`,
    );
    this.name = 'CheckpointMissingError';
  }
}

let database: Promise<IDBPDatabase<TrainingDB>> | null = null;

function db(): Promise<IDBPDatabase<TrainingDB>> {
  database ??= openDB<TrainingDB>(DB_NAME, DB_VERSION, {
    async upgrade(upgrading, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) for (const store of ALL_STORES) upgrading.createObjectStore(store);
      if (oldVersion === 1) await carryOverLegacyRun(transaction);
    },
    // The browser closed the database (its storage was cleared, or deleted): open it again next time.
    terminated() {
      database = null;
    },
  }).catch((error: unknown) => {
    database = null; // try again next time (private mode, storage blocked)
    throw error;
  });
  return database;
}

type UpgradeTransaction = IDBPTransaction<TrainingDB, StoreNames<TrainingDB>[], 'versionchange'>;

/** Version 1's one run (key `current`) becomes a run with an id of its own, its checkpoint with it. */
async function carryOverLegacyRun(transaction: UpgradeTransaction): Promise<void> {
  const runs = transaction.objectStore('runs');
  const checkpoints = transaction.objectStore('checkpoints');
  const infos = transaction.objectStore('checkpointInfo');
  const legacy = (await runs.get(LEGACY_KEY)) as Omit<SavedRunRecipe, 'id' | 'name'> | undefined;
  const checkpoint = (await checkpoints.get(LEGACY_KEY)) as Omit<SavedCheckpoint, 'runId'> | undefined;
  const info = await infos.get(LEGACY_KEY);
  await Promise.all(ALL_STORES.map((store) => transaction.objectStore(store).delete(LEGACY_KEY)));
  if (!legacy) return;
  const id = `run-${legacy.createdAt}`;
  await runs.put({ ...legacy, id, name: runName(legacy.origin, legacy.data) }, id);
  if (checkpoint) await checkpoints.put({ ...checkpoint, runId: id }, id);
  if (info) await infos.put(info, id);
}

/** A run's name as the list shows it: what it trains, on what. */
export function runName(origin: string, data: DataOptions): string {
  const source = data.source;
  const files = source.kind === 'builtin' ? 0 : source.files.length;
  const on =
    source.kind === 'builtin'
      ? `${source.functions} generated functions`
      : source.kind === 'adapt'
        ? `your code (${files} Python file${files === 1 ? '' : 's'} of ${source.where})`
        : `${files} ${source.kind === 'python' ? 'Python' : 'JSONL'} file${files === 1 ? '' : 's'}`;
  return `${origin} · ${on}`;
}

/** True for "the disk or the origin's quota is full", however the browser says it. */
export function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error || error instanceof DOMException)) return false;
  return error.name === 'QuotaExceededError' || /quota/i.test(error.message);
}

/** A new run joins the saved ones; no other run is touched. */
export async function createRun(recipe: SavedRunRecipe): Promise<void> {
  const d = await db();
  await d.add('runs', recipe, recipe.id);
}

/** Read and write in one transaction: a status written meanwhile by another tab is never lost. */
export async function updateStatus(runId: string, status: SavedRunStatus): Promise<void> {
  const d = await db();
  const tx = d.transaction('runs', 'readwrite');
  const recipe = await tx.store.get(runId);
  if (recipe) await tx.store.put({ ...recipe, status, updatedAt: Date.now() }, runId);
  await tx.done;
}

/**
 * What the tests' build does while a checkpoint's transaction is open: `onOpen` hears it, and the
 * transaction stays open `holdMs` longer (kept alive by reads), so a test can end the worker inside it.
 */
export interface CheckpointWriteProbe {
  holdMs: number;
  onOpen(step: number): void;
}

/**
 * Replaces the run's checkpoint: checkpoint, its info and the run's `updatedAt` land together or
 * not at all (one transaction). A run deleted meanwhile stays deleted (the write fails).
 */
export async function saveCheckpoint(checkpoint: SavedCheckpoint, probe?: CheckpointWriteProbe): Promise<void> {
  const d = await db();
  const { runId, step, epoch, savedAt, bytes } = checkpoint;
  const tx = d.transaction(ALL_STORES, 'readwrite');
  const runs = tx.objectStore('runs');
  try {
    const recipe = await runs.get(runId);
    if (!recipe) throw new Error(`the run ${runId} was deleted`);
    await Promise.all([
      tx.objectStore('checkpoints').put(checkpoint, runId),
      tx.objectStore('checkpointInfo').put({ step, epoch, savedAt, bytes: bytes.byteLength }, runId),
      runs.put({ ...recipe, updatedAt: savedAt }, runId),
    ]);
    if (probe) {
      probe.onOpen(step);
      const until = Date.now() + probe.holdMs;
      while (Date.now() < until) await runs.get(runId);
    }
  } catch (error) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw error;
  }
  await tx.done;
}

function summarise(recipe: SavedRunRecipe, info: CheckpointInfo | undefined, hasBytes: boolean): SavedRunSummary {
  const recipeBytes = new Blob([JSON.stringify(recipe)]).size;
  return {
    recipe,
    checkpoint: info && hasBytes ? info : null,
    checkpointMissing: Boolean(info) && !hasBytes,
    bytes: recipeBytes + (info && hasBytes ? info.bytes : 0),
  };
}

/** Every saved run, the latest first (one read-only transaction; no checkpoint bytes are read). */
export async function listRuns(): Promise<SavedRunSummary[]> {
  const d = await db();
  const tx = d.transaction(ALL_STORES, 'readonly');
  const [recipes, infoKeys, infos, withBytes] = await Promise.all([
    tx.objectStore('runs').getAll(),
    tx.objectStore('checkpointInfo').getAllKeys(),
    tx.objectStore('checkpointInfo').getAll(),
    tx.objectStore('checkpoints').getAllKeys(),
  ]);
  const infoOf = new Map(infoKeys.map((key, i) => [key, infos[i]]));
  const bytesKept = new Set(withBytes);
  return recipes
    .map((recipe) => summarise(recipe, infoOf.get(recipe.id), bytesKept.has(recipe.id)))
    .sort((a, b) => b.recipe.updatedAt - a.recipe.updatedAt);
}

/** One run, as listRuns describes it, or null when it is not saved. */
export async function loadRun(runId: string): Promise<SavedRunSummary | null> {
  const d = await db();
  const tx = d.transaction(ALL_STORES, 'readonly');
  const [recipe, info, bytesKey] = await Promise.all([
    tx.objectStore('runs').get(runId),
    tx.objectStore('checkpointInfo').get(runId),
    tx.objectStore('checkpoints').getKey(runId),
  ]);
  return recipe ? summarise(recipe, info, bytesKey !== undefined) : null;
}

/** The run's checkpoint (the worker resumes from it); CheckpointMissingError when there is none. */
export async function loadCheckpoint(runId: string): Promise<SavedCheckpoint> {
  const d = await db();
  const checkpoint = await d.get('checkpoints', runId);
  if (!checkpoint || checkpoint.runId !== runId) throw new CheckpointMissingError(runId);
  return checkpoint;
}

export async function deleteRun(runId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(ALL_STORES, 'readwrite');
  await Promise.all([...ALL_STORES.map((store) => tx.objectStore(store).delete(runId)), tx.done]);
}
