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
