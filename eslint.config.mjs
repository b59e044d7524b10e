import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'data/',
      'coverage/',
      'test-artifacts/',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['jest.config.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      curly: 'error',
    },
  },
  // The layering of src/ (README, "Architecture"): data flows one way, and a change that breaks
  // it fails here.
  {
    files: ['src/**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      'import/ignore': ['node_modules'],
    },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/entries/model',
              from: './src',
              except: ['./entries/model', './common/errors', './common/validation/key-path.ts'],
              message: 'entries/model is pure: it imports only model/ and the rules of common/',
            },
            {
              target: './src/entries/store',
              from: [
                './src/entries/*.service.ts',
                './src/entries/*.controller.ts',
                './src/entries/dto/**',
                './src/entries/bulk/**',
                './src/entries/transfer/**',
                './src/secrets/**',
                './src/history/**',
                './src/namespaces/*.service.ts',
              ],
              message: 'the store never imports services, DTOs, bulk or transfer: they call it',
            },
            {
              target: './src/entries/cache',
              from: [
                './src/entries/store/**',
                './src/entries/*.service.ts',
                './src/entries/*.controller.ts',
                './src/entries/dto/**',
                './src/entries/bulk/**',
              ],
              message: 'the cache holds what the store read; it calls nothing',
            },
            {
              target: './src/**/*.controller.ts',
              from: ['./src/entries/store/**', './src/entries/cache/**', './src/**/*.entity.ts'],
              message: 'controllers call their service only',
            },
            {
              target: './src/entries',
              from: './src/secrets',
              message: 'secrets build on entries, never the other way round',
            },
            {
              target: ['./src/entries', './src/secrets'],
              from: './src/history',
              message: 'history builds on entries, never the other way round',
            },
            {
              target: './src/cli/kv',
              from: './src',
              except: ['./cli/kv'],
              message:
                'the kv CLI is a client of the service: it reaches it through clients/typescript only',
            },
            {
              target: ['./src/common', './src/config', './src/cluster'],
              from: [
                './src/entries',
                './src/secrets',
                './src/history',
                './src/namespaces',
                './src/audit',
                './src/permissions',
                './src/console',
              ],
              message: 'common, config and cluster serve the features and know none of them',
            },
            {
              target: './src/console',
              from: './src',
              except: ['./console', './common/http'],
              message: 'the console is static files: it serves them with the common headers only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/entries/model/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'lru-cache'],
              message: 'entries/model is pure: no Nest, no SQL, no config',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
