/**
 * `.ci/run` and `scripts/e2e/install.sh` on a fresh machine, where another apt-get (unattended-upgrades,
 * cloud-init) may hold a lock: they wait for it instead of failing at once. Every apt-get call they make goes
 * through `apt_get` (scripts/apt-get-wait.sh), which passes DPkg::Lock::Timeout=300 (apt waits for the dpkg
 * lock) and retries while the lock apt-get update takes is held (that option does not cover it: apt 2.6 fails
 * at once). Checked with a stand-in apt-get on the PATH that reports a held lock the first times it runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPTS = ['.ci/run', 'scripts/e2e/install.sh'];

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-apt-'));
  // Fails with apt's own message while $dir/busy holds a number above 0 (counting down), then succeeds; logs its arguments.
  writeFileSync(
    path.join(dir, 'apt-get'),
    `#!/usr/bin/env bash
echo "$*" >> "${dir}/calls"
n=$(cat "${dir}/busy" 2>/dev/null || echo 0)
if [ "$n" -gt 0 ]; then
  echo $((n - 1)) > "${dir}/busy"
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  echo "E: Unable to lock directory /var/lib/apt/lists/" >&2
  exit 100
fi
if [ -f "${dir}/broken" ]; then echo "E: Unable to locate package nonesuch" >&2; exit 100; fi
echo "apt-get $*: done"
`,
  );
  chmodSync(path.join(dir, 'apt-get'), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function aptGet(args: string, busy: number, broken = false) {
  writeFileSync(path.join(dir, 'busy'), String(busy));
  writeFileSync(path.join(dir, 'calls'), '');
  if (broken) writeFileSync(path.join(dir, 'broken'), '');
  else rmSync(path.join(dir, 'broken'), { force: true });
  const r = spawnSync('bash', ['-c', `set -euo pipefail; source scripts/apt-get-wait.sh; apt_get ${args}`], {
    cwd: ROOT,
    env: { PATH: `${dir}:${process.env.PATH}`, APT_LOCK_RETRY_SECONDS: '0' },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr, calls: readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean) };
}

describe('apt-get waits for another apt-get', () => {
  it('a held lock: retried until it is free, each call with DPkg::Lock::Timeout=300; the wait is said', () => {
    const r = aptGet('update -qq', 3);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.calls.length, 4);
    for (const c of r.calls) assert.equal(c, '-o DPkg::Lock::Timeout=300 update -qq');
    assert.match(r.err, /another apt-get or dpkg holds its lock; waiting/);
    assert.match(r.out, /done/);
  });

  it('any other failure fails at once, with apt-get\'s message', () => {
    const r = aptGet('install -y nonesuch', 0, true);
    assert.equal(r.code, 1);
    assert.equal(r.calls.length, 1);
    assert.match(r.err, /Unable to locate package nonesuch/);
  });

  it('the CI entry point and the e2e installer call apt-get only through it', () => {
    for (const script of SCRIPTS) {
      const text = readFileSync(path.join(ROOT, script), 'utf8');
      assert.match(text, /source scripts\/apt-get-wait\.sh/, script);
      // apt-get as a command (at the start, after ; && || { or a prefix such as $sudo or VAR=value), not in a message.
      const direct = text.split('\n').filter((l) => !/^\s*#/.test(l) && /(^\s*|[;&|{]\s*|\$sudo\s+|\w=\S*\s+)apt-get\s+(-\S+\s+)*(update|install|upgrade|remove)/.test(l));
      assert.deepEqual(direct, [], `${script} calls apt-get directly`);
      assert.match(text, /apt_get (update|install)/, script);
    }
  });
});
