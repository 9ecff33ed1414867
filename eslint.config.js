// ESLint (flat config), run by `npm run lint` as part of `npm test`. Formatting is Prettier's job
// (.prettierrc.json, `npm run format:check`), so there are no stylistic rules here.
//
// Not type-aware on purpose: with the four realm tsconfigs, typed linting took 84 s instead of 25 s
// on the 2-core CI machine. `tsc` (npm run typecheck) already checks the types.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Model code reached through one of its two entries, never a file behind them. */
function modelEntriesOnly(model) {
  return {
    group: [`${model}/*`, `!${model}/index`, `!${model}/internals`],
    message: 'Import the model from src/model/index.ts, or src/model/internals.ts for its parts.',
  };
}

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-dev/',
      'build/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
      'checkpoints/',
      'data/',
      '.cache/',
      '.tmp-ana/',
      'public/models/',
      'trainer/',
      'training/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // The only JavaScript is this file, run by Node. (TypeScript files need no globals: tsc checks names.)
    files: ['**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // `declare var` is how a .d.ts declares a global (src/types/universal.d.ts).
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  // The model's two entries (src/model/index.ts, src/model/internals.ts): nothing outside src/model
  // imports a deeper path, and the app, the command line and the package use the front door only.
  // tests/model holds the unit tests of the model's own modules: they import the module they test.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/model/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [modelEntriesOnly('**/model')] }] },
  },
  {
    files: ['dev/**/*.{ts,tsx}', 'tests/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['tests/model/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [modelEntriesOnly('**/src/model')] }] },
  },
  {
    // The benchmarks time the network's parts, so they may use the internals.
    files: ['src/{ui,worker,package,cli}/**/*.{ts,tsx}'],
    ignores: ['src/cli/bench*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/model/*', '!**/model/index'],
              message: 'The app, the command line and the package import the model from src/model/index.ts only.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      // A `_` prefix marks a name as deliberately unused (an ignored parameter or destructured part).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
