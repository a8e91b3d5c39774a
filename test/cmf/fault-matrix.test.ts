// The CMF client under faults: every fault x every operation, each cell with its expected outcome, against
// purpose-built servers on 127.0.0.1 (TLS material from openssl at test time; DNS failure through a stub
// lookup of a reserved `.invalid` name, so nothing leaves the machine). In every cell: reads retry within
// their budget and then fail with a clear error; writes reach the server at most once; the call ends
// within its timeout (measured); the pool file the body came from is byte-for-byte unchanged; no error
// text carries the token. The matrix is printed with pass/fail per cell (and kept in the README).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { CmfClient, type CmfClientOptions } from '../../cmf-client/src/client';
import { CmfError } from '../../cmf-client/src/errors';
import type { LintedPool } from '../../cmf-client/src/lifecycle';
import { lint } from '../../language-service/src/index';
import type { CmfConnection } from '../../cmf-client/src/connection';
import type { ComputePool } from '../../cmf-model/src/types';
import { hasOpenssl, makePki, type Pki } from './pki';
import { json, serve, type TestServer } from './recording-server';
import { sharedPool } from '../pools';

for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) delete process.env[v];

const TOKEN = 'matrix-token-5e1f-secret';
const ENV = 'dev';
const POOL = 'shared-pool';
/** The budget of every call (retries and back-off included). */
const TIMEOUT_MS = 2000;
/** What a call may take beyond its timeout: scheduling on a busy 2-core machine, not waiting. */
const SLACK_MS = 1500;
const RETRY: CmfClientOptions['retry'] = { baseDelayMs: 20, maxDelayMs: 100 };
const READ_ATTEMPTS = 4; // the first try and the default 3 retries
const BIG = 50 * 1000 * 1000;
const BIG_TIMEOUT_MS = 10_000;
const SMALL_CAP = 16 * 1024 * 1024;

type Op = 'list' | 'get' | 'create' | 'update' | 'delete' | 'apply';
const READS: Op[] = ['list', 'get'];
const WRITES: Op[] = ['create', 'update', 'delete'];

/** What a cell must come to. `requests`: how many reached the server; `writes`: how many of them were writes. */
interface Expected {
  /** 'ok' (resolves), a CmfError kind, or an apply result kind. */
  outcome: 'ok' | CmfError['kind'] | `result ${string}`;
  status?: number;
  code?: string;
  requests: number;
  writes?: number;
  message?: RegExp;
}

interface Setup {
  url: string;
  conn?: Partial<CmfConnection>;
  options?: CmfClientOptions;
  server?: TestServer;
  close(): Promise<void>;
}

interface Fault {
  name: string;
  /** Set up a server (or none) for one cell. `writesOnly`: answer reads as CMF would and fault the writes (apply). */
  setup(writesOnly: boolean): Promise<Setup>;
  expect(op: Op): Expected;
}

// ---------------------------------------------------------------------------------------------------------
// The servers

const livePool = (): ComputePool => ({ ...(sharedPool() as ComputePool), status: { phase: 'RUNNING' } } as ComputePool);

/** Answers a read as CMF would before a create: the environment exists, the pool does not, no statements. */
function answerRead(req: http.IncomingMessage, res: http.ServerResponse): void {
  const p = new URL(req.url ?? '/', 'http://x').pathname;
  if (p === `/cmf/api/v1/environments/${ENV}`) return json(res, 200, { name: ENV, kubernetesNamespace: 'flink' });
  if (p.endsWith('/statements')) return json(res, 200, { metadata: { size: 0 }, items: [] });
  if (p.includes('/compute-pools/')) return json(res, 404, { errors: [{ message: `ComputePool '${POOL}' not found in Environment '${ENV}'.` }] });
  json(res, 200, { metadata: { size: 1 }, items: [livePool()] });
}

