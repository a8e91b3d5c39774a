// ESLint (flat config) with typescript-eslint, run by `npm test` (npm run lint). Besides the recommended rules, it
// keeps the parts of the product apart: which part may import which is the table below (README, "Architecture"),
// and nothing outside the language service imports its internals, only its facade (language-service/src/index.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import paths (as written: relative) that reach into a part's folder. */
const part = (name) => `(^|/)${name}/`;
const ENGINE_INTERNALS = { regex: '(^|/)language-service/src/(?!index$)', message: 'Import the language service through its facade, language-service/src/index.' };
const forbid = (parts, extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'Only the VS Code extension (client/) imports vscode.' }],
      patterns: [...parts.map((p) => ({ regex: part(p), message: `This part may not import ${p}/ (see the README's architecture table).` })), ...extra],
    },
  ],
});

/** Which parts each part may NOT import (everything else of the product is allowed). */
export const BOUNDARIES = {
  'cmf-model': forbid(['language-service', 'server', 'cmf-client', 'local-cmf', 'cli', 'client']),
  'language-service': forbid(['server', 'cmf-client', 'local-cmf', 'cli', 'client']),
  server: forbid(['cmf-client', 'local-cmf', 'cli', 'client'], [ENGINE_INTERNALS]),
  'cmf-client': forbid(['language-service', 'server', 'local-cmf', 'cli', 'client']),
  'local-cmf': forbid(['language-service', 'server', 'cmf-client', 'cli', 'client']),
  cli: forbid(['server', 'local-cmf', 'client'], [ENGINE_INTERNALS]),
  client: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...['language-service', 'local-cmf', 'cli'].map((p) => ({ regex: part(p), message: `The extension may not import ${p}/: it asks the language server (protocol.ts) or runs dist/local-cmf.js.` })),
          { regex: '(^|/)server/src/(?!protocol$)', message: 'The extension imports only the language server protocol (server/src/protocol).' },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'reference/**', 'test/fixtures/**', 'test/e2e/workspace/**', 'test/e2e/untrusted-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', WebAssembly: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...Object.entries(BOUNDARIES).map(([name, rules]) => ({ files: [`${name}/**/*.ts`], rules })),
  // The tests read pools as loose JSON, and load CommonJS test runners (mocha in the extension host) with require.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' } },
  // Vendor entry points are CommonJS modules bundled as they are.
  { files: ['scripts/vendor/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
