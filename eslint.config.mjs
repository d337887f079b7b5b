import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ESLint's defineConfig (typescript-eslint deprecates its own tseslint.config for it).
export default defineConfig(
  // What .gitignore leaves out too: scratch (.tmp/), installed tools (.tools/), run state (.run/, logs/).
  {
    ignores: [
      'node_modules/',
      'dist/',
      'nginx/.run/',
      'coverage/',
      'admin-ui/dist/',
      '.tmp/',
      '.tools/',
      '.run/',
      'logs/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'scripts/**', 'bench/**', 'nginx/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The admin console runs in the browser and only talks to the API (never imports the server's code).
    files: ['admin-ui/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/bff/**', '**/workers/**', '**/shared/**', '**/queues/**', 'node:*'] },
      ],
    },
  },
  {
    // Tests read JSON response bodies of many shapes; typing each one would add noise, not safety.
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-console': 'off' },
  },
);
