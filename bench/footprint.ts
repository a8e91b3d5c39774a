/**
 * What the extension costs to carry and to start: the bundles against their budgets, the .vsix (packed here with
 * vsce, as `npm run package` does), and a cold language server's first diagnostics over stdio, beside the floor of
 * Node starting an empty script and beside the same server compiling the schema at start (what it did before the
 * validator was precompiled: the sources' path, under tsx). VS Code's own activation figure comes from the
 * end-to-end run (`npm run test:e2e` prints it). Figures, not assertions.
 *
 * Run with `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { startServer } from '../test/lsp/lsp-client';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const RUNS = 7;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function sizes(): void {
  console.log('Bundles (minified; source maps stay out of the .vsix; *.js.br: packed bundles, their .js a loader)');
  for (const f of readdirSync(DIST).filter((f) => f.endsWith('.js') || f.endsWith('.js.br')).sort()) {
    const budget = f === 'extension.js' ? '  (budget 300 KB)' : '';
    console.log(`  dist/${f.padEnd(23)} ${String(statSync(join(DIST, f)).size).padStart(9)} bytes${budget}`);
  }
  console.log('Unpacking the packed bundles at load (brotli, median of 20; in this process)');
  for (const f of readdirSync(DIST).filter((f) => f.endsWith('.js.br')).sort()) {
    const packed = readFileSync(join(DIST, f));
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      brotliDecompressSync(packed);
      ms.push(performance.now() - t0);
    }
    console.log(`  dist/${f.padEnd(23)} ${median(ms).toFixed(2).padStart(9)} ms`);
  }
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--readme-path', 'client/README.md', '--out', 'dist/'], { cwd: ROOT, stdio: 'ignore' });
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  console.log(`  .vsix                     ${kib(statSync(join(DIST, `cmf-pools-${version}.vsix`)).size).padStart(9)}        (budget 450 KiB)`);
}

/** Spawn to the first publishDiagnostics of a pool, for the server at `serverPath` run by `execArgv`. */
async function firstDiagnostics(serverPath: string): Promise<number> {
  const text = readFileSync(join(ROOT, 'examples/bad/shared-bad.pool.json'), 'utf8');
  const t0 = performance.now();
  const server = await startServer({}, { serverPath });
  const uri = 'file:///bench/shared-bad.pool.json';
  const published = server.next(uri, (p) => p.diagnostics.length > 0);
  server.open(uri, text);
  await published;
  const ms = performance.now() - t0;
  await server.stop();
  return ms;
}

async function startup(): Promise<void> {
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    floor.push(performance.now() - t0);
  }
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) ours.push(await firstDiagnostics(join(DIST, 'server.js')));
  console.log(`\nCold language server: spawn to the first diagnostics of examples/bad/shared-bad.pool.json (median of ${RUNS})`);
  console.log(`  dist/server.js (precompiled schema validator)   ${median(ours).toFixed(0).padStart(5)} ms`);
  console.log(`  peer: node starting an empty script              ${median(floor).toFixed(0).padStart(5)} ms`);
  // The schema's validator: compiled by ajv at run time (the sources) against loading the precompiled one (the bundles).
  const code = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/schema-validator.ts'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const file = join(DIST, 'bench-schema-validator.js');
  writeFileSync(file, code);
  const time = (args: string[]) => Number(spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }).stdout);
  const compile: number[] = [];
  const load: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    compile.push(time(['--import', 'tsx', '-e', "const s=require('./language-service/src/schema');const t=performance.now();s.ajvWithSchemas().getSchema(s.schemaIds().ComputePool);process.stdout.write(String(performance.now()-t))"]));
    load.push(time(['-e', `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`]));
  }
  rmSync(file);
  console.log(`\nThe schema's validator, in a fresh process (median of ${RUNS})`);
  console.log(`  loading the precompiled validator (the bundles)  ${median(load).toFixed(0).padStart(5)} ms`);
  console.log(`  peer: ajv compiling the schema (the sources)     ${median(compile).toFixed(0).padStart(5)} ms`);
}

async function main(): Promise<void> {
  sizes();
  await startup();
}

void main();
