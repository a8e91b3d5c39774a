/**
 * The local CMF against web pages (a security review found both): it answered any Host, so a page at a
 * DNS name rebound to 127.0.0.1 could read and change it; and it took a text/plain POST, which a page at
 * any origin may send without asking (a "simple" request), and created an environment from it. Each case
 * is a real HTTP request on loopback with the headers a browser would send (or a rebinding attacker
 * could make it send), against the server as tests use it and against the product build the extension
 * runs (dist/local-cmf.js). What must keep working: the extension's own client, curl-like requests
 * without Origin, the server's own origin, and the web UI forward (web-ui-local.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CmfClient } from '../../cmf-client/src/client';
import { startLocalCmf, type LocalCmf } from '../../local-cmf/src/server';
import { startTestLocalCmf, type TestLocalCmf } from '../../local-cmf/src/test-controls';

const V1 = '/cmf/api/v1';
const TOKEN = 'browser-test-token-4d1e';

interface Answer {
  status: number;
  text: string;
  /** The messages of CMF's error body. */
  errors: string[];
  contentType: string;
}

/** One request with exactly these headers (Node adds Host only when `headers` has none). */
function request(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const contentType = res.headers['content-type'] ?? '';
        let errors: string[] = [];
        if (contentType.startsWith('application/json') && text) errors = ((JSON.parse(text) as { errors?: { message: string }[] }).errors ?? []).map((e) => e.message);
        ok({ status: res.statusCode ?? 0, text, errors, contentType });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** HTTP/1.0 without a Host header, over a raw socket (Node's client always sends one). */
function withoutHost(port: number, path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('end', () => ok(text));
    socket.on('error', fail);
  });
}

const envBody = (name: string) => JSON.stringify({ name, kubernetesNamespace: 'flink' });

async function environments(cmf: { url: string }, token?: string): Promise<string[]> {
  const a = await request(`${cmf.url}${V1}/environments`, 'GET', token ? { authorization: `Bearer ${token}` } : {});
  assert.equal(a.status, 200, a.text);
  return (JSON.parse(a.text) as { items: { name: string }[] }).items.map((e) => e.name).sort();
}

function expectRefused(a: Answer, status: number, message: RegExp, what: string): void {
  assert.equal(a.status, status, `${what}: ${a.text}`);
  assert.match(a.contentType, /^application\/json/, what);
  assert.equal(a.errors.length, 1, what);
  assert.match(a.errors[0], message, what);
}

