#!/usr/bin/env node
// Regenerates every data file the repository ships or tests against from reference/ (see reference/README.md):
//
//   npm run data                 # node scripts/data.mjs: run every derive script, writing what changed
//   npm run data -- --check      # write nothing; exit 1 naming each file that is not what its script would write
//
// The scripts run side by side (each reads its own input and writes its own files); their output is printed in
// the order below. Exit status: 0 all current (or written), 1 something is stale (--check), 2 a script failed.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPTS = ['derive-flink-options.mjs', 'derive-schema.mjs', 'derive-openapi-excerpt.mjs', 'derive-openapi-json.mjs', 'readme-catalogue.ts'];
const FLAGS = new Set(['--check']);

const args = process.argv.slice(2);
const unknown = args.filter((a) => !FLAGS.has(a));
if (unknown.length) {
  console.error(`data: unknown argument ${unknown.join(' ')}; usage: node scripts/data.mjs [--check] (each script takes its own paths)`);
  process.exit(2);
}

function run(script) {
  return new Promise((done) => {
    const node = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...node, join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e) => done({ script, status: 2, out, err: err + String(e) + '\n' }));
    child.on('close', (status, signal) => done({ script, status: status ?? 2, out, err: err + (signal ? `killed by ${signal}\n` : '') }));
  });
}

const results = await Promise.all(SCRIPTS.map(run));
for (const r of results) {
  process.stdout.write(r.out);
  process.stderr.write(r.err);
}
const failed = results.filter((r) => r.status !== 0 && r.status !== 1);
const stale = results.filter((r) => r.status === 1);
if (failed.length) console.error(`data: failed: ${failed.map((r) => `${r.script} (exit ${r.status})`).join(', ')}`);
if (stale.length) console.error(`data: out of date: ${stale.map((r) => r.script).join(', ')}; run npm run data and commit the result`);
if (!failed.length && !stale.length) console.log(args.includes('--check') ? 'data: every derived file is current' : 'data: done');
process.exit(failed.length ? 2 : stale.length ? 1 : 0);
