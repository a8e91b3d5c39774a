/**
 * Listing a large environment through the local CMF: 2,000 compute pools and 20,000 statements. The local CMF
 * runs in its own process (as CMF would), seeded through its model's create methods. Three ways, in the same
 * run against the same server:
 *   - CmfClient (what `cmf-pools list` / `statements` and the explorer use): pagination, timeouts, retries;
 *   - a plain sequential fetch of the same pages (undici `request`, JSON.parse, nothing else): the floor;
 *   - the built CLI end to end (`dist/cli.js list -o json`, `statements -o json`), process start included.
 * Wall time (median of the rounds) and the number of HTTP requests each made. Run with `npm run bench`.
 * Figures, not assertions.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { CmfClient, DEFAULT_PAGE_SIZE } from '../cmf-client/src/client';
import { startLocalCmf } from '../local-cmf/src/server';

const POOLS = 2000;
const STATEMENTS = 20_000;
/** Rounds of each measure (BENCH_ROUNDS overrides): the local CMF takes a while per page at this size. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS) || 3);
/** Requests made before measuring, so the server's and client's first-request costs (JIT, connections) are not counted. */
const WARM_UP_PAGES = 5;
const ENV = 'scale';
const CLI = path.resolve(__dirname, '../dist/cli.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** In a child process: the local CMF seeded with the big environment; prints its URL, then serves until killed. */
async function serve(): Promise<void> {
  const t0 = performance.now();
  const cmf = await startLocalCmf({ seed: 'empty', phaseDelayMs: 0 });
  const store = cmf.store;
  store.upsertEnvironment({ name: ENV, kubernetesNamespace: 'scale-ns' });
  for (let i = 0; i < POOLS; i++) {
    store.createPool(ENV, {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name: `pool-${String(i).padStart(4, '0')}`, labels: { team: `team-${i % 17}` } },
      spec: {
        type: 'DEDICATED',
        clusterSpec: {
          flinkVersion: 'v1_19',
          image: 'confluentinc/cp-flink-sql:1.19-cp7',
          flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2', 'execution.checkpointing.interval': '30s' },
          taskManager: { resource: { cpu: 1, memory: '2048m' } },
          jobManager: { resource: { cpu: 0.5, memory: '1024m' } },
        },
      },
    });
  }
  for (let i = 0; i < STATEMENTS; i++) {
    store.createStatement(ENV, {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'Statement',
      metadata: { name: `stmt-${String(i).padStart(5, '0')}` },
      spec: {
        statement: `INSERT INTO sink_${i % 50} SELECT * FROM source_${i % 50} WHERE id % ${POOLS} = ${i % POOLS};`,
        computePoolName: `pool-${String(i % POOLS).padStart(4, '0')}`,
        properties: { 'sql.current-catalog': 'cat', 'sql.current-database': 'db' },
      },
    });
  }
  store.settle();
  process.stdout.write(`${cmf.url} ${Math.round(performance.now() - t0)}\n`);
  // Go when the bench does, however it ends.
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 500).unref();
}

/** Starts the server process and reads its URL. */
function startServer(): Promise<{ url: string; seededMs: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local CMF process exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const [url, ms] = line.split(' ');
      resolve({ url, seededMs: Number(ms), stop: () => child.kill() });
    });
  });
}

