// The CMF REST client against real HTTP servers on 127.0.0.1 (random ports): purpose-built servers for
// the fault cases (resets, 5xx, slow and silent servers, bad bodies, pagination, tokens), and the local
// CMF when it is there. TLS has its own file (client-tls.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CmfClient, retryAfterMs, backoff, DEFAULT_RETRY_POLICY, type CmfRequestLogEntry, type CmfClientOptions } from '../../cmf-client/src/client';
import { redactText, redactUrl } from '../../cmf-client/src/errors';
import { isLoopbackHost, userAgent, CMF_POOLS_VERSION, type CmfConnection } from '../../cmf-client/src/connection';
import type { ComputePool } from '../../cmf-model/src/types';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';
import { json, serve, type TestServer } from './recording-server';
import { expectCmfError } from './cmf-error';

// These tests talk to 127.0.0.1 directly; a proxy configured on the machine must not get in the way.
for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[v];

const TOKEN = 'tok-9f8e7d6c5b4a-very-secret';

const pool = (name: string, type: 'DEDICATED' | 'SHARED' = 'SHARED'): ComputePool => ({
  apiVersion: 'cmf.confluent.io/v1',
  kind: 'ComputePool',
  metadata: { name },
  spec: {
    type,
    clusterSpec: {
      flinkVersion: 'v1_19',
      image: 'confluentinc/cp-flink-sql:1.19-cp7',
      jobManager: { resource: { cpu: 1, memory: '1024m' } },
      taskManager: { resource: { cpu: 1, memory: '1024m' } },
    },
  },
});

/** Everything about an error a user or a log could ever see. */
function everything(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), String(e.cause), inspect(e.cause, { depth: 10 })].join('\n');
}


const fast: CmfClientOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

function client(url: string, conn: Partial<CmfConnection> = {}, opts: CmfClientOptions = {}): CmfClient {
  return new CmfClient({ url, ...conn }, { ...fast, ...opts });
}

