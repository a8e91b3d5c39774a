// The CMF REST client over HTTPS: trust (custom CA), hostname checks, expired certificates, mTLS, the
// insecure switch, TLS configuration errors, and an HTTP CONNECT proxy from HTTPS_PROXY that must keep
// our TLS settings. Every key and certificate is made by `openssl` at test time in a temp dir.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import { CmfClient, type CmfClientOptions } from '../../cmf-client/src/client';
import { CmfError } from '../../cmf-client/src/errors';
import { hasOpenssl, makePki, PASSPHRASE, type Pki } from './pki';
import { recordingHttpProxy, type RecordingHttpProxy } from './http-proxy';
import { proxyFor, type CmfConnection, type CmfWarning } from '../../cmf-client/src/connection';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
for (const v of PROXY_VARS) delete process.env[v];

const TOKEN = 'tls-token-0c0ffee-secret';

interface Server {
  url: string;
  port: number;
  requests: { url: string; authorization?: string; clientCn?: string }[];
  close(): Promise<void>;
}

async function httpsServer(options: https.ServerOptions): Promise<Server> {
  const requests: Server['requests'] = [];
  const server = https.createServer(options, (req, res) => {
    const peer = (req.socket as tls.TLSSocket).getPeerCertificate?.();
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization, clientCn: peer && 'subject' in peer ? String(peer.subject?.CN ?? '') || undefined : undefined });
    const body = JSON.stringify({ name: 'dev', kubernetesNamespace: 'flink-dev' });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function rejects(p: Promise<unknown>): Promise<CmfError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CmfError, `expected a CmfError, got ${inspect(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

const fast: CmfClientOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

describe('CmfClient over HTTPS', { skip: hasOpenssl ? false : 'openssl is not installed' }, () => {
  let pki: Pki;
  let good: Server;
  let mismatch: Server;
  let expired: Server;
  let mtls: Server;
  let keyBody: string;

  /** Secrets that must never appear in anything an error exposes. */
  function assertNoSecrets(e: unknown): void {
    const err = e as Error & { cause?: unknown };
    const text = [String(err), err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), inspect(err.cause, { depth: 10 })].join('\n');
    assert.ok(!text.includes('PRIVATE KEY'), 'no PEM key block');
    assert.ok(!text.includes(keyBody), 'no key material');
    assert.ok(!text.includes(PASSPHRASE), 'no passphrase');
    assert.ok(!text.includes(TOKEN), 'no token');
  }

  function client(url: string, conn: Partial<CmfConnection> = {}, opts: CmfClientOptions = {}): CmfClient {
    return new CmfClient({ url, token: TOKEN, ...conn }, { ...fast, ...opts });
  }

  before(async () => {
    pki = makePki();
    keyBody = readFileSync(pki.clientKey, 'utf8').split('\n')[5] ?? 'x'.repeat(64);
    const key = readFileSync(pki.serverKey);
    good = await httpsServer({ key, cert: readFileSync(pki.serverCert) });
    mismatch = await httpsServer({ key, cert: readFileSync(pki.mismatchCert) });
    expired = await httpsServer({ key, cert: readFileSync(pki.expiredCert) });
    mtls = await httpsServer({ key, cert: readFileSync(pki.serverCert), ca: readFileSync(pki.ca), requestCert: true, rejectUnauthorized: true });
  });
  after(async () => {
    await Promise.all([good, mismatch, expired, mtls].filter(Boolean).map((s) => s.close()));
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it('works when the CA that issued the server certificate is trusted', async () => {
    const c = client(good.url, { caPath: pki.ca });
    const env = await c.getEnvironment('dev');
    assert.equal(env.kubernetesNamespace, 'flink-dev');
    assert.equal(good.requests.at(-1)!.authorization, `Bearer ${TOKEN}`);
    await c.close();
  });

  it('fails with a tls error saying the certificate is not trusted (wrong CA, no CA)', async () => {
    for (const conn of [{ caPath: pki.otherCa }, {}]) {
      const before = good.requests.length;
      const c = client(good.url, conn);
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'tls');
      assert.match(e.message, /TLS error: the certificate of 127\.0\.0\.1:\d+ is not trusted/);
      assert.match(e.message, /caPath/);
      assert.equal(e.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      assert.equal(e.attempts, 1, 'TLS errors are not retried');
      assert.equal(good.requests.length, before, 'no request reached the server');
      assertNoSecrets(e);
      await c.close();
    }
  });

  it('fails with a tls error on a hostname mismatch', async () => {
    const c = client(mismatch.url, { caPath: pki.ca });
    const e = await rejects(c.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.equal(e.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.match(e.message, /hostname mismatch/);
    assert.match(e.message, /127\.0\.0\.1/);
    assertNoSecrets(e);
    await c.close();
  });

  it('fails with a tls error on an expired certificate', async () => {
    const c = client(expired.url, { caPath: pki.ca });
    const e = await rejects(c.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.equal(e.code, 'CERT_HAS_EXPIRED');
    assert.match(e.message, /has expired/);
    assertNoSecrets(e);
    await c.close();
  });

  it('mTLS: without a client certificate fails clearly; with one it works', async () => {
    const without = client(mtls.url, { caPath: pki.ca });
    const e = await rejects(without.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /requires a client certificate/);
    assert.match(e.message, /clientCertPath and clientKeyPath/);
    assert.equal(e.attempts, 1);
    assertNoSecrets(e);
    await without.close();

    const withCert = client(mtls.url, { caPath: pki.ca, clientCertPath: pki.clientCert, clientKeyPath: pki.clientKey });
    assert.equal((await withCert.getEnvironment('dev')).name, 'dev');
    assert.equal(mtls.requests.at(-1)!.clientCn, 'cmf-user');
    await withCert.close();
  });

  it('mTLS with an encrypted key: the passphrase works; a wrong one is a clear error without secrets', async () => {
    const ok = client(mtls.url, { caPath: pki.ca, clientCertPath: pki.clientCert, clientKeyPath: pki.clientKeyEncrypted, clientKeyPassphrase: PASSPHRASE });
    assert.equal((await ok.getEnvironment('dev')).name, 'dev');
    await ok.close();

    const bad = client(mtls.url, { caPath: pki.ca, clientCertPath: pki.clientCert, clientKeyPath: pki.clientKeyEncrypted, clientKeyPassphrase: 'wrong-passphrase-1' });
    const e = await rejects(bad.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /could not be decrypted/);
    assert.ok(e.message.includes(pki.clientKeyEncrypted));
    assert.ok(!e.message.includes('wrong-passphrase-1'));
    assertNoSecrets(e);
    await bad.close();
  });

  it('names TLS files that cannot be read, and an incomplete cert/key pair', async () => {
    const missing = join(pki.dir, 'nope.pem');
    let c = client(good.url, { caPath: missing });
    let e = await rejects(c.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.ok(e.message.includes(missing) && /caPath/.test(e.message) && /no such file/.test(e.message), e.message);
    await c.close();

    c = client(mtls.url, { caPath: pki.ca, clientCertPath: pki.clientCert });
    e = await rejects(c.getEnvironment('dev'));
    assert.match(e.message, /clientKeyPath is not/);
    await c.close();

    c = client(mtls.url, { caPath: pki.ca, clientCertPath: pki.clientCert, clientKeyPath: pki.serverKey });
    e = await rejects(c.getEnvironment('dev'));
    assert.equal(e.kind, 'tls');
    assert.match(e.message, /does not belong to the client certificate/);
    assertNoSecrets(e);
    await c.close();
  });

  it('a server that drops the connection during the TLS handshake is a tls error', async () => {
    for (const drop of ['close', 'reset'] as const) {
      const server = net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => (drop === 'reset' ? socket.resetAndDestroy() : socket.destroy()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const c = client(`https://127.0.0.1:${port}`, { caPath: pki.ca });
      const e = await rejects(c.getEnvironment('dev'));
      assert.equal(e.kind, 'tls', `${drop}: ${e.message}`);
      assert.match(e.message, /during the TLS handshake/);
      assert.match(e.message, /client certificate/);
      assert.equal(e.attempts, 1);
      await c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('insecureSkipVerify connects to an untrusted server and warns', async () => {
    const warnings: CmfWarning[] = [];
    const c = client(mismatch.url, { insecureSkipVerify: true }, { onWarning: (w) => warnings.push(w) });
    assert.equal((await c.getEnvironment('dev')).name, 'dev');
    await c.getEnvironment('dev');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'insecure-skip-verify');
    assert.match(warnings[0].message, /verification is disabled/);
    assert.ok(!warnings[0].message.includes(TOKEN));
    await c.close();
  });

  describe('through an HTTP CONNECT proxy from the environment', () => {
    // CMF is addressed as cmf.test (a name the proxy resolves to 127.0.0.1, and the server certificate lists):
    // loopback itself is never reached through a proxy.
    let proxy: RecordingHttpProxy;
    const saved: Record<string, string | undefined> = {};
    const viaName = (s: Server) => `https://cmf.test:${s.port}`;
    before(async () => {
      proxy = await recordingHttpProxy();
      for (const v of PROXY_VARS) saved[v] = process.env[v];
    });
    after(async () => {
      for (const v of PROXY_VARS) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
      await proxy.close();
    });

    it('tunnels via HTTPS_PROXY and keeps the CA, client certificate, verification and the token private', async () => {
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = '';
      const c = client(viaName(mtls), { caPath: pki.ca, clientCertPath: pki.clientCert, clientKeyPath: pki.clientKey });
      assert.equal((await c.getEnvironment('dev')).name, 'dev');
      assert.deepEqual(proxy.connects, [`cmf.test:${mtls.port}`]);
      assert.equal(mtls.requests.at(-1)!.clientCn, 'cmf-user');
      assert.equal(mtls.requests.at(-1)!.authorization, `Bearer ${TOKEN}`);
      assert.ok(!proxy.seen().includes(TOKEN), 'the proxy saw only encrypted bytes');
      await c.close();

      const untrusted = client(viaName(good), { caPath: pki.otherCa });
      const e = await rejects(untrusted.getEnvironment('dev'));
      assert.equal(e.kind, 'tls');
      assert.match(e.message, /not trusted/);
      assert.equal(proxy.connects.at(-1), `cmf.test:${good.port}`);
      await untrusted.close();

      const hostname = client(viaName(mismatch), { caPath: pki.ca });
      const e2 = await rejects(hostname.getEnvironment('dev'));
      assert.equal(e2.kind, 'tls');
      await hostname.close();
    });

    it('bypasses the proxy for hosts in NO_PROXY, and for loopback whatever NO_PROXY says', async () => {
      process.env.HTTPS_PROXY = proxy.url;
      process.env.NO_PROXY = 'cmf.example.com';
      const before = proxy.connections;
      const c = client(good.url, { caPath: pki.ca });
      assert.equal((await c.getEnvironment('dev')).name, 'dev');
      assert.equal(proxy.connections, before);
      await c.close();
      // A name in NO_PROXY (checked without connecting: cmf.test resolves only inside the proxy).
      process.env.NO_PROXY = '.example.com, cmf.test:' + good.port;
      assert.equal(proxyFor(new URL(viaName(good))), undefined);
      assert.equal(proxyFor(new URL(`https://cmf.test:${good.port === 1 ? 2 : 1}`))?.source, 'HTTPS_PROXY', 'another port is proxied');
      assert.equal(proxyFor(new URL('https://a.b.example.com')), undefined);
    });
  });
});
