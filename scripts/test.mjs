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
// No --test-force-exit: with it, Node 20's runner exits once the tests it has heard of are done, and the last
// subtests of files still reporting were dropped (`node scripts/test.mjs unit` counted 578 to 587 tests from run to
// run; without it, 587 every time), so a failure there could go unseen. Instead: any single test that takes more
// than five minutes fails, and a run that does not end (a test left a server listening) is stopped after 20 minutes
// and fails, so CI is never kept waiting.
const LIMIT_MS = 20 * 60 * 1000;
const r = spawnSync(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    ...files,
  ], { stdio: 'inherit', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
if (r.error || r.signal) {
  console.error(`scripts/test.mjs: the test run did not end within ${LIMIT_MS / 60000} minutes (${r.error?.message ?? r.signal}): a test left something running.`);
  process.exit(1);
}
process.exit(r.status ?? 1);
