// Bundles the entry points into dist/ with esbuild. Type-checking is `tsc --noEmit` (see package.json).
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow; use its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  // ESM-only dependencies (tinyglobby's fdir) read import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__cmfPoolsImportMetaUrl' },
};
const importMetaUrl = "var __cmfPoolsImportMetaUrl = require('url').pathToFileURL(__filename).href;";
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], banner: { js: importMetaUrl } },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: importMetaUrl } },
  { entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + importMetaUrl } },
  // The local CMF the extension ships and runs ("Try with a local CMF"; npm start): no test controls.
  { entryPoints: ['local-cmf/src/main.ts'], outfile: 'dist/local-cmf.js', banner: { js: importMetaUrl } },
  // Its test build, with --test-controls (test/e2e runs it). Not in the .vsix: .vscodeignore is an allow-list.
  { entryPoints: ['local-cmf/src/test-main.ts'], outfile: 'dist/test/local-cmf.js', banner: { js: importMetaUrl } },
];
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  chmodSync('dist/cli.js', 0o755);
}
