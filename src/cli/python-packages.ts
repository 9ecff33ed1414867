// Where the machine's python3 finds the outside packages, and which versions it has: asked of python3
// itself, so the command line reads the same code that `import` would.
import { spawnSync } from 'node:child_process';
import type { OutsidePackage } from '../data/outside-packages';

export interface LocatedPackage extends OutsidePackage {
  /** The package's folder, or null when python3 cannot import it. */
  path: string | null;
  /** The installed distribution's version, or null. */
  installed: string | null;
}

export interface LocatedPackages {
  /** The machine Python's site-packages (sysconfig purelib). */
  sitePackages: string;
  packages: LocatedPackage[];
}

const LOCATE_SCRIPT = `
import importlib.util, importlib.metadata, json, sys, sysconfig
out = []
for name, dist in zip(sys.argv[1::2], sys.argv[2::2]):
    spec = importlib.util.find_spec(name)
    path = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else None
    try: version = importlib.metadata.version(dist)
    except Exception: version = None
    out.append({"path": path, "installed": version})
print(json.dumps({"sitePackages": sysconfig.get_paths()["purelib"], "packages": out}))`;

/** Throws when python3 does not answer, with its reason. */
export function locatePythonPackages(packages: readonly OutsidePackage[]): LocatedPackages {
  const args = packages.flatMap((p) => [p.importName, p.distribution]);
  const result = spawnSync('python3', ['-c', LOCATE_SCRIPT, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 did not answer (${result.error?.message ?? result.stderr.trim()})`);
  const answer = JSON.parse(result.stdout) as {
    sitePackages: string;
    packages: { path: string | null; installed: string | null }[];
  };
  return { sitePackages: answer.sitePackages, packages: packages.map((p, i) => ({ ...p, ...answer.packages[i]! })) };
}
