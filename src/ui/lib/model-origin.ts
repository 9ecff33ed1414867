// Where the model files come from. `?models=URL` may name a folder on the page's own origin (loaded
// as it always was) or on another origin: then nothing is requested there until the person agrees,
// in a dialog that names the origin, since a model from elsewhere writes the code they then apply.
// The choice may be remembered per origin (localStorage) and forgotten from the model panel. Both
// tabs read the one decision here (the playground's worker and the Train tab's shipped model).
import { useSyncExternalStore } from 'react';
import { resolveModelFolder, type ModelFolder } from './model-folder';
import { reportShareProblem } from './share-store';

export type { ModelFolder };

/** localStorage key: the origins the person allowed and asked to remember, as a JSON array. */
export const TRUSTED_ORIGINS_KEY = 'lco-trusted-model-origins';

export type OriginDecision = 'own' | 'ask' | 'allowed' | 'declined';

export interface ModelSource extends ModelFolder {
  decision: OriginDecision;
  /** The foreign origin is in the remembered list. */
  remembered: boolean;
}

/** The folder to load from now; null while the person has not answered the dialog. */
export function modelsUrlOf(source: ModelSource): string | null {
  if (source.decision === 'ask') return null;
  return source.decision === 'allowed' ? source.requestedUrl : source.ownUrl;
}

export function rememberedOrigins(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(TRUSTED_ORIGINS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return []; // storage blocked or garbled: nothing is remembered
  }
}

function writeRemembered(origins: string[]): void {
  try {
    localStorage.setItem(TRUSTED_ORIGINS_KEY, JSON.stringify(origins));
  } catch {
    // Storage blocked: the choice holds for this visit only.
  }
}

function initialSource(): ModelSource {
  const folder = resolveModelFolder(
    new URLSearchParams(window.location.search).get('models'),
    import.meta.env.BASE_URL,
    window.location.href,
  );
  if (folder.refused)
    reportShareProblem(`The link's model folder was not used (${folder.refused}): this site's model loads.`);
  if (!folder.foreignOrigin) return { ...folder, decision: 'own', remembered: false };
  const remembered = rememberedOrigins().includes(folder.foreignOrigin);
  return { ...folder, decision: remembered ? 'allowed' : 'ask', remembered };
}

let source: ModelSource | null = null;
const listeners = new Set<() => void>();

export function modelSource(): ModelSource {
  source ??= initialSource();
  return source;
}

function update(next: Partial<ModelSource>): void {
  source = { ...modelSource(), ...next };
  for (const listener of listeners) listener();
}

/** The person allowed the foreign origin (and maybe asked to be asked no more). */
export function allowForeignOrigin(remember: boolean): void {
  const origin = modelSource().foreignOrigin;
  if (!origin) return;
  if (remember) writeRemembered([...new Set([...rememberedOrigins(), origin])]);
  update({ decision: 'allowed', remembered: remember });
}

/** The person declined: this build's own model loads instead. */
export function declineForeignOrigin(): void {
  if (modelSource().foreignOrigin) update({ decision: 'declined' });
}

/** Forgets the remembered origin: the next visit asks again (this one keeps its model). */
export function forgetForeignOrigin(): void {
  const origin = modelSource().foreignOrigin;
  if (!origin) return;
  writeRemembered(rememberedOrigins().filter((o) => o !== origin));
  update({ remembered: false });
}

export function useModelSource(): ModelSource {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, modelSource);
}
