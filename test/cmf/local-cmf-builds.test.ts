/**
 * The local CMF's two builds (npm test builds dist/ first): the product's dist/local-cmf.js, which the
 * .vsix ships and "Try with a local CMF" and `npm start` run, holds no test controls — not in its code,
 * not among its sources, not on its command line, not over HTTP; the test build dist/test/local-cmf.js
 * serves them with --test-controls, behind the bearer token. The extension's bundle holds no local CMF:
 * it runs dist/local-cmf.js in a process of its own.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../..');
const PRODUCT = resolve(ROOT, 'dist/local-cmf.js');
const TEST_BUILD = resolve(ROOT, 'dist/test/local-cmf.js');
const TOKEN = 'local-cmf-builds-token-7f3a';

/** What gives the test controls away in a bundle (the store's model methods they call, setPoolPhase and the like, stay). */
const TEST_CONTROL_MARKS = ['__test__', 'injectFault', 'takeFault', 'Injected fault', 'test-controls', 'testControls', 'clearFaults', 'setPhaseDelay'];

const sourcesOf = (bundle: string): string[] => (JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] }).sources;

const running: ChildProcess[] = [];
after(() => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Runs a build with `args` and returns its URL (its first line on stdout). */
async function start(script: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [script, '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${script} exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', ok);
  });
}

async function post(url: string, token?: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: '{}' });
  await res.text();
  return res.status;
}

describe('the product build, dist/local-cmf.js', () => {
  test('holds no test controls: none of their code, and none of their sources', () => {
    const code = readFileSync(PRODUCT, 'utf8');
    for (const mark of TEST_CONTROL_MARKS) assert.ok(!code.includes(mark), `dist/local-cmf.js holds "${mark}"`);
    const sources = sourcesOf(PRODUCT);
    assert.ok(sources.some((s) => s.endsWith('local-cmf/src/server.ts')), 'the server is in it');
    assert.deepEqual(sources.filter((s) => /test-controls|test-main/.test(s)), []);
    // The check can fail: the test build holds every mark.
    const testCode = readFileSync(TEST_BUILD, 'utf8');
    for (const mark of ['__test__', 'injectFault', 'Injected fault', 'test-controls']) assert.ok(testCode.includes(mark), `dist/test/local-cmf.js holds "${mark}"`);
    assert.ok(sourcesOf(TEST_BUILD).some((s) => s.endsWith('local-cmf/src/test-controls.ts')));
  });

  test('has no --test-controls option', () => {
    const r = spawnSync(process.execPath, [PRODUCT, '--port', '0', '--test-controls'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^local-cmf: Unknown option '--test-controls'\./);
    const help = spawnSync(process.execPath, [PRODUCT, '--help'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--phase-delay-ms N/);
    assert.doesNotMatch(help.stdout, /test/);
  });

  test('answers CMF\'s API, and 404 under /__test__', async () => {
    const url = await start(PRODUCT, ['--seed', 'demo']);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const envs = await fetch(`${url}/cmf/api/v1/environments`);
    assert.equal(envs.status, 200);
    assert.equal(((await envs.json()) as { items: unknown[] }).items.length, 2);
    for (const path of ['/__test__/settle', '/__test__/faults', '/__test__/reset']) assert.equal(await post(url + path), 404, path);
  });
});

describe('the test build, dist/test/local-cmf.js', () => {
  test('serves the test controls with --test-controls, behind the bearer token', async () => {
    const url = await start(TEST_BUILD, ['--seed', 'demo', '--test-controls', '--token-env', 'LOCAL_CMF_BUILDS_TOKEN'], { LOCAL_CMF_BUILDS_TOKEN: TOKEN });
    assert.equal(await post(`${url}/__test__/settle`, TOKEN), 204);
    assert.equal(await post(`${url}/__test__/settle`), 401, 'not without the token');
    assert.equal(await post(`${url}/__test__/settle`, 'wrong'), 401);
    const faults = await fetch(`${url}/__test__/faults`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(await faults.json(), { faults: [] });
  });

  test('without --test-controls it is the product: 404 under /__test__', async () => {
    const url = await start(TEST_BUILD, ['--seed', 'empty']);
    assert.equal(await post(`${url}/__test__/settle`), 404);
    const help = spawnSync(process.execPath, [TEST_BUILD, '--help'], { encoding: 'utf8', timeout: 20_000 });
    assert.match(help.stdout, /--test-controls {10}serve the test controls under \/__test__\//);
  });
});

describe('the extension\'s bundle, dist/extension.js', () => {
  test('holds no local CMF: "Try with a local CMF" runs dist/local-cmf.js in a process of its own', () => {
    const code = readFileSync(resolve(ROOT, 'dist/extension.js'), 'utf8');
    for (const mark of [...TEST_CONTROL_MARKS, 'LocalCmfStore']) assert.ok(!code.includes(mark), `dist/extension.js holds "${mark}"`);
    assert.deepEqual(sourcesOf(resolve(ROOT, 'dist/extension.js')).filter((s) => s.includes('local-cmf/src/') && !s.endsWith('local-cmf/src/demo.ts')), []);
  });
});
