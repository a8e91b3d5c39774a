import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: [process.argv[2]], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, metafile: true, write: false, external: ['vscode'], outfile: '/tmp/x.js', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' }, define: { 'import.meta.url': 'x' }, logLevel: 'error' });
const out = Object.values(r.metafile.outputs)[0];
console.log('total', out.bytes);
const byPkg = {};
for (const [f, v] of Object.entries(out.inputs)) { const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f); const k = m ? m[1] : f.split('/').slice(0, 2).join('/'); byPkg[k] = (byPkg[k] ?? 0) + v.bytesInOutput; }
for (const [k, v] of Object.entries(byPkg).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(String(v).padStart(8), k);
