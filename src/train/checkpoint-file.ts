// A training checkpoint as one file: the safetensors layout (so `inspect` can read it), with the
// parameters under `param/`, Adam's moments under `adam.m/` and `adam.v/`, and the loop's progress,
// settings and metric history as JSON in the metadata.
import { readSafetensors } from '../model';
import { writeSafetensors, type NamedTensor } from '../model/internals';
import type { Checkpoint } from './loop';

const CHECKPOINT_KIND = 'training-checkpoint';

export function writeCheckpoint(checkpoint: Checkpoint, extraMetadata: Record<string, string> = {}): Uint8Array {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of Object.entries(checkpoint.params)) tensors.set(`param/${name}`, t);
  for (const [name, { m, v }] of Object.entries(checkpoint.optimizer.moments)) {
    const shape = checkpoint.params[name]?.shape ?? [m.length];
    tensors.set(`adam.m/${name}`, { shape, data: m });
    tensors.set(`adam.v/${name}`, { shape, data: v });
  }
  return writeSafetensors(tensors, {
    ...extraMetadata,
    kind: CHECKPOINT_KIND,
    progress: JSON.stringify(checkpoint.progress),
    settings: JSON.stringify(checkpoint.settings),
    history: JSON.stringify(checkpoint.history),
    adam_step: String(checkpoint.optimizer.step),
  });
}

export function readCheckpoint(
  bytes: Uint8Array,
  fileName = 'checkpoint.bin',
): { checkpoint: Checkpoint; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensors(bytes, fileName);
  if (metadata['kind'] !== CHECKPOINT_KIND) {
    throw new Error(
      `${fileName} is not a training checkpoint (its metadata kind is ${JSON.stringify(metadata['kind'] ?? null)}); start a new run without --resume`,
    );
  }
  const params: Checkpoint['params'] = {};
  const moments: Checkpoint['optimizer']['moments'] = {};
  for (const [key, t] of tensors) {
    const slash = key.indexOf('/');
    const group = key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (group === 'param') params[name] = { shape: t.shape, data: t.data };
    else if (group === 'adam.m') (moments[name] ??= { m: t.data, v: new Float32Array(0) }).m = t.data;
    else if (group === 'adam.v') (moments[name] ??= { m: new Float32Array(0), v: t.data }).v = t.data;
  }
  const parse = (key: string) => {
    try {
      return JSON.parse(metadata[key] ?? '');
    } catch {
      throw new Error(
        `${fileName}: the checkpoint's "${key}" metadata is missing or not JSON; the file is damaged, start a new run`,
      );
    }
  };
  return {
    checkpoint: {
      progress: parse('progress'),
      settings: parse('settings'),
      history: parse('history'),
      params,
      optimizer: { step: Number(metadata['adam_step'] ?? 0), moments },
    },
    metadata,
  };
}
