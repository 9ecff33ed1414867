// The real training loop (src/train/loop.ts: loss, gradients, clipping, Adam) driven one step at a
// time from outside, so the bench can alternate the steps of two variants (ours and stock kernels,
// one thread and several) instead of running all of one variant's steps and then the other's.
// The loop waits at its pause gate before every step; step() opens the gate once and resolves with
// that step's record. Realm-neutral like bench-core.ts.
import type { NetworkConfig } from '../model';
import type { HostBatch } from '../data/host-batch';
import { train, type StepRecord, type TrainOptions } from '../train/loop';

export interface SteppedTraining {
  /** Runs one step of the loop; its record carries the step's own time (pauses excluded). */
  step(): Promise<StepRecord>;
  /** Ends the loop (which disposes Adam's state) and waits for it to return. */
  finish(): Promise<void>;
}

/** More steps than any bench takes: the loop ends by finish(), never by running out of epochs. */
const UNBOUNDED_EPOCHS = 1_000_000;

export function steppedTraining(
  network: NetworkConfig,
  params: TrainOptions['params'],
  batch: HostBatch,
): SteppedTraining {
  const stop = new AbortController();
  let openGate: (() => void) | null = null;
  let gateReached: () => void = () => {};
  let atGate = new Promise<void>((resolve) => (gateReached = resolve));
  let pending: { resolve: (r: StepRecord) => void; reject: (e: unknown) => void } | null = null;
  let failure: unknown = null;

  const loop = train({
    network,
    params,
    data: { batchesPerEpoch: () => 1, batch: () => batch },
    settings: {
      epochs: UNBOUNDED_EPOCHS,
      learningRate: 1e-3,
      gradientClipNorm: 1,
      earlyStoppingPatience: 0,
      evalIntervalSteps: 0,
      checkpointIntervalSteps: 0,
      seed: 1,
    },
    evaluate: async () => ({ valLoss: 0, valTokenAccuracy: 0, scores: {} }),
    signal: stop.signal,
    callbacks: {
      pauseGate: () =>
        new Promise<void>((resolve) => {
          openGate = resolve;
          gateReached();
        }),
      onStep: (record) => {
        const waiting = pending;
        pending = null;
        atGate = new Promise<void>((resolve) => (gateReached = resolve));
        waiting?.resolve(record);
      },
    },
  }).then(
    () => {},
    (error: unknown) => {
      failure = error;
      pending?.reject(error);
      pending = null;
      gateReached(); // a step() waiting for the gate must not wait forever
    },
  );

  return {
    async step() {
      await atGate;
      if (failure !== null) throw failure;
      return new Promise<StepRecord>((resolve, reject) => {
        pending = { resolve, reject };
        const open = openGate!;
        openGate = null;
        open();
      });
    },
    async finish() {
      stop.abort();
      await Promise.race([atGate, loop]); // an aborted loop may end before it reaches the gate again
      const open = openGate as (() => void) | null;
      openGate = null;
      open?.();
      await loop;
    },
  };
}
