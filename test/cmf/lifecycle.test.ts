/**
 * The compute-pool lifecycle (plan, apply, suspend, resume, delete, force delete, wait) against the local CMF
 * over real HTTP, counting the requests each operation sends; and, at the end, a check that every request the
 * client sent in this file — method, path, query and body — is one CMF's OpenAPI defines, with a body that
 * validates against the operation's request schema.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Agent, type Dispatcher } from 'undici';
import { CmfClient, type CmfRequestLogEntry } from '../../cmf-client/src/client';
import {
  PoolLifecycle,
  canonicalJson,
  planPool,
  sameLive,
  withoutServerOwned,
  type LintedPool,
  type WaitProgress,
} from '../../cmf-client/src/lifecycle';
import { lint } from '../../language-service/src/index';
import { diffLines, unifiedDiff } from '../../cmf-client/src/line-diff';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import type { ComputePool } from '../../cmf-model/src/types';
import { namedSharedPool } from '../pools';
import { expectCmfError } from './cmf-error';


for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[v];

const DEV = 'development';
const PROD = 'prod';
const IMAGE = 'confluentinc/cp-flink-sql:1.19-cp7';

// ---------------------------------------------------------------------------------------------------------
// Every request the client sends, recorded below the client (method, path with query, body as sent)
// ---------------------------------------------------------------------------------------------------------

interface SentRequest {
  method: string;
  path: string;
  body?: string;
}
const sent: SentRequest[] = [];

class RecordingAgent extends Agent {
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    sent.push({ method: String(opts.method), path: String(opts.path), body: typeof opts.body === 'string' ? opts.body : undefined });
    return super.dispatch(opts, handler);
  }
}

let cmf: TestLocalCmf;
let agent: RecordingAgent;

before(async () => {
  cmf = await startTestLocalCmf({ phaseDelayMs: 60 });
  agent = new RecordingAgent();
});
after(async () => {
  await agent.close();
  await cmf.close();
});
beforeEach(() => {
  cmf.controls.reset();
  cmf.controls.setPhaseDelay(60);
});

interface Harness {
  lc: PoolLifecycle;
  client: CmfClient;
  log: CmfRequestLogEntry[];
  writes(): CmfRequestLogEntry[];
}

function harness(env = DEV, onRequest?: (e: CmfRequestLogEntry) => void): Harness {
  const log: CmfRequestLogEntry[] = [];
  const client = new CmfClient(
    { url: cmf.url, timeoutMs: 5000 },
    {
      dispatcher: agent,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      requestLog: (e) => {
        log.push(e);
        onRequest?.(e);
      },
    },
  );
  return { lc: new PoolLifecycle(client, env), client, log, writes: () => log.filter((e) => e.method !== 'GET') };
}


function dedicatedPool(name = 'batch', patch: (p: any) => void = () => {}): any {
  const p = namedSharedPool(name);
  p.spec.type = 'DEDICATED';
  delete p.spec.state;
  patch(p);
  return p;
}

/** A pool file as the CLI hands it to the lifecycle: linted by the engine's one parse-then-validate path. */
const linted = (text: string, path?: string): LintedPool => ({ label: path, ...lint(text, { path }).pool });
const file = (pool: unknown, path = 'pool.json') => linted(JSON.stringify(pool, null, 2), path);

function statementBody(name: string, pool: string, sql = 'INSERT INTO sink SELECT * FROM source;'): any {
  return { apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name }, spec: { statement: sql, computePoolName: pool } };
}

/** Creates a pool straight in the local CMF's model and lets it settle. */
function seedPool(env: string, pool: any): void {
  cmf.store.createPool(env, pool);
  cmf.controls.settle();
}


// ---------------------------------------------------------------------------------------------------------

