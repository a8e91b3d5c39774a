/**
 * Two `apply`s of different versions of one pool at once. CMF has no conditional update (no ETag, no
 * resourceVersion on PUT), so both PUTs are accepted and the later one wins; what can be done is to read the pool
 * back right after the PUT and say so when it is not what was sent. Against the local CMF behind a recording
 * reverse proxy that lines the requests up: in process through the lifecycle (another writer's change lands just
 * after our PUT), and with two real `cmf-pools apply --yes` processes whose PUTs both pass.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { PoolLifecycle, type LintedPool } from '../../cmf-client/src/lifecycle';
import { lint } from '../../language-service/src/index';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import { recordingProxy, type RecordingProxy, type Recorded } from './recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const DEV = 'development';

const withMemory = (memory: string) => namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = memory));
const linted = (pool: unknown): LintedPool => ({ label: 'web.pool.json', ...lint(JSON.stringify(pool, null, 2), { path: '/work/web.pool.json' }).pool });

let cmf: TestLocalCmf;
let proxy: RecordingProxy;
let hook: ((r: Recorded) => void | Promise<void>) | undefined;
let dir: string;

before(async () => {
  cmf = await startTestLocalCmf({ phaseDelayMs: 0 });
  proxy = await recordingProxy(cmf.url, { before: (r) => hook?.(r) });
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-race-'));
});
after(async () => {
  await proxy.close();
  await cmf.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  hook = undefined;
  cmf.controls.reset();
  cmf.store.createPool(DEV, withMemory('1024m'));
  cmf.controls.settle();
});

const memory = () => cmf.store.pool(DEV, 'web').spec.clusterSpec.taskManager?.resource?.memory;

describe('an update read back after the PUT', () => {
  it('a change made elsewhere right after our PUT: "updated", and reported as changed by someone else meanwhile, with what CMF has now', async () => {
    let putSeen = false;
    hook = (r) => {
      if (r.method === 'PUT') putSeen = true;
      // The read-back: someone else's PUT landed between ours and it.
      else if (putSeen && r.method === 'GET' && r.url.endsWith('/compute-pools/web')) {
        const other = cmf.store.pool(DEV, 'web');
        other.spec.clusterSpec.taskManager!.resource!.memory = '8192m';
        putSeen = false;
      }
    };
    const client = new CmfClient({ url: proxy.url });
    const lc = new PoolLifecycle(client, DEV);
    const file = linted(withMemory('2048m'));
    const plan = await lc.plan(file);
    assert.equal(plan.kind, 'update');
    const result = await lc.apply(file, { expectedLive: plan.live });
    assert.equal(result.kind, 'updated');
    assert.ok(result.kind === 'updated' && result.overwritten, 'the difference is reported');
    assert.match(result.overwritten.message, /changed by someone else meanwhile/);
    assert.match(result.overwritten.message, /CMF has no conditional update/);
    assert.match(result.overwritten.diff, /-\s+"memory": "2048m"\n\+\s+"memory": "8192m"/);
    assert.equal(result.overwritten.now?.spec.clusterSpec.taskManager?.resource?.memory, '8192m');
    await client.close();
  });

  it('nobody else: updated, nothing reported (one GET more than before: the read-back)', async () => {
    const client = new CmfClient({ url: proxy.url });
    const lc = new PoolLifecycle(client, DEV);
    const file = linted(withMemory('2048m'));
    const before = proxy.requests.length;
    const result = await lc.apply(file);
    assert.equal(result.kind, 'updated');
    assert.equal(result.kind === 'updated' && result.overwritten, undefined);
    assert.deepEqual(proxy.lines().slice(before).filter((l) => !l.includes('/statements')).slice(-2), [
      `PUT /cmf/api/v1/environments/${DEV}/compute-pools/web`,
      `GET /cmf/api/v1/environments/${DEV}/compute-pools/web`,
    ]);
    assert.equal(memory(), '2048m');
    await client.close();
  });
});

describe('two cmf-pools apply at once, of different versions of one pool', () => {
  function apply(file: string): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = execFile(process.execPath, [CLI, 'apply', '-f', file, '--yes', '--url', proxy.url, '--environment', DEV], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
      );
      child.stdin?.end();
    });
  }

  it('both PUTs pass (CMF cannot refuse either); the one whose change was lost says so (exit 1), the other says Updated', async () => {
    // Both have re-read the pool (unchanged) before either PUT reaches CMF: the PUTs wait for each other, then pass
    // 150 ms apart; the read-backs wait until both PUTs are done.
    const waiting: (() => void)[] = [];
    let released: Promise<void> | undefined;
    const puts: string[] = [];
    hook = async (r) => {
      if (r.method === 'PUT') {
        const memoryOf = (JSON.parse(r.body) as ReturnType<typeof withMemory>).spec.clusterSpec.taskManager.resource.memory;
        puts.push(memoryOf);
        const mine = puts.length;
        await new Promise<void>((go) => {
          waiting.push(go);
          if (waiting.length === 2) {
            released = new Promise((done) => setTimeout(done, 400));
            waiting[0]();
            setTimeout(waiting[1], 150);
          }
        });
        return void mine;
      }
      if (released && r.method === 'GET' && r.url.endsWith('/compute-pools/web')) await released;
    };
    writeFileSync(path.join(dir, 'a.pool.json'), JSON.stringify(withMemory('2048m'), null, 2));
    writeFileSync(path.join(dir, 'b.pool.json'), JSON.stringify(withMemory('4096m'), null, 2));
    const [a, b] = await Promise.all([apply('a.pool.json'), apply('b.pool.json')]);
    assert.equal(proxy.writes().filter((l) => l.startsWith('PUT ')).length >= 2, true, 'both PUT');
    const byMemory = { '2048m': a, '4096m': b };
    const first = byMemory[puts[0] as '2048m' | '4096m'];
    const last = byMemory[puts[1] as '2048m' | '4096m'];
    assert.equal(memory(), puts[1], 'the later PUT won');
    assert.equal(last.code, 0, last.err);
    assert.match(last.out, /Updated compute pool 'web'/);
    assert.doesNotMatch(last.err, /someone else/);
    assert.equal(first.code, 1, first.out + first.err);
    assert.match(first.out, /Updated compute pool 'web'/);
    assert.match(first.err, /changed by someone else meanwhile/);
    assert.match(first.err, new RegExp(`-\\s+"memory": "${puts[0]}"\\n\\+\\s+"memory": "${puts[1]}"`));
  });
});
