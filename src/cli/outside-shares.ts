// How modern is real third-party code? The share of functions with annotations, f-strings, async...
// in a pinned list of packages from the machine Python's site-packages: measured only, never
// trained on, nothing of it written out (docs/design.md#outside-data).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens, extractFunctions } from '../data/extract';
import { modernShares } from '../data/modernize';
import { findPythonFiles } from './dataset';

/** The packages of the outside set, by import name and distribution. */
export const OUTSIDE_PACKAGES: Readonly<Record<string, string>> = {
  _pytest: 'pytest',
  IPython: 'ipython',
  jedi: 'jedi',
  parso: 'parso',
  prompt_toolkit: 'prompt_toolkit',
  flask: 'flask',
  click: 'click',
  jinja2: 'jinja2',
  networkx: 'networkx',
};

export interface OutsideShares {
  site_packages: string;
  /** Version of each package found (its distribution's metadata). */
  packages: Record<string, string>;
  missing: string[];
  /** Functions within the training limits (max tokens, 64 lines), as the model reads them. */
  within_limits: ReturnType<typeof modernShares>;
  /** Every function of at most 64 lines, whatever its token count. */
  all_lengths: ReturnType<typeof modernShares>;
}

/** The machine Python's site-packages and the versions of the outside packages, asked of python3. */
function askPython(): { sitePackages: string; versions: Record<string, string> } | string {
  const script = [
    'import json, sysconfig, importlib.metadata as m',
    'v = {}',
    `for name in ${JSON.stringify(Object.values(OUTSIDE_PACKAGES))}:`,
    '    try: v[name] = m.version(name)',
    '    except Exception: pass',
    "print(json.dumps({'sitePackages': sysconfig.get_paths()['purelib'], 'versions': v}))",
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (result.status !== 0) return `python3 did not answer (${result.error?.message ?? result.stderr.trim()})`;
  return JSON.parse(result.stdout) as { sitePackages: string; versions: Record<string, string> };
}

/** The modern-form shares of the outside packages, or a reason why they could not be measured. */
export function measureOutsideShares(
  maxTokens: number,
  log: (line: string) => void = () => {},
): OutsideShares | { skipped: string } {
  const asked = askPython();
  if (typeof asked === 'string') return { skipped: asked };
  const within: string[] = [];
  const all: string[] = [];
  const packages: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, distribution] of Object.entries(OUTSIDE_PACKAGES)) {
    const dir = join(asked.sitePackages, name);
    if (!existsSync(dir)) {
      missing.push(name);
      continue;
    }
    packages[name] = asked.versions[distribution] ?? 'unknown';
    for (const file of findPythonFiles(dir)) {
      let text: string;
      try {
        text = readFileSync(join(dir, file), 'utf8');
      } catch {
        continue;
      }
      for (const fn of extractFunctions(text, file, { maxTokens: Number.MAX_SAFE_INTEGER })) {
        all.push(fn.text);
        if (countTokens(fn.text) <= maxTokens) within.push(fn.text);
      }
    }
  }
  if (all.length === 0)
    return { skipped: `none of ${Object.keys(OUTSIDE_PACKAGES).join(', ')} is installed under ${asked.sitePackages}` };
  log(`outside code (measured only): ${all.length} functions from ${Object.keys(packages).join(', ')}`);
  return {
    site_packages: asked.sitePackages,
    packages,
    missing,
    within_limits: modernShares(within),
    all_lengths: modernShares(all),
  };
}