describe('line diff', () => {
  test('a minimal edit script and unified hunks with context', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    const b = ['a', 'b', 'X', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    const ops = diffLines(a, b);
    assert.equal(ops.filter((o) => o.kind === 'delete').map((o) => o.line).join(), 'c');
    assert.equal(ops.filter((o) => o.kind === 'insert').map((o) => o.line).join(), 'X,l');
    const d = unifiedDiff(a.join('\n'), b.join('\n'), { from: 'old', to: 'new' });
    assert.equal(
      d,
      ['--- old', '+++ new', '@@ -1,6 +1,6 @@', ' a', ' b', '-c', '+X', ' d', ' e', ' f', '@@ -9,3 +9,4 @@', ' i', ' j', ' k', '+l', ''].join('\n'),
    );
    assert.equal(unifiedDiff('x\ny', 'x\ny', { from: 'a', to: 'b' }), '');
    assert.match(unifiedDiff('', 'x', { from: '/dev/null', to: 'f' }), /@@ -0,0 \+1,1 @@\n\+x\n$/);
  });

  test('random edits: applying the script to the old lines gives the new lines', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: rnd(30) }, () => String.fromCharCode(97 + rnd(5)));
      const b = a.filter(() => rnd(4) > 0).flatMap((x) => (rnd(5) === 0 ? [x, String.fromCharCode(97 + rnd(5))] : [x]));
      const ops = diffLines(a, b);
      assert.deepEqual(ops.filter((o) => o.kind !== 'insert').map((o) => o.line), a);
      assert.deepEqual(ops.filter((o) => o.kind !== 'delete').map((o) => o.line), b);
    }
  });
});