describe('the local CMF against web pages', () => {
  let cmf: TestLocalCmf;
  let secured: LocalCmf;
  const lines: string[] = [];
  before(async () => {
    cmf = await startTestLocalCmf({ seed: 'empty', phaseDelayMs: 0, log: (l) => lines.push(l) });
    secured = await startLocalCmf({ seed: 'demo', token: TOKEN, phaseDelayMs: 0 });
  });
  after(async () => {
    await cmf.close();
    await secured.close();
  });

  describe('DNS rebinding: only a loopback Host is answered', () => {
    test('a forged Host is refused, for reads, writes and test controls alike, with or without the token', async () => {
      const port = cmf.port;
      for (const host of ['attacker.example', `attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.2:${port}`, '0.0.0.0', `127.0.0.1:${port + 1}`, `localhost:${port + 1}`, '[::2]', `127.0.0.1:${port}@attacker.example`]) {
        const a = await request(`${cmf.url}${V1}/environments`, 'GET', { host });
        expectRefused(a, 403, /^Refused: Host '.*' is not this local CMF\. It answers only to 127\.0\.0\.1, localhost, \[::1\] \(with port \d+ or none\), so that a web page cannot reach it through another name \(DNS rebinding\)\.$/, host);
        assert.ok(a.errors[0].includes(`'${host}'`), 'names the Host it refused');
      }
      const write = await request(`${cmf.url}${V1}/environments`, 'POST', { host: `attacker.example:${port}`, 'content-type': 'application/json' }, envBody('rebound'));
      expectRefused(write, 403, /Host 'attacker\.example:\d+' is not this local CMF/, 'a write');
      const control = await request(`${cmf.url}/__test__/settle`, 'POST', { host: 'attacker.example', 'content-type': 'application/json' }, '{}');
      expectRefused(control, 403, /Host 'attacker\.example' is not this local CMF/, 'a test control');
      const withToken = await request(`${secured.url}${V1}/environments`, 'GET', { host: 'attacker.example', authorization: `Bearer ${TOKEN}` });
      expectRefused(withToken, 403, /Host 'attacker\.example'/, 'the right token does not help');
      assert.deepEqual(await environments(cmf), [], 'nothing was created');
      assert.ok(lines.some((l) => /^GET \/cmf\/api\/v1\/environments 403 \d+ms$/.test(l)), 'the refusals are in the request log');
    });

    test('a request without a Host header is refused', async () => {
      const raw = await withoutHost(cmf.port, `${V1}/environments`);
      assert.match(raw, /^HTTP\/1\.1 403 /);
      assert.match(raw, /Refused: the request has no Host header\. This local CMF answers only to 127\.0\.0\.1, localhost, \[::1\]/);
    });

    test('its loopback names are answered, with its port or none, in any case', async () => {
      for (const host of [`127.0.0.1:${cmf.port}`, `localhost:${cmf.port}`, `LocalHost:${cmf.port}`, `[::1]:${cmf.port}`, '127.0.0.1', 'localhost', '[::1]']) {
        assert.equal((await request(`${cmf.url}${V1}/environments`, 'GET', { host })).status, 200, host);
      }
    });
  });

  describe('cross-site writes: JSON only', () => {
    test('a text/plain POST (a simple request any page may send) creates nothing: 415', async () => {
      const a = await request(`${cmf.url}${V1}/environments`, 'POST', { 'content-type': 'text/plain' }, envBody('from-a-page'));
      expectRefused(a, 415, /^Refused: POST needs 'Content-Type: application\/json', not 'text\/plain'\. This local CMF accepts writes only as JSON, which a web page at another origin cannot send it\.$/, 'text/plain');
      assert.deepEqual(await environments(cmf), [], 'no environment was created');
    });

    test('the other bodies a form can send, and none at all, are refused too; PUT like POST', async () => {
      for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json', 'application/json-seq']) {
        const a = await request(`${cmf.url}${V1}/environments`, 'POST', { 'content-type': type }, envBody('from-a-form'));
        expectRefused(a, 415, new RegExp(`^Refused: POST needs 'Content-Type: application/json', not '${type.replace(/[+;=]/g, (c) => `\\${c}`)}'`), type);
      }
      const none = await request(`${cmf.url}${V1}/environments`, 'POST', {}, envBody('no-type'));
      expectRefused(none, 415, /^Refused: POST needs 'Content-Type: application\/json' \(the request has none\)\./, 'no Content-Type');
      assert.equal((await request(`${cmf.url}${V1}/environments`, 'POST', { 'content-type': 'application/json' }, envBody('staging'))).status, 200);
      const put = await request(`${cmf.url}${V1}/kubernetes-clusters/default-k8s-cluster`, 'PUT', { 'content-type': 'text/plain' }, '{}');
      expectRefused(put, 415, /^Refused: PUT needs 'Content-Type: application\/json', not 'text\/plain'/, 'PUT');
      const control = await request(`${cmf.url}/__test__/reset`, 'POST', { 'content-type': 'text/plain' }, '{}');
      expectRefused(control, 415, /^Refused: POST needs/, 'a test control');
      assert.deepEqual(await environments(cmf), ['staging'], 'only the JSON write went through');
    });

    test('application/json with parameters or in another case is JSON', async () => {
      for (const [name, type] of [['charset-env', 'application/json; charset=utf-8'], ['upper-env', 'Application/JSON']]) {
        assert.equal((await request(`${cmf.url}${V1}/environments`, 'POST', { 'content-type': type }, envBody(name))).status, 200, type);
      }
      assert.deepEqual(await environments(cmf), ['charset-env', 'staging', 'upper-env']);
    });
  });

  describe('other origins: refused when a browser says where the request comes from', () => {
    test('an Origin that is not its own is refused, for reads and writes, before anything else', async () => {
      const port = cmf.port;
      for (const origin of ['https://attacker.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost.attacker.example:${port}`, `http://127.0.0.1.nip.io:${port}`, `http://127.0.0.1:${port}.attacker.example`, 'file://']) {
        const a = await request(`${cmf.url}${V1}/environments`, 'GET', { origin });
        expectRefused(a, 403, /^Refused: a cross-origin request from Origin '.*'\. This local CMF accepts requests from web pages only from its own origin \(http:\/\/127\.0\.0\.1:\d+\); the extension, the CLI and curl send no Origin header\.$/, origin);
        assert.ok(a.errors[0].includes(`'${origin}'`), 'names the Origin it refused');
      }
      // What a page's fetch() sends: JSON is not even needed to be refused.
      const post = await request(`${cmf.url}${V1}/environments`, 'POST', { origin: 'https://attacker.example', 'content-type': 'application/json' }, envBody('cross-origin'));
      expectRefused(post, 403, /cross-origin request from Origin 'https:\/\/attacker\.example'/, 'a JSON POST');
      const preflight = await request(`${cmf.url}${V1}/environments`, 'OPTIONS', { origin: 'https://attacker.example', 'access-control-request-method': 'POST' });
      expectRefused(preflight, 403, /cross-origin request/, 'a CORS preflight');
      assert.equal(preflight.text.includes('Access-Control-Allow'), false);
      const del = await request(`${secured.url}${V1}/environments/x`, 'DELETE', { origin: 'https://attacker.example', authorization: `Bearer ${TOKEN}` });
      expectRefused(del, 403, /cross-origin request/, 'a DELETE with the token');
      assert.ok(!(await environments(cmf)).includes('cross-origin'));
    });

    test('its own origin is accepted, under any of its loopback names', async () => {
      for (const origin of [`http://127.0.0.1:${cmf.port}`, `http://localhost:${cmf.port}`, `http://[::1]:${cmf.port}`]) {
        assert.equal((await request(`${cmf.url}${V1}/environments`, 'GET', { origin })).status, 200, origin);
      }
      const own = await request(`${cmf.url}${V1}/environments`, 'POST', { origin: `http://127.0.0.1:${cmf.port}`, 'content-type': 'application/json' }, envBody('same-origin'));
      assert.equal(own.status, 200, own.text);
    });
  });

  test('the extension\'s own client keeps working: reads and writes, with and without a token', async () => {
    const client = new CmfClient({ url: secured.url, token: TOKEN }, { retry: { retries: 0 } });
    try {
      assert.deepEqual((await client.listEnvironments()).map((e) => e.name).sort(), ['development', 'prod']);
      await client.createComputePool('development', {
        apiVersion: 'cmf.confluent.io/v1',
        kind: 'ComputePool',
        metadata: { name: 'from-the-extension' },
        spec: { type: 'DEDICATED', clusterSpec: { flinkVersion: 'v1_19', image: 'confluentinc/cp-flink-sql:1.19-cp7' } },
      });
      assert.equal((await client.getComputePool('development', 'from-the-extension')).metadata.name, 'from-the-extension');
      assert.equal((await client.flinkWebUi('development', 'interactive', 'overview')).status, 200, 'the web UI, as the forward reads it');
    } finally {
      await client.close();
    }
    const plain = await fetch(`${cmf.url}${V1}/environments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: envBody('from-fetch') });
    assert.equal(plain.status, 200, 'Node\'s fetch sends no Origin');
    await plain.text();
  });
});

describe('the product build, dist/local-cmf.js, against web pages', () => {
  let child: ChildProcess;
  let url: string;
  before(async () => {
    child = spawn(process.execPath, [resolve(__dirname, '../../dist/local-cmf.js'), '--port', '0', '--seed', 'empty', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
    url = await new Promise<string>((ok) => createInterface({ input: child.stdout! }).once('line', ok));
  });
  after(() => {
    child.kill();
  });

  test('refuses a forged Host, a text/plain POST and a foreign Origin; takes JSON from no origin', async () => {
    const port = new URL(url).port;
    expectRefused(await request(`${url}${V1}/environments`, 'GET', { host: `attacker.example:${port}` }), 403, /Host 'attacker\.example:\d+' is not this local CMF/, 'Host');
    expectRefused(await request(`${url}${V1}/environments`, 'POST', { 'content-type': 'text/plain' }, envBody('from-a-page')), 415, /needs 'Content-Type: application\/json'/, 'text/plain');
    expectRefused(await request(`${url}${V1}/environments`, 'GET', { origin: 'https://attacker.example' }), 403, /cross-origin request/, 'Origin');
    assert.equal((await request(`${url}${V1}/environments`, 'POST', { 'content-type': 'application/json' }, envBody('staging'))).status, 200);
    assert.deepEqual(await environments({ url }), ['staging']);
  });
});
