// Builds the npm package lstm-coding-optimizer into build/package and packs it:
//   npx tsx scripts/build-package.ts      → build/lstm-coding-optimizer-<version>.tgz
// ES modules (vite.package.config.ts), type declarations (tsconfig.package.json), the shipped model
// files (public/models) and a package.json whose tfjs packages are peer dependencies at the
// versions this repository pins.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'build/package');
const MODEL_FILES = [
  'lstm_weights.bin',
  'model_config.toml',
  'tokenizer.json',
  'identifiers.json',
  'stdlib_members.json',
  'training_report.md',
];
const PEERS = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
];

const run = (command: string, args: string[], cwd = ROOT) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

export function buildPackage(): string {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    description: string;
    dependencies: Record<string, string>;
  };
  rmSync(OUT, { recursive: true, force: true });
  run(process.execPath, [
    join(ROOT, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'vite.package.config.ts',
    '--logLevel',
    'warn',
  ]);
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.package.json']);
  mkdirSync(join(OUT, 'models'), { recursive: true });
  for (const file of MODEL_FILES) copyFileSync(join(ROOT, 'public/models', file), join(OUT, 'models', file));
  const peerDependencies = Object.fromEntries(PEERS.map((name) => [name, root.dependencies[name]!]));
  const manifest = {
    name: 'lstm-coding-optimizer',
    version: root.version,
    description: root.description,
    type: 'module',
    license: 'MIT',
    engines: { node: '>=20.19' },
    exports: {
      '.': {
        types: { node: './types/package/node.d.ts', default: './types/package/browser.d.ts' },
        node: './dist/node.js',
        default: './dist/browser.js',
      },
      './node': { types: './types/package/node.d.ts', default: './dist/node.js' },
      './browser': { types: './types/package/browser.d.ts', default: './dist/browser.js' },
      './models/*': './models/*',
    },
    files: ['dist', 'types', 'models', 'README.md'],
    peerDependencies,
  };
  writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(OUT, 'README.md'),
    `# lstm-coding-optimizer\n\n${root.description}\n\nSee the project's docs/library.md for the API.\n`,
  );
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', join(ROOT, 'build')], OUT)
    .trim()
    .split('\n')
    .pop()!;
  return join(ROOT, 'build', tarball);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.stdout.write(`${buildPackage()}\n`);
}