/** An HTTP(S) fault: `act` answers the faulted requests; reads are answered normally when `writesOnly`. */
function httpFault(name: string, act: (req: http.IncomingMessage, res: http.ServerResponse, timers: Set<NodeJS.Timeout>) => void, expect: (op: Op) => Expected, extra: Partial<Setup> = {}): Fault {
  return {
    name,
    expect,
    async setup(writesOnly) {
      const timers = new Set<NodeJS.Timeout>();
      const server = await serve((req, res) => (writesOnly && req.method === 'GET' ? answerRead(req, res) : act(req, res, timers)));
      return {
        url: server.url,
        server,
        ...extra,
        close: async () => {
          for (const t of timers) clearTimeout(t);
          await server.close();
        },
      };
    },
  };
}

let bigBody: Buffer | undefined;
/** 50 MB of valid JSON that is at once a pool and a one-item page. */
function makeBigBody(): Buffer {
  return Buffer.from(JSON.stringify({ ...livePool(), metadata: { name: POOL, size: 1, annotations: { blob: 'x'.repeat(BIG) } }, items: [livePool()] }));
}
/** Sends the 50 MB body chunked, without a length, so the client cannot refuse it up front. */
function big(res: http.ServerResponse): void {
  bigBody ??= makeBigBody();
  res.writeHead(200, { 'content-type': 'application/json' });
  for (let i = 0; i < bigBody.length; i += 1 << 20) res.write(bigBody.subarray(i, i + (1 << 20)));
  res.end();
}

const isRead = (op: Op) => READS.includes(op);

/** Expected for a fault that stops every request before it reaches a server. */
const unreachable = (outcome: Expected['outcome'], code?: string, message?: RegExp) => (): Expected => ({ outcome, code, requests: 0, writes: 0, message });

/** Expected for an HTTP status: reads are retried on 502/503/504, nothing else is; apply fails on its POST. */
function statusExpect(status: number, retried: boolean) {
  return (op: Op): Expected => {
    if (op === 'apply') {
      // A 409 on create means someone created it meanwhile: apply re-reads and reports, writing nothing more.
      return status === 409 ? { outcome: 'result changed-elsewhere', requests: 5, writes: 1 } : { outcome: 'http', status, requests: 3, writes: 1 };
    }
    const n = isRead(op) && retried ? READ_ATTEMPTS : 1;
    return { outcome: 'http', status, requests: n, writes: isRead(op) ? 0 : 1, message: retried && isRead(op) ? /gave up after 4 attempts/ : undefined };
  };
}

let pki: Pki | undefined;
function tlsFault(name: string, server: () => { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean }, conn: () => Partial<CmfConnection>, message: RegExp): Fault {
  return {
    name,
    expect: unreachable('tls', undefined, message),
    async setup() {
      const s = server();
      const srv = await serve((_req, res) => json(res, 200, livePool()), { ...s, rejectUnauthorized: !!s.requestCert });
      return { url: srv.url, server: srv, conn: conn(), close: () => srv.close() };
    },
  };
}

const pem = (f: keyof Pki) => readFileSync(pki![f] as string);

