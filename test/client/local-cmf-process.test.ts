// Try with a local CMF runs the product build, dist/local-cmf.js (npm test builds it first), in a process
// of its own: never in the extension host. These tests start it as the extension does (Node's fork), read
// its URL from its first line of output, and check that it is a separate process, that its stderr reaches
// the log, that stop and deactivation end it, and that it ends by itself when its parent dies. And the
// failures a user can meet, each with an error that says what happened: the file is missing, it exits
// before it is ready, it prints no URL in time or something else than a loopback URL, it dies later.
import { host, fakeContext, deactivate } from './vscode-fake';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import * as extension from '../../client/src/extension';
import { DEMO_ENVIRONMENT, LocalCmfSession } from '../../client/src/commands/local-cmf';
import { DEMO_ENVIRONMENTS } from '../../local-cmf/src/demo';
import { harness } from './fakes';

const SCRIPT = resolve(__dirname, '../../dist/local-cmf.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Try with a local CMF: the product build in a process of its own', () => {
  it('runs dist/local-cmf.js as a child process with the given phase delay; its stderr goes to the log; stop ends it', async () => {
    const h = harness([]);
    const session = new LocalCmfSession({ script: SCRIPT, phaseDelayMs: 0 });
    const c = (await session.start(h.ctx))!;
    const pid = session.pid!;
    try {
      assert.ok(pid && pid !== process.pid, 'a process of its own');
      assert.ok(alive(pid));
      assert.equal(session.url, c.url);
      assert.match(c.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const client = await h.registry.client('local CMF');
      assert.deepEqual((await client.listEnvironments()).map((e) => e.name).sort(), ['development', 'prod']);
      // The environment the extension selects is the demo's development environment.
      assert.equal(DEMO_ENVIRONMENT, DEMO_ENVIRONMENTS.development);
      assert.equal(h.registry.selection()?.environment, DEMO_ENVIRONMENT);
      // --phase-delay-ms 0 reached it: a new pool is RUNNING at once (the default delay keeps it PENDING 1.5 s).
      await client.createComputePool('development', {
        apiVersion: 'cmf.confluent.io/v1',
        kind: 'ComputePool',
        metadata: { name: 'quick' },
        spec: { type: 'SHARED', clusterSpec: { flinkVersion: 'v1_19', image: 'confluentinc/cp-flink-sql:1.19-cp7' } },
      });
      assert.equal((await client.getComputePool('development', 'quick')).status?.phase, 'RUNNING');
      // Its request log (stderr) is in the extension's log, line by line.
      await until('the request log in the log', () => h.log.lines.some((l) => /\[local CMF\] GET \/cmf\/api\/v1\/environments(\?\S*)? 200 \d+ms$/.test(l)));
      assert.ok(h.log.lines.some((l) => l.includes(`[local CMF] Local CMF (CMF 2.3.1 API, demo data) listening on ${c.url}`)));
      assert.ok(h.log.lines.some((l) => l.includes(`process ${pid}`)), 'the log names the process');
      // The product build has no test controls.
      const controls = await fetch(`${c.url}/__test__/settle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(controls.status, 404);
      await controls.text();
    } finally {
      await session.stop(h.ctx);
    }
    assert.equal(alive(pid), false, 'stop ended the process');
    assert.equal(session.running, false);
    assert.equal(h.registry.list().length, 0);
    await assert.rejects(fetch(`${c.url}/cmf/api/v1/environments`), 'nothing listens on its port any more');
    assert.deepEqual(h.ui.of('error'), []);
  });

  it('says so and drops its connection when the process dies on its own', async () => {
    const h = harness([]);
    const session = new LocalCmfSession({ script: SCRIPT });
    await session.start(h.ctx);
    const pid = session.pid!;
    process.kill(pid, 'SIGKILL');
    const [shown] = await until('the error', () => h.ui.of('error').length > 0 && h.ui.of('error'));
    assert.match(shown.message, /^The local CMF stopped unexpectedly \(signal SIGKILL\); its connection 'local CMF' was removed\./);
    assert.equal(session.running, false);
    assert.equal(h.registry.list().length, 0);
    assert.equal(h.registry.selection(), undefined);
    await session.stop(h.ctx); // nothing left to stop
  });

  it('ends when the process that forked it dies (its IPC channel closes)', async () => {
    // A parent that forks the local CMF as the extension does, prints its pid and URL, and is then killed.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('child_process').fork(${JSON.stringify(SCRIPT)}, ['--port', '0', '--seed', 'empty', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
         require('readline').createInterface({ input: c.stdout }).once('line', (url) => console.log(c.pid + ' ' + url));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((r) => createInterface({ input: parent.stdout! }).once('line', r));
    const [pidText, url] = line.split(' ');
    const pid = Number(pidText);
    assert.ok(alive(pid));
    assert.equal((await fetch(`${url}/cmf/api/v1/environments`)).status, 200);
    parent.kill('SIGKILL');
    await until('the orphaned local CMF to end', () => !alive(pid));
  });

  describe('the extension (over the fake VS Code)', () => {
    const context = fakeContext();
    after(() => deactivate(extension, context));

    it('runs the dist/local-cmf.js beside it, and deactivation ends it', async () => {
      await extension.activate(context as never);
      await host.run('cmfPools.tryLocalCmf');
      const started = host.recorded.output.map((l) => /Started the local CMF on (\S+) .*process (\d+)\)/.exec(l)).find(Boolean);
      assert.ok(started, `the log says where it started (log: ${host.recorded.output.join(' | ')})`);
      const [, url, pidText] = started;
      const pid = Number(pidText);
      assert.notEqual(pid, process.pid);
      assert.ok(alive(pid));
      assert.equal((await fetch(`${url}/cmf/api/v1/environments`)).status, 200);
      assert.ok(host.recorded.executed.some((e) => e.command === 'setContext' && e.args[0] === 'cmfPools.localCmfRunning' && e.args[1] === true));
      assert.deepEqual(host.recorded.messages.filter((m) => m.kind === 'error'), []);
      await extension.deactivate();
      assert.equal(alive(pid), false, 'deactivation ended the process');
    });
  });
});

describe('Try with a local CMF: failures say what happened', () => {
  let dir: string;
  const script = (name: string, source: string) => {
    const p = join(dir, name);
    writeFileSync(p, source);
    return p;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cmf-local-process-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts a session on `file` and returns the error shown, the session and the log. */
  async function failing(file: string, startTimeoutMs?: number) {
    const h = harness([]);
    const session = new LocalCmfSession({ script: file, startTimeoutMs });
    assert.equal(await session.start(h.ctx), undefined);
    const errors = h.ui.of('error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(session.running, false);
    assert.equal(h.registry.list().length, 0, 'no connection was added');
    return { message: errors[0].message, h };
  }

  it('the file is missing', async () => {
    const { message } = await failing(join(dir, 'not-there.js'));
    assert.match(message, /^Starting the local CMF failed: The local CMF is missing: .*not-there\.js does not exist/);
  });

  it('it exits before it is ready: the exit code and its last words', async () => {
    const file = script('exits.js', "process.stderr.write('local-cmf: port 8080 is already in use.\\n'); process.exit(3);");
    const { message, h } = await failing(file);
    assert.equal(message, 'Starting the local CMF failed: The local CMF exited before it was ready (exit code 3). It said: local-cmf: port 8080 is already in use.');
    assert.ok(h.log.lines.some((l) => l.endsWith('[local CMF] local-cmf: port 8080 is already in use.')), 'its stderr is in the log');
  });

  /** A script that writes its pid to a file first (read back with `pidOf`), then does `rest`. */
  const withPid = (name: string, rest: string) => script(name, `require('fs').writeFileSync(${JSON.stringify(join(dir, name + '.pid'))}, String(process.pid)); ${rest}`);
  const pidOf = (name: string) => Number(readFileSync(join(dir, name + '.pid'), 'utf8'));

  it('it prints no URL in time: stopped after the timeout', async () => {
    const file = withPid('silent.js', "process.stderr.write('still thinking\\n'); setInterval(() => {}, 1000);");
    const t0 = Date.now();
    // Long enough for a loaded machine to start node and let it speak; what it said is part of the message.
    const { message } = await failing(file, 2000);
    assert.ok(Date.now() - t0 < 6000);
    assert.equal(message, 'Starting the local CMF failed: The local CMF did not report its URL within 2 s, so it was stopped. It said: still thinking');
    await until('the silent process to be stopped', () => !alive(pidOf('silent.js')));
  });

  it('it prints something else than a loopback URL: refused and stopped', async () => {
    const file = withPid('elsewhere.js', "console.log('http://0.0.0.0:8080'); setInterval(() => {}, 1000);");
    const { message } = await failing(file);
    assert.equal(message, "Starting the local CMF failed: The local CMF printed 'http://0.0.0.0:8080' where its loopback URL belongs, so it was stopped.");
    await until('the process to be stopped', () => !alive(pidOf('elsewhere.js')));
  });
});
