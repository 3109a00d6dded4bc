// @ts-check
/**
 * Flat ESLint config: typescript-eslint's type-checked rules over the whole project, plus the
 * determinism fence around workflow and machine code (no Node built-ins there: the workflow
 * sandbox has none, and the machine must stay pure so replays give the same state).
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/** @type {import('eslint').Linter.RulesRecord['no-restricted-imports']} */
const deterministicImports = [
  'error',
  {
    paths: [
      ...nodeBuiltins.map((name) => ({
        name,
        message: 'Workflow and machine code must be deterministic and sandbox-safe: no Node built-ins.',
      })),
      { name: 'uuid', message: 'Use uuid4() from @temporalio/workflow (deterministic in replays).' },
    ],
    patterns: [
      { group: ['node:*'], message: 'Workflow and machine code must be deterministic and sandbox-safe: no Node built-ins.' },
      {
        group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity', '@temporalio/testing'],
        message: 'Only @temporalio/workflow (and @temporalio/common) run inside the workflow sandbox.',
      },
      {
        group: ['**/activities', '**/activities/*', '**/db', '**/db/*', '**/api', '**/api/*'],
        allowTypeImports: true,
        message: 'Workflows and machines import activity/db/api *types* only (import type …).',
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', '.tools/', 'data/', '.test-data/', 'coverage/', 'dist/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Config files are not in tsconfig's program (no allowJs) but are linted too.
          allowDefaultProject: ['eslint.config.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // vitest's asymmetric matchers (expect.any, expect.stringMatching, …) are typed `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // failureConverter.ts is bundled into the workflow code and runs in the sandbox too.
    files: ['src/workflows/**/*.ts', 'src/machines/**/*.ts', 'src/temporal/failureConverter.ts'],
    rules: {
      'no-restricted-imports': deterministicImports,
    },
  },
  {
    // Type-aware rules need type information that plain JS config files do not have.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The pages' one script runs in the browser.
    files: ['src/ui/assets/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
);
