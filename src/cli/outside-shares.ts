// How modern is real third-party code? The share of functions with annotations, f-strings, async...
// in a pinned list of packages from the machine Python's site-packages: measured only, never
// trained on, nothing of it written out (docs/design.md#outside-data).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens, extractFunctions } from '../data/extract';
import { modernShares } from '../data/modernize';
import { OUTSIDE_PACKAGES } from '../data/outside-packages';
import { findPythonFiles } from '../data/python-files';
import { locatePythonPackages, type LocatedPackages } from './python-packages';

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

/** The modern-form shares of the outside packages, or a reason why they could not be measured. */
export function measureOutsideShares(
  maxTokens: number,
  log: (line: string) => void = () => {},
): OutsideShares | { skipped: string } {
  let located: LocatedPackages;
  try {
    located = locatePythonPackages(OUTSIDE_PACKAGES);
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const within: string[] = [];
  const all: string[] = [];
  const packages: Record<string, string> = {};
  const missing: string[] = [];
  for (const pkg of located.packages) {
    if (pkg.path === null) {
      missing.push(pkg.importName);
      continue;
    }
    packages[pkg.importName] = pkg.installed ?? 'unknown';
    for (const file of findPythonFiles(pkg.path, (path) => readdirSync(path, { withFileTypes: true }))) {
      let text: string;
      try {
        text = readFileSync(join(pkg.path, file), 'utf8');
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
    return {
      skipped: `none of ${OUTSIDE_PACKAGES.map((p) => p.importName).join(', ')} is installed for ${located.sitePackages}`,
    };
  log(`outside code (measured only): ${all.length} functions from ${Object.keys(packages).join(', ')}`);
  return {
    site_packages: located.sitePackages,
    packages,
    missing,
    within_limits: modernShares(within),
    all_lengths: modernShares(all),
  };
}
