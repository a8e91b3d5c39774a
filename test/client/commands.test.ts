// Command logic against the local CMF over HTTP, with VS Code's API replaced by a scripted Ui: what each
// command asks and shows, and the exact requests it sends on confirm — and that it sends no write on cancel.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResolvedSettings, normalizeSettings, poolText } from '../../language-service/src/index';
import { parse as parseYaml } from 'yaml';
import { deletePool, forceDeletePool, suspendPool, resumePool, openPoolAsFile, copyAsCurl, POOL_FILE_FORMAT_KEY } from '../../client/src/commands/pool-commands';
import { deployPool, compareWithDeployed, copyDeployAsCurl, deploymentStates } from '../../client/src/commands/deploy';
import { engineLanguage, fileInput, harness, localCmf, type Script } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;
const API = '/cmf/api/v1/environments';
const confirmWith = (label: string) => (_m: string, actions: string[]) => (actions.includes(label) ? label : undefined);
const cancel = () => undefined;

const poolFile = (name: string, over: Record<string, unknown> = {}, type = 'SHARED') =>
  JSON.stringify(
    {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name },
      spec: {
        type,
        clusterSpec: {
          flinkVersion: 'v1_19',
          image: 'confluentinc/cp-flink-sql:1.19-cp7',
          flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' },
          jobManager: { resource: { cpu: 1, memory: '1024m' } },
          taskManager: { resource: { cpu: 1, memory: '1024m' } },
          ...over,
        },
      },
    },
    null,
    2,
  );

/** The sandbox pool of the demo data, as a file, with a change. */
const sandboxFile = (memory = '2048m') =>
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
          taskManager: { replicas: 1, resource: { cpu: 0.5, memory: memory } },
          jobManager: { resource: { cpu: 0.5, memory: '1024m' } },
        },
      },
    },
    null,
    2,
  );