describe('CmfClient: requests', () => {
  let srv: TestServer;
  before(async () => {
    srv = await serve((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && u.pathname === '/cmf/api/v1/environments/dev%20env%2Fone/compute-pools/p1') return json(res, 200, pool('p1'));
      if (req.method === 'GET' && u.pathname.endsWith('/compute-pools/p1')) return json(res, 200, pool('p1'));
      if (req.method === 'GET' && u.pathname === '/prefix/cmf/api/v1/environments/dev') return json(res, 200, { name: 'dev', kubernetesNamespace: 'ns' });
      if (req.method === 'POST' && u.pathname === '/cmf/api/v1/environments/dev/compute-pools') return json(res, 200, JSON.parse('{"apiVersion":"cmf.confluent.io/v1","kind":"ComputePool","metadata":{"name":"p2"},"spec":{"type":"SHARED","clusterSpec":{}}}'));
      if (req.method === 'PUT' && u.pathname === '/cmf/api/v1/environments/dev/compute-pools/p2') return json(res, 200, pool('p2'));
      if (req.method === 'DELETE' && u.pathname === '/cmf/api/v1/environments/dev/compute-pools/p2') {
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && u.pathname === '/cmf/api/v1/environments/dev/statements') {
        return json(res, 200, { metadata: { size: 1 }, items: [{ apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: 's1' }, spec: { statement: 'SELECT 1', computePoolName: 'p1' }, status: { phase: 'RUNNING' } }] });
      }
      if (req.method === 'GET' && u.pathname === '/cmf/api/v1/environments/dev/statements/s%201') {
        return json(res, 200, { apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: 's 1' }, spec: { statement: 'SELECT 1', computePoolName: 'p1' }, status: { phase: 'RUNNING' } });
      }
      if (u.pathname.startsWith('/cmf/api/v1/environments/dev/compute-pools/shared/flink-web-ui')) {
        res.writeHead(u.pathname.endsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ path: u.pathname, query: u.search }));
      }
      json(res, 404, { errors: [{ message: `no route ${req.method} ${u.pathname}` }] });
    });
  });
  after(() => srv.close());

  it('sends the token as a Bearer credential, a User-Agent and Accept: application/json', async () => {
    const c = client(srv.url, { token: TOKEN });
    const p = await c.getComputePool('dev', 'p1');
    assert.equal(p.metadata.name, 'p1');
    const r = srv.requests.at(-1)!;
    assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(r.headers['user-agent'], `cmf-pools/${CMF_POOLS_VERSION} (node ${process.versions.node})`);
    assert.match(userAgent(), /^cmf-pools\/\d+\.\d+\.\d+\S* \(node \d+\.\d+\.\d+\)$/);
    assert.equal(r.headers.accept, 'application/json');
    await c.close();
  });

  it('sends no Authorization header without a token, and trims a token read from a file', async () => {
    const c = client(srv.url);
    await c.getComputePool('dev', 'p1');
    assert.equal(srv.requests.at(-1)!.headers.authorization, undefined);
    const c2 = client(srv.url, { token: `${TOKEN}\n` });
    await c2.getComputePool('dev', 'p1');
    assert.equal(srv.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    await c.close();
    await c2.close();
  });

  it('URL-encodes path segments and refuses . and ..', async () => {
    const c = client(srv.url);
    const p = await c.getComputePool('dev env/one', 'p1');
    assert.equal(p.metadata.name, 'p1');
    assert.equal(srv.requests.at(-1)!.url, '/cmf/api/v1/environments/dev%20env%2Fone/compute-pools/p1');
    const s = await c.getStatement('dev', 's 1');
    assert.equal(s.metadata.name, 's 1');
    await assert.rejects(c.getComputePool('dev', '..'), TypeError);
    await assert.rejects(c.getComputePool('dev', ''), TypeError);
    await c.close();
  });

  it('keeps a path prefix of the base URL and drops its user info and query', async () => {
    const c = client(`${srv.url.replace('http://', 'http://user:pw@')}/prefix/?token=x`);
    const env = await c.getEnvironment('dev');
    assert.equal(env.name, 'dev');
    assert.equal(srv.requests.at(-1)!.url, '/prefix/cmf/api/v1/environments/dev');
    assert.equal(srv.requests.at(-1)!.headers.authorization, undefined);
    await c.close();
  });

  it('creates (POST), updates (PUT full body) and deletes (DELETE) a pool; force only when asked', async () => {
    const c = client(srv.url);
    const created = await c.createComputePool('dev', pool('p2'));
    assert.equal(created.metadata.name, 'p2');
    let r = srv.requests.at(-1)!;
    assert.equal(r.method, 'POST');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), pool('p2'));

    await c.updateComputePool('dev', 'p2', pool('p2'));
    r = srv.requests.at(-1)!;
    assert.equal(r.method, 'PUT');
    assert.equal(r.url, '/cmf/api/v1/environments/dev/compute-pools/p2');
    assert.deepEqual(JSON.parse(r.body), pool('p2'));

    await c.deleteComputePool('dev', 'p2');
    assert.equal(srv.requests.at(-1)!.url, '/cmf/api/v1/environments/dev/compute-pools/p2');
    await c.deleteComputePool('dev', 'p2', { force: false });
    assert.equal(srv.requests.at(-1)!.url, '/cmf/api/v1/environments/dev/compute-pools/p2');
    await c.deleteComputePool('dev', 'p2', { force: true });
    assert.equal(srv.requests.at(-1)!.url, '/cmf/api/v1/environments/dev/compute-pools/p2?force=true');
    await c.close();
  });

  it('lists statements, filtered by compute pool with the compute-pool query parameter', async () => {
    const c = client(srv.url);
    const all = await c.listStatements('dev');
    assert.equal(all.length, 1);
    assert.equal(new URL(srv.requests.at(-1)!.url, 'http://x').searchParams.get('compute-pool'), null);
    await c.listStatements('dev', { computePool: 'p 1' });
    const q = new URL(srv.requests.at(-1)!.url, 'http://x').searchParams;
    assert.equal(q.get('compute-pool'), 'p 1');
    assert.equal(q.get('page'), '0');
    assert.equal(q.get('size'), '100');
    await c.close();
  });

  it('fetches the Flink web UI of a pool: status, content type and body, any status', async () => {
    const c = client(srv.url);
    const r = await c.flinkWebUi('dev', 'shared', '/jobs/overview?x=1 2');
    assert.equal(r.status, 200);
    assert.equal(r.contentType, 'application/json');
    assert.deepEqual(JSON.parse(r.body), { path: '/cmf/api/v1/environments/dev/compute-pools/shared/flink-web-ui/jobs/overview', query: '?x=1+2' });
    const root = await c.flinkWebUi('dev', 'shared', '');
    assert.equal(JSON.parse(root.body).path, '/cmf/api/v1/environments/dev/compute-pools/shared/flink-web-ui/');
    const missing = await c.flinkWebUi('dev', 'shared', 'missing');
    assert.equal(missing.status, 404);
    await assert.rejects(c.flinkWebUi('dev', 'shared', '../../statements'), TypeError);
    await c.close();
  });

  it('logs each request (method, URL, status, ms) without headers or the token', async () => {
    const log: CmfRequestLogEntry[] = [];
    const c = client(srv.url, { token: TOKEN }, { requestLog: (e) => log.push(e) });
    await c.getComputePool('dev', 'p1');
    await c.deleteComputePool('dev', 'p2', { force: true });
    assert.equal(log.length, 2);
    assert.deepEqual(Object.keys(log[0]).sort(), ['attempt', 'method', 'ms', 'status', 'url']);
    assert.equal(log[0].method, 'GET');
    assert.equal(log[0].status, 200);
    assert.equal(log[1].url, `${srv.url}/cmf/api/v1/environments/dev/compute-pools/p2?force=true`);
    assert.ok(!JSON.stringify(log).includes(TOKEN));
    assert.ok(!JSON.stringify(log).toLowerCase().includes('authorization'));
    await c.close();
  });
});

