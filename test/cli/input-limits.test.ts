/**
 * Unbounded input. `lint -` and `apply -f -` with standard input from /dev/zero, a file argument that never ends
 * (/dev/zero) and a file over the limit: each stops at the limit with a message naming it (exit 2), quickly, instead
 * of reading gigabytes. A list whose pages never end, each well under the per-page cap: the client stops once the
 * whole list passes its cap and says so (the CLI exits 1), instead of reading 1,000 pages into memory.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { CmfError } from '../../cmf-client/src/errors';
import { json, serve, type TestServer } from '../cmf/recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** Runs the CLI with standard input from `stdinFile` (or closed), killing it after 20 s. */
function run(args: string[], cwd: string, stdinFile?: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const fd = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: [fd, 'pipe', 'pipe'] });
    if (typeof fd === 'number') closeSync(fd);
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    });
  });
}

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-limits-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('standard input and files are read up to a limit', () => {
  it('lint - and apply -f - with standard input from /dev/zero stop at 16 MiB, saying so (exit 2)', async () => {
    const lint = await run(['lint', '-'], dir, '/dev/zero');
    assert.equal(lint.code, 2, lint.err);
    assert.match(lint.err, /standard input holds more than 16 MiB/);
    assert.ok(lint.ms < 10_000, `took ${lint.ms} ms`);
    const apply = await run(['apply', '-f', '-', '--url', 'http://127.0.0.1:1', '--environment', 'dev'], dir, '/dev/zero');
    assert.equal(apply.code, 2, apply.err);
    assert.match(apply.err, /standard input holds more than 16 MiB/);
  });

  it('a file that never ends (/dev/zero) and a file over the limit are refused the same way; a file under it is read', async () => {
    const zero = await run(['lint', '/dev/zero'], dir);
    assert.equal(zero.code, 2, zero.err);
    assert.match(zero.err, /cannot read \/dev\/zero: it holds more than 16 MiB/);
    writeFileSync(path.join(dir, 'big.pool.json'), JSON.stringify({ ...namedSharedPool('big'), metadata: { name: 'big', annotations: { blob: 'x'.repeat(17 * 1024 * 1024) } } }));
    const big = await run(['apply', '-f', 'big.pool.json', '--url', 'http://127.0.0.1:1', '--environment', 'dev'], dir);
    assert.equal(big.code, 2, big.err);
    assert.match(big.err, /cannot read big\.pool\.json: it holds more than 16 MiB/);
    writeFileSync(path.join(dir, 'ok.pool.json'), JSON.stringify(namedSharedPool('ok')));
    const ok = await run(['lint', 'ok.pool.json'], dir);
    assert.equal(ok.code, 0, ok.out + ok.err);
  });
});

describe('a list is read up to a limit on the whole, not only per page', () => {
  let server: TestServer;
  const HALF_MB = 512 * 1024;
  before(async () => {
    // Pages of about 0.5 MB that never end, each different (so the client does not take one for a repeat).
    server = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
      const item = { ...namedSharedPool(`p${page}`), metadata: { name: `p${page}`, annotations: { blob: 'x'.repeat(HALF_MB) } }, status: { phase: 'RUNNING' } };
      json(res, 200, { items: [item] });
    });
  });
  after(() => server.close());

  it('the client stops when the list passes its cap and says how far it got', async () => {
    const c = new CmfClient({ url: server.url }, { maxListBytes: 4 * 1024 * 1024 });
    const before = server.requests.length;
    const e = await c.listComputePools('dev').catch((x: unknown) => x as CmfError);
    assert.ok(e instanceof CmfError);
    assert.equal(e.kind, 'invalid-response');
    assert.match(e.message, /the list of compute pools in environment 'dev' passed 4 MiB at page 8 \(7 items before it\); stopped reading/);
    assert.equal(server.requests.length - before, 8);
    await c.close();
  });

  it('cmf-pools list with the default cap: stops after 128 MiB, not 1,000 pages, and says so (exit 1)', async () => {
    const before = server.requests.length;
    const r = await run(['list', '--url', server.url, '--environment', 'dev'], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /passed 128 MiB at page \d+/);
    const pages = server.requests.length - before;
    assert.ok(pages >= 250 && pages <= 260, `${pages} pages read`);
  });
});
