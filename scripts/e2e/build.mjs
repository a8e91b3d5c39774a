// Bundles the end-to-end suites (mocha included) for VS Code's extension host: dist/e2e/suite.js
// (the main suite, which runs the local CMF's test build, dist/test/local-cmf.js, in a process of its
// own), dist/e2e/untrusted.js (the untrusted-workspace run) and dist/e2e/vsix.js (the installed-.vsix
// check). `vscode` stays external.
// They must stay inside the extension's folder: VS Code then gives them the extension's own `vscode` API
// object, whose prompts the suite answers (test/e2e/suite/prompts.ts).
// dist/ is gitignored, and the .vscodeignore allow-list keeps dist/e2e/ out of the .vsix.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode'],
  // mocha's parallel mode (worker files found with require.resolve) is not used in the extension host.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // As in scripts/build.mjs: jsonc-parser's UMD main cannot be bundled; its ESM build can.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  define: { 'import.meta.url': '__cmfPoolsImportMetaUrl' },
  banner: { js: "var __cmfPoolsImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['test/e2e/suite/index.ts'], outfile: 'dist/e2e/suite.js' }),
  esbuild.build({ ...common, entryPoints: ['test/e2e/untrusted/index.ts'], outfile: 'dist/e2e/untrusted.js' }),
  esbuild.build({ ...common, entryPoints: ['test/e2e/vsix/index.ts'], outfile: 'dist/e2e/vsix.js' }),
]);
// An empty extension to develop while the .vsix suite runs (VS Code runs extension tests only in
// an extension development host); the extension under test is the installed one.
mkdirSync('dist/e2e/probe', { recursive: true });
writeFileSync(
  'dist/e2e/probe/package.json',
  JSON.stringify({ name: 'cmf-pools-e2e-probe', publisher: 'cmf-pools', version: '0.0.0', engines: { vscode: '*' } }, null, 2) + '\n',
);
