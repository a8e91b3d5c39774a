// Bundles every entry point into dist/ with esbuild. Type-checking is `tsc --noEmit` (see package.json).
//
//   dist/extension.js        the VS Code extension: only our code (client/, cmf-client/, cmf-model/)
//   dist/language-client.js  vscode-languageclient, loaded by the extension when it starts the language server
//   dist/undici.js           undici, loaded by the extension's REST client on its first request
//   dist/server.js           the language server (the engine; its schema and Flink data are read at run time)
//   dist/cli.js              cmf-pools
//   dist/local-cmf.js        the local CMF (its own process: npm start, "Try with a local CMF"); no test controls
//   dist/test/local-cmf.js   its test build, with --test-controls (the e2e suite runs it; not in the .vsix)
//
// The extension's two vendor bundles are loaded on demand, so activating the extension costs only our code.
// Shipped bundles are minified; their source maps stay in dist/ (the .vsix allow-list leaves them out).
// `--metafile` writes dist/meta/<name>.json for the bundle checks in test/unit/bundles.test.ts.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  metafile: true,
  // jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow; use its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  // ESM-only dependencies (tinyglobby's fdir) read import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__cmfPoolsImportMetaUrl' },
  banner: { js: "var __cmfPoolsImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/** Keeps `module` out of a bundle and loads it from a vendor bundle beside it (`./file`) instead. */
const vendor = (modules) => ({
  name: 'vendor-bundles',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(modules).map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${modules[args.path]}`, external: true }));
  },
});
const VENDOR = { undici: 'undici.js', 'vscode-languageclient/node': 'language-client.js' };

/**
 * The schema's validator, precompiled (scripts/schema-validator.ts): the engine's `require('cmf-pools:schema-validator')`
 * finds it in the language server's and the CLI's bundles, which then need neither ajv's compiler (left out: only
 * the sources, under tsx, compile the schema) nor the 300 ms it takes.
 */
const validatorCode = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/schema-validator.ts'], { encoding: 'utf8', maxBuffer: 64 << 20 });
const precompiledSchema = {
  name: 'precompiled-schema-validator',
  setup(build) {
    build.onResolve({ filter: /^cmf-pools:schema-validator$/ }, () => ({ path: 'schema-validator', namespace: 'cmf-pools' }));
    build.onLoad({ filter: /.*/, namespace: 'cmf-pools' }, () => ({ contents: validatorCode, loader: 'js', resolveDir: process.cwd() }));
    build.onResolve({ filter: /^ajv$/ }, () => ({ path: 'ajv', external: true }));
  },
};
const reexport = (module) => ({ contents: `module.exports = require(${JSON.stringify(module)});`, resolveDir: '.', loader: 'js' });

const entries = [
  { name: 'extension', entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [vendor(VENDOR)] },
  { name: 'language-client', stdin: reexport('vscode-languageclient/node'), outfile: 'dist/language-client.js', external: ['vscode'] },
  { name: 'undici', entryPoints: ['scripts/vendor/undici.js'], outfile: 'dist/undici.js' },
  { name: 'server', entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [precompiledSchema] },
  { name: 'cli', entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js', plugins: [precompiledSchema], banner: { js: '#!/usr/bin/env node\n' + common.banner.js } },
  { name: 'local-cmf', entryPoints: ['local-cmf/src/main.ts'], outfile: 'dist/local-cmf.js' },
  { name: 'test-local-cmf', entryPoints: ['local-cmf/src/test-main.ts'], outfile: 'dist/test/local-cmf.js' },
];

/** esbuild's options for an entry (its `name` is ours: the metafile's name). */
const options = (e) => {
  const o = { ...common, ...e };
  delete o.name;
  return o;
};
if (watch) {
  for (const e of entries) await (await esbuild.context(options(e))).watch();
} else {
  const results = await Promise.all(entries.map((e) => esbuild.build(options(e))));
  chmodSync('dist/cli.js', 0o755);
  mkdirSync('dist/meta', { recursive: true });
  entries.forEach((e, i) => writeFileSync(`dist/meta/${e.name}.json`, JSON.stringify(results[i].metafile)));
}
