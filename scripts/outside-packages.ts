// Prints the pip requirements (`name==version`, one a line) of the pinned outside packages that the
// machine's python3 lacks or has at another version; nothing when all are there as pinned.
// scripts/setup-test-env.sh installs what it prints:  npx tsx scripts/outside-packages.ts
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { locatePythonPackages, type LocatedPackage } from '../src/cli/python-packages';
import { OUTSIDE_PACKAGES, pinnedRequirement } from '../src/data/outside-packages';

/** The packages to install: not importable, or not at the pinned version. */
export function packagesToInstall(located: readonly LocatedPackage[]): string[] {
  return located.filter((p) => p.path === null || p.installed !== p.version).map(pinnedRequirement);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const wanted = packagesToInstall(locatePythonPackages(OUTSIDE_PACKAGES).packages);
  if (wanted.length > 0) process.stdout.write(`${wanted.join('\n')}\n`);
}