describe('CmfClient: pagination', () => {
  const items = Array.from({ length: 7 }, (_, i) => pool(`p${i}`));

  it('follows pages to the total in metadata.size (3 pages)', async () => {
    const srv = await serve((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const page = Number(q.get('page'));
      const size = Number(q.get('size'));
      json(res, 200, { pageable: { page, size }, metadata: { size: items.length }, items: items.slice(page * size, page * size + size) });
    });
    const c = client(srv.url, {}, { pageSize: 3 });
    const got = await c.listComputePools('dev');
    assert.deepEqual(got.map((p) => p.metadata.name), items.map((p) => p.metadata.name));
    assert.deepEqual(srv.requests.map((r) => r.url), [0, 1, 2].map((p) => `/cmf/api/v1/environments/dev/compute-pools?page=${p}&size=3`));
    await c.close();
    await srv.close();
  });

  it('without a total, stops on the first empty page', async () => {
    const srv = await serve((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const page = Number(q.get('page'));
      json(res, 200, { items: items.slice(page * 3, page * 3 + 3) });
    });
    const c = client(srv.url, {}, { pageSize: 3 });
    assert.equal((await c.listComputePools('dev')).length, 7);
    assert.equal(srv.requests.length, 4);
    await c.close();
    await srv.close();
  });

  it('reads one short page with its total as the whole list (one request)', async () => {
    const srv = await serve((_req, res) => json(res, 200, { metadata: { size: 2 }, items: items.slice(0, 2) }));
    const c = client(srv.url);
    assert.equal((await c.listComputePools('dev')).length, 2);
    assert.equal(srv.requests.length, 1);
    assert.equal(srv.requests[0].url, '/cmf/api/v1/environments/dev/compute-pools?page=0&size=100');
    await c.close();
    await srv.close();
  });

  it('guards against a server that never ends, and one that repeats its page', async () => {
    const endless = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
      json(res, 200, { items: [pool(`p${page}a`), pool(`p${page}b`)] });
    });
    const c = client(endless.url, {}, { pageSize: 2, maxPages: 5 });
    const e = await expectCmfError(c.listComputePools('dev'));
    assert.equal(e.kind, 'invalid-response');
    assert.match(e.message, /stopped after 5 pages/);
    assert.equal(endless.requests.length, 5);
    await c.close();
    await endless.close();

    const stuck = await serve((_req, res) => json(res, 200, { items: [pool('a'), pool('b')] }));
    const c2 = client(stuck.url, {}, { pageSize: 2 });
    const e2 = await expectCmfError(c2.listComputePools('dev'));
    assert.equal(e2.kind, 'invalid-response');
    assert.match(e2.message, /repeats page/);
    assert.equal(stuck.requests.length, 2);
    await c2.close();
    await stuck.close();
  });

  it('rejects a page whose items is not an array', async () => {
    const srv = await serve((_req, res) => json(res, 200, { items: { oops: true } }));
    const c = client(srv.url);
    const e = await expectCmfError(c.listComputePools('dev'));
    assert.equal(e.kind, 'invalid-response');
    assert.match(e.message, /"items" is not an array/);
    await c.close();
    await srv.close();
  });
});