const FAULTS: Fault[] = [
  {
    name: 'connection refused',
    expect: unreachable('connection', 'ECONNREFUSED', /refused/),
    async setup() {
      const s = await serve(() => undefined);
      await s.close(); // the port was free a moment ago and nothing listens on it now
      return { url: s.url, close: async () => undefined };
    },
  },
  httpFault(
    'reset mid-response',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4000' });
      res.write('{"apiVersion":"cmf.confluent.io/v1","kind":"Comp');
      setTimeout(() => res.socket?.resetAndDestroy(), 10);
    },
    (op) =>
      op === 'apply'
        ? { outcome: 'connection', requests: 3, writes: 1 }
        : { outcome: 'connection', requests: isRead(op) ? READ_ATTEMPTS : 1, writes: isRead(op) ? 0 : 1 },
    // Every attempt must fit in the budget for the count to be exact; on a loaded 2-core machine four
    // resets with back-off once took longer than 2 s, so this row gets the 10 s budget.
    { conn: { timeoutMs: BIG_TIMEOUT_MS } },
  ),
  {
    name: 'DNS failure (.invalid)',
    expect: unreachable('connection', 'ENOTFOUND', /DNS lookup failed for host 'cmf\.fault-matrix\.invalid'/),
    async setup() {
      // A stub resolver: RFC 6761 says .invalid never resolves, and the test must not ask a real DNS server.
      const lookup = (hostname: string, _opts: unknown, cb: (err: NodeJS.ErrnoException) => void) =>
        process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname })));
      const dispatcher = new Agent({ connect: { lookup: lookup as never } });
      return { url: 'http://cmf.fault-matrix.invalid:8080', options: { dispatcher }, close: () => dispatcher.close() };
    },
  },
  tlsFault('TLS: wrong CA', () => ({ key: pem('serverKey'), cert: pem('serverCert') }), () => ({ caPath: pki!.otherCa }), /not trusted/),
  tlsFault('TLS: expired certificate', () => ({ key: pem('serverKey'), cert: pem('expiredCert') }), () => ({ caPath: pki!.ca }), /has expired/),
  tlsFault('TLS: hostname mismatch', () => ({ key: pem('serverKey'), cert: pem('mismatchCert') }), () => ({ caPath: pki!.ca }), /hostname mismatch/),
  tlsFault(
    'TLS: missing client certificate',
    () => ({ key: pem('serverKey'), cert: pem('serverCert'), ca: pem('ca'), requestCert: true }),
    () => ({ caPath: pki!.ca }),
    /client certificate/,
  ),
  ...[401, 403, 404, 409, 422, 500, 502, 503, 504].map((status) =>
    httpFault(`HTTP ${status}`, (_req, res) => json(res, status, { errors: [{ message: `injected ${status}` }] }), statusExpect(status, [502, 503, 504].includes(status))),
  ),
  httpFault(
    'body is not JSON (200 text/html)',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please log in to the corporate proxy</body></html>');
    },
    // DELETE reads no body: a 2xx is success whatever comes with it.
    (op) => (op === 'delete' ? { outcome: 'ok', requests: 1, writes: 1 } : { outcome: 'invalid-response', requests: op === 'apply' ? 3 : 1, writes: isRead(op) ? 0 : 1, message: /not valid JSON/ }),
  ),
  // Reading and parsing 50 MB takes about a second on a busy 2-core machine: these calls get a 10 s budget.
  httpFault(
    '50 MB body (under the 64 MiB cap)',
    (_req, res) => big(res),
    (op) => ({ outcome: op === 'apply' ? 'result created' : 'ok', requests: op === 'apply' ? 3 : 1, writes: isRead(op) ? 0 : 1 }),
    { conn: { timeoutMs: BIG_TIMEOUT_MS } },
  ),
  httpFault(
    '50 MB body over a 16 MiB cap',
    (_req, res) => big(res),
    (op) => ({ outcome: 'invalid-response', requests: op === 'apply' ? 3 : 1, writes: isRead(op) ? 0 : 1, message: /larger than 16 MiB/ }),
    { conn: { timeoutMs: BIG_TIMEOUT_MS }, options: { maxResponseBytes: SMALL_CAP } },
  ),
  httpFault(
    'answer slower than the timeout',
    (_req, res, timers) => timers.add(setTimeout(() => json(res, 200, livePool()), TIMEOUT_MS * 3)),
    (op) => ({ outcome: 'timeout', requests: op === 'apply' ? 3 : 1, writes: isRead(op) ? 0 : 1, message: isRead(op) ? /did not answer within 2 s/ : /may still have been carried out/ }),
  ),
  httpFault(
    'server never answers',
    () => undefined,
    (op) => ({ outcome: 'timeout', requests: op === 'apply' ? 3 : 1, writes: isRead(op) ? 0 : 1, message: isRead(op) ? /did not answer within 2 s/ : /may still have been carried out/ }),
  ),
];

