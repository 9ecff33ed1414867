// The one saved training run, in IndexedDB (idb): its recipe (data source with the file texts,
// model choice, settings), written by the page once at start, and its latest checkpoint
// (writeCheckpoint bytes, which carry the weights, Adam's moments, the metric history, the config
// and the vocabulary), written and read by the training worker itself, so the bytes never cross to
// the page. A reload, a crash or a closed tab finds it and offers to resume.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DataOptions, ModelStart, RunSettings } from './training-protocol';

export type SavedRunStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | 'crashed';

export interface SavedRunRecipe {
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
  step: number;
  epoch: number;
  savedAt: number;
  bytes: ArrayBuffer;
}

/** What the page shows before the user decides to resume (no bytes). */
export interface SavedRunSummary {
  recipe: SavedRunRecipe;
  checkpoint: { step: number; epoch: number; savedAt: number; bytes: number } | null;
}

interface TrainingDB extends DBSchema {
  runs: { key: 'current'; value: SavedRunRecipe };
  checkpoints: { key: 'current'; value: SavedCheckpoint };
  /** Step and size of the checkpoint, so the summary never reads the bytes. */
  checkpointInfo: { key: 'current'; value: { step: number; epoch: number; savedAt: number; bytes: number } };
}

const DB_NAME = 'lstm-coding-optimizer-training';
const KEY = 'current';
let database: Promise<IDBPDatabase<TrainingDB>> | null = null;

function db(): Promise<IDBPDatabase<TrainingDB>> {
  database ??= openDB<TrainingDB>(DB_NAME, 1, {
    upgrade(upgrading) {
      upgrading.createObjectStore('runs');
      upgrading.createObjectStore('checkpoints');
      upgrading.createObjectStore('checkpointInfo');
    },
  }).catch((error: unknown) => {
    database = null; // try again next time (private mode, storage blocked)
    throw error;
  });
  return database;
}

/** True for "the disk or the origin's quota is full", however the browser says it. */
export function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error || error instanceof DOMException)) return false;
  return error.name === 'QuotaExceededError' || /quota/i.test(error.message);
}

/** A new run replaces the saved one (recipe and checkpoint). */
export async function saveRecipe(recipe: SavedRunRecipe): Promise<void> {
  const d = await db();
  const tx = d.transaction(['runs', 'checkpoints', 'checkpointInfo'], 'readwrite');
  await Promise.all([
    tx.objectStore('checkpoints').delete(KEY),
    tx.objectStore('checkpointInfo').delete(KEY),
    tx.objectStore('runs').put(recipe, KEY),
    tx.done,
  ]);
}

export async function updateStatus(status: SavedRunStatus): Promise<void> {
  const d = await db();
  const recipe = await d.get('runs', KEY);
  if (recipe) await d.put('runs', { ...recipe, status, updatedAt: Date.now() }, KEY);
}

/** Replaces the checkpoint; both writes land or neither does (one transaction). */
export async function saveCheckpoint(checkpoint: SavedCheckpoint): Promise<void> {
  const d = await db();
  const tx = d.transaction(['checkpoints', 'checkpointInfo'], 'readwrite');
  const { step, epoch, savedAt, bytes } = checkpoint;
  await Promise.all([
    tx.objectStore('checkpoints').put(checkpoint, KEY),
    tx.objectStore('checkpointInfo').put({ step, epoch, savedAt, bytes: bytes.byteLength }, KEY),
    tx.done,
  ]);
}

export async function loadSummary(): Promise<SavedRunSummary | null> {
  const d = await db();
  const recipe = await d.get('runs', KEY);
  if (!recipe) return null;
  return { recipe, checkpoint: (await d.get('checkpointInfo', KEY)) ?? null };
}

/** The saved checkpoint's bytes (the worker resumes from them), or null when there is none. */
export async function loadCheckpoint(): Promise<ArrayBuffer | null> {
  const d = await db();
  return (await d.get('checkpoints', KEY))?.bytes ?? null;
}

export async function discardRun(): Promise<void> {
  const d = await db();
  const tx = d.transaction(['runs', 'checkpoints', 'checkpointInfo'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(KEY),
    tx.objectStore('checkpoints').delete(KEY),
    tx.objectStore('checkpointInfo').delete(KEY),
    tx.done,
  ]);
}
