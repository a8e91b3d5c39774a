// Runs every test file under test/ (except the end-to-end suite, which needs an editor) with Node's
// own test runner; TypeScript is loaded through tsx. Pass folder names to run a subset: `node scripts/test.mjs unit`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2).map((d) => join('test', d)) : ['test'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'e2e' && name !== 'fixtures') walk(p);
    } else if (name.endsWith('.test.ts')) files.push(p);
  }
};
roots.forEach(walk);
const r = spawnSync(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    // A test that leaves a server listening must not keep CI waiting: exit when the tests are done,
    // and fail any single test that takes more than five minutes instead of hanging.
    '--test-force-exit',
    '--test-timeout=300000',
    ...files,
  ], { stdio: 'inherit' });
process.exit(r.status ?? 1);
