/**
 * Filters the server may ignore. `GET .../statements?compute-pool=NAME` asks CMF for one pool's statements; a server
 * that ignores the parameter (Confluent's own mock CMF does) answers with every statement of the environment. The
 * client keeps only the statements whose `spec.computePoolName` is NAME, so `statements --pool NAME` lists only
 * that pool's under its heading, the explorer shows only its own under a pool, and the delete check blocks on its
 * own only. The statements table also says whether each statement is stopped and how its SQL starts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { PoolLifecycle } from '../../cmf-client/src/lifecycle';
import { ExplorerModel, type EnvironmentNode, type PoolNode } from '../../client/src/explorer/model';
import { harness } from '../client/fakes';
import { json, serve, type TestServer } from './recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const ENV = 'dev';

const statement = (name: string, pool: string, phase: string, sql: string, stopped?: boolean) => ({
  apiVersion: 'cmf.confluent.io/v1',
  kind: 'Statement',
  metadata: { name },
  spec: { statement: sql, computePoolName: pool, ...(stopped === undefined ? {} : { stopped }) },
  status: { phase },
});
const STATEMENTS = [
  statement('a-report', 'pool-a', 'RUNNING', 'INSERT INTO report SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id, TUMBLE(ts, INTERVAL \'1\' MINUTE)'),
  statement('b-etl', 'pool-b', 'RUNNING', 'INSERT INTO orders_enriched SELECT * FROM orders'),
  statement('b-paused', 'pool-b', 'STOPPED', 'SELECT 1', true),
];

let server: TestServer;
before(async () => {
  server = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace('/cmf/api/v1/environments', '');
    const first = url.searchParams.get('page') === '0';
    if (p === '') return json(res, 200, { items: first ? [{ name: ENV, kubernetesNamespace: 'flink' }] : [] });
    if (p === `/${ENV}`) return json(res, 200, { name: ENV, kubernetesNamespace: 'flink' });
    // Ignores ?compute-pool=: every statement of the environment.
    if (p === `/${ENV}/statements`) return json(res, 200, { items: first ? STATEMENTS : [] });
    const pool = /^\/dev\/compute-pools\/(pool-[ab])$/.exec(p)?.[1];
    if (p === `/${ENV}/compute-pools`) return json(res, 200, { items: first ? ['pool-a', 'pool-b'].map((n) => ({ ...namedSharedPool(n), status: { phase: 'RUNNING' } })) : [] });
    if (pool && req.method === 'GET') return json(res, 200, { ...namedSharedPool(pool), status: { phase: 'RUNNING' } });
    if (pool && req.method === 'DELETE') return void res.writeHead(204).end();
    json(res, 404, { errors: [{ message: 'not found' }] });
  });
});
after(() => server.close());

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, '--url', server.url, '--environment', ENV], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

describe('a server that ignores the compute-pool filter', () => {
  it('the client keeps the pool\'s own statements (and still asks CMF to filter)', async () => {
    const c = new CmfClient({ url: server.url });
    const before = server.requests.length;
    assert.deepEqual((await c.listStatements(ENV, { computePool: 'pool-a' })).map((s) => s.metadata.name), ['a-report']);
    assert.match(server.requests[before].url, /[?&]compute-pool=pool-a(&|$)/);
    assert.deepEqual((await c.listStatements(ENV)).map((s) => s.metadata.name), ['a-report', 'b-etl', 'b-paused']);
    await c.close();
  });

  it('cmf-pools statements --pool NAME lists only that pool\'s statements under its heading, with STOPPED and the start of the SQL', async () => {
    const a = await run(['statements', '--pool', 'pool-a']);
    assert.equal(a.code, 0, a.err);
    assert.match(a.out, /^Statements on compute pool 'pool-a' in environment 'dev'/);
    assert.doesNotMatch(a.out, /b-etl|b-paused|pool-b/);
    assert.match(a.out, /^NAME\s+POOL\s+PHASE\s+STOPPED\s+AGE\s+SQL\s+DETAIL$/m);
    assert.match(a.out, /^a-report\s+pool-a\s+RUNNING\s+no\s+-\s+INSERT INTO report SELECT user_id, COUNT\(\*\) FROM clicks GRO…$/m);
    const b = await run(['statements', '--pool', 'pool-b']);
    assert.match(b.out, /^b-paused\s+pool-b\s+STOPPED\s+yes\s+-\s+SELECT 1$/m);
    const json = JSON.parse((await run(['statements', '--pool', 'pool-a', '-o', 'json'])).out);
    assert.deepEqual(json.map((s: { metadata: { name: string } }) => s.metadata.name), ['a-report']);
  });

  it("the explorer shows a pool's own statements only", async () => {
    const h = harness([{ name: 'ignoring', url: server.url, defaultEnvironment: ENV }]);
    const m = new ExplorerModel({ registry: h.registry, log: h.log, pollIntervalMs: () => 60_000 });
    const [conn] = m.roots();
    const [env] = (await m.children(conn)) as EnvironmentNode[];
    const pools = (await m.children(env)) as PoolNode[];
    const a = pools.find((p) => p.pool.metadata.name === 'pool-a')!;
    assert.deepEqual((await m.children(a)).map((n) => m.view(n).label), ['a-report']);
    m.dispose();
    await h.registry.dispose();
  });

  it("delete checks the pool's own statements: pool-a is not blocked by pool-b's", async () => {
    const c = new CmfClient({ url: server.url });
    const lc = new PoolLifecycle(c, ENV);
    const { blockers } = await lc.inspectDelete('pool-a');
    assert.deepEqual(blockers.map((b) => b.name), ['a-report']);
    await c.close();
  });
});
