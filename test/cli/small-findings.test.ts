/**
 * The review's small findings, each as a user meets it with the built dist/cli.js:
 * - a bad character in CMF_POOLS_TOKEN, and `get ..`, were "unexpected failure"s (exit 2 without saying what);
 * - an empty CA file, or a private key given as the CA, was taken and then reported as "not trusted ... set
 *   --certificate-authority-path" although it was set;
 * - `--url ...?x=SECRET` was echoed in messages;
 * - `lint DIR` printed "No problems in 0 files." with exit 2 (now it walks the folder; finding no pool says so).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalCmf, type LocalCmf } from '../../local-cmf/src/server';
import { makePki, type Pki } from '../cmf/pki';
import { dedicatedPool, text } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

let dir: string;
let cmf: LocalCmf;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-small-'));
  cmf = await startLocalCmf({ phaseDelayMs: 0 });
});
after(async () => {
  await cmf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a bad token and a bad name are usage errors that say what is wrong', () => {
  it('a token with a line break or a space: named by its variable, not printed, exit 2', async () => {
    for (const token of ['abc\ndef-secret-part', 'abc def-secret-part', 'tok\u00e9n-secret-part']) {
      const r = await run(['list', '--url', cmf.url, '--environment', 'development'], dir, { CMF_POOLS_TOKEN: token });
      assert.equal(r.code, 2, `${JSON.stringify(token)}: ${r.err}`);
      assert.match(r.err, /CMF_POOLS_TOKEN holds a character that cannot be sent in an HTTP header/);
      assert.doesNotMatch(r.err, /unexpected failure/);
      assert.ok(!r.err.includes('secret-part'), 'the token is not printed');
    }
  });

  it("get .. and an environment named '.': not a name (exit 2)", async () => {
    const cases: [string[], RegExp][] = [
      [['get', '..'], /'\.\.' is not a compute pool name/],
      [['delete', '.', '--yes'], /'\.' is not a compute pool name/],
      [['list', '--environment', '..'], /--environment '\.\.' is not an environment name/],
    ];
    for (const [args, what] of cases) {
      const r = await run([...args, '--url', cmf.url, ...(args.includes('--environment') ? [] : ['--environment', 'development'])], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, what);
      assert.doesNotMatch(r.err, /unexpected failure/);
    }
  });
});

describe('a CA file that holds no certificate says so', () => {
  let pki: Pki;
  let https: LocalCmf;
  before(async () => {
    pki = makePki();
    https = await startLocalCmf({ tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) } });
  });
  after(async () => {
    await https.close();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('empty, a private key, or not PEM: refused before any request, naming the flag (exit 2); the real CA works', async () => {
    writeFileSync(path.join(dir, 'empty.pem'), '');
    writeFileSync(path.join(dir, 'junk.pem'), 'this is not a certificate\n');
    const cases: [string, RegExp][] = [
      [path.join(dir, 'empty.pem'), /--certificate-authority-path '.*empty\.pem' holds no certificate: the file is empty/],
      [pki.clientKey, /--certificate-authority-path '.*client\.key' holds no certificate: it holds a private key/],
      [path.join(dir, 'junk.pem'), /--certificate-authority-path '.*junk\.pem' holds no certificate: no PEM "BEGIN CERTIFICATE" block/],
    ];
    for (const [file, message] of cases) {
      const r = await run(['list', '--url', https.url, '--environment', 'development', '--certificate-authority-path', file], dir);
      assert.equal(r.code, 2, `${file}: ${r.err}`);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /not trusted/);
      assert.doesNotMatch(r.err, /PRIVATE KEY-----|MII/, 'no key material');
    }
    const ok = await run(['list', '--url', https.url, '--environment', 'development', '--certificate-authority-path', pki.ca], dir);
    assert.equal(ok.code, 0, ok.err);
  });
});

describe('the query of --url is never echoed', () => {
  it('a URL with ?x=SECRET: neither success nor failure messages show the query', async () => {
    const ok = await run(['list', '--url', `${cmf.url}/?x=SECRET-in-query&token=t0k3n`, '--environment', 'development'], dir);
    assert.equal(ok.code, 0, ok.err);
    const missing = await run(['get', 'nope', '--url', `${cmf.url}?x=SECRET-in-query`, '--environment', 'development'], dir);
    assert.equal(missing.code, 1);
    const badScheme = await run(['list', '--url', 'ftp://cmf.example.com/?x=SECRET-in-query', '--environment', 'development'], dir);
    assert.equal(badScheme.code, 2);
    const refused = await run(['list', '--url', 'http://127.0.0.1:1/?x=SECRET-in-query#frag-SECRET', '--environment', 'development'], dir);
    assert.equal(refused.code, 1);
    for (const r of [ok, missing, badScheme, refused]) {
      assert.ok(!/SECRET|t0k3n/.test(r.out + r.err), r.out + r.err);
      assert.match(r.out + r.err, /(CMF |Connection refused by |got '|\[GET )(http|ftp):\/\/[^\s?']+/, 'the URL itself is shown');
    }
  });
});

describe('lint of a folder', () => {
  it('walks it; a folder without pools is "No compute-pool files found" (exit 2), never "No problems in 0 files"', async () => {
    mkdirSync(path.join(dir, 'pools'), { recursive: true });
    writeFileSync(path.join(dir, 'pools', 'a.pool.json'), text(dedicatedPool()));
    const r = await run(['lint', 'pools'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'No problems in 1 file.\n');
    mkdirSync(path.join(dir, 'empty', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'empty', 'sub', 'package.json'), '{"name": "x"}');
    const none = await run(['lint', 'empty'], dir);
    assert.equal(none.code, 2);
    assert.doesNotMatch(none.out + none.err, /No problems/);
    assert.equal(none.err, 'cmf-pools lint: No compute-pool files found in empty (1 JSON or YAML file looked at: none holds a ComputePool or FlinkComputePool, or matches cmfPools.files).\n');
  });
});
