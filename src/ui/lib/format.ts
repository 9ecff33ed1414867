// Number formatting shared by the playground panels.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** A probability as a percentage with enough digits to tell small ones apart. */
export function formatProbability(p: number): string {
  const percent = p * 100;
  if (percent >= 10) return `${percent.toFixed(1)}%`;
  if (percent >= 0.1) return `${percent.toFixed(2)}%`;
  if (percent === 0) return '0%';
  return `${percent.toExponential(1)}%`;
}

/** Source and output tokens as they read best on screen: markers shortened, spaces visible. */
export function displayToken(token: string): string {
  switch (token) {
    case '<NEWLINE>':
      return '⏎';
    case '<INDENT>':
      return '⇥';
    case '<DEDENT>':
      return '⇤';
    case '</s>':
      return '⟨end⟩';
    case '<nobug>':
      return '⟨no bug⟩';
  }
  const marker = /^<([LD])(\d+)>$/.exec(token);
  if (marker) return marker[1] === 'L' ? `L${marker[2]}` : `depth ${marker[2]}`;
  return token;
}
