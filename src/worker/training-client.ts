// Page-side client of the training worker: requests as promises (matched by id), the run's own
// reports (metrics, state, checkpoints, end, failure) as events, and a crash signal when the
// worker dies or loses its GPU device. It imports no tfjs, so the page bundle stays small.
import type { BackendReport } from '../platform/shared/select';
import {
  assertNever,
  type DataOptions,
  type DataSummary,
  type ExportedFiles,
  type FaultTest,
  type MetricsDelta,
  type RunInfo,
  type RunState,
  type StartOptions,
  type TrainingEngine,
  type TrainingRequest,
  type TrainingResponse,
  type WireError,
} from './training-protocol';
import type { StopReason } from '../train/loop';
import { WorkerConnection, type WithoutId } from './worker-connection';

type Reply = Extract<TrainingResponse, { id: number }>;

export interface TrainingEvents {
  onMetrics(delta: MetricsDelta): void;
  onState(state: RunState, step: number): void;
  /** The worker stored a checkpoint in IndexedDB. */
  onCheckpoint(step: number, savedAt: number): void;
  /** It could not (`quota`: storage is full); training goes on. */
  onCheckpointFailed(step: number, quota: boolean, message: string): void;
  /** Test hook (after holdCheckpoints): a checkpoint's transaction is open. */
  onCheckpointOpen?(step: number): void;
  onWarning(message: string): void;
  onEnded(reason: StopReason, step: number): void;
  onFailed(error: WireError, nonFinite: boolean, lastCheckpointStep: number | null): void;
  /** The worker is gone (uncaught error, lost GPU device): every pending request was rejected. */
  onCrash(message: string): void;
}

class TrainingWorkerError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}

export class TrainingClient implements TrainingEngine {
  private readonly connection: WorkerConnection<TrainingRequest, Reply>;

  constructor(private readonly events: TrainingEvents) {
    // A literal path, so that Vite finds and emits the worker.
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
    this.connection = new WorkerConnection(worker, 'training', {
      receive: (message) => this.receive(message as TrainingResponse),
      onCrash: (message) => this.events.onCrash(message),
    });
  }

  get isDead(): boolean {
    return this.connection.isDead;
  }

  async init(backend: string | null, threads: number | null = null): Promise<BackendReport> {
    const reply = await this.connection.request({ type: 'init', backend, threads });
    if (reply.type !== 'ready') throw new Error(`unexpected answer ${reply.type} to init`);
    return reply.report;
  }

  async prepareData(options: DataOptions): Promise<DataSummary> {
    const reply = await this.connection.request({ type: 'prepare-data', options });
    if (reply.type !== 'data-ready') throw new Error(`unexpected answer ${reply.type} to prepare-data`);
    return reply.summary;
  }

  /** Resolves once the model is built and the loop has started. */
  async start(options: StartOptions): Promise<RunInfo> {
    const reply = await this.connection.request({ type: 'start', options });
    if (reply.type !== 'started') throw new Error(`unexpected answer ${reply.type} to start`);
    return reply.info;
  }

  pause(): Promise<void> {
    return this.command({ type: 'pause' });
  }

  resume(): Promise<void> {
    return this.command({ type: 'resume' });
  }

  stop(): Promise<void> {
    return this.command({ type: 'stop' });
  }

  faultTest(fault: FaultTest): Promise<void> {
    return this.command({ type: 'fault-test', fault });
  }

  holdCheckpoints(holdMs: number): Promise<void> {
    return this.command({ type: 'hold-checkpoints', holdMs });
  }

  /** Test hook: ends the worker at once, as a closed tab or a killed process would. */
  kill(): void {
    this.connection.crash('the training worker was killed');
  }

  async exportFiles(): Promise<ExportedFiles> {
    const reply = await this.connection.request({ type: 'export' });
    if (reply.type !== 'exported') throw new Error(`unexpected answer ${reply.type} to export`);
    return reply.files;
  }

  dispose(): void {
    this.connection.dispose();
  }

  private async command(message: WithoutId<TrainingRequest>): Promise<void> {
    const reply = await this.connection.request(message);
    if (reply.type !== 'done') throw new Error(`unexpected answer ${reply.type} to ${message.type}`);
  }

  private receive(message: TrainingResponse): void {
    switch (message.type) {
      case 'metrics':
        this.events.onMetrics(message.delta);
        return;
      case 'state':
        this.events.onState(message.state, message.step);
        return;
      case 'checkpoint':
        this.events.onCheckpoint(message.step, message.savedAt);
        return;
      case 'checkpoint-failed':
        this.events.onCheckpointFailed(message.step, message.quota, message.message);
        return;
      case 'checkpoint-open':
        this.events.onCheckpointOpen?.(message.step);
        return;
      case 'warning':
        this.events.onWarning(message.message);
        return;
      case 'ended':
        this.events.onEnded(message.reason, message.step);
        return;
      case 'failed':
        this.events.onFailed(message.error, message.nonFinite, message.lastCheckpointStep);
        return;
      case 'device-lost':
        this.connection.crash(message.message);
        return;
      case 'ready':
      case 'data-ready':
      case 'started':
      case 'exported':
      case 'done':
      case 'error':
        if (message.type === 'error') this.connection.reject(message.id, new TrainingWorkerError(message.error));
        else this.connection.resolve(message.id, message);
        return;
      default:
        assertNever(message);
    }
  }
}
