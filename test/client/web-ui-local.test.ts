// Open Flink Web UI through the loopback forward (token added by the forward, random path, Host check,
// stops when the pool leaves RUNNING), and Try with a local CMF (dist/local-cmf.js in a process of its own,
// a session-only connection, selected; stopping removes it; more in local-cmf-process.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { resolve } from 'node:path';
import { WebUiForwards } from '../../client/src/commands/web-ui';
import { LocalCmfSession } from '../../client/src/commands/local-cmf';
import { secretKey } from '../../client/src/connections/config';
import { selectedEnvironmentDefaults } from '../../client/src/editor/environment-defaults';
import { harness, localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;
const TOKEN = 'tok-webui-5e6f7a8b9c0d';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
  });
}

describe('Open Flink Web UI', () => {
  let cmf: Cmf;
  before(async () => {
    cmf = await localCmf({ token: TOKEN });
  });
  after(() => cmf.close());

  it('forwards through 127.0.0.1 on an unguessable path, adding the token; stops when the pool leaves RUNNING', async () => {
    const h = harness([{ name: 'demo', url: cmf.url, auth: 'token' }]);
    await h.secrets.store(secretKey('demo', 'token'), TOKEN);
    const forwards = new WebUiForwards(50);
    const fwd = (await forwards.open(h.ctx, { connection: 'demo', environment: 'development', pool: 'interactive' }))!;
    assert.match(fwd.url, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/$/);
    assert.deepEqual(h.ui.of('external').map((e) => e.url), [fwd.url]);

    const page = await get(fwd.url);
    assert.equal(page.status, 200);
    assert.match(page.body, /Apache Flink Web Dashboard/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    const overview = await get(fwd.url + 'overview');
    assert.equal(JSON.parse(overview.body)['flink-version'], '1.19.1');
    assert.ok(cmf.requests.some((r) => r.startsWith('GET /cmf/api/v1/environments/development/compute-pools/interactive/flink-web-ui/overview 200')));

    // Without the secret path, with another Host header, or another method: refused, nothing forwarded.
    // (Counted among the web UI requests: the forward's own check of the pool runs every 50 ms meanwhile.)
    const origin = `http://127.0.0.1:${fwd.port}`;
    const forwarded = () => cmf.requests.filter((r) => r.includes('/flink-web-ui/')).length;
    const before = forwarded();
    assert.equal((await get(`${origin}/`)).status, 404);
    assert.equal((await get(`${origin}/wrong-secret/overview`)).status, 404);
    assert.equal((await get(fwd.url, { host: `evil.example:${fwd.port}` })).status, 403);
    assert.equal(forwarded(), before);

    // Reused while it runs.
    assert.equal(await forwards.open(h.ctx, { connection: 'demo', environment: 'development', pool: 'interactive' }), fwd);

    // The pool leaves RUNNING: the forward stops by itself.
    cmf.controls.setPoolPhase('development', 'interactive', 'FAILING', 'JobManager lost');
    for (let i = 0; i < 50 && !fwd.stopped; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fwd.stopped, true);
    assert.equal(forwards.size, 0);
    assert.match(h.ui.of('info').at(-1)!.message, /forward of compute pool 'interactive' stopped: compute pool 'interactive' is FAILING/);
    await assert.rejects(get(fwd.url));
    assert.ok(!JSON.stringify(h.ui.shown).includes(TOKEN) && !h.log.lines.join('\n').includes(TOKEN));
    cmf.controls.setPoolPhase('development', 'interactive', 'RUNNING');
    await forwards.dispose();
  });

  it('is refused for a dedicated pool, without starting a forward', async () => {
    const h = harness([{ name: 'demo', url: cmf.url, auth: 'token' }]);
    await h.secrets.store(secretKey('demo', 'token'), TOKEN);
    const forwards = new WebUiForwards();
    assert.equal(await forwards.open(h.ctx, { connection: 'demo', environment: 'prod', pool: 'orders-etl' }), undefined);
    assert.match(h.ui.of('error')[0].message, /only for SHARED pools in phase RUNNING \(this one is DEDICATED\)/);
    assert.equal(forwards.size, 0);
  });
});

describe('Try with a local CMF', () => {
  it('starts the local CMF, adds a session-only connection and selects it; stop removes it', async () => {
    const h = harness([]);
    const session = new LocalCmfSession({ script: resolve(__dirname, '../../dist/local-cmf.js'), phaseDelayMs: 0 });
    const c = (await session.start(h.ctx))!;
    try {
      assert.equal(c.name, 'local CMF');
      assert.equal(c.local, true);
      assert.match(c.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(h.settings.writes, 0, 'not written to settings: its port changes every time');
      assert.deepEqual(h.registry.selection(), { connection: 'local CMF', environment: 'development' });
      const envs = await (await h.registry.client('local CMF')).listEnvironments();
      assert.deepEqual(envs.map((e) => e.name).sort(), ['development', 'prod']);
      // The editor's effective-pool validation gets the development environment's defaults.
      const defaults = await selectedEnvironmentDefaults(h.registry);
      assert.equal(defaults?.clusterSpec?.image, 'confluentinc/cp-flink-sql:1.19-cp7');
      assert.equal(defaults?.source, "environment 'development' (connection 'local CMF')");
      // ...and the version the local CMF says it is, which the editor checks pools for.
      assert.equal(defaults?.cmfVersion, '2.3.1');
      // Starting again reuses it.
      assert.equal((await session.start(h.ctx))?.url, c.url);
    } finally {
      await session.stop(h.ctx);
    }
    assert.equal(session.running, false);
    assert.equal(h.registry.list().length, 0);
    assert.equal(h.registry.selection(), undefined);
  });
});