async function main(): Promise<void> {
  for (const v of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[v];
  const server = await startServer();
  try {
    await measure(server);
  } finally {
    server.stop();
  }
}

async function measure(server: { url: string; seededMs: number }): Promise<void> {
  const cmf = { url: server.url };
  const seeded = server.seededMs;

  const paths = {
    pools: `/cmf/api/v1/environments/${ENV}/compute-pools`,
    statements: `/cmf/api/v1/environments/${ENV}/statements`,
  };

  // CmfClient, counting requests through its log.
  let clientRequests = 0;
  const client = new CmfClient({ url: cmf.url, timeoutMs: 120_000 }, { requestLog: () => void clientRequests++ });
  async function viaClient(): Promise<{ pools: number; statements: number }> {
    const pools = await client.listComputePools(ENV);
    const statements = await client.listStatements(ENV);
    return { pools: pools.length, statements: statements.length };
  }

  // Plain sequential fetch of the same pages (same page size, same stop rule: a short page ends the list).
  let plainRequests = 0;
  async function fetchAll(p: string): Promise<number> {
    let n = 0;
    for (let page = 0; ; page++) {
      plainRequests++;
      const res = await request(`${cmf.url}${p}?page=${page}&size=${DEFAULT_PAGE_SIZE}`);
      const body = (await res.body.json()) as { items?: unknown[] };
      const items = body.items ?? [];
      n += items.length;
      if (items.length < DEFAULT_PAGE_SIZE) return n;
    }
  }
  async function plain(): Promise<{ pools: number; statements: number }> {
    return { pools: await fetchAll(paths.pools), statements: await fetchAll(paths.statements) };
  }

  // The CLI, end to end.
  const cliAvailable = existsSync(CLI);
  function cli(args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(process.execPath, [CLI, ...args, '--url', cmf.url, '--environment', ENV, '-o', 'json'], { maxBuffer: 512 * 1024 * 1024, env: { PATH: process.env.PATH ?? '' } }, (e, out) =>
        e ? reject(e) : resolve(out),
      ),
    );
  }
  async function viaCli(): Promise<{ pools: number; statements: number }> {
    const pools = JSON.parse(await cli(['list'])) as unknown[];
    const statements = JSON.parse(await cli(['statements'])) as unknown[];
    return { pools: pools.length, statements: statements.length };
  }

  const measures: { name: string; run: () => Promise<{ pools: number; statements: number }>; requests: () => number }[] = [
    { name: 'CmfClient (listComputePools + listStatements)', run: viaClient, requests: () => clientRequests },
    { name: 'plain sequential fetch of the same pages', run: plain, requests: () => plainRequests },
  ];
  if (cliAvailable) measures.push({ name: 'cmf-pools list + statements (-o json), processes included', run: viaCli, requests: () => 0 });

  console.log(`Listing ${POOLS} compute pools and ${STATEMENTS} statements through the local CMF (page size ${DEFAULT_PAGE_SIZE}), Node ${process.version}, ${process.arch}.`);
  console.log(`Seeding the local CMF (its own process) took ${(seeded / 1000).toFixed(1)} s. Median of ${ROUNDS} rounds, each way in turn in the same run.\n`);
  const samples = measures.map(() => [] as number[]);
  const requestsPerRound = measures.map(() => 0);
  // Request counts: the CLI's are the same as the client's (it is the client); the other two are counted.
  for (let i = 0; i < WARM_UP_PAGES; i++) {
    await client.listComputePools(ENV);
    await (await request(`${cmf.url}${paths.statements}?page=${i}&size=${DEFAULT_PAGE_SIZE}`)).body.json();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < measures.length; i++) {
      const m = measures[i];
      const startCount = m.requests();
      const t = performance.now();
      const got = await m.run();
      const ms = performance.now() - t;
      if (got.pools !== POOLS || got.statements !== STATEMENTS) throw new Error(`${m.name}: got ${got.pools} pools and ${got.statements} statements`);
      samples[i].push(ms);
      requestsPerRound[i] = m.requests() - startCount;
    }
  }
  const rows = [['measure', 'median ms', 'requests', 'ms/request']];
  measures.forEach((m, i) => {
    const requests = i === 2 ? requestsPerRound[0] : requestsPerRound[i];
    rows.push([m.name, median(samples[i]).toFixed(0), `${requests}${i === 2 ? ' (same client)' : ''}`, (median(samples[i]) / requests).toFixed(1)]);
  });
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   '));
  const ratio = median(samples[0]) / median(samples[1]);
  console.log(`\nCmfClient / plain fetch: ${ratio.toFixed(2)}×`);
  await client.close();
}

if (process.argv[2] === '--serve') {
  void serve();
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
