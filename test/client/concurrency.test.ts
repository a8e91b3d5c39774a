// Concurrency, through the real extension (activated over the fake VS Code of vscode-fake.ts) and the
// local CMF behind a recording proxy that counts what reaches it:
// - one change per pool at a time in a window: Deploy clicked twice, from the palette and from the
//   CodeLens, and Resume / Delete / Force Delete from the tree's menu while a deploy waits at its modal or
//   its POST is on the wire: one write reaches CMF, the others are refused with a message and send nothing;
//   the guard is released after success and after failure;
// - an update racing a change made elsewhere, landing while the user reads the diff and landing in the
//   moment between the re-read and the PUT: no PUT until the user confirmed the new diff; a pool deleted
//   meanwhile is not silently created again;
// - polling never overlaps itself against a slow CMF, and stops when every shown item has settled.
import { host, fakeContext, deactivate } from './vscode-fake';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as extension from '../../client/src/extension';
import { ExplorerModel, type EnvironmentNode, type PoolNode } from '../../client/src/explorer/model';
import { recordingProxy, type RecordingProxy, type Recorded } from '../cmf/recording-server';
import { harness, localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;
const API = '/cmf/api/v1/environments';
const SANDBOX = `${API}/development/compute-pools/sandbox`;

const poolText = (name: string) =>
  JSON.stringify(
    {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name },
      spec: {
        type: 'SHARED',
        clusterSpec: {
          flinkVersion: 'v1_19',
          image: 'confluentinc/cp-flink-sql:1.19-cp7',
          jobManager: { resource: { cpu: 1, memory: '1024m' } },
          taskManager: { resource: { cpu: 1, memory: '1024m' } },
        },
      },
    },
    null,
    2,
  );

/** The demo's sandbox pool (development) as a file, with a change of task manager memory. */
const sandboxText = (memory = '2048m') =>
  JSON.stringify(
    {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name: 'sandbox', labels: { team: 'platform' } },
      spec: {
        type: 'SHARED',
        state: 'SUSPENDED',
        clusterSpec: {
          flinkVersion: 'v1_19',
          image: 'confluentinc/cp-flink-sql:1.19-cp7',
          mode: 'standalone',
          flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' },
          taskManager: { replicas: 1, resource: { cpu: 0.5, memory } },
          jobManager: { resource: { cpu: 0.5, memory: '1024m' } },
        },
      },
    },
    null,
    2,
  );

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A test that waits for a held modal or request fails after this instead of hanging. */
const T = { timeout: 15_000 };

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const busy = /^(Deploy|Resume|Delete|Force Delete) of compute pool 'sandbox' \(development, demo\) is still in progress; wait for it to finish\.$/;

