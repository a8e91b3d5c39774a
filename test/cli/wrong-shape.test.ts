/**
 * Answers of the wrong shape: a server that answers 200 with JSON that is not what CMF's OpenAPI says (a pool without
 * metadata, without spec.type, with an object for a phase; a list with one such item). Every command must report
 * `invalid-response` naming the request and the field (exit 1), instead of failing on it ("unexpected failure:
 * Cannot read properties of undefined", exit 2) or reading it wrong ("is DEDICATED", "is undefined",
 * "Phase: [object Object]"). The built dist/cli.js in a child process, against a real server on 127.0.0.1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { CmfError } from '../../cmf-client/src/errors';
import { json, serve, type TestServer } from '../cmf/recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const ENV = 'dev';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

let dir: string;
let server: TestServer;
/** What the server answers to GET .../compute-pools/{name}, by name. */
const pools: Record<string, unknown> = {};
/** The items of the pool list and of the statement list. */
let poolItems: unknown[] = [];
let statementItems: unknown[] = [];

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, '--url', server.url, '--environment', ENV], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

const livePool = (name: string) => ({ ...namedSharedPool(name), status: { phase: 'RUNNING' } });

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-shape-'));
  server = await serve((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname.replace('/cmf/api/v1/environments', '');
    if (p === `/${ENV}`) return json(res, 200, { name: ENV, kubernetesNamespace: 'flink' });
    if (p === `/${ENV}/statements`) return json(res, 200, { items: new URL(req.url ?? '/', 'http://x').searchParams.get('page') === '0' ? statementItems : [] });
    if (p === `/${ENV}/compute-pools`) {
      if (req.method === 'POST') return json(res, 200, { metadata: { name: 'x' } });
      return json(res, 200, { items: new URL(req.url ?? '/', 'http://x').searchParams.get('page') === '0' ? poolItems : [] });
    }
    const m = /^\/dev\/compute-pools\/([^/]+)$/.exec(p);
    if (m && req.method === 'GET' && m[1] in pools) return json(res, 200, pools[m[1]]);
    if (m && req.method === 'PUT') return json(res, 200, {});
    if (m && req.method === 'DELETE') return void res.writeHead(204).end();
    json(res, 404, { errors: [{ message: 'not found' }] });
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI reported an invalid answer: exit 1, naming the request and the field, never "unexpected failure". */
function assertInvalid(r: Run, request: RegExp, field: RegExp): void {
  assert.equal(r.code, 1, `exit status (stderr: ${r.err})`);
  assert.doesNotMatch(r.err, /unexpected failure|Cannot read properties|\[object Object\]/);
  assert.match(r.err, /Unexpected answer from CMF to /);
  assert.match(r.err, request);
  assert.match(r.err, field);
}

describe('answers of the wrong shape are reported as invalid, naming the request and the field', () => {
  it('get: {} for a pool, and a phase that is an object', async () => {
    pools.empty = {};
    assertInvalid(await run(['get', 'empty']), /GET http:\/\/127\.0\.0\.1:\d+\/cmf\/api\/v1\/environments\/dev\/compute-pools\/empty/, /apiVersion is missing/);
    pools.objphase = { ...livePool('objphase'), status: { phase: { value: 'RUNNING' } } };
    const r = await run(['get', 'objphase']);
    assertInvalid(r, /compute-pools\/objphase/, /status\.phase is an object, not a string/);
    assert.equal(r.out, '');
    const yaml = await run(['get', 'objphase', '-o', 'yaml']);
    assertInvalid(yaml, /compute-pools\/objphase/, /status\.phase/);
  });

  it('get: the free-form clusterSpec (an object in the OpenAPI) is shown as it is, never as [object Object]', async () => {
    pools.odd = { ...livePool('odd'), spec: { type: 'SHARED', clusterSpec: { image: { repo: 'x' }, jobManager: { resource: { cpu: { n: 1 }, memory: 5 } }, taskManager: 'big' } } };
    const r = await run(['get', 'odd']);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /\[object Object\]/);
    assert.match(r.out, /^ {2}Image:\s+\{"repo":"x"\}$/m);
    assert.match(r.out, /^ {2}JobManager:\s+\{"n":1\} CPU, 5 memory$/m);
  });

  it('delete: a pool without metadata', async () => {
    pools.nometa = { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', spec: { type: 'SHARED', clusterSpec: {} } };
    assertInvalid(await run(['delete', 'nometa', '--yes']), /GET .*compute-pools\/nometa/, /metadata is missing/);
    assert.ok(!server.requests.some((q) => q.method === 'DELETE'), 'nothing deleted');
  });

  it('suspend: a pool without spec.type is not taken for a DEDICATED one', async () => {
    pools.notype = { ...livePool('notype'), spec: { clusterSpec: {} } };
    const r = await run(['suspend', 'notype']);
    assertInvalid(r, /GET .*compute-pools\/notype/, /spec\.type is missing/);
    assert.doesNotMatch(r.err, /DEDICATED/);
  });

  it('apply: a live pool with an unknown spec.type is not "undefined" against the file', async () => {
    pools.web = { ...livePool('web'), spec: { type: 'TURBO', clusterSpec: {} } };
    writeFileSync(path.join(dir, 'web.pool.json'), JSON.stringify(namedSharedPool('web')));
    const r = await run(['apply', '-f', 'web.pool.json', '--yes']);
    assertInvalid(r, /GET .*compute-pools\/web/, /spec\.type is "TURBO", not one of DEDICATED, SHARED/);
    assert.doesNotMatch(r.out + r.err, /is undefined/);
    assert.ok(!server.requests.some((q) => q.method === 'PUT'), 'nothing written');
  });

  it('list and statements: one bad item among good ones is named by its place and name', async () => {
    poolItems = [livePool('a'), { ...livePool('b'), metadata: { name: 'b', labels: { team: 7 } } }];
    assertInvalid(await run(['list']), /GET .*compute-pools\?page=0&size=100/, /items\[1\] \("b"\) is not a ComputePool .*: metadata\.labels\.team is an integer, not a string/);
    statementItems = [{ apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: 's1' }, spec: { statement: 'SELECT 1' }, status: { phase: 'RUNNING' } }];
    assertInvalid(await run(['statements']), /GET .*statements\?page=0&size=100/, /items\[0\] \("s1"\) is not a Statement .*: spec\.computePoolName is missing/);
  });

  it("the client checks writes' answers too: a PUT answered with {} is invalid (kind invalid-response, status 200)", async () => {
    const c = new CmfClient({ url: server.url });
    await assert.rejects(c.updateComputePool(ENV, 'web', namedSharedPool('web')), (e: unknown) => {
      assert.ok(e instanceof CmfError);
      assert.equal(e.kind, 'invalid-response');
      assert.equal(e.status, 200);
      assert.match(e.message, /PUT .*compute-pools\/web: HTTP 200 .*apiVersion is missing/);
      return true;
    });
    await c.close();
  });
});
