/**
 * Proxies, against a recording HTTP proxy (http-proxy.ts) and real servers on 127.0.0.1: the CLI (the built
 * dist/cli.js in a child process, with the proxy in its environment) and the REST client in process.
 *
 * - Loopback (`localhost`, 127.0.0.0/8, ::1) never goes through a proxy, whatever HTTP_PROXY / HTTPS_PROXY say.
 * - A bearer token is never sent in clear text to a proxy: an http:// CMF that the proxy would carry is refused
 *   before anything is sent.
 * - A proxy that fails (nothing listening, a TLS error with an https:// proxy, a refusal, a malformed URL) is named
 *   as the culprit, by its variable and without its password, instead of CMF.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { CmfClient } from '../../cmf-client/src/client';
import { CmfError } from '../../cmf-client/src/errors';
import { startLocalCmf, type LocalCmf } from '../../local-cmf/src/server';
import { closedPort, recordingHttpProxy, type RecordingHttpProxy } from './http-proxy';
import { makePki, type Pki } from './pki';
import { readFileSync, rmSync } from 'node:fs';
import { json, serve, type TestServer } from './recording-server';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const TOKEN = 'proxy-test-token-7d3a91c4';
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
for (const v of PROXY_VARS) delete process.env[v];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

/** Runs `fn` with these proxy variables set in this process (the client reads them), and restores them after. */
async function withProxyEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARS.map((v) => [v, process.env[v]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const v of PROXY_VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  }
}

async function rejects(p: Promise<unknown>): Promise<CmfError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CmfError, `expected a CmfError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

let proxy: RecordingHttpProxy;
let cmf: LocalCmf;
let plain: TestServer;

before(async () => {
  proxy = await recordingHttpProxy();
  cmf = await startLocalCmf({ token: TOKEN, phaseDelayMs: 0 });
  plain = await serve((_req, res) => json(res, 200, { name: 'dev', kubernetesNamespace: 'flink-dev' }));
});
after(async () => {
  await proxy.close();
  await cmf.close();
  await plain.close();
});

describe('loopback never goes through a proxy', () => {
  it('cmf-pools list --url http://127.0.0.1:PORT with HTTP_PROXY and HTTPS_PROXY set: the proxy sees nothing, the token stays on the machine', async () => {
    const r = await run(['list', '--url', cmf.url, '--environment', 'development'], {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      http_proxy: proxy.url,
      CMF_POOLS_TOKEN: TOKEN,
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^interactive\s+SHARED/m);
    assert.equal(proxy.connections, 0, `the proxy saw: ${proxy.seen()}`);
    assert.ok(!proxy.seen().includes(TOKEN));
  });

  it('the client goes direct to localhost, 127.x.y.z and [::1], and a NO_PROXY that does not name them changes nothing', async () => {
    await withProxyEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'cmf.example.com' }, async () => {
      for (const url of [plain.url, `http://localhost:${plain.port}`, `http://LOCALHOST:${plain.port}`]) {
        const c = new CmfClient({ url, token: TOKEN });
        assert.equal((await c.getEnvironment('dev')).name, 'dev', url);
        await c.close();
      }
    });
    assert.equal(proxy.connections, 0, `the proxy saw: ${proxy.seen()}`);
  });
});

describe('a bearer token is never sent in clear text to a proxy', () => {
  it('an http:// CMF that the proxy would carry: refused before anything is sent, naming the proxy variable', async () => {
    const before = proxy.connections;
    const reached = plain.requests.length;
    const url = `http://cmf.test:${plain.port}`;
    await withProxyEnv({ HTTP_PROXY: proxy.url }, async () => {
      const c = new CmfClient({ url, token: TOKEN });
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, /clear text/);
      assert.match(e.message, /HTTP_PROXY/);
      assert.ok(!e.message.includes(TOKEN));
      await c.close();
    });
    assert.equal(proxy.connections, before, `the proxy saw: ${proxy.seen()}`);
    assert.ok(!proxy.seen().includes(TOKEN));
    assert.equal(plain.requests.length, reached, 'no request reached CMF');

    const cli = await run(['list', '--url', url, '--environment', 'dev'], { HTTP_PROXY: proxy.url, CMF_POOLS_TOKEN: TOKEN });
    assert.equal(cli.code, 1, cli.err);
    assert.match(cli.err, /clear text.*HTTP_PROXY/s);
    assert.ok(!cli.err.includes(TOKEN) && !cli.out.includes(TOKEN));
    assert.equal(proxy.connections, before, `the proxy saw: ${proxy.seen()}`);
  });

  it('without a token, an http:// CMF goes through the proxy (nothing secret to carry)', async () => {
    await withProxyEnv({ HTTP_PROXY: proxy.url }, async () => {
      const c = new CmfClient({ url: `http://cmf.test:${plain.port}` });
      assert.equal((await c.getEnvironment('dev')).name, 'dev');
      await c.close();
    });
    assert.ok(proxy.connects.includes(`cmf.test:${plain.port}`) || proxy.forwarded.some((f) => f.includes(`cmf.test:${plain.port}`)), proxy.seen());
  });
});