describe('one change per pool at a time, and races with changes made elsewhere (the extension over a recording proxy)', () => {
  let cmf: Cmf;
  let proxy: RecordingProxy;
  /** Runs in the proxy before each request is passed on (a test sets it). */
  let hook: ((r: Recorded, n: number) => void | Promise<void>) | undefined;
  const context = fakeContext();

  before(async () => {
    cmf = await localCmf();
    proxy = await recordingProxy(cmf.url, { before: (r, n) => hook?.(r, n) });
    host.settings.globalValue['cmfPools.connections'] = [{ name: 'demo', url: proxy.url, defaultEnvironment: 'development' }];
    await extension.activate(context as never);
  });
  after(async () => {
    await deactivate(extension, context);
    await proxy.close();
    await cmf.close();
  });
  beforeEach(() => {
    cmf.controls.reset('demo');
    cmf.controls.setPhaseDelay(0);
    hook = undefined;
    host.reset();
    proxy.requests.length = 0;
  });

  const sandboxNode = async () => (await host.treeItems('cmfPools.explorer', (i) => !/^(pool|statement)/.test(i.contextValue ?? ''))).find((i) => i.item.label === 'sandbox')!.node as PoolNode;
  const warnings = () => host.recorded.messages.filter((m) => m.kind === 'warn' && !m.modal).map((m) => m.message);
  /** Held modals and requests, let go after each test whatever happened, so a failure cannot hold the pool for the next. */
  const held: (() => void)[] = [];
  afterEach(() => held.splice(0).forEach((release) => release()));

  it('an update waiting at its modal: a second click, the palette, the CodeLens and the tree menu are refused and send nothing', T, async (t) => {
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText());
    const [, lensDeploy] = (await host.codeLenses(doc)).map((l) => l.command!);
    assert.equal(lensDeploy.title, 'Deploy');
    const node = await sandboxNode();
    const modal = deferred<string | undefined>();
    held.push(() => modal.resolve(undefined));
    host.answers.message = (_k, _m, items, isModal) => (isModal && items.includes('Update') ? modal.promise : undefined);

    const first = host.run('cmfPools.deployPool', doc.uri); // the editor title's Deploy
    await until('the modal', () => host.recorded.messages.some((m) => m.modal));
    const sent = proxy.requests.length;
    const others = await Promise.all([
      host.run('cmfPools.deployPool', doc.uri), // the same button, clicked again
      host.run('cmfPools.deployPool'), // the palette (the active editor)
      host.run(lensDeploy.command, ...(lensDeploy.arguments ?? [])), // the CodeLens
      host.run('cmfPools.resumePool', node), // the tree's menu
      host.run('cmfPools.deletePool', node),
      host.run('cmfPools.forceDeletePool', node),
    ]);
    const fromOthers = proxy.requests.length - sent;
    assert.deepEqual(others, ['busy', 'busy', 'busy', 'busy', 'busy', 'busy']);
    assert.equal(fromOthers, 0, `nothing reached CMF: ${proxy.lines().slice(sent).join(', ')}`);
    assert.equal(warnings().length, 6, warnings().join('\n'));
    for (const w of warnings()) assert.match(w, /^Deploy of compute pool 'sandbox' \(development, demo\) is still in progress; wait for it to finish\.$/);
    assert.equal(host.recorded.messages.filter((m) => m.modal).length, 1, 'one modal only');

    modal.resolve('Update');
    assert.equal(await first, 'done');
    assert.deepEqual(proxy.writes(), [`PUT ${SANDBOX}`]);
    t.diagnostic(`${others.length} more triggers while the first waited at its modal: ${others.filter((o) => o === 'busy').length} refused with a message, ${fromOthers} requests from them; CMF got 1 write (PUT) in ${proxy.requests.length} requests`);
    // Released: the next deploy runs (and finds nothing to change).
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'unchanged');
    assert.deepEqual(proxy.writes(), [`PUT ${SANDBOX}`]);
  });

  it('a create whose POST is on the wire: the double click and the palette are refused; exactly one POST reaches CMF', T, async () => {
    const doc = host.openDocument('/work/pools/twice.pool.json', poolText('twice'));
    const post = deferred<void>();
    held.push(() => post.resolve());
    let posted = false;
    hook = async (r) => {
      if (r.method === 'POST') {
        posted = true;
        await post.promise;
      }
    };
    const first = host.run('cmfPools.deployPool', doc.uri);
    await until('the POST', () => posted);
    const sent = proxy.requests.length;
    assert.deepEqual(await Promise.all([host.run('cmfPools.deployPool', doc.uri), host.run('cmfPools.deployPool'), host.run('cmfPools.deployPool', doc.uri)]), ['busy', 'busy', 'busy']);
    assert.equal(proxy.requests.length, sent);
    assert.equal(warnings().length, 3);
    post.resolve();
    assert.equal(await first, 'done');
    assert.deepEqual(proxy.writes(), [`POST ${API}/development/compute-pools`]);
  });

  it('a failed deploy releases the pool: the next one runs', T, async () => {
    const doc = host.openDocument('/work/pools/again.pool.json', poolText('again'));
    cmf.controls.injectFault({ kind: 'status', status: 500, method: 'POST' });
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'failed');
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    assert.deepEqual(proxy.writes(), [`POST ${API}/development/compute-pools`, `POST ${API}/development/compute-pools`]);
    assert.equal(cmf.store.pool('development', 'again').spec.type, 'SHARED');
  });

  /** The other user's change: a newer image on the live sandbox pool. */
  const changeElsewhere = () => {
    const p = cmf.store.pool('development', 'sandbox');
    cmf.store.updatePool('development', 'sandbox', { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 'sandbox', labels: { team: 'platform' } }, spec: { ...p.spec, clusterSpec: { ...p.spec.clusterSpec, image: 'confluentinc/cp-flink-sql:1.19-cp11' } } });
  };
  const diffLeft = (i: number) => {
    const diff = host.recorded.executed.filter((e) => e.command === 'vscode.diff')[i];
    return host.contentProviders.get('cmf-pools-diff')!.provideTextDocumentContent(diff.args[0] as never);
  };

  it('a change lands between the re-read and the PUT: nothing is written, the new diff is shown, and only its confirmation writes', T, async () => {
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText());
    const modals: number[] = []; // requests sent when each modal came up
    let poolReadsAfterYes = 0;
    let changedAt = -1;
    hook = (r, n) => {
      // After the first "Update": apply reads the pool (its plan), then reads it again right before the PUT.
      // The other user's change lands just before that second read.
      if (modals.length === 1 && r.method === 'GET' && r.url === SANDBOX && ++poolReadsAfterYes === 2) {
        changeElsewhere();
        changedAt = n;
      }
    };
    host.answers.message = (_k, _m, items, isModal) => {
      if (!isModal || !items.includes('Update')) return undefined;
      modals.push(proxy.requests.length);
      return 'Update';
    };
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    assert.equal(modals.length, 2);
    assert.ok(changedAt > 0, 'the change landed');
    const lines = proxy.lines();
    const put = lines.indexOf(`PUT ${SANDBOX}`);
    assert.deepEqual(proxy.writes(), [`PUT ${SANDBOX}`]);
    assert.equal(lines[changedAt - 1], `GET ${SANDBOX}`, 'the re-read right before the PUT saw the change');
    assert.notEqual(lines[changedAt], `PUT ${SANDBOX}`, 'and no PUT followed it');
    assert.ok(put >= modals[1], 'the only PUT came after the new diff was confirmed');
    // The new diff: the other user's image on the live side.
    assert.doesNotMatch(diffLeft(0), /1\.19-cp11/);
    assert.match(diffLeft(1), /1\.19-cp11/);
    const confirms = host.recorded.messages.filter((m) => m.modal);
    assert.match(confirms[1].detail!, /^The pool changed since you last looked; this is the new difference\. Changes: .*spec\.clusterSpec\.image/);
    assert.ok(warnings().some((w) => /changed since the plan was made \(it has changed\); nothing was written/.test(w)), warnings().join('\n'));
    // The PUT carried the file, now that the user saw what it replaces.
    const body = JSON.parse(proxy.requests[put].body);
    assert.equal(body.spec.clusterSpec.image, 'confluentinc/cp-flink-sql:1.19-cp7');
    assert.equal(body.spec.clusterSpec.taskManager.resource.memory, '2048m');
  });

  it('a change lands while the diff is read, and the user cancels the new diff: nothing is written', T, async () => {
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText());
    let n = 0;
    host.answers.message = (_k, _m, items, isModal) => {
      if (!isModal || !items.includes('Update')) return undefined;
      if (++n === 1) {
        changeElsewhere();
        return 'Update';
      }
      return undefined;
    };
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'cancelled');
    assert.equal(n, 2);
    assert.match(diffLeft(1), /1\.19-cp11/);
    assert.deepEqual(proxy.writes(), []);
    assert.equal(cmf.store.pool('development', 'sandbox').spec.clusterSpec.image, 'confluentinc/cp-flink-sql:1.19-cp11');
  });

  it('the pool is deleted elsewhere while its update is reviewed: creating it again is asked, not done', T, async () => {
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText());
    host.answers.message = (_k, _m, items, isModal) => {
      if (isModal && items.includes('Update')) {
        cmf.store.deletePool('development', 'sandbox', true);
        return 'Update';
      }
      return undefined; // Cancel the creation
    };
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'cancelled');
    const confirms = host.recorded.messages.filter((m) => m.modal);
    assert.equal(confirms.length, 2);
    assert.equal(confirms[1].message, "Create compute pool 'sandbox' in environment 'development' on connection 'demo'?");
    assert.match(confirms[1].detail!, /deleted since you reviewed the update/);
    assert.deepEqual(confirms[1].items, ['Create']);
    assert.deepEqual(proxy.writes(), []);
    // Confirmed, it is created (once).
    cmf.controls.reset('demo');
    let deleted = false;
    host.answers.message = (_k, _m, items, isModal) => {
      if (isModal && items.includes('Update') && !deleted) {
        deleted = true;
        cmf.store.deletePool('development', 'sandbox', true);
        return 'Update';
      }
      return isModal && items.includes('Create') ? 'Create' : undefined;
    };
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    assert.deepEqual(proxy.writes(), [`POST ${API}/development/compute-pools`]);
  });

  it('a change lands right after the PUT (another window): Deploy says the pool was changed by someone else meanwhile', T, async () => {
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText('3072m'));
    let putDone = false;
    hook = (r) => {
      if (r.method === 'PUT') putDone = true;
      else if (putDone && r.method === 'GET' && r.url === SANDBOX) {
        putDone = false;
        changeElsewhere();
      }
    };
    host.answers.message = (_k, _m, items, modal) => (modal && items.includes('Update') ? 'Update' : undefined);
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    assert.deepEqual(proxy.writes(), [`PUT ${SANDBOX}`]);
    const w = warnings().find((m) => /changed by someone else meanwhile/.test(m));
    assert.ok(w, warnings().join('\n'));
    assert.match(w, /^Compute pool 'sandbox' in environment 'development' was changed by someone else meanwhile: .*CMF has no conditional update/);
    assert.ok(host.recorded.output.some((l) => /changed by someone else meanwhile[\s\S]*cp-flink-sql:1\.19-cp11/.test(l)), 'the log holds the difference');
  });

  it('the busy message names the operation that holds the pool', T, async () => {
    const node = await sandboxNode();
    const modal = deferred<string | undefined>();
    held.push(() => modal.resolve(undefined));
    host.answers.message = (_k, _m, items, isModal) => (isModal && items.includes('Delete') ? modal.promise : undefined);
    const del = host.run('cmfPools.deletePool', node);
    await until('the modal', () => host.recorded.messages.some((m) => m.modal));
    const doc = host.openDocument('/work/pools/sandbox.pool.json', sandboxText());
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'busy');
    assert.match(warnings()[0], busy);
    assert.match(warnings()[0], /^Delete of/);
    modal.resolve(undefined);
    assert.equal(await del, 'cancelled');
    assert.deepEqual(proxy.writes(), []);
  });
});