describe('pool commands against the local CMF', () => {
  let cmf: Cmf;
  beforeEach(async () => {
    cmf = await localCmf();
  });
  afterEach(() => cmf.close());

  const connect = (script: Script = {}) => {
    const h = harness([{ name: 'demo', url: cmf.url, defaultEnvironment: 'development' }], script);
    return h;
  };
  const dev = (pool: string) => ({ connection: 'demo', environment: 'development', pool });
  const prod = (pool: string) => ({ connection: 'demo', environment: 'prod', pool });

  it('Delete: a modal naming connection, environment and pool; cancel sends no write; confirm sends one DELETE', async () => {
    const h = connect({ confirm: cancel });
    assert.equal(await deletePool(h.ctx, dev('sandbox')), 'cancelled');
    const [c] = h.ui.of('confirm');
    assert.equal(c.message, "Delete compute pool 'sandbox' in environment 'development' on connection 'demo'?");
    assert.deepEqual(c.actions, ['Delete']);
    assert.deepEqual(cmf.writes(), []);

    h.ui.script.confirm = confirmWith('Delete');
    assert.equal(await deletePool(h.ctx, dev('sandbox')), 'done');
    assert.deepEqual(cmf.writes(), [`DELETE ${API}/development/compute-pools/sandbox 204`]);
    assert.deepEqual(h.poolChanges.slice(0, 1), ['demo/development']);
  });

  it('Delete: blocking statements are listed (name and phase) with Reveal, and nothing is offered or sent', async () => {
    const revealed: string[][] = [];
    const h = harness([{ name: 'demo', url: cmf.url }], { confirm: confirmWith('Delete'), notify: (_k, _m, a) => a[0] }, { revealStatements: async (_c, _e, _p, s) => void revealed.push(s) });
    assert.equal(await deletePool(h.ctx, prod('orders-etl')), 'refused');
    assert.equal(h.ui.of('confirm').length, 0);
    const [err] = h.ui.of('error');
    assert.match(err.message, /compute pool 'orders-etl' in environment 'prod' on connection 'demo' cannot be deleted: statements use it: fraud-scoring \(FAILING\), orders-enrichment \(RUNNING\), payments-audit \(STOPPED\)/i);
    assert.deepEqual(err.actions, ['Reveal Statements']);
    assert.deepEqual(revealed, [['fraud-scoring', 'orders-enrichment', 'payments-audit']]);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Force Delete: a separate confirmation that says what force skips; sends DELETE ?force=true', async () => {
    const h = connect({ confirm: cancel });
    assert.equal(await forceDeletePool(h.ctx, dev('sandbox')), 'cancelled');
    const [c] = h.ui.of('confirm');
    assert.equal(c.message, "Force Delete compute pool 'sandbox' in environment 'development' on connection 'demo'?");
    assert.match(c.detail, /skips the Kubernetes cleanup/);
    assert.match(c.detail, /session cluster .* may be left running/);
    assert.deepEqual(cmf.writes(), []);
    h.ui.script.confirm = confirmWith('Force Delete');
    assert.equal(await forceDeletePool(h.ctx, dev('sandbox')), 'done');
    assert.deepEqual(cmf.writes(), [`DELETE ${API}/development/compute-pools/sandbox?force=true 204`]);
  });

  it('Resume: confirm, one PUT with spec.state RUNNING, then the phase is followed to RUNNING', async () => {
    cmf.controls.setPhaseDelay(100);
    const h = connect({ confirm: cancel });
    assert.equal(await resumePool(h.ctx, dev('sandbox')), 'cancelled');
    assert.deepEqual(cmf.writes(), []);
    h.ui.script.confirm = confirmWith('Resume');
    assert.equal(await resumePool(h.ctx, dev('sandbox')), 'done');
    assert.deepEqual(cmf.writes(), [`PUT ${API}/development/compute-pools/sandbox 200`]);
    const live = cmf.store.pool('development', 'sandbox');
    assert.equal(live.spec.state, 'RUNNING');
    const progress = h.ui.of('progress').find((p) => p.title.startsWith('Resuming'))!;
    assert.equal(progress.title, "Resuming compute pool 'sandbox' (development, demo)");
    assert.match(progress.reports[0], /^PENDING — Resuming/);
    assert.equal(progress.reports.at(-1), 'RUNNING');
    assert.ok(h.ui.of('info').some((i) => i.message === "Compute pool 'sandbox' (development, demo) is RUNNING."));
  });

  it('Suspend: a pool with a RUNNING statement is refused before the confirmation; a dedicated pool too', async () => {
    const h = connect({ confirm: confirmWith('Suspend') });
    assert.equal(await suspendPool(h.ctx, dev('interactive')), 'refused');
    assert.equal(h.ui.of('confirm').length, 0);
    assert.match(h.ui.of('error')[0].message, /cannot be suspended: statements use it: clicks-per-minute \(RUNNING\)/);
    assert.equal(await suspendPool(h.ctx, prod('orders-etl')), 'refused');
    assert.match(h.ui.of('error')[1].message, /is DEDICATED: only SHARED pools can be suspended/);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Deploy (create): lint first, then one POST without a confirmation, and the phase is followed', async () => {
    const h = connect({ confirm: cancel });
    const text = poolFile('fresh');
    assert.equal(await deployPool(h.ctx, fileInput('/work/fresh.pool.json', text)), 'done');
    assert.equal(h.ui.of('confirm').length, 0);
    assert.deepEqual(cmf.writes(), [`POST ${API}/development/compute-pools 200`]);
    assert.ok(h.ui.of('progress').some((p) => p.title === "Creating compute pool 'fresh' (development, demo)"));
    assert.equal(cmf.store.pool('development', 'fresh').spec.type, 'SHARED');
  });

  it('Deploy: a file with lint errors is refused before any request', async () => {
    const h = connect({ notify: () => 'Show Problems' });
    const before = cmf.requests.length;
    const text = poolFile('Bad_Name', { serviceAccount: 'flink' });
    assert.equal(await deployPool(h.ctx, fileInput('/work/bad.pool.json', text)), 'refused');
    assert.equal(cmf.requests.length, before);
    assert.match(h.ui.of('error')[0].message, /^bad\.pool\.json has 2 errors; fix them before deploying/);
    assert.deepEqual(h.ui.of('run').map((r) => r.command), ['workbench.actions.view.problems']);
  });

  it("Deploy checks the effective pool for the connected CMF's own version, which wins over cmfPools.cmfVersion", async () => {
    const h = connect({ notify: () => undefined });
    // Written for CMF 2.2, where 1.19-cp5 ran: clean in the editor with that setting...
    h.ctx.language = engineLanguage(() => new ResolvedSettings(normalizeSettings({ cmfVersion: '2.2' })));
    const text = poolFile('old-image', { image: 'confluentinc/cp-flink-sql:1.19-cp5' }, 'DEDICATED');
    const file = fileInput('/work/old-image.pool.json', text);
    assert.deepEqual((await h.ctx.language.lint(file)).pool.errors, []);
    // ...but this CMF says it is 2.3.1: refused before any write, saying why.
    assert.equal(await deployPool(h.ctx, file), 'refused');
    assert.deepEqual(cmf.writes(), []);
    assert.ok(cmf.requests.some((r) => r.startsWith('GET /cmf/api/v1/system-information 200')), cmf.requests.join('\n'));
    assert.match(h.ui.of('error')[0].message, /^old-image\.pool\.json has 1 error; fix it before deploying\. Line \d+: On CMF 2\.3\.1 \(the connected CMF\), statements need confluentinc\/cp-flink-sql 1\.19-cp7 or newer/);
  });

  it('Deploy (update): shows the diff and a confirmation naming all three; cancel sends nothing; confirm sends one PUT', async () => {
    const h = connect({ confirm: cancel });
    const file = fileInput('/work/sandbox.pool.json', sandboxFile('2048m'));
    assert.equal(await deployPool(h.ctx, file), 'cancelled');
    const [d] = h.ui.of('diff');
    assert.ok('text' in d.left && 'text' in d.right);
    assert.match(d.left.text, /"memory": "1024m"/);
    assert.match(d.right.text, /"memory": "2048m"/);
    assert.doesNotMatch(d.left.text, /"status"|"uid"|"creationTimestamp"/);
    // The live side is laid out like the file: the same key order.
    assert.deepEqual(Object.keys(JSON.parse(d.left.text).spec.clusterSpec), Object.keys(JSON.parse(file.text).spec.clusterSpec));
    const [c] = h.ui.of('confirm');
    assert.equal(c.message, "Update compute pool 'sandbox' in environment 'development' on connection 'demo'?");
    assert.match(c.detail, /spec\.clusterSpec\.taskManager\.resource\.memory/);
    assert.deepEqual(cmf.writes(), []);

    h.ui.script.confirm = confirmWith('Update');
    const from = cmf.requests.length;
    assert.equal(await deployPool(h.ctx, file), 'done');
    assert.deepEqual(cmf.writes(), [`PUT ${API}/development/compute-pools/sandbox 200`]);
    // Every request of the confirmed deploy, in order: the defaults, the plan, apply's plan, the re-read before PUT, the PUT, then following.
    const sent = cmf.requests.slice(from).map((r) => r.replace(/&page=\d+&size=\d+/, ''));
    assert.deepEqual(sent.slice(0, 10), [
      `GET ${API}/development 200`, // the environment's defaults, for the effective-pool lint
      `GET ${API}/development 200`,
      `GET ${API}/development/compute-pools/sandbox 200`,
      `GET ${API}/development/statements?compute-pool=sandbox 200`,
      `GET ${API}/development 200`,
      `GET ${API}/development/compute-pools/sandbox 200`,
      `GET ${API}/development/statements?compute-pool=sandbox 200`,
      `GET ${API}/development/compute-pools/sandbox 200`,
      `PUT ${API}/development/compute-pools/sandbox 200`,
      `GET ${API}/development/compute-pools/sandbox 200`,
    ]);
    assert.equal(cmf.store.pool('development', 'sandbox').spec.clusterSpec.taskManager?.resource?.memory, '2048m');
  });

  it('Deploy: a change made elsewhere after the diff was shown is detected; the new diff is shown instead of overwriting', async () => {
    let confirms = 0;
    const h = connect({
      confirm: (_m, actions) => {
        confirms++;
        if (confirms === 1) {
          // Another user changes the pool while this one reads the diff.
          const p = cmf.store.pool('development', 'sandbox');
          cmf.store.updatePool('development', 'sandbox', { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 'sandbox' }, spec: { ...p.spec, clusterSpec: { ...p.spec.clusterSpec, image: 'confluentinc/cp-flink-sql:1.19-cp11' } } });
          return actions[0];
        }
        return undefined; // the user cancels after seeing the new diff
      },
    });
    assert.equal(await deployPool(h.ctx, fileInput('/work/sandbox.pool.json', sandboxFile('2048m'))), 'cancelled');
    assert.equal(confirms, 2);
    const diffs = h.ui.of('diff');
    assert.equal(diffs.length, 2);
    assert.ok('text' in diffs[1].left && /1\.19-cp11/.test(diffs[1].left.text));
    assert.match(h.ui.of('warn')[0].message, /changed since the plan was made.*nothing was written/);
    assert.match(h.ui.of('confirm')[1].detail, /^The pool changed since you last looked/);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Deploy: two deploys of the same pool at once reach CMF once; the other is refused with a message', async () => {
    const h = connect();
    const file = fileInput('/work/twice.pool.json', poolFile('twice'));
    const [a, b] = await Promise.all([deployPool(h.ctx, file), deployPool(h.ctx, file)]);
    assert.deepEqual([a, b].sort(), ['busy', 'done']);
    assert.deepEqual(cmf.writes(), [`POST ${API}/development/compute-pools 200`]);
    assert.match(h.ui.of('warn')[0].message, /^Deploy of compute pool 'twice' \(development, demo\) is still in progress/);
  });

  it('Deploy: a type change is refused with the reason, without a write', async () => {
    const h = connect({ confirm: confirmWith('Update') });
    assert.equal(await deployPool(h.ctx, fileInput('/work/s.pool.json', poolFile('sandbox', {}, 'DEDICATED'))), 'refused');
    assert.match(h.ui.of('error')[0].message, /is SHARED, the file says DEDICATED: spec\.type is immutable/);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Deploy: a rejection that names a field becomes a diagnostic on that field, and a notification with Show Log', async () => {
    const h = connect({ notify: (_k, _m, actions) => (actions.includes('Show Log') ? 'Show Log' : undefined) });
    // Rules switched off so that the file gets past the lint and CMF is the one to reject it.
    h.ctx.language = engineLanguage(() => new ResolvedSettings(normalizeSettings({ rules: { 'forbidden-field': 'off', 'schema/*': 'off' } })));
    const text = poolFile('with-sa', { serviceAccount: 'flink' });
    assert.equal(await deployPool(h.ctx, fileInput('/work/sa.pool.json', text)), 'failed');
    assert.deepEqual(cmf.writes(), [`POST ${API}/development/compute-pools 422`]);
    const problems = h.rejections.get('/work/sa.pool.json')!;
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['spec', 'clusterSpec', 'serviceAccount']);
    const line = text.split('\n').findIndex((l) => l.includes('"serviceAccount"'));
    assert.equal(problems[0].range.start.line, line);
    assert.match(problems[0].message, /spec\.clusterSpec\.serviceAccount must not be set/);
    const [err] = h.ui.of('error');
    assert.match(err.message, /^Deploy of compute pool 'with-sa' in environment 'development' on connection 'demo' failed: CMF rejected the content/);
    assert.deepEqual(err.actions, ['Show Log']);
    assert.equal(h.ui.of('log').length, 1);
    assert.ok(h.log.lines.some((l) => l.includes('POST') && l.includes('→ 422')));
  });

  it('Deploy from a YAML file of two pools: asks which, creates it, and places CMF\'s rejection in that document', async () => {
    const h = connect({ notify: () => undefined });
    h.ctx.language = engineLanguage(() => new ResolvedSettings(normalizeSettings({ rules: { 'forbidden-field': 'off', 'schema/*': 'off' } })));
    const good = JSON.parse(poolFile('yaml-good'));
    const bad = JSON.parse(poolFile('yaml-sa', { serviceAccount: 'flink' }));
    const text = `# two pools\n${poolText(good, 'yaml')}---\n${poolText(bad, 'yaml')}`;
    const file = fileInput('/work/two.pool.yaml', text, 'yaml');

    h.ui.script.picks = [undefined];
    assert.equal(await deployPool(h.ctx, file), 'cancelled', 'the question cancelled: nothing deployed');
    assert.deepEqual(h.ui.of('pick')[0]!.labels, ['yaml-good', 'yaml-sa']);
    assert.deepEqual(cmf.writes(), []);

    h.ui.script.picks = ['yaml-good'];
    assert.equal(await deployPool(h.ctx, file), 'done');
    assert.deepEqual(cmf.writes(), [`POST ${API}/development/compute-pools 200`]);

    // A CodeLens names the pool by its index: no question.
    assert.equal(await deployPool(h.ctx, file, undefined, 1), 'failed');
    const problems = h.rejections.get('/work/two.pool.yaml')!;
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.range.start.line, text.split('\n').findIndex((l) => l.includes('serviceAccount: flink')));
  });

  it('Open Pool as File: JSON or YAML as picked (the last choice offered first), the live pool without server-owned fields', async () => {
    const h = connect();
    h.ui.script.picks = ['JSON', 'YAML', 'YAML', undefined];
    const text = await openPoolAsFile(h.ctx, prod('analytics'));
    const v = JSON.parse(text!);
    assert.equal(v.metadata.name, 'analytics');
    assert.equal(v.status, undefined);
    assert.equal(v.metadata.uid, undefined);
    assert.equal(v.metadata.creationTimestamp, undefined);
    assert.deepEqual(h.ui.of('untitled').map((u) => u.language), ['json']);
    const [first] = h.ui.of('pick');
    assert.deepEqual(first.labels, ['JSON', 'YAML']);

    const yamlText = await openPoolAsFile(h.ctx, prod('analytics'));
    assert.deepEqual(parseYaml(yamlText!), v, 'the YAML file holds the same pool');
    assert.match(yamlText!, /^apiVersion: cmf\.confluent\.io\/v1\nkind: ComputePool\n/);
    assert.equal(h.memory.get(POOL_FILE_FORMAT_KEY), 'yaml');

    // The YAML file lints clean, as the JSON one does: what was opened can be deployed unchanged.
    const linted = await h.ctx.language.lint(fileInput('/work/analytics.pool.yaml', yamlText!, 'yaml'));
    assert.equal(linted.pool.name, 'analytics');
    assert.deepEqual(linted.pool.errors, []);

    assert.equal((await openPoolAsFile(h.ctx, prod('analytics')))?.startsWith('apiVersion: '), true);
    assert.deepEqual(h.ui.of('pick')[2].labels, ['YAML', 'JSON'], 'the last choice comes first');
    assert.equal(await openPoolAsFile(h.ctx, prod('analytics')), undefined, 'cancelling the question opens nothing');
    assert.equal(h.ui.of('untitled').length, 3);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Compare with Deployed: live (left, read-only) against the file itself (right)', async () => {
    const h = connect();
    assert.equal(await compareWithDeployed(h.ctx, fileInput('/work/sandbox.pool.json', sandboxFile())), 'shown');
    const [d] = h.ui.of('diff');
    assert.deepEqual(d.right, { title: 'sandbox.pool.json', path: '/work/sandbox.pool.json' });
    assert.ok('text' in d.left && !/"status"/.test(d.left.text));
    assert.equal(await compareWithDeployed(h.ctx, fileInput('/work/x.pool.json', poolFile('nowhere'))), 'not-deployed');
  });

  it('deployment state for the CodeLens: not deployed / in sync / differs (reads only)', async () => {
    const h = connect();
    const state = async (ctx: typeof h.ctx, file: ReturnType<typeof fileInput>) => {
      const states = await deploymentStates(ctx, file);
      assert.equal(states.length, 1);
      assert.equal(states[0].cfk, false);
      assert.equal(states[0].line, 0);
      return states[0].state;
    };
    assert.equal((await state(h.ctx, fileInput('/w/a.json', poolFile('nowhere')))).kind, 'not-deployed');
    assert.equal((await state(h.ctx, fileInput('/w/b.json', sandboxFile('1024m')))).kind, 'in-sync');
    const differs = await state(h.ctx, fileInput('/w/c.json', sandboxFile('4096m')));
    assert.equal(differs.kind, 'differs');
    assert.deepEqual(differs.kind === 'differs' && differs.changedPaths, ['spec.clusterSpec.taskManager.resource.memory']);
    assert.equal((await state(h.ctx, fileInput('/w/d.pool.json', '{'))).kind, 'invalid');
    assert.deepEqual(await deploymentStates(h.ctx, fileInput('/w/d.json', '{"kind": "Other"}')), [], 'not a pool: no lens');
    assert.deepEqual(cmf.writes(), []);
    const none = harness([]);
    assert.equal((await state(none.ctx, fileInput('/w/a.json', poolFile('x')))).kind, 'no-target');
  });

  it('a CFK FlinkComputePool: read-only state against its spec.flinkEnvironment, Compare as CFK syncs it, Deploy and curl refused', async () => {
    const h = connect();
    const sandbox = JSON.parse(sandboxFile('1024m'));
    const manifest = (patch: (m: any) => void = () => {}) => {
      const m = {
        apiVersion: 'platform.confluent.io/v1beta1',
        kind: 'FlinkComputePool',
        metadata: { name: 'sandbox', namespace: 'operator', labels: { 'app.kubernetes.io/part-of': 'flink' } },
        spec: { ...sandbox.spec, flinkEnvironment: 'development', cmfRestClassRef: { name: 'default', namespace: 'operator' } },
      };
      patch(m);
      return fileInput('/w/sandbox-cfk.json', JSON.stringify(m, null, 2));
    };
    // The selected environment is 'development' too; move it to show the manifest's own environment counts.
    await h.registry.select('demo', 'prod');
    const [synced] = await deploymentStates(h.ctx, manifest());
    assert.equal(synced.cfk, true);
    assert.equal(synced.state.kind, 'in-sync', JSON.stringify(synced.state));
    assert.deepEqual(synced.state.kind === 'in-sync' && synced.state.target, { connection: 'demo', environment: 'development', pool: 'sandbox' });

    const [drift] = await deploymentStates(h.ctx, manifest((m) => (m.spec.clusterSpec.taskManager.resource.memory = '2048m')));
    assert.deepEqual(drift.state.kind === 'differs' && drift.state.changedPaths, ['spec.clusterSpec.taskManager.resource.memory']);
    assert.deepEqual(await deploymentStates(h.ctx, manifest((m) => (m.metadata.name = 'not-synced-yet'))), [], 'not in CMF: no lens');
    assert.deepEqual(await deploymentStates(h.ctx, manifest((m) => (m.spec.flinkEnvironment = 'elsewhere'))), [], 'no such environment on this connection: no lens');

    assert.equal(await compareWithDeployed(h.ctx, manifest((m) => (m.spec.clusterSpec.taskManager.resource.memory = '2048m'))), 'shown');
    const [d] = h.ui.of('diff');
    assert.equal(d.right.title, 'sandbox-cfk.json · sandbox as CFK syncs it');
    assert.ok('text' in d.right && 'text' in d.left);
    const right = JSON.parse(d.right.text);
    assert.equal(right.kind, 'ComputePool');
    assert.equal(right.spec.flinkEnvironment, undefined);
    assert.equal(right.spec.clusterSpec.taskManager.resource.memory, '2048m');
    assert.equal(JSON.parse(d.left.text).spec.clusterSpec.taskManager.resource.memory, '1024m');
    assert.match(d.title, /\(development on demo\)$/);

    assert.equal(await deployPool(h.ctx, manifest()), 'refused');
    assert.match(h.ui.of('error').at(-1)!.message, /^'sandbox' in sandbox-cfk\.json is a Confluent for Kubernetes FlinkComputePool: CFK owns that pool .*kubectl apply/);
    assert.equal(await copyDeployAsCurl(h.ctx, manifest(), 'sandbox-cfk.json'), undefined);
    assert.equal(h.ui.of('copy').length, 0);
    assert.deepEqual(cmf.writes(), []);
  });

  it('Copy as curl: the connection TLS files and a token variable, never the token', async () => {
    const h = harness([{ name: 'secure', url: 'https://cmf.example.com:8443/prefix', auth: 'token', caPath: '/etc/ca.pem', clientCertPath: '/etc/c.pem', clientKeyPath: '/etc/k.pem' }]);
    await h.registry.save(h.registry.get('secure')!, { token: 'tok-super-secret-123', keyPassphrase: 'pass-secret-456' });
    const text = (await copyAsCurl(h.ctx, { connection: 'secure', environment: 'prod', pool: 'p 1' }, { path: '/w/p.pool.json', exists: true }))!;
    assert.equal(
      text,
      [
        '# Set CMF_TOKEN to the connection\'s bearer token first (it is kept in VS Code\'s secret storage, not copied here).',
        '# Set CMF_CLIENT_KEY_PASSPHRASE to the client key\'s passphrase first.',
        'curl -sS -X PUT https://cmf.example.com:8443/prefix/cmf/api/v1/environments/prod/compute-pools/p%201 \\',
        '  --cacert /etc/ca.pem \\',
        '  --cert /etc/c.pem \\',
        '  --key /etc/k.pem \\',
        '  --pass "$CMF_CLIENT_KEY_PASSPHRASE" \\',
        '  -H "Authorization: Bearer $CMF_TOKEN" \\',
        "  -H 'Accept: application/json' \\",
        "  -H 'Content-Type: application/json' \\",
        '  -d @/w/p.pool.json',
        '',
      ].join('\n'),
    );
    assert.deepEqual(h.ui.of('copy').map((c) => c.text), [text]);
    assert.doesNotMatch(JSON.stringify(h.ui.shown) + h.log.lines.join('\n'), /tok-super-secret-123|pass-secret-456/);
  });
});