// ---------------------------------------------------------------------------------------------------------
// Running a cell

interface LifecycleModule {
  PoolLifecycle: new (client: CmfClient, environment: string) => { apply(file: LintedPool): Promise<{ kind: string }> };
}
const LIFECYCLE = path.resolve(__dirname, '../../cmf-client/src/lifecycle.ts');

interface Cell {
  fault: string;
  op: Op;
  expected: Expected;
  label: string;
  pass: boolean;
  ms: number;
  /** The call's timeout. */
  budget: number;
  problems: string[];
}

function label(e: Expected): string {
  const what = e.outcome === 'http' ? `http ${e.status}` : e.outcome;
  return `${what} ·${e.requests}${e.writes ? ` (${e.writes}w)` : ''}`;
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function runCell(fault: Fault, op: Op, poolFile: string, lifecycle: LifecycleModule | undefined): Promise<Cell> {
  const expected = fault.expect(op);
  const setup = await fault.setup(op === 'apply');
  const client = new CmfClient({ url: setup.url, token: TOKEN, timeoutMs: TIMEOUT_MS, ...setup.conn }, { retry: RETRY, ...setup.options });
  const problems: string[] = [];
  const before = sha(poolFile);
  const t0 = Date.now();
  let outcome: string;
  let error: CmfError | undefined;
  try {
    // The body of every write comes from the pool file, as a user's would.
    const body = JSON.parse(readFileSync(poolFile, 'utf8')) as ComputePool;
    switch (op) {
      case 'list':
        await client.listComputePools(ENV);
        break;
      case 'get':
        await client.getComputePool(ENV, POOL);
        break;
      case 'create':
        await client.createComputePool(ENV, body);
        break;
      case 'update':
        await client.updateComputePool(ENV, POOL, body);
        break;
      case 'delete':
        await client.deleteComputePool(ENV, POOL);
        break;
      case 'apply': {
        // As the CLI does it: the file linted by the engine, then applied.
        const linted = { label: poolFile, ...lint(readFileSync(poolFile, 'utf8'), { path: poolFile }).pool };
        const result = await new lifecycle!.PoolLifecycle(client, ENV).apply(linted);
        outcome = `result ${result.kind}`;
        break;
      }
    }
    outcome ??= 'ok';
  } catch (e) {
    if (!(e instanceof CmfError)) {
      problems.push(`threw something other than a CmfError: ${inspect(e)}`);
      outcome = 'not a CmfError';
    } else {
      error = e;
      outcome = e.kind;
    }
  }
  const ms = Date.now() - t0;
  await client.close();
  const requests = setup.server?.requests ?? [];
  await setup.close();

  if (outcome !== expected.outcome) problems.push(`outcome ${outcome}${error ? ` (${error.message})` : ''}, expected ${expected.outcome}`);
  if (expected.status !== undefined && error?.status !== expected.status) problems.push(`status ${error?.status}, expected ${expected.status}`);
  if (expected.code !== undefined && error?.code !== expected.code) problems.push(`code ${error?.code}, expected ${expected.code}`);
  if (requests.length !== expected.requests) problems.push(`${requests.length} requests reached the server, expected ${expected.requests}`);
  const writes = requests.filter((r) => r.method !== 'GET').length;
  if (writes > 1) problems.push(`a write was repeated: ${requests.map((r) => r.method).join(', ')}`);
  if (expected.writes !== undefined && writes !== expected.writes) problems.push(`${writes} writes, expected ${expected.writes}`);
  const budget = setup.conn?.timeoutMs ?? TIMEOUT_MS;
  if (ms > budget + SLACK_MS) problems.push(`took ${ms} ms with a ${budget} ms timeout`);
  if (sha(poolFile) !== before) problems.push('the pool file changed');
  if (error) {
    if (expected.message && !expected.message.test(error.message)) problems.push(`message ${JSON.stringify(error.message)} does not match ${expected.message}`);
    if (!/127\.0\.0\.1|\.invalid/.test(error.message)) problems.push(`the message does not say where: ${error.message}`);
    if (isRead(op) && requests.length > 0 && error.attempts !== requests.length) problems.push(`attempts ${error.attempts}, but ${requests.length} requests`);
    const all = [error.message, error.stack ?? '', inspect(error, { depth: 5 })].join('\n');
    if (all.includes(TOKEN)) problems.push('the error carries the token');
  }
  return { fault: fault.name, op, expected, label: label(expected), pass: problems.length === 0, ms, budget, problems };
}

/** Runs `tasks` at most `n` at a time. */
async function limited<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

export function matrixTable(cells: Cell[], ops: Op[]): string {
  const faults = FAULTS.map((f) => f.name).filter((f) => cells.some((c) => c.fault === f));
  const head = `| fault | ${ops.join(' | ')} |`;
  const rule = `|---|${ops.map(() => '---').join('|')}|`;
  const rows = faults.map((f) => `| ${f} | ${ops.map((op) => {
    const c = cells.find((x) => x.fault === f && x.op === op);
    return c ? `${c.label} ${c.pass ? 'pass' : 'FAIL'}` : 'n/a';
  }).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

describe('CMF client fault matrix', { skip: hasOpenssl ? false : 'openssl is not installed' }, () => {
  let dir: string;
  let poolFile: string;
  let lifecycle: LifecycleModule | undefined;
  const ops: Op[] = [...READS, ...WRITES];
  const cells: Cell[] = [];

  before(async () => {
    pki = makePki();
    dir = mkdtempSync(path.join(tmpdir(), 'cmf-matrix-'));
    poolFile = path.join(dir, 'shared.pool.json');
    bigBody = makeBigBody();
    writeFileSync(poolFile, `${JSON.stringify(sharedPool(), null, 2)}\n`);
    if (existsSync(LIFECYCLE)) {
      lifecycle = (await import(LIFECYCLE)) as LifecycleModule;
      ops.push('apply');
    }
  });
  after(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every fault x operation comes to its expected outcome, in time, writing at most once, leaving the file alone', { timeout: 120_000 }, async () => {
    // Cells run side by side (each has its own server), the 50 MB ones two at a time.
    const heavy = (f: Fault) => f.name.startsWith('50 MB');
    const tasks = (faults: Fault[]) => faults.flatMap((f) => ops.map((op) => () => runCell(f, op, poolFile, lifecycle)));
    cells.push(...(await limited(tasks(FAULTS.filter((f) => !heavy(f))), 16)));
    cells.push(...(await limited(tasks(FAULTS.filter(heavy)), 2)));
    bigBody = undefined;
    const table = matrixTable(cells, ops);
    const slowest = cells.reduce((a, b) => (b.ms - b.budget > a.ms - a.budget ? b : a));
    console.log(`\nCMF client fault matrix (cell: expected outcome ·requests that reached the server (writes), then pass/FAIL)\n${table}\n` +
      `${cells.filter((c) => c.pass).length}/${cells.length} cells pass; closest to its timeout: ${slowest.fault} / ${slowest.op}, ${slowest.ms} ms against ${slowest.budget} ms` +
      (lifecycle ? '' : '; apply: n/a (cmf-client/src/lifecycle.ts is not there)') +
      `\nslowest cell per fault (ms): ${FAULTS.map((f) => `${f.name} ${Math.max(...cells.filter((c) => c.fault === f.name).map((c) => c.ms))}`).join(', ')}`);
    const failed = cells.filter((c) => !c.pass);
    assert.deepEqual(failed.map((c) => `${c.fault} / ${c.op}: ${c.problems.join('; ')}`), []);
  });
});
