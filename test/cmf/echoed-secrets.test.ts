/**
 * A server that echoes the bearer token it received, in successful answers (a pool's warning and labels, a
 * statement's detail and SQL, the Flink web UI's pages) and in error bodies, as it is and disguised: base64 (at
 * any alignment, standard and URL-safe), lower and upper case, split by zero-width characters, percent-encoded.
 * Nothing any rendering shows may carry it: the CLI's tables, -o json and -o yaml, error messages, and the web UI
 * forward's answers to the browser.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { CmfError, redactText } from '../../cmf-client/src/errors';
import { startWebUiForward } from '../../client/src/commands/web-ui-forward';
import { json, serve, type TestServer } from './recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.Echoed-Secret-4f7a.c2lnbmF0dXJl';
const ENV = 'dev';

/** The disguises a server can put the token in. */
function disguises(token: string, received = token): string[] {
  const zw = [...received].join('\u200b');
  return [
    received,
    received.toLowerCase(),
    received.toUpperCase(),
    zw,
    [...received].join('\u2060\u00ad'),
    Buffer.from(received).toString('base64'),
    Buffer.from(`x${received}`).toString('base64'),
    Buffer.from(`xy${received}`).toString('base64url'),
    Buffer.from(`Bearer ${received}`).toString('base64'),
    encodeURIComponent(received).replace(/[A-Za-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
  ];
}

/** Does `text` carry the token in any of those forms (looked for the same way, independently of the product)? */
function leaks(text: string, token = TOKEN): string | undefined {
  const plain = text.replace(/[\u00ad\u200b-\u200f\u2060-\u206f\ufeff]/g, '');
  const decoded = plain.replace(/(%[0-9a-f]{2})+/gi, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
  if (decoded.toLowerCase().includes(token.toLowerCase())) return 'plain, case-folded, split or percent-encoded';
  for (const k of [0, 1, 2]) {
    const enc = Buffer.concat([Buffer.alloc(k), Buffer.from(token)]).toString('base64');
    const core = enc.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + token.length)) / 6));
    if (text.includes(core) || text.includes(core.replace(/\+/g, '-').replace(/\//g, '_'))) return `base64 (alignment ${k})`;
  }
  // The escapes the CLI prints for invisible characters (\u200B) must not hide a split token either.
  const unescaped = text.replace(/\\u(200[B-F]|206[0-F]|00AD|FEFF)/gi, '');
  if (unescaped !== text) return leaks(unescaped, token);
  return undefined;
}

function assertNoLeak(where: string, text: string): void {
  const how = leaks(text);
  assert.equal(how, undefined, `${where} carries the token (${how}):\n${text.slice(0, 2000)}`);
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

let server: TestServer;

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, '--url', server.url, '--environment', ENV], { env: { PATH: process.env.PATH ?? '', CMF_POOLS_TOKEN: TOKEN }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

before(async () => {
  server = await serve((req, res) => {
    const received = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const echo = disguises(TOKEN, received).join(' | ');
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace('/cmf/api/v1/environments', '');
    const first = url.searchParams.get('page') === '0';
    const pool = { ...namedSharedPool('echo'), metadata: { name: 'echo', labels: { seen: received, [received]: 'key' } }, status: { phase: 'RUNNING', message: `authorized as ${echo}`, warning: echo } };
    if (p === `/${ENV}/compute-pools`) return json(res, 200, { items: first ? [pool] : [] });
    if (p === `/${ENV}/compute-pools/echo`) return json(res, 200, pool);
    if (p === `/${ENV}/statements`) {
      const st = { apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: 'st' }, spec: { statement: `SELECT '${received}'`, computePoolName: 'echo' }, status: { phase: 'RUNNING', detail: echo } };
      return json(res, 200, { items: first ? [st] : [] });
    }
    if (p.startsWith(`/${ENV}/compute-pools/echo/flink-web-ui/`)) {
      if (p.endsWith('/logo.png')) {
        res.writeHead(200, { 'content-type': 'image/png' });
        return void res.end(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from(received)]));
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(`<html><body><script>const token = "${received}"; // ${echo}</script></body></html>`);
    }
    json(res, 500, { errors: [{ message: `cannot handle it: ${echo}` }] });
  });
});
after(async () => {
  await server.close();
});

describe('a token echoed by the server is never shown, in any disguise', () => {
  it('redactText finds every disguise (and leaves other text alone)', () => {
    for (const d of disguises(TOKEN)) {
      const out = redactText(`before ${d} after`, [TOKEN]);
      assert.equal(leaks(out), undefined, `${JSON.stringify(d)} → ${JSON.stringify(out)}`);
      assert.match(out, /^before .*\[REDACTED\].* after$/);
    }
    assert.equal(redactText('nothing secret here: eyJhbGciOiJSUzI1NiJ9', [TOKEN]), 'nothing secret here: eyJhbGciOiJSUzI1NiJ9');
  });

  it('list, statements, get -o yaml and -o json: 200 bodies that carry it', async () => {
    for (const args of [['list'], ['list', '-o', 'yaml'], ['statements'], ['statements', '-o', 'json'], ['get', 'echo'], ['get', 'echo', '-o', 'yaml']]) {
      const r = await run(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assertNoLeak(args.join(' '), r.out + r.err);
      assert.match(r.out + r.err, /REDACTED/, args.join(' '));
    }
  });

  it('an error body that carries it disguised', async () => {
    const r = await run(['get', 'other']);
    assert.equal(r.code, 1);
    assert.match(r.err, /HTTP 500/);
    assertNoLeak('error', r.out + r.err);
    const c = new CmfClient({ url: server.url, token: TOKEN });
    const e = await c.getComputePool(ENV, 'other').catch((x: unknown) => x as CmfError);
    assert.ok(e instanceof CmfError);
    assertNoLeak('CmfError', [e.message, ...e.cmfMessages, e.bodyExcerpt ?? ''].join('\n'));
    await c.close();
  });

  it('the Flink web UI forward: a page that carries it reaches the browser without it; a binary answer that carries it is withheld', async () => {
    const client = new CmfClient({ url: server.url, token: TOKEN });
    const fwd = await startWebUiForward({ client, environment: ENV, pool: 'echo', checkIntervalMs: 60_000 });
    try {
      const get = (p: string) =>
        new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
          http.get(fwd.url + p, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          }).on('error', reject);
        });
      const page = await get('index.html');
      assert.equal(page.status, 200);
      assertNoLeak('web UI page', page.body.toString('utf8'));
      assert.match(page.body.toString('utf8'), /<script>const token = "\[REDACTED\]";/);
      const logo = await get('logo.png');
      assert.equal(logo.status, 502);
      assertNoLeak('web UI image', logo.body.toString('latin1'));
    } finally {
      await fwd.stop();
      await client.close();
    }
  });
});
