// Bundles every entry point into dist/ with esbuild. Type-checking is `tsc --noEmit` (see package.json).
//
//   dist/extension.js        the VS Code extension: only our code (client/, cmf-client/, cmf-model/)
//   dist/language-client.js  vscode-languageclient, loaded by the extension when it starts the language server
//   dist/undici.js           undici, loaded by the extension's REST client on its first request
//   dist/server.js           the language server (the engine; its schema and Flink data are read at run time)
//   dist/lsp-protocol.js     the LSP library the language client and the language server share
//   dist/cli.js              cmf-pools
//   dist/local-cmf.js        the local CMF (its own process: npm start, "Try with a local CMF"); no test controls
//   dist/test/local-cmf.js   its test build, with --test-controls (the e2e suite runs it; not in the .vsix)
//
// The extension's two vendor bundles are loaded on demand, so activating the extension costs only our code.
// Shipped bundles are minified; their source maps stay in dist/ (the .vsix allow-list leaves them out). The
// ones not loaded at activation (server, language-client, lsp-protocol, undici, local-cmf) are packed: see PACKED below. The data the
// bundled engine reads is written brotli-compressed to dist/data/ (the schema and the Flink option data).
// `--metafile` writes dist/meta/<name>.json for the bundle checks in test/unit/bundles.test.ts.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

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
/**
 * A plugin that bundles `contents` in the place of the modules `filter` matches (required from a file `importer`
 * matches): the bundle's metafile names it `<namespace>:<path>`.
 */
const stub = ({ name, namespace, path, filter, importer = /./, contents }) => ({
  name,
  setup(build) {
    build.onResolve({ filter }, (args) => (importer.test(args.importer) ? { path, namespace } : undefined));
    build.onLoad({ filter: /.*/, namespace }, () => ({ contents, loader: 'js' }));
  },
});
/**
 * undici parses HTTP with llhttp compiled to WebAssembly, and carries it twice: with SIMD, and without for hosts
 * whose WebAssembly lacks SIMD. VS Code's Node (22, 24) has SIMD on every platform VS Code runs on, so the
 * extension's vendor bundle keeps only that build (24 KB of the .vsix); the CLI bundles undici whole.
 */
const simdOnlyLlhttp = stub({
  name: 'simd-only-llhttp',
  namespace: 'no-simd-fallback',
  path: 'llhttp-wasm',
  filter: /\/llhttp\/llhttp-wasm\.js$/,
  contents: "throw new Error('CMF Pools bundles only the SIMD build of undici\\'s HTTP parser: WebAssembly SIMD is needed (UNDICI_NO_WASM_SIMD=1 is not supported).');",
});
/**
 * undici's HTTP/1.1 client loads the fetch API's body code (with WebIDL and FormData: 40 KB) only to send a FormData
 * body, which the extension never sends (its bodies are JSON text): its vendor bundle has a stub in its place that says
 * so if it were ever called (12 KB less in the .vsix).
 */
const noFormDataBodies = stub({
  name: 'no-formdata-bodies',
  namespace: 'no-formdata-bodies',
  path: 'fetch-body',
  filter: /^\.\.\/web\/fetch\/body\.js$/,
  importer: /\/undici\/lib\/dispatcher\//,
  contents: "module.exports = { extractBody() { throw new Error('CMF Pools bundles no FormData support in undici: request bodies are JSON text.'); } };",
});
/**
 * The language client (in the extension host) and the language server (a process of its own) speak LSP with the
 * same library, vscode-languageserver-protocol and vscode-jsonrpc: both bundles load it from dist/lsp-protocol.js
 * instead of carrying a copy each.
 */
const sharedProtocol = {
  name: 'shared-lsp-protocol',
  setup(build) {
    // vscode-languageserver-types too: the protocol re-exports all of it.
    build.onResolve({ filter: /^vscode-languageserver-(protocol(\/node)?|types)$/ }, (args) => ({ path: args.path.endsWith('/node') ? 'node' : 'common', namespace: 'lsp-protocol' }));
    build.onLoad({ filter: /.*/, namespace: 'lsp-protocol' }, (args) => ({ contents: `module.exports = require('./lsp-protocol.js').${args.path};`, loader: 'js' }));
    build.onResolve({ filter: /^\.\/lsp-protocol\.js$/ }, () => ({ path: './lsp-protocol.js', external: true }));
  },
};
const reexport = (module) => ({ contents: `module.exports = require(${JSON.stringify(module)});`, resolveDir: '.', loader: 'js' });

const entries = [
  { name: 'extension', entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [vendor(VENDOR)] },
  { name: 'language-client', stdin: reexport('vscode-languageclient/node'), outfile: 'dist/language-client.js', external: ['vscode'], plugins: [sharedProtocol] },
  { name: 'lsp-protocol', stdin: { contents: "module.exports = { common: require('vscode-languageserver-protocol'), node: require('vscode-languageserver-protocol/node') };", resolveDir: '.', loader: 'js' }, outfile: 'dist/lsp-protocol.js' },
  { name: 'undici', entryPoints: ['scripts/vendor/undici.js'], outfile: 'dist/undici.js', plugins: [simdOnlyLlhttp, noFormDataBodies] },
  { name: 'server', entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [precompiledSchema, sharedProtocol] },
  { name: 'cli', entryPoints: ['cli/src/main.ts'], outfile: 'dist/cli.js', plugins: [precompiledSchema], banner: { js: '#!/usr/bin/env node\n' + common.banner.js } },
  { name: 'local-cmf', entryPoints: ['local-cmf/src/main.ts'], outfile: 'dist/local-cmf.js' },
  { name: 'test-local-cmf', entryPoints: ['local-cmf/src/test-main.ts'], outfile: 'dist/test/local-cmf.js' },
];

/**
 * The bundles the .vsix ships that are not loaded at activation go in it brotli-compressed (`<bundle>.js.br`), with a
 * two-line loader in their place that unpacks and runs the code as its own module, under its own file name (so
 * require, __dirname and the source map's URL are as before): 1 to 2 ms at load, 63 KiB less to download and install
 * than the .vsix's deflate makes of them. dist/extension.js, which activation loads, stays as it is. Measured in
 * bench/footprint.ts; test/unit/bundles.test.ts runs the packed server, the tests run the packed local CMF.
 */
const PACKED = ['server', 'language-client', 'lsp-protocol', 'undici', 'local-cmf'];
const LOADER = `'use strict';
// CMF Pools ships this bundle brotli-compressed beside this loader (this file's name + .br); see scripts/build.mjs.
module._compile(require('zlib').brotliDecompressSync(require('fs').readFileSync(__filename + '.br')).toString('utf8'), __filename);
`;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
function pack(file) {
  writeFileSync(`${file}.br`, brotli(readFileSync(file)));
  writeFileSync(file, LOADER);
}

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
  for (const name of PACKED) pack(`dist/${name}.js`);
  // The data the bundled engine reads (language-service/src/data-files.ts), without the files' indentation (the same
  // values; 1.8 KiB less in the .vsix) and brotli-compressed, into dist/data/.
  mkdirSync('dist/data', { recursive: true });
  const data = ['schemas', 'language-service/data'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => `${dir}/${f}`));
  for (const file of data) {
    writeFileSync(`dist/data/${basename(file)}.br`, brotli(Buffer.from(JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))))));
  }
}
