import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // A promise nobody awaits or catches fails silently (0.2.0: a failed auto-clear left no trace).
    // `void` marks the ones that are deliberately let go, inside a wrapper that catches.
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // The background and the browser edge may not even `void` a promise: what runs on its own goes
    // through background/guarded (caught and logged) or ends in a catch.
    files: ['src/background/**/*.ts', 'src/platform/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }] },
  },
  {
    files: ['src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Browser APIs stay at the edge: only src/platform/browser.ts imports the polyfill,
    // and nothing in src reaches for the raw globals.
    files: ['src/**/*.{ts,tsx}'],
    // content-bridge.ts: the content script uses chrome.runtime directly (see its header).
    ignores: ['src/platform/browser.ts', 'src/platform/content-bridge.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'webextension-polyfill', message: 'Import from src/platform instead.' }] }],
      'no-restricted-globals': ['error', { name: 'chrome', message: 'Use src/platform.' }, { name: 'browser', message: 'Use src/platform.' }],
    },
  },
  {
    // Stored state has one door: platform/storage.ts (and the organisation's policy, platform/managed.ts).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/storage.ts', 'src/platform/managed.ts', 'src/**/*.test.ts', 'src/test/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='browser'][property.name='storage']", message: 'Read and write stored state through src/platform/storage.ts.' }],
    },
  },
  {
    // Browser APIs at the edge: only src/platform calls them (types from platform/browser are fine elsewhere).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/**', 'src/**/*.test.ts', 'src/test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'webextension-polyfill', message: 'Import from src/platform instead.' }],
        patterns: [{ regex: '(^|/)platform/browser$', importNames: ['browser'], message: 'Call browser APIs through a src/platform module.' }],
      }],
    },
  },
  {
    // Pure logic: no browser APIs, no UI.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/platform/*', '**/ui/*', 'react', 'zustand', 'webextension-polyfill'], message: 'src/core takes plain values and returns decisions.' }] }],
    },
  },
);
