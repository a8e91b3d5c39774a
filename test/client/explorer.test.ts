// The explorer's model against the local CMF over HTTP: what each node shows (label, description, icon,
// color, contextValue), placeholders and errors as nodes, the name filter, and polling of unsettled items.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExplorerModel, type ExplorerNode, type PoolNode, type StatementNode, type EnvironmentNode } from '../../client/src/explorer/model';
import { Poller } from '../../client/src/explorer/poller';
import { poolView, poolResources } from '../../client/src/explorer/present';
import type { ComputePool } from '../../cmf-model/src/types';
import { harness, localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;

function model(h: ReturnType<typeof harness>, pollIntervalMs = 50) {
  return new ExplorerModel({ registry: h.registry, log: h.log, pollIntervalMs: () => pollIntervalMs, maxPollIntervalMs: 200 });
}

const labels = (nodes: ExplorerNode[], m: ExplorerModel) => nodes.map((n) => m.view(n).label);

describe('explorer model against the local CMF', () => {
  let cmf: Cmf;
  before(async () => {
    cmf = await localCmf();
  });
  after(() => cmf.close());

  it('shows connection -> environments -> pools -> statements with icons, colors and contextValues', async () => {
    const h = harness([{ name: 'demo', url: cmf.url, defaultEnvironment: 'prod' }]);
    const m = model(h);
    const [conn] = m.roots();
    const cv = m.view(conn);
    assert.equal(cv.label, 'demo');
    assert.equal(cv.contextValue, 'connection.selected.remote.verified');
    assert.deepEqual(cv.icon, { id: 'plug', color: 'charts.green' });
    assert.equal(cv.collapsible, 'expanded');

    const envs = (await m.children(conn)) as EnvironmentNode[];
    assert.deepEqual(labels(envs, m), ['development', 'prod']);
    const prod = envs.find((e) => e.environment.name === 'prod')!;
    assert.equal(m.view(prod).contextValue, 'environment.selected.cluster-ok');
    assert.equal(m.view(prod).description, 'selected');
    assert.equal(m.view(envs[0]).contextValue, 'environment.unselected.cluster-ok');

    const pools = (await m.children(prod)) as PoolNode[];
    assert.deepEqual(labels(pools, m), ['analytics', 'orders-etl']);
    const analytics = m.view(pools[0]);
    assert.equal(analytics.description, 'SHARED · RUNNING');
    assert.deepEqual(analytics.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.equal(analytics.contextValue, 'pool.shared.state-running.phase-running');
    assert.match(analytics.tooltip!, /Image: `confluentinc\/cp-flink-sql:1\.19-cp7`/);
    assert.match(analytics.tooltip!, /Mode: standalone/);
    assert.match(analytics.tooltip!, /Session cluster: \*\*5 CPU, 10 GiB\*\* in total/);
    const etl = m.view(pools[1]);
    assert.equal(etl.description, 'DEDICATED');
    assert.deepEqual(etl.icon, { id: 'server-process', color: 'charts.blue' });
    assert.equal(etl.contextValue, 'pool.dedicated.phase-dedicated');

    const stmts = (await m.children(pools[1])) as StatementNode[];
    assert.deepEqual(labels(stmts, m), ['fraud-scoring', 'orders-enrichment', 'payments-audit']);
    assert.deepEqual(
      stmts.map((s) => [m.view(s).description, m.view(s).icon.id, m.view(s).contextValue]),
      [
        ['FAILING', 'warning', 'statement.phase-failing'],
        ['RUNNING', 'play-circle', 'statement.phase-running'],
        ['STOPPED', 'debug-stop', 'statement.phase-stopped'],
      ],
    );
    // The FAILING statement is unsettled: it is polled.
    assert.equal(m.pollingCount, 1);
    m.dispose();
  });

  it('reuses node objects, so a refresh keeps identity; parents are known (for reveal)', async () => {
    const h = harness([{ name: 'demo', url: cmf.url }]);
    const m = model(h);
    const [conn] = m.roots();
    const envs = await m.children(conn);
    const again = await m.children(m.roots()[0]);
    assert.equal(envs[0], again[0]);
    assert.equal(m.roots()[0], conn);
    assert.equal(m.parent(envs[0]), conn);
    m.dispose();
  });

  it('shows placeholders for an environment with no pools and a CMF with no environments', async () => {
    const empty = await localCmf({ seed: 'empty' });
    try {
      const h = harness([{ name: 'empty', url: empty.url }]);
      const m = model(h);
      const kids = await m.children(m.roots()[0]);
      assert.equal(kids.length, 1);
      assert.equal(m.view(kids[0]).label, 'No environments on this CMF yet');
      assert.equal(m.view(kids[0]).contextValue, 'message.placeholder');
      await fetch(`${empty.url}/cmf/api/v1/environments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'staging', kubernetesNamespace: 'flink' }) });
      const [env] = await m.children(m.roots()[0]);
      const [placeholder] = await m.children(env);
      assert.equal(m.view(placeholder).label, 'No compute pools — create a pool file and deploy it');
      assert.equal(m.view(placeholder).command?.command, 'cmfPools.newPoolFile');
      m.dispose();
    } finally {
      await empty.close();
    }
  });

  it('shows why a connection cannot be reached, with a retry', async () => {
    const h = harness([{ name: 'gone', url: 'http://127.0.0.1:9' }]);
    const m = model(h);
    const [err] = await m.children(m.roots()[0]);
    const v = m.view(err);
    assert.equal(v.contextValue, 'message.error.actionable');
    assert.match(v.label, /^Cannot reach gone: Connection refused/);
    assert.deepEqual(v.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
    assert.equal(v.command?.command, 'cmfPools.refresh');
    assert.equal(v.command?.arguments?.[0], m.roots()[0]);
    assert.ok(h.log.lines.some((l) => l.startsWith('error Cannot reach gone')));
    m.dispose();
  });

  it('filters pools and statements by name', async () => {
    const h = harness([{ name: 'demo', url: cmf.url }]);
    const m = model(h);
    const envs = (await m.children(m.roots()[0])) as EnvironmentNode[];
    const prod = envs.find((e) => e.environment.name === 'prod')!;
    m.setFilter('ORDERS');
    assert.deepEqual(labels(await m.children(prod), m), ['orders-etl']);
    m.setFilter('nothing-like-this');
    const [none] = await m.children(prod);
    assert.equal(m.view(none).label, 'Nothing matches "nothing-like-this" (2 hidden)');
    assert.equal(m.view(none).command?.command, 'cmfPools.clearFilter');
    m.setFilter('');
    assert.equal((await m.children(prod)).length, 2);
    m.dispose();
  });

  it('marks stale data (status.warning) and a disconnected cluster', async () => {
    cmf.controls.setEnvironmentClusterState('prod', 'DISCONNECTED', 'no heartbeat');
    try {
      const h = harness([{ name: 'demo', url: cmf.url }]);
      const m = model(h);
      const envs = (await m.children(m.roots()[0])) as EnvironmentNode[];
      const prod = envs.find((e) => e.environment.name === 'prod')!;
      const ev = m.view(prod);
      assert.equal(ev.contextValue, 'environment.unselected.cluster-disconnected');
      assert.equal(ev.decoration?.badge, '!');
      const pools = (await m.children(prod)) as PoolNode[];
      const v = m.view(pools[0]);
      assert.equal(v.contextValue, 'pool.shared.state-running.phase-running.stale');
      assert.equal(v.description, 'SHARED · RUNNING · ⚠ may be stale');
      assert.equal(v.decoration?.badge, '⚠');
      assert.match(v.tooltip!, /The data may be stale/);
      m.dispose();
    } finally {
      cmf.controls.setEnvironmentClusterState('prod', 'CONNECTED');
    }
  });

  it('polls an unsettled pool until it settles, refreshing only that node, then stops', async () => {
    cmf.controls.setPhaseDelay(300);
    try {
      const pool = {
        apiVersion: 'cmf.confluent.io/v1',
        kind: 'ComputePool',
        metadata: { name: 'polled' },
        spec: { type: 'SHARED', clusterSpec: { flinkVersion: 'v1_19', image: 'confluentinc/cp-flink-sql:1.19-cp7', jobManager: { resource: { cpu: 1, memory: '1g' } }, taskManager: { resource: { cpu: 1, memory: '1g' } } } },
      };
      const res = await fetch(`${cmf.url}/cmf/api/v1/environments/development/compute-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pool) });
      assert.equal(res.status, 200);
      const h = harness([{ name: 'demo', url: cmf.url }]);
      const m = model(h, 50);
      const changed: (ExplorerNode | undefined)[] = [];
      m.onDidChange((n) => changed.push(n));
      const envs = (await m.children(m.roots()[0])) as EnvironmentNode[];
      const dev = envs.find((e) => e.environment.name === 'development')!;
      const pools = (await m.children(dev)) as PoolNode[];
      const node = pools.find((p) => p.pool.metadata.name === 'polled')!;
      assert.equal(m.view(node).description, 'SHARED · PENDING');
      assert.deepEqual(m.view(node).icon, { id: 'loading~spin', color: 'charts.yellow' });
      assert.equal(m.pollingCount, 1);
      const before = cmf.requests.length;
      for (let i = 0; i < 100 && m.pollingCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(m.pollingCount, 0);
      assert.equal(m.view(node).description, 'SHARED · RUNNING');
      assert.deepEqual(changed, [node]);
      const polls = cmf.requests.slice(before);
      assert.ok(polls.length >= 1);
      assert.ok(polls.every((r) => r.startsWith('GET /cmf/api/v1/environments/development/compute-pools/polled ')), polls.join('\n'));
      // Stopped: no more requests.
      const after = cmf.requests.length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(cmf.requests.length, after);
      assert.equal(m.poller.active, false);
      m.dispose();
      await fetch(`${cmf.url}/cmf/api/v1/environments/development/compute-pools/polled?force=true`, { method: 'DELETE' });
    } finally {
      cmf.controls.setPhaseDelay(0);
    }
  });

  it('stops polling while the view is hidden and when the parent is collapsed', async () => {
    const h = harness([{ name: 'demo', url: cmf.url }]);
    const m = model(h, 30);
    const envs = (await m.children(m.roots()[0])) as EnvironmentNode[];
    const prod = envs.find((e) => e.environment.name === 'prod')!;
    const [, etl] = (await m.children(prod)) as PoolNode[];
    await m.children(etl); // fraud-scoring is FAILING: polled (it stays FAILING)
    assert.equal(m.pollingCount, 1);
    m.poller.setVisible(false);
    const n = cmf.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(cmf.requests.length, n, 'no requests while hidden');
    m.poller.setVisible(true);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(cmf.requests.length > n, 'polling resumed when visible');
    m.collapsed(etl);
    assert.equal(m.pollingCount, 0);
    // A round already under way finishes, and schedules no other.
    for (let i = 0; i < 100 && m.poller.active; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(m.poller.active, false);
    const settled = cmf.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(cmf.requests.length, settled);
    m.dispose();
  });
});

describe('poller', () => {
  it('never overlaps itself, backs off while nothing changes, and resets when something does', async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    let running = 0;
    let maxRunning = 0;
    let release: (() => void) | undefined;
    const results = [false, false, true, false];
    const p = new Poller({
      intervalMs: () => 1000,
      maxIntervalMs: 3000,
      timers: { setTimeout: (fn, ms) => (timers.push({ fn, ms }), timers.length), clearTimeout: () => undefined },
      tick: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((r) => (release = r));
        running--;
        return { changed: results.shift() ?? false, remaining: 1 };
      },
    });
    p.update(1);
    assert.equal(timers.length, 1);
    assert.equal(timers[0].ms, 1000);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      timers[timers.length - 1].fn();
      // While a round runs, more updates schedule nothing.
      p.update(2);
      assert.equal(timers.length, i + 1);
      release!();
      await new Promise((r) => setImmediate(r));
      delays.push(timers[timers.length - 1].ms);
    }
    assert.equal(maxRunning, 1);
    assert.deepEqual(delays, [1500, 2250, 1000, 1500]);
    p.dispose();
  });
});

