// Secrets: tokens and key passphrases live only in SecretStorage. The real extension is activated over a
// fake VS Code (vscode-fake.ts) that records everything written at its boundary — settings writes, the
// output channel (the request log), notifications and modals, the clipboard (Copy as curl), progress, tree
// items, CodeLenses, diagnostics, state — and is driven like a user would: Add Connection with a bearer
// token, with a token command and with an encrypted client key, a deploy (create, then update), failing
// requests against a malicious server that echoes the token back (a 500 body, a 401 body, a redirect's
// Location, a Content-Type), and Copy as curl. Then all the captured text is searched for every secret.
import { host, fakeContext, deactivate } from './vscode-fake';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as extension from '../../client/src/extension';
import { secretKey } from '../../client/src/connections/config';
import type { PoolNode } from '../../client/src/explorer/model';
import { json, serve, type TestServer } from '../cmf/recording-server';
import { hasOpenssl, makePki, PASSPHRASE, type Pki } from '../cmf/pki';
import { localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;

const TOKEN = 'tok-A1b2C3d4E5f6-bearer';
const COMMAND_TOKEN = 'tok-Z9y8X7w6V5u4-from-command';
const EVIL_TOKEN = 'tok-Q5r4S3t2P1o0-evil';
const EVIL_COMMAND_TOKEN = 'tok-M3n4B5v6C7x8-rotating'; // the malicious server's token command prints it with -1, -2, ...
const SECRETS = [TOKEN, COMMAND_TOKEN, EVIL_TOKEN, EVIL_COMMAND_TOKEN, PASSPHRASE];

const poolText = (name: string, memory = '1024m') =>
  JSON.stringify(
    {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name },
      spec: {
        type: 'SHARED',
        clusterSpec: {
          flinkVersion: 'v1_19',
          image: 'confluentinc/cp-flink-sql:1.19-cp7',
          jobManager: { resource: { cpu: 1, memory: '1024m' } },
          taskManager: { resource: { cpu: 1, memory } },
        },
      },
    },
    null,
    2,
  );

/**
 * A server that answers like CMF but puts the credential it received everywhere it can: in a 500's HTML
 * body, in CMF's JSON error messages (401, 404, 500), in a redirect's Location, and in a Content-Type.
 */
function maliciousCmf(): Promise<TestServer> {
  return serve((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    const token = auth.replace(/^Bearer /, '');
    const path = (req.url ?? '').split('?')[0];
    if (token.startsWith(EVIL_COMMAND_TOKEN)) return json(res, 401, { errors: [{ message: `token ${token} has expired (you sent "${auth}")` }] });
    if (path === '/cmf/api/v1/environments') {
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end(`<html><body><h1>Internal Server Error</h1><pre>authorization: ${auth}\ntoken=${token}</pre></body></html>`);
    }
    if (path === '/cmf/api/v1/environments/prod') return json(res, 200, { name: 'prod', kubernetesNamespace: 'flink' });
    if (path.endsWith('/compute-pools/redirect-pool')) {
      res.writeHead(302, { location: `https://collector.example/${token}/login?next=${token}` });
      return void res.end();
    }
    if (path.endsWith('/compute-pools/content-type-pool')) {
      res.writeHead(200, { 'content-type': `text/html; charset=${token}` });
      return void res.end('<html>not JSON</html>');
    }
    if (req.method === 'GET' && /\/compute-pools\/[^/]+$/.test(path)) return json(res, 404, { errors: [{ message: `Compute pool not found (token ${token} is valid)` }] });
    return json(res, 500, { errors: [{ message: `NullPointerException while handling ${auth} for token ${token}` }] });
  });
}