describe('explorer polling against a slow CMF (recording proxy)', () => {
  let cmf: Cmf;
  let proxy: RecordingProxy;
  before(async () => {
    cmf = await localCmf({ phaseDelayMs: 600 });
    // Each read of one pool takes 60 ms: far longer than the 10 ms polling interval.
    proxy = await recordingProxy(cmf.url, { delayMs: (r) => (r.method === 'GET' && /\/compute-pools\/[^/?]+$/.test(r.url) ? 60 : 0) });
  });
  after(async () => {
    await proxy.close();
    await cmf.close();
  });

  const create = (name: string) =>
    fetch(`${cmf.url}${API}/development/compute-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: poolText(name) }).then((r) => assert.equal(r.status, 200));

  it('never has two polling requests in flight, even when the tree asks again and again, and stops when everything settled', T, async (t) => {
    // Two unsettled pools; the second settles 400 ms after the first (a polling round takes at most ~160 ms).
    await create('slow-a');
    await new Promise((r) => setTimeout(r, 400));
    await create('slow-b');
    const h = harness([{ name: 'demo', url: proxy.url }]);
    const m = new ExplorerModel({ registry: h.registry, log: h.log, pollIntervalMs: () => 10, maxPollIntervalMs: 40 });
    const envs = (await m.children(m.roots()[0])) as EnvironmentNode[];
    const dev = envs.find((e) => e.environment.name === 'development')!;
    await m.children(dev);
    assert.equal(m.pollingCount, 2);
    const listed = proxy.requests.length;
    // The tree re-renders, the view is shown again, the list is refreshed: none of it starts a second chain.
    let counts: number[] = [];
    for (let i = 0; i < 30 && m.pollingCount > 0; i++) {
      m.poller.update(m.pollingCount);
      m.poller.setVisible(true);
      counts.push(m.pollingCount);
      await new Promise((r) => setTimeout(r, 15));
    }
    await until('every pool settled', () => m.pollingCount === 0);
    counts = counts.filter((c, i) => counts.indexOf(c) === i);
    assert.deepEqual(counts.slice(0, 2), [2, 1], 'slow-a settled first; slow-b was still polled');
    assert.equal(proxy.maxInFlight, 1, 'one request at a time');
    t.diagnostic(`${proxy.lines().slice(listed).length} polling reads of 60 ms each against a 10 ms interval, ${m.poller.rounds} rounds; at most ${proxy.maxInFlight} request in flight`);
    const polls = proxy.lines().slice(listed);
    assert.ok(polls.length >= 2 && polls.every((l) => /^GET \/cmf\/api\/v1\/environments\/development\/compute-pools\/slow-[ab]$/.test(l)), polls.join('\n'));
    // Settled: the chain ends and nothing more is sent.
    await until('the last round to end', () => !m.poller.active);
    const end = proxy.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(proxy.requests.length, end);
    m.dispose();
  });
});