describe('CmfClient: retries', () => {
  it('retries a read on 503 and succeeds', async () => {
    const srv = await serve((_req, res, _b, n) => (n < 3 ? json(res, 503, { errors: [{ message: 'busy' }] }) : json(res, 200, pool('p1'))));
    const log: CmfRequestLogEntry[] = [];
    const c = client(srv.url, {}, { requestLog: (e) => log.push(e) });
    const p = await c.getComputePool('dev', 'p1');
    assert.equal(p.metadata.name, 'p1');
    assert.equal(srv.requests.length, 3);
    assert.deepEqual(log.map((l) => [l.attempt, l.status]), [[1, 503], [2, 503], [3, 200]]);
    await c.close();
    await srv.close();
  });

  it('gives up on reads after 3 retries, naming the attempts', async () => {
    const srv = await serve((_req, res) => json(res, 502, { errors: [{ message: 'bad gateway' }] }));
    const c = client(srv.url);
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.status, 502);
    assert.equal(e.attempts, 4);
    assert.equal(srv.requests.length, 4);
    assert.match(e.message, /gave up after 4 attempts/);
    await c.close();
    await srv.close();
  });

  it('honours a short Retry-After and gives up at once on a long one', async () => {
    let srv = await serve((_req, res, _b, n) => (n === 1 ? json(res, 503, {}, { 'retry-after': '1' }) : json(res, 200, pool('p1'))));
    let c = client(srv.url);
    const t0 = Date.now();
    await c.getComputePool('dev', 'p1');
    assert.ok(Date.now() - t0 >= 950, 'waited for Retry-After: 1');
    assert.equal(srv.requests.length, 2);
    await c.close();
    await srv.close();

    srv = await serve((_req, res) => json(res, 503, {}, { 'retry-after': '120' }));
    c = client(srv.url);
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.status, 503);
    assert.equal(srv.requests.length, 1);
    await c.close();
    await srv.close();
  });

  it('does not retry a persistent 500: one request, an http error', async () => {
    const srv = await serve((_req, res) => json(res, 500, { errors: [{ message: 'NullPointerException in ComputePoolService' }] }));
    const c = client(srv.url);
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 500);
    assert.deepEqual(e.cmfMessages, ['NullPointerException in ComputePoolService']);
    assert.match(e.message, /server error \(HTTP 500\)/);
    assert.equal(srv.requests.length, 1);
    await c.close();
    await srv.close();
  });

  it('never retries writes: 503 on POST, PUT and DELETE is exactly one request each', async () => {
    const msg = "Kubernetes cluster 'k1' of environment 'dev' is DISCONNECTED";
    const srv = await serve((_req, res) => json(res, 503, { errors: [{ message: msg }] }));
    const c = client(srv.url);
    for (const [call, method] of [
      [() => c.createComputePool('dev', pool('p1')), 'POST'],
      [() => c.updateComputePool('dev', 'p1', pool('p1')), 'PUT'],
      [() => c.deleteComputePool('dev', 'p1'), 'DELETE'],
    ] as const) {
      const before = srv.requests.length;
      const e = await expectCmfError(call());
      assert.equal(srv.requests.length, before + 1, `${method} sent once`);
      assert.equal(srv.requests.at(-1)!.method, method);
      assert.equal(e.status, 503);
      assert.deepEqual(e.cmfMessages, [msg]);
      assert.ok(e.message.includes(msg), 'CMF message verbatim');
      assert.match(e.message, /Kubernetes cluster is DISCONNECTED or DECOMMISSIONED/);
    }
    const e = await expectCmfError(c.deleteComputePool('dev', 'p1'));
    assert.match(e.message, /force=true/);
    await c.close();
    await srv.close();
  });

  it('retries a read whose connection is reset mid-response, and succeeds', async () => {
    const srv = await serve((_req, res, _b, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"apiVersion":"cmf.confluent.io/v1","kind":"Comp');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      json(res, 200, pool('p1'));
    });
    const c = client(srv.url);
    assert.equal((await c.getComputePool('dev', 'p1')).metadata.name, 'p1');
    assert.equal(srv.requests.length, 2);
    await c.close();
    await srv.close();
  });

  it('retries a read whose connection is closed before any answer', async () => {
    const srv = await serve((req, res, _b, n) => (n === 1 ? req.socket.destroy() : json(res, 200, pool('p1'))));
    const c = client(srv.url);
    assert.equal((await c.getComputePool('dev', 'p1')).metadata.name, 'p1');
    assert.equal(srv.requests.length, 2);
    await c.close();
    await srv.close();
  });

  it('does not retry a write whose connection is reset', async () => {
    const srv = await serve((req) => req.socket.destroy());
    const c = client(srv.url);
    const e = await expectCmfError(c.createComputePool('dev', pool('p1')));
    assert.equal(e.kind, 'connection');
    assert.equal(srv.requests.length, 1);
    await c.close();
    await srv.close();
  });

  it('does not retry connection refused, and names the URL', async () => {
    const srv = await serve(() => undefined);
    const url = srv.url;
    await srv.close();
    const log: CmfRequestLogEntry[] = [];
    const c = client(url, {}, { requestLog: (e) => log.push(e) });
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.kind, 'connection');
    assert.equal(e.code, 'ECONNREFUSED');
    assert.ok(e.message.includes(url), e.message);
    assert.match(e.message, /refused/i);
    assert.equal(log.length, 1);
    await c.close();
  });

  it('names the host when DNS fails', async () => {
    const c = client('http://cmf-does-not-exist.invalid:8080');
    const e = await expectCmfError(c.listEnvironments());
    assert.equal(e.kind, 'connection');
    assert.ok(e.message.includes("'cmf-does-not-exist.invalid'"), e.message);
    await c.close();
  });

  it('does not follow redirects', async () => {
    const other = await serve((_req, res) => json(res, 200, pool('p1')));
    const srv = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/cmf/api/v1/environments/dev/compute-pools/p1` });
      res.end();
    });
    const c = client(srv.url, { token: TOKEN });
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.status, 302);
    assert.match(e.message, /redirect/);
    assert.equal(other.requests.length, 0);
    await c.close();
    await srv.close();
    await other.close();
  });

  it('backs off exponentially with jitter and parses Retry-After', () => {
    const p = { ...DEFAULT_RETRY_POLICY };
    for (let i = 0; i < 50; i++) {
      const d0 = backoff(p, 0);
      const d2 = backoff(p, 2);
      const d9 = backoff(p, 9);
      assert.ok(d0 >= 125 && d0 <= 250, `${d0}`);
      assert.ok(d2 >= 500 && d2 <= 1000, `${d2}`);
      assert.ok(d9 >= 2000 && d9 <= 4000, `${d9}`);
    }
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  });
});

describe('CmfClient: timeouts, cancellation, bad bodies', () => {
  it('times out a slow answer within bound (kind timeout)', async () => {
    const srv = await serve((_req, res) => setTimeout(() => json(res, 200, pool('p1')), 3000));
    const c = client(srv.url, { timeoutMs: 300 });
    const t0 = Date.now();
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    const took = Date.now() - t0;
    assert.equal(e.kind, 'timeout');
    assert.ok(took >= 280 && took < 1500, `took ${took} ms`);
    assert.match(e.message, /did not answer within 300 ms/);
    assert.equal(srv.requests.length, 1);
    await c.close();
    await srv.close();
  });

  it('times out a server that never answers; the per-call timeout wins', async () => {
    const srv = await serve(() => undefined);
    const c = client(srv.url, { timeoutMs: 60_000 });
    const t0 = Date.now();
    const e = await expectCmfError(c.deleteComputePool('dev', 'p1', { timeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
    assert.ok(Date.now() - t0 < 1500);
    assert.match(e.message, /may still have been carried out/);
    await c.close();
    await srv.close();
  });

  it('times out a body that stops halfway', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"items": [');
    });
    const c = client(srv.url, { timeoutMs: 300 });
    const e = await expectCmfError(c.listComputePools('dev'));
    assert.equal(e.kind, 'timeout');
    await c.close();
    await srv.close();
  });

  it('cancels with an AbortSignal: in flight, before sending, and during back-off', async () => {
    const silent = await serve(() => undefined);
    const c = client(silent.url);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const e = await expectCmfError(c.getComputePool('dev', 'p1', { signal: ac.signal }));
    assert.equal(e.kind, 'aborted');
    assert.ok(Date.now() - t0 < 1000);

    const before = silent.requests.length;
    const e2 = await expectCmfError(c.getComputePool('dev', 'p1', { signal: AbortSignal.abort() }));
    assert.equal(e2.kind, 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(silent.requests.length, before, 'nothing sent');
    await c.close();
    await silent.close();

    const busy = await serve((_req, res) => json(res, 503, {}));
    const slowRetry = client(busy.url, {}, { retry: { baseDelayMs: 2000, maxDelayMs: 2000 } });
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 150);
    const t1 = Date.now();
    const e3 = await expectCmfError(slowRetry.getComputePool('dev', 'p1', { signal: ac2.signal }));
    assert.equal(e3.kind, 'aborted');
    assert.ok(Date.now() - t1 < 1000);
    assert.equal(busy.requests.length, 1);
    await slowRetry.close();
    await busy.close();
  });

  it('reports a non-JSON body as invalid-response naming URL and status, with an excerpt', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please log in to the corporate proxy</body></html>');
    });
    const c = client(srv.url);
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.kind, 'invalid-response');
    assert.equal(e.status, 200);
    assert.ok(e.message.includes(`${srv.url}/cmf/api/v1/environments/dev/compute-pools/p1`));
    assert.match(e.message, /HTTP 200 \(text\/html\)/);
    assert.match(e.message, /not valid JSON/);
    assert.match(e.message, /Please log in to the corporate proxy/);
    await c.close();
    await srv.close();
  });

  it('reports an empty body and a JSON array where an object belongs', async () => {
    const srv = await serve((req, res) => {
      if (req.url?.includes('empty')) {
        res.writeHead(200);
        return res.end();
      }
      json(res, 200, [1, 2]);
    });
    const c = client(srv.url);
    assert.match((await expectCmfError(c.getComputePool('dev', 'empty'))).message, /body is empty/);
    assert.match((await expectCmfError(c.getComputePool('dev', 'array'))).message, /not a JSON object/);
    await c.close();
    await srv.close();
  });

  it('caps the body it reads', async () => {
    const big = 'x'.repeat(4096);
    const srv = await serve((req, res) => {
      if (req.url?.includes('chunked')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big);
        return res.end(big);
      }
      json(res, 200, { big });
    });
    const c = client(srv.url, {}, { maxResponseBytes: 1024 });
    for (const name of ['declared', 'chunked']) {
      const e = await expectCmfError(c.getComputePool('dev', name));
      assert.equal(e.kind, 'invalid-response');
      assert.match(e.message, /larger than/);
    }
    await c.close();
    await srv.close();
  });
});

describe('CmfClient: tokens and error messages', () => {
  it('calls the token provider once, reuses it, and again once on 401', async () => {
    let calls = 0;
    const provider = async () => `${TOKEN}-${++calls}`;
    const srv = await serve((req, res) => {
      if (req.headers.authorization === `Bearer ${TOKEN}-1`) return json(res, 401, { errors: [{ message: 'token expired' }] });
      if (req.headers.authorization === `Bearer ${TOKEN}-2`) return json(res, 200, pool('p1'));
      json(res, 403, {});
    });
    const c = client(srv.url, { token: provider });
    assert.equal((await c.getComputePool('dev', 'p1')).metadata.name, 'p1');
    assert.equal(calls, 2);
    assert.equal(srv.requests.length, 2);
    await c.getComputePool('dev', 'p1');
    assert.equal(calls, 2, 'the refreshed token is reused');
    await c.close();
    await srv.close();
  });

  it('repeats a write once after 401 with a refreshed token (CMF refused it before acting)', async () => {
    let calls = 0;
    const srv = await serve((req, res) => (req.headers.authorization === 'Bearer new-token' ? json(res, 200, pool('p1')) : json(res, 401, {})));
    const c = client(srv.url, { token: async () => (++calls === 1 ? 'old-token' : 'new-token') });
    await c.createComputePool('dev', pool('p1'));
    assert.equal(srv.requests.length, 2);
    assert.equal(calls, 2);
    await c.close();
    await srv.close();
  });

  it('a persistent 401 asks the provider again only once, and the message names credentials but not the token', async () => {
    let calls = 0;
    const srv = await serve((_req, res) => json(res, 401, { errors: [{ message: 'Invalid bearer token' }] }));
    const c = client(srv.url, { token: async () => `${TOKEN}${++calls}` });
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(calls, 2);
    assert.equal(srv.requests.length, 2);
    assert.equal(e.status, 401);
    assert.match(e.message, /credentials/);
    assert.match(e.message, /expired/);
    assert.ok(e.message.includes('Invalid bearer token'));
    assert.ok(!everything(e).includes(TOKEN));
    await c.close();
    await srv.close();
  });

  it('says when a 401 came without any token configured', async () => {
    const srv = await serve((_req, res) => json(res, 401, {}));
    const c = client(srv.url);
    const e = await expectCmfError(c.listEnvironments());
    assert.match(e.message, /no token is configured/);
    await c.close();
    await srv.close();
  });

  it('a failing token provider fails the call without a request', async () => {
    const srv = await serve((_req, res) => json(res, 200, pool('p1')));
    const c = client(srv.url, { token: async () => Promise.reject(new Error('login required: run confluent login')) });
    await assert.rejects(c.getComputePool('dev', 'p1'), /login required/);
    assert.equal(srv.requests.length, 0);
    await c.close();
    await srv.close();
  });

  it('a token provider that hangs is bounded by the call timeout and the abort signal', async () => {
    const srv = await serve((_req, res) => json(res, 200, pool('p1')));
    const c = client(srv.url, { token: () => new Promise<string>(() => undefined), timeoutMs: 200 });
    const e = await expectCmfError(c.getComputePool('dev', 'p1'));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /token provider/);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e2 = await expectCmfError(c.getComputePool('dev', 'p1', { signal: ac.signal, timeoutMs: 5000 }));
    assert.equal(e2.kind, 'aborted');
    assert.equal(srv.requests.length, 0);
    await c.close();
    await srv.close();
  });

  it('explains 403, 404, 409, 422 and keeps CMF messages verbatim', async () => {
    const routes: Record<string, [number, string]> = {
      'GET /cmf/api/v1/environments/dev/compute-pools/nope': [404, "ComputePool 'nope' not found in Environment 'dev'."],
      'POST /cmf/api/v1/environments/dev/compute-pools': [409, "ComputePool 'p1' already exists."],
      'DELETE /cmf/api/v1/environments/dev/compute-pools/p1': [409, "ComputePool 'p1' is in use by statements [s1, s2]."],
      'PUT /cmf/api/v1/environments/dev/compute-pools/p1': [422, 'spec.type is immutable: cannot change SHARED to DEDICATED'],
      'GET /cmf/api/v1/environments/dev/statements/s1': [403, "User 'alice' lacks permission View on Statement 's1'"],
      'GET /cmf/api/v1/environments/ghost/compute-pools': [404, "Environment 'ghost' not found."],
    };
    const srv = await serve((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const [status, message] = routes[`${req.method} ${u.pathname}`] ?? [500, 'unexpected'];
      json(res, status, { errors: [{ message }] });
    });
    const c = client(srv.url, { token: TOKEN });
    let e = await expectCmfError(c.getComputePool('dev', 'nope'));
    assert.equal(e.status, 404);
    assert.match(e.message, /compute pool 'nope' in environment 'dev' does not exist/);
    assert.ok(e.message.includes("ComputePool 'nope' not found in Environment 'dev'."));
    assert.deepEqual(e.context, { environment: 'dev', pool: 'nope', operation: 'get', resource: 'compute pool' });

    e = await expectCmfError(c.createComputePool('dev', pool('p1')));
    assert.match(e.message, /compute pool 'p1' in environment 'dev' already exists/);
    e = await expectCmfError(c.deleteComputePool('dev', 'p1', { force: true }));
    assert.match(e.message, /in use and cannot be deleted/);
    assert.ok(e.message.includes('[s1, s2]'));
    e = await expectCmfError(c.updateComputePool('dev', 'p1', pool('p1', 'DEDICATED')));
    assert.equal(e.status, 422);
    assert.match(e.message, /rejected the content/);
    assert.deepEqual(e.cmfMessages, ['spec.type is immutable: cannot change SHARED to DEDICATED']);
    e = await expectCmfError(c.getStatement('dev', 's1'));
    assert.match(e.message, /lack permission for statement 's1' in environment 'dev'/);
    e = await expectCmfError(c.listComputePools('ghost'));
    assert.match(e.message, /environment 'ghost' does not exist/);
    await c.close();
    await srv.close();
  });

  it('never puts the token in messages, causes or logs, even when the server echoes it', async () => {
    const srv = await serve((req, res) => {
      if (req.url?.includes('echo-json')) return json(res, 400, { errors: [{ message: `bad header: ${req.headers.authorization}` }] });
      if (req.url?.includes('echo-text')) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end(`Authorization: ${req.headers.authorization}\ntoken=${TOKEN}`);
      }
      if (req.url?.includes('echo-ok')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`not json ${req.headers.authorization}`);
      }
      // Headers come from the server too: the token in a redirect's Location (path and any query name), in a Content-Type.
      if (req.url?.includes('echo-location')) {
        res.writeHead(302, { location: `https://collector.example/${TOKEN}/x?next=${TOKEN}` });
        return res.end();
      }
      if (req.url?.includes('echo-content-type')) {
        res.writeHead(200, { 'content-type': `text/html; charset=${TOKEN}` });
        return res.end(TOKEN);
      }
      req.socket.destroy();
    });
    const log: CmfRequestLogEntry[] = [];
    try {
      for (const token of [TOKEN, async () => TOKEN]) {
        const c = client(srv.url, { token }, { requestLog: (e) => log.push(e) });
        try {
          for (const name of ['echo-json', 'echo-text', 'echo-ok', 'echo-location', 'echo-content-type', 'reset']) {
            const e = await expectCmfError(c.getComputePool('dev', name));
            const all = everything(e);
            assert.ok(!all.includes(TOKEN), `${name}: token leaked:\n${all}`);
            assert.ok(!/Bearer tok/.test(all), name);
          }
          const e = await expectCmfError(c.createComputePool('dev', pool('reset')));
          assert.ok(!everything(e).includes(TOKEN));
        } finally {
          await c.close();
        }
      }
      assert.ok(!JSON.stringify(log).includes(TOKEN));
    } finally {
      await srv.close();
    }
  });

  it('redaction helpers', () => {
    assert.equal(redactUrl('https://u:p@h:1/a?page=1&access_token=abc#x'), 'https://h:1/a?page=1&access_token=REDACTED');
    assert.equal(redactText('Authorization: Bearer abc.def', []), 'Authorization: [REDACTED]');
    assert.equal(redactText('x Bearer abc.def y'), 'x Bearer [REDACTED] y');
    assert.equal(redactText('-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----'), '[REDACTED PRIVATE KEY]');
    assert.equal(redactText('my secret-value here', ['secret-value']), 'my [REDACTED] here');
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('localhost') && isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('cmf.example.com'));
  });

  it('warns once when a token would travel over plain http to another host', async () => {
    const warnings: string[] = [];
    const c = new CmfClient({ url: 'http://cmf-does-not-exist.invalid', token: TOKEN }, { ...fast, retry: { retries: 0 }, onWarning: (w) => warnings.push(w.code) });
    await expectCmfError(c.listEnvironments());
    await expectCmfError(c.listEnvironments());
    assert.deepEqual(warnings, ['token-over-http']);
    await c.close();
  });
});