describe('pool presentation', () => {
  const base = (over: Partial<ComputePool['spec']> = {}, status?: ComputePool['status']): ComputePool => ({
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name: 'p' },
    spec: { type: 'SHARED', clusterSpec: { jobManager: { resource: { cpu: 1, memory: '1024m' } }, taskManager: { resource: { cpu: 0.5, memory: '2g' } } }, ...over },
    status,
  });

  it('gives each phase its icon and color, and composes contextValue flags', () => {
    const cases: [string, string, string | undefined][] = [
      ['RUNNING', 'pass-filled', 'testing.iconPassed'],
      ['PENDING', 'loading~spin', 'charts.yellow'],
      ['SUSPENDED', 'debug-pause', 'disabledForeground'],
      ['FAILING', 'warning', 'problemsWarningIcon.foreground'],
      ['FAILED', 'error', 'problemsErrorIcon.foreground'],
      ['DELETING', 'trash', 'charts.orange'],
      ['SOMETHING_NEW', 'question', undefined],
    ];
    for (const [phase, id, color] of cases) {
      const v = poolView(base({ state: 'RUNNING' }, { phase: phase as never }));
      assert.deepEqual(v.icon, color ? { id, color } : { id }, phase);
      assert.equal(v.contextValue, `pool.shared.state-running.phase-${phase.toLowerCase().replace(/_/g, '-')}`);
    }
    assert.equal(poolView(base({ state: 'SUSPENDED' }, { phase: 'SUSPENDED' })).contextValue, 'pool.shared.state-suspended.phase-suspended');
  });

  it('sums resources with task managers included, and says when task managers are dynamic', () => {
    assert.deepEqual(poolResources(base({ clusterSpec: { mode: 'standalone', jobManager: { resource: { cpu: 1, memory: '1024m' } }, taskManager: { replicas: 3, resource: { cpu: 0.5, memory: '2g' } } } })), [
      'Session cluster: **2.5 CPU, 7 GiB** in total',
      'JobManager: 1 × 1 CPU, 1 GiB',
      'TaskManagers: 3 × 0.5 CPU, 2 GiB (standalone)',
    ]);
    assert.deepEqual(poolResources(base()), ['JobManager: 1 × 1 CPU, 1 GiB', 'TaskManagers: as statements need them (native mode), each 0.5 CPU, 2 GiB']);
    const withSummary = base({}, { phase: 'RUNNING', resourceSummary: { jobManager: { cpu: 1, memory: 2 ** 30, count: 1 }, taskManager: { cpu: 1, memory: 2 ** 32, count: 2 } } });
    assert.equal(poolResources(withSummary)[0], 'Allocated now: **2 CPU, 5 GiB** (JobManagers: 1, TaskManagers: 2)');
  });
});