describe('secrets never leave the secret store', () => {
  let cmf: Cmf; // bearer token
  let cmfCmd: Cmf; // bearer token from a command
  let cmfTls: Cmf | undefined; // mTLS with an encrypted key
  let evil: TestServer;
  let pki: Pki | undefined;
  let dir: string;
  const context = fakeContext();
  const exercised: string[] = [];

  const answer = (preferred: string[]) => (_kind: string, _m: string, items: string[]) => preferred.find((p) => items.includes(p));

  before(async () => {
    cmf = await localCmf({ token: TOKEN });
    cmfCmd = await localCmf({ token: COMMAND_TOKEN });
    evil = await maliciousCmf();
    if (hasOpenssl) {
      pki = makePki();
      cmfTls = await localCmf({ tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert), ca: readFileSync(pki.ca), requestClientCert: true } });
    }
    // Token commands that read their token from a file (so the command line in settings holds no token);
    // `rotate` prints a new one on every run, as a refreshing login would.
    dir = mkdtempSync(join(tmpdir(), 'cmf-secrets-'));
    writeFileSync(join(dir, 'good.token'), COMMAND_TOKEN);
    writeFileSync(join(dir, 'evil.token'), EVIL_COMMAND_TOKEN);
    writeFileSync(
      join(dir, 'print-token.js'),
      `const fs = require('fs'), p = require('path');
const [name, mode] = process.argv.slice(2);
let t = fs.readFileSync(p.join(__dirname, name + '.token'), 'utf8');
if (mode === 'rotate') { const c = p.join(__dirname, name + '.count'); let n = 0; try { n = +fs.readFileSync(c, 'utf8'); } catch {} fs.writeFileSync(c, String(++n)); t += '-' + n; }
process.stdout.write(t);
`,
    );
    await extension.activate(context as never);
  });

  after(async () => {
    await deactivate(extension, context);
    await Promise.all([cmf.close(), cmfCmd.close(), evil.close(), cmfTls?.close()]);
  });

  const command = (name: string, mode = '') => `node "${join(dir, 'print-token.js')}" ${name}${mode ? ` ${mode}` : ''}`;

  it('Add Connection with a bearer token: the token goes to the secret store, the settings get the rest', async () => {
    host.answers.inputs = ['tok', cmf.url, TOKEN];
    host.answers.picks = ['Bearer token', 'development'];
    await host.run('cmfPools.addConnection');
    assert.equal(context.secrets.map.get(secretKey('tok', 'token')), TOKEN);
    assert.deepEqual(host.settings.globalValue['cmfPools.connections'], [{ name: 'tok', url: cmf.url, auth: 'token', defaultEnvironment: 'development' }]);
    assert.equal(host.recorded.inputBoxes[2].password, true);
    assert.equal(host.recorded.inputBoxes[2].value, undefined);
    // The wizard tried the token against CMF (which accepts no other), and logged the request.
    assert.ok(host.recorded.output.some((l) => /\[tok\]|Saved connection 'tok'/.test(l)), host.recorded.output.join('\n'));
    exercised.push('token');
  });

  it('Add Connection with a token command: only the command line is stored; its token is used and never kept', async () => {
    host.answers.inputs = ['cmd', cmfCmd.url, command('good')];
    host.answers.picks = ['A command that prints a token'];
    await host.run('cmfPools.addConnection');
    const saved = (host.settings.globalValue['cmfPools.connections'] as { name: string; tokenCommand?: string }[]).find((c) => c.name === 'cmd');
    assert.equal(saved?.tokenCommand, command('good'));
    assert.equal(context.secrets.map.has(secretKey('cmd', 'token')), false);
    exercised.push('token command');
  });

  it('Add Connection with mTLS and an encrypted client key: the passphrase goes to the secret store', { skip: !hasOpenssl && 'needs openssl' }, async () => {
    host.answers.inputs = ['mtls', cmfTls!.url, PASSPHRASE];
    host.answers.picks = ['Verify it with a CA certificate file', 'Use a client certificate', 'No authentication', 'development'];
    host.answers.files = [pki!.ca, pki!.clientCert, pki!.clientKeyEncrypted];
    await host.run('cmfPools.addConnection');
    assert.equal(context.secrets.map.get(secretKey('mtls', 'keyPassphrase')), PASSPHRASE);
    const saved = (host.settings.globalValue['cmfPools.connections'] as { name: string }[]).find((c) => c.name === 'mtls');
    assert.deepEqual(saved, { name: 'mtls', url: cmfTls!.url, auth: 'none', caPath: pki!.ca, clientCertPath: pki!.clientCert, clientKeyPath: pki!.clientKeyEncrypted, defaultEnvironment: 'development' });
    // The key was decrypted with it: the handshake worked and CMF answered.
    assert.ok(host.recorded.output.some((l) => /\[mtls\]|Saved connection 'mtls'/.test(l)));
    exercised.push('passphrase');
  });

  it('Add Connection to a malicious server: its error (the token echoed in a 500 page) is shown without the token', async () => {
    host.answers.inputs = ['evil', evil.url, EVIL_TOKEN, 'evil-cmd', evil.url, command('evil', 'rotate')];
    host.answers.picks = ['Bearer token', 'A command that prints a token'];
    host.answers.message = answer(['Save Anyway']);
    await host.run('cmfPools.addConnection');
    await host.run('cmfPools.addConnection');
    host.answers.message = undefined;
    assert.equal(evil.requests[0].headers.authorization, `Bearer ${EVIL_TOKEN}`);
    const warning = host.recorded.messages.find((m) => m.message.startsWith('Could not reach CMF with these settings'));
    assert.ok(warning, 'the wizard warned');
    assert.match(warning.message, /HTTP 500|500/);
    assert.match(warning.message, /\[REDACTED\]/);
    exercised.push('500 echo (wizard)');
  });

  it('a deploy: a create, then an update after the diff and the modal (the request log lines carry no token)', async () => {
    await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: 'tok/development', connection: 'tok', environment: { name: 'development' } });
    const doc = host.openDocument('/work/pools/secret-pool.pool.json', poolText('secret-pool'));
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    doc.setText(poolText('secret-pool', '2048m'));
    host.answers.message = (_k, _m, items, modal) => (modal && items.includes('Update') ? 'Update' : undefined);
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'done');
    host.answers.message = undefined;
    assert.deepEqual(cmf.writes(), ['POST /cmf/api/v1/environments/development/compute-pools 200', 'PUT /cmf/api/v1/environments/development/compute-pools/secret-pool 200']);
    assert.ok(host.recorded.output.some((l) => /^CMF Pools info \[tok\] PUT http:\/\/127\.0\.0\.1:\d+\/cmf\/api\/v1\/environments\/development\/compute-pools\/secret-pool → 200 in \d+ ms$/.test(l)), host.recorded.output.join('\n'));
    assert.ok(host.recorded.messages.some((m) => m.modal && m.message.startsWith("Update compute pool 'secret-pool'")));
    exercised.push('deploy');
  });

  it('failing requests against the malicious server: a 500, a 401 (token command), a redirect and a content type that carry the token', async () => {
    await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: 'evil/prod', connection: 'evil', environment: { name: 'prod' } });
    // A 500 whose CMF error message holds the token and the Authorization header.
    const doc = host.openDocument('/work/pools/evil-pool.pool.json', poolText('evil-pool'));
    assert.equal(await host.run('cmfPools.deployPool', doc.uri), 'failed');
    // A redirect whose Location holds the token (in the path and the query).
    const redirect = host.openDocument('/work/pools/redirect-pool.pool.json', poolText('redirect-pool'));
    assert.equal(await host.run('cmfPools.compareWithDeployed', redirect.uri), 'failed');
    // A 200 that is not JSON, with the token in its Content-Type.
    const ctype = host.openDocument('/work/pools/content-type-pool.pool.json', poolText('content-type-pool'));
    assert.equal(await host.run('cmfPools.compareWithDeployed', ctype.uri), 'failed');
    // CodeLenses of the three files (a GET each, errors shown in the lens title).
    for (const d of [doc, redirect, ctype]) await host.codeLenses(d);
    // The token command's connection: CMF answers 401 with the token in the body; the command runs again.
    await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: 'evil-cmd/prod', connection: 'evil-cmd', environment: { name: 'prod' } });
    assert.equal(await host.run('cmfPools.compareWithDeployed', doc.uri), 'failed');

    const sent = evil.requests.map((r) => r.headers.authorization);
    assert.ok(sent.includes(`Bearer ${EVIL_TOKEN}`));
    assert.ok(sent.includes(`Bearer ${EVIL_COMMAND_TOKEN}-1`) && sent.includes(`Bearer ${EVIL_COMMAND_TOKEN}-2`), sent.join());
    const errors = host.recorded.messages.filter((m) => m.kind === 'error').map((m) => m.message);
    assert.ok(errors.some((m) => /^Deploy of compute pool 'evil-pool'.* failed: .*NullPointerException while handling Bearer \[REDACTED\] for token \[REDACTED\]/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /redirect-pool.*failed: .*Location: https:\/\/collector\.example\/(%5B|\[)REDACTED/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /content-type-pool.*failed: .*text\/html; charset=\[REDACTED\]/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /401/.test(m) && /token \[REDACTED\] has expired/.test(m)), errors.join('\n'));
    exercised.push('500 echo', 'redirect', 'content type', '401 echo');
  });

  it('Copy as curl, from a pool file and from the tree: variables, never the secrets', async () => {
    const doc = host.documents.get(host.openDocument('/work/pools/secret-pool.pool.json', poolText('secret-pool', '2048m')).uri.toString())!;
    for (const [connection, environment] of [['tok', 'development'], ['cmd', 'development'], ['mtls', 'development']]) {
      if (connection === 'mtls' && !hasOpenssl) continue;
      await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: `${connection}/${environment}`, connection, environment: { name: environment } });
      await host.run('cmfPools.copyDeployAsCurl', doc.uri);
    }
    const items = await host.treeItems('cmfPools.explorer');
    const pool = items.find((i) => i.item.contextValue?.startsWith('pool.') && (i.node as PoolNode).connection === 'tok')!.node as PoolNode;
    await host.run('cmfPools.copyAsCurl', pool);
    const copied = host.recorded.clipboard;
    assert.equal(copied.length, hasOpenssl ? 4 : 3);
    assert.match(copied[0], /-H "Authorization: Bearer \$CMF_TOKEN"/);
    assert.match(copied[1], /^CMF_TOKEN="\$\(node ".*print-token\.js" good\)"/);
    if (hasOpenssl) assert.match(copied[2], /--pass "\$CMF_CLIENT_KEY_PASSPHRASE"/);
    exercised.push('curl');
  });

  it('nothing written at the VS Code boundary holds a token or a passphrase', async (t) => {
    // Everything the tree shows (every connection, environment, pool, statement and error node).
    const items = await host.treeItems('cmfPools.explorer', (item) => !/^statement/.test(item.contextValue ?? ''));
    const errorsInTree = items.filter((i) => i.item.contextValue?.startsWith('message.error')).map((i) => i.item.label);
    assert.ok(errorsInTree.some((l) => l.startsWith('Cannot reach evil:')), errorsInTree.join('\n'));
    assert.ok(errorsInTree.some((l) => l.startsWith('Cannot reach evil-cmd:')), errorsInTree.join('\n'));
    const lenses = [];
    for (const d of host.documents.values()) lenses.push(...(await host.codeLenses(d)).map((l) => l.command));
    const text = host.everything([items.map((i) => ({ item: i.item, decoration: i.decoration })), lenses, [...context.workspaceState.map], [...context.globalState.map], [...context.secrets.map.keys()]]);
    for (const s of SECRETS) assert.ok(!text.includes(s), `"${s}" leaked: …${text.slice(Math.max(0, text.indexOf(s) - 300), text.indexOf(s) + 100)}…`);
    const r = host.recorded;
    t.diagnostic(
      `searched ${Math.round(text.length / 1024)} KiB for ${SECRETS.length} secrets: ${r.output.length} output channel lines, ${r.messages.length} notifications and modals, ` +
        `${r.clipboard.length} curl commands, ${r.settingsWrites.length} settings writes, ${r.progress.length} progress titles, ${items.length} tree items, ${lenses.length} CodeLenses, ` +
        `${r.inputBoxes.length} input boxes, ${r.quickPicks.length} quick picks; ${evil.requests.length} requests to the malicious server`,
    );
    // The secrets were all in play: stored, sent, echoed.
    assert.deepEqual(
      context.secrets.map.size,
      hasOpenssl ? 3 : 2, // tok and evil tokens, the mTLS passphrase
    );
    assert.deepEqual(exercised.filter((e) => e !== 'passphrase'), ['token', 'token command', '500 echo (wizard)', 'deploy', '500 echo', 'redirect', 'content type', '401 echo', 'curl']);
    assert.ok(host.recorded.output.length > 20 && host.recorded.messages.length > 5 && host.recorded.settingsWrites.length >= 4);
  });
});