describe('plan (pure)', () => {
  const live = (pool: any, extra: any = {}): ComputePool => ({
    ...pool,
    metadata: { ...pool.metadata, uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z', updateTimestamp: '2026-01-02T00:00:00Z' },
    status: { phase: 'RUNNING', ...extra },
  });

  test('create when there is no live pool: the whole body, without server-owned fields', () => {
    const pool = namedSharedPool('web', (p) => (p.status = { phase: 'RUNNING' }));
    const plan = planPool(file(pool), undefined, { environment: DEV });
    assert.equal(plan.kind, 'create');
    if (plan.kind !== 'create') return;
    assert.equal(plan.name, 'web');
    assert.equal((plan.body as any).status, undefined);
    assert.match(plan.diff, /^--- \/dev\/null\n\+\+\+ pool\.json\n@@ -0,0 \+1,\d+ @@\n\+\{/);
    assert.ok(plan.diagnostics.some((d) => d.code === 'server-managed-field'), 'the warning is kept for display');
  });

  test('unchanged: server-owned fields, key order and empty labels do not count', () => {
    const pool = namedSharedPool();
    const reverseKeys = (v: any): any =>
      Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys(v[k])])) : v;
    const reordered = reverseKeys(pool);
    assert.notEqual(JSON.stringify(reordered), JSON.stringify(pool));
    const l = live({ ...pool, metadata: { ...pool.metadata, labels: {} } });
    assert.equal(planPool(file(reordered), l, { environment: DEV }).kind, 'unchanged');
    assert.ok(sameLive(l, { ...l, status: { phase: 'PENDING' } } as ComputePool));
  });

  test('update: a unified diff of canonical JSON, live (---) against the file (+++), and the changed paths', () => {
    const pool = namedSharedPool();
    const changed = namedSharedPool('web', (p) => {
      p.spec.clusterSpec.taskManager.resource.memory = '4096m';
      p.metadata.labels = { team: 'web' };
    });
    const plan = planPool(file(changed, 'web.pool.json'), live(pool), { environment: DEV });
    assert.equal(plan.kind, 'update');
    if (plan.kind !== 'update') return;
    assert.match(plan.diff, /^--- live compute pool 'web' \(environment 'development'\)\n\+\+\+ web\.pool\.json\n/);
    assert.match(plan.diff, /\n-\s+"memory": "2048m"\n\+\s+"memory": "4096m"\n/);
    assert.match(plan.diff, /\n\+\s+"labels": \{\n\+\s+"team": "web"\n\+\s+\},?\n/);
    assert.ok(!/uid|creationTimestamp|status/.test(plan.diff), plan.diff);
    assert.deepEqual(plan.changedPaths, ['metadata.labels', 'spec.clusterSpec.taskManager.resource.memory']);
    assert.equal(canonicalJson(plan.body), canonicalJson(changed));
  });

  test('values CMF filled in from computePoolDefaults are left out; other live-only values are not', () => {
    const defaults = { clusterSpec: { image: IMAGE, flinkVersion: 'v1_19', flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' } } };
    const filled = live(
      namedSharedPool('web', (p) => {
        p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'] = '2';
      }),
    );
    const minimal = namedSharedPool('web', (p) => {
      delete p.spec.clusterSpec.image;
      delete p.spec.clusterSpec.flinkVersion;
      delete p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'];
    });
    const plan = planPool(file(minimal), filled, { environment: DEV, computePoolDefaults: defaults });
    assert.equal(plan.kind, 'unchanged', (plan as any).diff);
    assert.deepEqual(
      (plan as any).defaultsIgnored.sort(),
      ['spec.clusterSpec.flinkConfiguration.taskmanager.numberOfTaskSlots', 'spec.clusterSpec.flinkVersion', 'spec.clusterSpec.image'],
    );
    // Without the environment's defaults the same live values are differences...
    assert.equal(planPool(file(minimal), filled, { environment: DEV }).kind, 'update');
    // ... and so is a live value that differs from the default: applying the file would drop it.
    const other = live(namedSharedPool('web', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp11')));
    const plan2 = planPool(file(minimal), other, { environment: DEV, computePoolDefaults: defaults });
    assert.equal(plan2.kind, 'update');
    assert.match((plan2 as any).diff, /\n-\s+"image": "confluentinc\/cp-flink-sql:1\.19-cp11",\n/);
    assert.ok(!(plan2 as any).diff.includes('"flinkVersion"') || !/\n-\s+"flinkVersion"/.test((plan2 as any).diff));
  });

  test('spec.state: absent means RUNNING for a shared pool; against a suspended pool the diff shows the resume', () => {
    const noState = namedSharedPool('web', (p) => delete p.spec.state);
    assert.equal(planPool(file(noState), live(namedSharedPool()), { environment: DEV }).kind, 'unchanged');
    const suspended = live(namedSharedPool('web', (p) => (p.spec.state = 'SUSPENDED')), { phase: 'SUSPENDED' });
    const plan = planPool(file(noState), suspended, { environment: DEV });
    assert.equal(plan.kind, 'update');
    assert.match((plan as any).diff, /\n-\s+"state": "SUSPENDED",\n\+\s+"state": "RUNNING",\n/);
  });

  test('refused: lint errors (each diagnostic kept) and a type change', () => {
    const bad = namedSharedPool('web', (p) => (p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5'));
    const plan = planPool(file(bad), undefined, { environment: DEV });
    assert.equal(plan.kind, 'refused');
    assert.equal((plan as any).reason, 'lint-errors');
    assert.ok(plan.diagnostics.some((d) => d.code === 'image-too-old' && d.severity === 1));
    assert.match((plan as any).message, /pool\.json has 1 error \(compute pool 'web', environment 'development'\)/);

    const broken = planPool(linted('{"kind": "ComputePool", '), undefined, { environment: DEV });
    assert.equal(broken.kind, 'refused');
    assert.ok(broken.diagnostics.some((d) => d.code === 'invalid-json'));
    assert.equal(planPool(linted(''), undefined, { environment: DEV }).kind, 'refused');

    const typeChange = planPool(file(dedicatedPool('web')), live(namedSharedPool()), { environment: DEV });
    assert.equal(typeChange.kind, 'refused');
    assert.equal((typeChange as any).reason, 'type-change');
    assert.match((typeChange as any).message, /'web' in environment 'development' is SHARED, the file says DEDICATED: spec.type is immutable/);
  });
});

describe('plan and apply against the local CMF', () => {
  test('lint errors refuse the file before any request', async () => {
    const h = harness();
    const bad = namedSharedPool('web', (p) => (p.spec.clusterSpec.serviceAccount = 'flink'));
    const plan = await h.lc.plan(file(bad));
    assert.equal(plan.kind, 'refused');
    const r = await h.lc.apply(file(bad));
    assert.equal(r.kind, 'refused');
    assert.equal(h.log.length, 0);
  });

  test('create (one POST), then unchanged (no write), then update (one PUT of the full body)', async () => {
    const h = harness();
    const plan = await h.lc.plan(file(namedSharedPool()));
    assert.equal(plan.kind, 'create');
    assert.deepEqual(h.log.map((e) => e.method), ['GET', 'GET'], 'the environment, then the pool');

    const created = await h.lc.apply(file(namedSharedPool()));
    assert.equal(created.kind, 'created');
    assert.equal(h.writes().length, 1);
    assert.equal(h.writes()[0].method, 'POST');
    if (created.kind === 'created') assert.equal(created.pool.status?.phase, 'PENDING');

    const again = await h.lc.apply(file(namedSharedPool()));
    assert.equal(again.kind, 'unchanged');
    assert.equal(h.writes().length, 1, 'unchanged writes nothing');

    cmf.controls.settle();
    const bigger = namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '4096m'));
    const before = h.log.length;
    const updated = await h.lc.apply({ ...file(bigger), label: 'web.pool.json' });
    assert.equal(updated.kind, 'updated');
    if (updated.kind !== 'updated') return;
    assert.match(updated.plan.diff, /\+\+\+ web\.pool\.json/);
    assert.deepEqual(h.log.slice(before).map((e) => `${e.method} ${new URL(e.url).pathname.split('/').slice(-1)[0]}`), [
      `GET ${DEV}`,
      'GET web',
      'GET statements',
      'PUT web',
      'GET web', // read back: CMF has no conditional update, so an update made elsewhere meanwhile is found after it
    ]);
    assert.equal(updated.overwritten, undefined);
    const put = sent.filter((r) => r.method === 'PUT').at(-1)!;
    assert.deepEqual(JSON.parse(put.body!), bigger, 'PUT sends the full body of the file');
    assert.equal(updated.pool.spec.clusterSpec.taskManager?.resource?.memory, '4096m');
  });

  test('a type change is refused with no write', async () => {
    seedPool(DEV, namedSharedPool());
    const h = harness();
    const r = await h.lc.apply(file(dedicatedPool('web')));
    assert.equal(r.kind, 'refused');
    assert.equal(r.kind === 'refused' && r.plan.reason, 'type-change');
    assert.equal(h.writes().length, 0);
    // What differs is shown all the same (diff -f reports it as a change).
    assert.ok(r.kind === 'refused' && r.plan.changedPaths?.includes('spec.type'));
    assert.match(r.kind === 'refused' ? r.plan.diff! : '', /\n-\s+"type": "SHARED"\n\+\s+"type": "DEDICATED"\n/);
  });

  test('an update blocked by statements names them and their phases, and writes nothing', async () => {
    const h = harness();
    const live = await h.client.getComputePool(DEV, 'interactive');
    const changed = withoutServerOwned(live) as any;
    changed.spec.clusterSpec.flinkConfiguration['high-availability.type'] = 'kubernetes';
    changed.spec.clusterSpec.flinkConfiguration['high-availability.storageDir'] = 's3://b/interactive';
    const plan = await h.lc.plan(file(changed));
    assert.equal(plan.kind, 'update');
    assert.deepEqual((plan as any).blockers, [{ name: 'clicks-per-minute', phase: 'RUNNING' }]);
    const r = await h.lc.apply(file(changed));
    assert.equal(r.kind, 'blocked');
    if (r.kind !== 'blocked') return;
    assert.match(r.message, /Compute pool 'interactive' in environment 'development' cannot be updated: a statement blocks it: clicks-per-minute \(RUNNING\)/);
    assert.equal(h.writes().length, 0);
  });

  test('CMF still answers 409 (a statement arrived after we looked): the conflict lists it', async () => {
    seedPool(DEV, namedSharedPool());
    // Right after the client read the pool's statements, someone submits one.
    let armed = true;
    const h = harness(DEV, (e) => {
      if (armed && e.method === 'GET' && e.url.includes('/statements')) {
        armed = false;
        cmf.store.createStatement(DEV, statementBody('late-arrival', 'web'));
      }
    });
    const r = await h.lc.apply(file(namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m'))));
    assert.equal(r.kind, 'conflict');
    if (r.kind !== 'conflict') return;
    assert.equal(r.error.status, 409);
    assert.deepEqual(r.statements.map((s) => `${s.name} ${s.phase}`), ['late-arrival PENDING']);
    assert.match(r.message, /Conflict \(HTTP 409\)[\s\S]*Statements that block it now: late-arrival \(PENDING\)/);
    assert.equal(h.writes().length, 1, 'one PUT, not retried');
  });

  test('writes are rejected with 503 while the cluster is DISCONNECTED; the plan carries status.warning', async () => {
    seedPool(DEV, namedSharedPool());
    cmf.controls.setEnvironmentClusterState(DEV, 'DISCONNECTED');
    const h = harness();
    const changed = namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m'));
    const plan = await h.lc.plan(file(changed));
    assert.equal(plan.kind, 'update');
    assert.match(plan.live?.status?.warning ?? '', /may be stale/);
    const e = await expectCmfError(h.lc.apply(file(changed)));
    assert.equal(e.status, 503);
    assert.match(e.message, /DISCONNECTED/);
    assert.equal(h.writes().length, 1, 'a write is never retried');
    const created = await expectCmfError(h.lc.apply(file(namedSharedPool('other'))));
    assert.equal(created.status, 503);
  });
});

describe('the changed-elsewhere guard', () => {
  test('the pool changed between the plan and apply: nothing is written, the new plan shows the change', async () => {
    seedPool(DEV, namedSharedPool());
    const h = harness();
    const mine = namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m'));
    const plan = await h.lc.plan(file(mine));
    assert.equal(plan.kind, 'update');
    // Someone else changes the pool.
    cmf.store.updatePool(DEV, 'web', namedSharedPool('web', (p) => (p.spec.clusterSpec.jobManager.resource.memory = '2048m')));
    const r = await h.lc.apply(file(mine), { expectedLive: plan.live });
    assert.equal(r.kind, 'changed-elsewhere');
    if (r.kind !== 'changed-elsewhere') return;
    assert.match(r.message, /changed since the plan was made/);
    assert.equal(r.plan.kind, 'update');
    assert.match((r.plan as any).diff, /-\s+"memory": "2048m"\n\+\s+"memory": "1024m"/);
    assert.equal(h.writes().length, 0);
    // With the plan as it is now, apply goes through.
    const again = await h.lc.apply(file(mine), { expectedLive: r.plan.live });
    assert.equal(again.kind, 'updated');
  });

  test('the live pool is read again right before the PUT', async () => {
    seedPool(DEV, namedSharedPool());
    const mine = namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m'));
    const plan = await harness().lc.plan(file(mine));
    let armed = true;
    const h = harness(DEV, (e) => {
      if (armed && e.method === 'GET' && e.url.includes('/statements')) {
        armed = false;
        cmf.store.updatePool(DEV, 'web', namedSharedPool('web', (p) => (p.metadata.labels = { owner: 'someone-else' })));
      }
    });
    const r = await h.lc.apply(file(mine), { expectedLive: plan.live });
    assert.equal(r.kind, 'changed-elsewhere');
    assert.match((r as any).plan.diff, /-\s+"labels": \{/);
    assert.deepEqual(h.log.map((e) => e.method), ['GET', 'GET', 'GET', 'GET', 'GET'], 'environment, pool, statements, pool again, environment; no PUT');
  });

  test('the user saw "create" but the pool exists now (or saw "update" and it is gone)', async () => {
    const h = harness();
    const plan = await h.lc.plan(file(namedSharedPool()));
    assert.equal(plan.kind, 'create');
    seedPool(DEV, namedSharedPool('web', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '1024m')));
    const r = await h.lc.apply(file(namedSharedPool()), { expectedLive: null });
    assert.equal(r.kind, 'changed-elsewhere');
    assert.match((r as any).message, /was created by someone else/);
    assert.equal(h.writes().length, 0);

    const plan2 = await h.lc.plan(file(namedSharedPool()));
    cmf.store.deletePool(DEV, 'web', true);
    const r2 = await h.lc.apply(file(namedSharedPool()), { expectedLive: plan2.live });
    assert.equal(r2.kind, 'changed-elsewhere');
    assert.match((r2 as any).message, /no longer exists/);
    assert.equal(h.writes().length, 0);
  });
});

describe('suspend and resume', () => {
  test('resume PUTs the live body without server-owned fields and spec.state RUNNING; wait reports progress', async () => {
    const h = harness();
    const live = await h.client.getComputePool(DEV, 'sandbox');
    assert.equal(live.status?.phase, 'SUSPENDED');
    const r = await h.lc.resume('sandbox');
    assert.equal(r.kind, 'done');
    const put = sent.filter((x) => x.method === 'PUT').at(-1)!;
    const body = JSON.parse(put.body!);
    const expected = withoutServerOwned(live) as any;
    expected.spec.state = 'RUNNING';
    assert.deepEqual(body, expected);
    assert.equal(body.status, undefined);
    assert.equal(body.metadata.uid, undefined);

    const progress: WaitProgress[] = [];
    const w = await h.lc.wait('sandbox', { intervalMs: 15, until: 'RUNNING', onProgress: (p) => progress.push(p) });
    assert.equal(w.kind, 'settled');
    assert.equal(w.kind === 'settled' && w.phase, 'RUNNING');
    assert.deepEqual(progress.map((p) => p.phase), ['PENDING', 'RUNNING']);
    assert.match(progress[0].message ?? '', /Resuming: deploying the session cluster/);

    const s = await h.lc.suspend('sandbox');
    assert.equal(s.kind, 'done');
    const w2 = await h.lc.wait('sandbox', { intervalMs: 15, until: 'SUSPENDED' });
    assert.equal(w2.kind === 'settled' && w2.phase, 'SUSPENDED');
    const again = await h.lc.suspend('sandbox');
    assert.equal(again.kind, 'unchanged');
    assert.equal(h.writes().length, 2);
  });

  test('a dedicated pool is refused before anything is sent', async () => {
    const h = harness(PROD);
    const dedicated = await harness(PROD).client.getComputePool(PROD, 'orders-etl');
    const r = await h.lc.suspend(dedicated);
    assert.equal(r.kind, 'refused');
    assert.match(r.message, /'orders-etl' in environment 'prod' is DEDICATED: only SHARED pools can be suspended/);
    assert.equal(h.log.length, 0, 'no request at all when the caller has the pool');
    const byName = await h.lc.resume('orders-etl');
    assert.equal(byName.kind, 'refused');
    assert.deepEqual(h.log.map((e) => e.method), ['GET'], 'by name: the pool is read, nothing is written');
  });

  test('blocked by RUNNING, then STOPPED statements; a FAILED shared pool blocks nothing', async () => {
    const h = harness();
    const r = await h.lc.suspend('interactive');
    assert.equal(r.kind, 'blocked');
    assert.deepEqual(r.kind === 'blocked' && r.blockers.map((b) => `${b.name}:${b.phase}`), ['clicks-per-minute:RUNNING']);
    const stmt = await h.client.getStatement(DEV, 'clicks-per-minute');
    cmf.store.updateStatement(DEV, 'clicks-per-minute', { ...stmt, spec: { ...stmt.spec, stopped: true } });
    const r2 = await h.lc.suspend('interactive');
    assert.equal(r2.kind, 'blocked');
    assert.match(r2.message, /clicks-per-minute \(STOPPED\).*a STOPPED statement blocks too/);
    assert.equal(h.writes().length, 0);
    cmf.controls.setPoolPhase(DEV, 'interactive', 'FAILED');
    const r3 = await h.lc.suspend('interactive');
    assert.equal(r3.kind, 'done');
  });
});

describe('delete and force delete', () => {
  test('blocked: the statements and phases that block, for delete and force delete alike; nothing sent', async () => {
    const h = harness(PROD);
    for (const r of [await h.lc.delete('orders-etl'), await h.lc.forceDelete('orders-etl')]) {
      assert.equal(r.kind, 'blocked');
      if (r.kind !== 'blocked') return;
      assert.deepEqual(r.blockers.map((b) => `${b.name} ${b.phase}`), ['fraud-scoring FAILING', 'orders-enrichment RUNNING', 'payments-audit STOPPED']);
    }
    assert.equal(h.writes().length, 0);
    const forced = await h.lc.forceDelete('orders-etl');
    assert.match(forced.message, /cannot be deleted \(not even with force=true\)/);
  });

  test('a FAILED statement does not block deleting a dedicated pool (it blocks updating it)', async () => {
    seedPool(PROD, dedicatedPool('batch'));
    cmf.store.createStatement(PROD, statementBody('nightly', 'batch'));
    cmf.controls.setStatementPhase(PROD, 'nightly', 'FAILED');
    const h = harness(PROD);
    const update = await h.lc.apply(file(dedicatedPool('batch', (p) => (p.spec.clusterSpec.taskManager.resource.memory = '3072m'))));
    assert.equal(update.kind, 'blocked');
    const r = await h.lc.delete('batch');
    assert.equal(r.kind, 'deleted');
    assert.equal(await h.lc.getLive('batch'), undefined);
  });

  test('a running shared pool is DELETING, then gone: wait says so', async () => {
    seedPool(DEV, namedSharedPool());
    const h = harness();
    const r = await h.lc.delete('web');
    assert.equal(r.kind, 'deleted');
    assert.equal(r.kind === 'deleted' && r.force, false);
    assert.ok(sent.some((x) => x.method === 'DELETE' && x.path.endsWith('/compute-pools/web')), 'no force parameter');
    const progress: string[] = [];
    const w = await h.lc.wait('web', { intervalMs: 15, onProgress: (p) => progress.push(String(p.phase)) });
    assert.equal(w.kind, 'gone');
    assert.deepEqual(progress, ['DELETING']);
  });

  test('while the cluster is DISCONNECTED: delete is a 503 (sent once), force delete removes the metadata', async () => {
    seedPool(DEV, namedSharedPool());
    cmf.controls.setEnvironmentClusterState(DEV, 'DISCONNECTED');
    const h = harness();
    const e = await expectCmfError(h.lc.delete('web'));
    assert.equal(e.status, 503);
    assert.match(e.message, /force=true/);
    assert.equal(h.writes().length, 1);
    const r = await h.lc.forceDelete('web');
    assert.equal(r.kind, 'deleted');
    assert.match(r.message, /removed from CMF's metadata \(force=true\); its session cluster may still be running/);
    assert.ok(sent.some((x) => x.method === 'DELETE' && x.path.endsWith('/compute-pools/web?force=true')));
    assert.equal(await h.lc.getLive('web'), undefined);
  });

  test('a 409 on delete lists the statements on the pool', async () => {
    seedPool(DEV, namedSharedPool());
    let armed = true;
    const h = harness(DEV, (e) => {
      if (armed && e.method === 'GET' && e.url.includes('/statements')) {
        armed = false;
        cmf.store.createStatement(DEV, statementBody('sneaky', 'web'));
      }
    });
    const r = await h.lc.delete('web');
    assert.equal(r.kind, 'conflict');
    assert.deepEqual(r.kind === 'conflict' && r.statements.map((s) => s.name), ['sneaky']);
  });

  test('a pool that does not exist: a 404 that names it', async () => {
    const e = await expectCmfError(harness().lc.delete('nope'));
    assert.equal(e.status, 404);
    assert.match(e.message, /compute pool 'nope' in environment 'development'/);
  });
});

describe('wait', () => {
  test('times out while the pool is still moving, and surfaces status.warning while the cluster is away', async () => {
    cmf.controls.setPhaseDelay(60_000);
    const h = harness();
    assert.equal((await h.lc.resume('sandbox')).kind, 'done');
    cmf.controls.setEnvironmentClusterState(DEV, 'DISCONNECTED');
    const progress: WaitProgress[] = [];
    const started = Date.now();
    const w = await h.lc.wait('sandbox', { intervalMs: 20, waitTimeoutMs: 150, onProgress: (p) => progress.push(p) });
    assert.equal(w.kind, 'timeout');
    assert.equal(w.kind === 'timeout' && w.phase, 'PENDING');
    assert.ok(Date.now() - started < 2000);
    assert.equal(progress.length, 1, 'reported once: nothing changed');
    assert.match(progress[0].warning ?? '', /may be stale/);
  });

  test('a FAILED pool ends the wait; an AbortSignal cancels it', async () => {
    cmf.controls.setPhaseDelay(60_000);
    const h = harness();
    await h.lc.resume('sandbox');
    setTimeout(() => cmf.controls.setPoolPhase(DEV, 'sandbox', 'FAILED'), 50);
    const w = await h.lc.wait('sandbox', { intervalMs: 15, until: 'RUNNING' });
    assert.equal(w.kind === 'settled' && w.phase, 'FAILED');

    await h.lc.resume('interactive'); // already running: nothing to wait for
    cmf.controls.setPoolPhase(DEV, 'interactive', 'PENDING');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    const e = await expectCmfError(h.lc.wait('interactive', { intervalMs: 20, signal: ac.signal }));
    assert.equal(e.kind, 'aborted');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The recorded requests against CMF's OpenAPI
// ---------------------------------------------------------------------------------------------------------

describe('every request the client sent', () => {
  test('is an operation of CMF\'s OpenAPI, with declared query parameters of the right type and a body valid against its request schema', () => {
    const spec = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'openapi', 'cmf-openapi.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const formats = new Set<string>();
    JSON.stringify(spec, (k, v) => (k === 'format' && typeof v === 'string' && formats.add(v), v));
    for (const f of formats) ajv.addFormat(f, true);
    ajv.addSchema(spec, 'cmf');
    const templates = Object.keys(spec.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    assert.ok(sent.length > 50, `recorded ${sent.length} requests`);
    const seen = new Set<string>();
    for (const r of sent) {
      const u = new URL(r.path, 'http://x');
      const where = `${r.method} ${r.path}`;
      const t = templates.find((x) => x.re.test(u.pathname));
      assert.ok(t, `${where}: no such path in the OpenAPI`);
      const op = spec.paths[t!.t][r.method.toLowerCase()];
      assert.ok(op, `${where}: no ${r.method} on ${t!.t}`);
      seen.add(`${r.method} ${t!.t}`);
      const params = [...(spec.paths[t!.t].parameters ?? []), ...(op.parameters ?? [])];
      for (const [k, v] of u.searchParams) {
        const p = params.find((x: any) => x.in === 'query' && x.name === k);
        assert.ok(p, `${where}: query parameter '${k}' is not declared`);
        const type = p.schema?.type;
        const value = type === 'integer' ? (/^-?\d+$/.test(v) ? Number(v) : v) : type === 'boolean' ? (v === 'true' ? true : v === 'false' ? false : v) : v;
        const ok = ajv.validate(p.schema, value);
        assert.ok(ok, `${where}: query parameter '${k}'='${v}': ${ajv.errorsText()}`);
      }
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      if (r.body === undefined) {
        assert.ok(!op.requestBody?.required, `${where}: the operation requires a body`);
        continue;
      }
      assert.ok(bodySchema, `${where}: a body where the OpenAPI defines none`);
      const validate = ajv.compile({ $ref: `cmf${bodySchema.$ref}` });
      assert.ok(validate(JSON.parse(r.body)), `${where}: body does not match ${bodySchema.$ref}: ${ajv.errorsText(validate.errors)}\n${r.body.slice(0, 400)}`);
    }
    for (const op of [
      'GET /cmf/api/v1/environments/{envName}',
      'GET /cmf/api/v1/environments/{envName}/compute-pools/{computePoolName}',
      'POST /cmf/api/v1/environments/{envName}/compute-pools',
      'PUT /cmf/api/v1/environments/{envName}/compute-pools/{computePoolName}',
      'DELETE /cmf/api/v1/environments/{envName}/compute-pools/{computePoolName}',
      'GET /cmf/api/v1/environments/{envName}/statements',
      'GET /cmf/api/v1/environments/{envName}/statements/{stmtName}',
    ]) {
      assert.ok(seen.has(op), `not exercised: ${op}`);
    }
  });
});