describe('a failing proxy is named, by its variable and without its password, not CMF', () => {
  const PASSWORD = 'proxy-pass-w0rd';
  let pki: Pki;
  let tlsProxy: RecordingHttpProxy;
  let refusing: RecordingHttpProxy;
  before(async () => {
    pki = makePki();
    // An https:// proxy whose certificate no trust store here knows (the test CA is not Node's).
    tlsProxy = await recordingHttpProxy({ tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) } });
    refusing = await recordingHttpProxy({ refuse: { status: 407, message: 'Proxy Authentication Required' } });
  });
  after(async () => {
    await tlsProxy.close();
    await refusing.close();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  const cmfUrl = () => `https://cmf.test:${plain.port}`;
  function noPassword(text: string): void {
    assert.ok(!text.includes(PASSWORD), `the proxy's password is not shown: ${text}`);
  }

  it('nothing listening at HTTPS_PROXY: "the proxy ... (HTTPS_PROXY) refused the connection", not "is CMF running"', async () => {
    const port = await closedPort();
    await withProxyEnv({ HTTPS_PROXY: `http://user:${PASSWORD}@127.0.0.1:${port}` }, async () => {
      const c = new CmfClient({ url: cmfUrl(), token: TOKEN });
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, new RegExp(`proxy http://127\\.0\\.0\\.1:${port} \\(HTTPS_PROXY\\) refused the connection`));
      assert.doesNotMatch(e.message, /is CMF running|Connection refused by https:\/\/cmf/);
      noPassword(e.message);
      await c.close();
    });
    const cli = await run(['list', '--url', cmfUrl(), '--environment', 'dev'], { HTTPS_PROXY: `http://user:${PASSWORD}@127.0.0.1:${port}` });
    assert.equal(cli.code, 1, cli.err);
    assert.match(cli.err, /proxy http:\/\/127\.0\.0\.1:\d+ \(HTTPS_PROXY\) refused the connection/);
    assert.doesNotMatch(cli.err, /is CMF running/);
    noPassword(cli.err + cli.out);
  });

  it('an https:// proxy with an untrusted certificate: a TLS error talking to the proxy, not to CMF', async () => {
    await withProxyEnv({ https_proxy: tlsProxy.url }, async () => {
      const c = new CmfClient({ url: cmfUrl(), token: TOKEN });
      const e = await rejects(c.getEnvironment('dev'));
      assert.match(e.message, new RegExp(`TLS error talking to the proxy ${tlsProxy.url.replace(/\./g, '\\.')} \\(https_proxy\\)`));
      assert.doesNotMatch(e.message, /talking to cmf\.test/);
      await c.close();
    });
    assert.equal(tlsProxy.connects.length, 0, 'no CONNECT was sent over the failed handshake');
  });

  it('a proxy that refuses the tunnel (407): says so, names it and how to give it credentials', async () => {
    await withProxyEnv({ HTTPS_PROXY: refusing.url }, async () => {
      const c = new CmfClient({ url: cmfUrl(), token: TOKEN });
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, new RegExp(`proxy ${refusing.url.replace(/\./g, '\\.')} \\(HTTPS_PROXY\\) refused to open a tunnel to cmf\\.test:${plain.port}: HTTP 407`));
      assert.match(e.message, /user:password@/);
      await c.close();
    });
  });

  it('a malformed proxy URL: a usage error naming the variable (exit 2), without its password; the client says the same', async () => {
    const bad = `http://user:${PASSWORD}@[::1`;
    const cli = await run(['list', '--url', cmfUrl(), '--environment', 'dev'], { HTTPS_PROXY: bad });
    assert.equal(cli.code, 2, cli.err);
    assert.match(cli.err, /HTTPS_PROXY is not a valid proxy URL/);
    assert.doesNotMatch(cli.err, /unexpected failure|Invalid URL/);
    noPassword(cli.err + cli.out);
    const socks = await run(['list', '--url', cmfUrl(), '--environment', 'dev'], { https_proxy: 'socks5://127.0.0.1:1080' });
    assert.equal(socks.code, 2, socks.err);
    assert.match(socks.err, /https_proxy: .*only http:\/\/ and https:\/\/ proxies/);
    await withProxyEnv({ HTTPS_PROXY: bad }, async () => {
      const c = new CmfClient({ url: cmfUrl(), token: TOKEN });
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, /HTTPS_PROXY is not a valid proxy URL/);
      noPassword(e.message);
      await c.close();
    });
  });
});