describe('CmfClient against the local CMF', () => {
  let cmf: TestLocalCmf;
  const LOCAL_TOKEN = 'local-cmf-token-12345';
  const ENV = 'development';
  before(async () => {
    cmf = await startTestLocalCmf({ token: LOCAL_TOKEN, phaseDelayMs: 0, seed: 'demo' });
  });
  after(() => cmf.close());

  const newPool = (name: string): ComputePool => ({
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name },
    spec: {
      type: 'SHARED',
      state: 'RUNNING',
      clusterSpec: {
        flinkVersion: 'v1_19',
        image: 'confluentinc/cp-flink-sql:1.19-cp7',
        flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' },
        jobManager: { resource: { cpu: 1, memory: '1024m' } },
        taskManager: { resource: { cpu: 1, memory: '1024m' } },
      },
    },
  });

  it('lists and gets environments, pools and statements (paging with small pages)', async () => {
    const c = client(cmf.url, { token: LOCAL_TOKEN }, { pageSize: 1 });
    const envs = await c.listEnvironments();
    assert.ok(envs.some((e) => e.name === ENV), JSON.stringify(envs.map((e) => e.name)));
    assert.equal((await c.getEnvironment(ENV)).name, ENV);
    const pools = await c.listComputePools(ENV);
    assert.ok(pools.length >= 2);
    assert.equal(new Set(pools.map((p) => p.metadata.name)).size, pools.length, 'no duplicates across pages');
    const interactive = await c.getComputePool(ENV, 'interactive');
    assert.equal(interactive.spec.type, 'SHARED');
    const all = await c.listStatements(ENV);
    const onPool = await c.listStatements(ENV, { computePool: 'interactive' });
    assert.ok(onPool.length > 0 && onPool.every((s) => s.spec.computePoolName === 'interactive'));
    assert.ok(all.length >= onPool.length);
    const s = await c.getStatement(ENV, onPool[0].metadata.name);
    assert.equal(s.metadata.name, onPool[0].metadata.name);
    await c.close();
  });

  it('creates, updates (PUT) and deletes a pool, with force', async () => {
    const c = client(cmf.url, { token: LOCAL_TOKEN });
    const created = await c.createComputePool(ENV, newPool('client-test-pool'));
    assert.equal(created.metadata.name, 'client-test-pool');
    const e409 = await expectCmfError(c.createComputePool(ENV, newPool('client-test-pool')));
    assert.equal(e409.status, 409);
    assert.match(e409.message, /already exists/);
    assert.ok(e409.cmfMessages.length > 0 && e409.message.includes(e409.cmfMessages[0]));

    cmf.controls.settle();
    const current = await c.getComputePool(ENV, 'client-test-pool');
    const changed: ComputePool = {
      ...current,
      spec: { ...current.spec, clusterSpec: { ...current.spec.clusterSpec, flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '3' } } },
    };
    delete changed.status;
    const updated = await c.updateComputePool(ENV, 'client-test-pool', changed);
    assert.equal(updated.spec.clusterSpec.flinkConfiguration?.['taskmanager.numberOfTaskSlots'], '3');

    await c.deleteComputePool(ENV, 'client-test-pool', { force: true });
    const e404 = await expectCmfError(c.getComputePool(ENV, 'client-test-pool'));
    assert.equal(e404.status, 404);
    assert.match(e404.message, /compute pool 'client-test-pool' in environment 'development' does not exist/);
    await c.close();
  });

  it('a pool in use cannot be deleted (409, one request)', async () => {
    const log: CmfRequestLogEntry[] = [];
    const c = client(cmf.url, { token: LOCAL_TOKEN }, { requestLog: (e) => log.push(e) });
    const e = await expectCmfError(c.deleteComputePool(ENV, 'interactive', { force: true }));
    assert.equal(e.status, 409);
    assert.match(e.message, /in use and cannot be deleted/);
    assert.equal(log.length, 1);
    await c.close();
  });

  it('writes get 503 while the cluster is DISCONNECTED (sent once); force deletes metadata only', async () => {
    const c = client(cmf.url, { token: LOCAL_TOKEN });
    await c.createComputePool(ENV, newPool('doomed-pool'));
    cmf.controls.settle();
    cmf.controls.setEnvironmentClusterState(ENV, 'DISCONNECTED');
    try {
      const log: CmfRequestLogEntry[] = [];
      const w = client(cmf.url, { token: LOCAL_TOKEN }, { requestLog: (l) => log.push(l) });
      const e = await expectCmfError(w.createComputePool(ENV, newPool('another-pool')));
      assert.equal(e.status, 503);
      assert.match(e.message, /DISCONNECTED or DECOMMISSIONED/);
      const d = await expectCmfError(w.deleteComputePool(ENV, 'doomed-pool'));
      assert.equal(d.status, 503);
      assert.match(d.message, /force=true/);
      assert.equal(log.length, 2, 'each write sent once');
      const stale = await w.getComputePool(ENV, 'doomed-pool');
      assert.ok(stale.status?.warning, 'reads answer from cache with a warning');
      await w.deleteComputePool(ENV, 'doomed-pool', { force: true });
      assert.equal((await expectCmfError(w.getComputePool(ENV, 'doomed-pool'))).status, 404);
      await w.close();
    } finally {
      cmf.controls.setEnvironmentClusterState(ENV, 'CONNECTED');
      await c.close();
    }
  });

  it('retries reads through injected 503s and resets; a wrong token is a 401 without the token', async () => {
    const c = client(cmf.url, { token: LOCAL_TOKEN });
    cmf.controls.injectFault({ kind: 'status', status: 503, times: 2, method: 'GET' });
    assert.equal((await c.getEnvironment(ENV)).name, ENV);
    cmf.controls.injectFault({ kind: 'reset', times: 1, method: 'GET' });
    assert.ok((await c.listComputePools(ENV)).length > 0);
    cmf.controls.injectFault({ kind: 'status', status: 503, times: 1, method: 'POST' });
    const e = await expectCmfError(c.createComputePool(ENV, newPool('never-made')));
    assert.equal(e.status, 503);
    assert.equal((await expectCmfError(c.getComputePool(ENV, 'never-made'))).status, 404, 'the POST was not retried');
    cmf.controls.clearFaults();
    await c.close();

    const wrong = client(cmf.url, { token: 'wrong-token-abcdef' });
    const e401 = await expectCmfError(wrong.listEnvironments());
    assert.equal(e401.status, 401);
    assert.match(e401.message, /credentials/);
    assert.ok(!everything(e401).includes('wrong-token-abcdef'));
    await wrong.close();
  });

  it('reads the Flink web UI of a running shared pool', async () => {
    const c = client(cmf.url, { token: LOCAL_TOKEN });
    const r = await c.flinkWebUi(ENV, 'interactive', 'overview');
    assert.equal(r.status, 200);
    assert.match(r.contentType ?? '', /json/);
    assert.equal(typeof JSON.parse(r.body), 'object');
    const page = await c.flinkWebUi(ENV, 'interactive', '');
    assert.equal(page.status, 200);
    await c.close();
  });
});
