// The outside packages: third-party code nobody here wrote, read from the machine Python's installed
// packages to measure the model on (`dataset --outside`) and to compare modern forms with
// (`dataset --measure-outside`). Never trained on. Pinned, so every machine measures the same code:
// scripts/setup-test-env.sh installs these versions where they are missing (scripts/outside-packages.ts).

export interface OutsidePackage {
  /** The name Python imports it by, and the folder of its code. */
  importName: string;
  /** The name pip installs it by. */
  distribution: string;
  version: string;
}

/** In the order the outside set reads them (the order is part of its seeded draws). */
export const OUTSIDE_PACKAGES: readonly OutsidePackage[] = [
  { importName: '_pytest', distribution: 'pytest', version: '9.2.0' },
  { importName: 'hypothesis', distribution: 'hypothesis', version: '6.170.27' },
  { importName: 'IPython', distribution: 'ipython', version: '8.12.3' },
  { importName: 'jedi', distribution: 'jedi', version: '0.20.0' },
  { importName: 'parso', distribution: 'parso', version: '0.8.7' },
  { importName: 'prompt_toolkit', distribution: 'prompt_toolkit', version: '3.0.52' },
  { importName: 'flask', distribution: 'flask', version: '3.1.3' },
  { importName: 'click', distribution: 'click', version: '8.4.0' },
  { importName: 'jinja2', distribution: 'jinja2', version: '3.1.6' },
  { importName: 'networkx', distribution: 'networkx', version: '3.6.1' },
];

/** The pip requirement of a package: `pytest==9.2.0`. */
export function pinnedRequirement(pkg: OutsidePackage): string {
  return `${pkg.distribution}==${pkg.version}`;
}
