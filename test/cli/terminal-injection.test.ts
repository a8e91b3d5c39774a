/**
 * Terminal injection: text from CMF (names, status messages, warnings, statement details, error messages) and from
 * files (lint messages quote values) carrying ANSI escape sequences, carriage returns, line feeds, bidirectional
 * controls and invisible characters. Everything the CLI prints shows them as visible escapes (`\u001B`, `\r`,
 * `\u202E`), no value adds a line of its own, and JSON and YAML output still parse back to the values CMF sent.
 * The built dist/cli.js in a child process against a real server on 127.0.0.1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { json, serve, type TestServer } from '../cmf/recording-server';
import { namedSharedPool } from '../pools';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const ENV = 'dev';
/** What a hostile CMF puts in its text: clear the screen, a carriage return and a fake line, colour, RLO, 8-bit CSI, a zero-width space. */
const HOSTILE = '\u001b[2J\rOK: all good\u001b[0m\nOK: fake line\u202Eevil.json\u009b31m\u200b\u0007';
/** Any character that must never reach the terminal raw (line feed and tab are ours). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

let dir: string;
let server: TestServer;

function run(args: string[], cmf = true): Promise<Run> {
  const conn = cmf ? ['--url', server.url, '--environment', ENV] : [];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, ...conn], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, err: stderr }),
    );
    child.stdin?.end();
  });
}

/** Nothing raw, and no line of the output is one a value made up. */
function assertSafe(r: Run): void {
  const all = r.out + r.err;
  const m = RAW.exec(all);
  assert.equal(m, null, m ? `raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at …${JSON.stringify(all.slice(Math.max(0, m.index - 40), m.index + 20))}…` : '');
  assert.ok(!/^OK: (all good|fake line)/m.test(all), `a value made a line of its own:\n${all}`);
}

const pool = { ...namedSharedPool('evil'), metadata: { name: `evil${HOSTILE}`, labels: { team: HOSTILE } }, status: { phase: 'RUNNING', message: HOSTILE, warning: HOSTILE } };
const statement = { apiVersion: 'cmf.confluent.io/v1', kind: 'Statement', metadata: { name: `s${HOSTILE}` }, spec: { statement: `SELECT '${HOSTILE}'`, computePoolName: `evil${HOSTILE}` }, status: { phase: 'RUNNING', detail: HOSTILE } };

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cmf-pools-inject-'));
  server = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace('/cmf/api/v1/environments', '');
    const first = url.searchParams.get('page') === '0';
    if (p === `/${ENV}/compute-pools`) return json(res, 200, { items: first ? [pool] : [] });
    if (p === `/${ENV}/statements`) return json(res, 200, { items: first ? [statement] : [] });
    if (p === `/${ENV}/compute-pools/evil`) return json(res, 200, pool);
    json(res, 500, { errors: [{ message: `failed: ${HOSTILE}` }] });
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('text from CMF and from files is escaped in everything the CLI prints', () => {
  it('list, get and statements show the escapes, never the characters', async () => {
    const list = await run(['list']);
    assert.equal(list.code, 0, list.err);
    assertSafe(list);
    assert.ok(list.out.includes('evil\\u001B[2J\\rOK: all good\\u001B[0m\\nOK: fake line\\u202Eevil.json\\u009B31m\\u200B\\u0007'), list.out);
    const get = await run(['get', 'evil']);
    assert.equal(get.code, 0, get.err);
    assertSafe(get);
    assert.match(get.out, /^ {2}Message:\s+\\u001B\[2J\\rOK: all good/m);
    assert.match(get.out, /^ {2}Labels:\s+team=\\u001B\[2J/m);
    const st = await run(['statements']);
    assert.equal(st.code, 0, st.err);
    assertSafe(st);
    assert.ok(st.out.includes('\\u202E'), st.out);
  });

  it('-o json and -o yaml escape them as JSON and YAML escapes: they parse back to exactly what CMF sent', async () => {
    const j = await run(['get', 'evil', '-o', 'json']);
    assert.equal(j.code, 0, j.err);
    assertSafe(j);
    assert.equal(JSON.parse(j.out).status.message, HOSTILE);
    const y = await run(['list', '-o', 'yaml']);
    assert.equal(y.code, 0, y.err);
    assertSafe(y);
    const back = parseYaml(y.out);
    assert.equal(back[0].status.message, HOSTILE);
    assert.equal(back[0].metadata.name, `evil${HOSTILE}`);
    assert.equal(back[0].metadata.labels.team, HOSTILE);
    const sy = await run(['statements', '-o', 'yaml']);
    assertSafe(sy);
    assert.equal(parseYaml(sy.out)[0].spec.statement, `SELECT '${HOSTILE}'`);
  });

  it("CMF's error messages and the names of blocking statements", async () => {
    const e = await run(['get', 'broken']);
    assert.equal(e.code, 1);
    assertSafe(e);
    assert.match(e.err, /HTTP 500/);
    assert.equal(e.err.trimEnd().split('\n').length, 1, e.err);
    const d = await run(['delete', 'evil', '--yes']);
    assert.equal(d.code, 1);
    assertSafe(d);
    assert.match(d.err, /these statements use it: s\\u001B\[2J\\rOK: all good.* \(RUNNING\)/);
  });

  it('lint: messages that quote values from the file, and the file name', async () => {
    const file = 'inject.pool.json';
    writeFileSync(path.join(dir, file), JSON.stringify({ ...namedSharedPool('x'), metadata: { name: HOSTILE }, spec: { type: 'SHARED', clusterSpec: { image: HOSTILE, flinkConfiguration: { [`k${HOSTILE}`]: '1' } } } }));
    const r = await run(['lint', file], false);
    assert.equal(r.code, 1, r.err);
    assertSafe(r);
    assert.match(r.out, /error invalid-name metadata\.name "\\u001B\[2J\\rOK: all good/);
    const problems = r.out.split('\n').filter((l) => l.startsWith(`${file}:`)).length;
    assert.match(r.out, new RegExp(`\\n${problems} problems \\(`));
    const asJson = await run(['lint', '--format', 'json', file], false);
    assertSafe(asJson);
    assert.ok(JSON.parse(asJson.out)[0].diagnostics.some((d: { message: string }) => d.message.includes(HOSTILE)));
  });
});
