// Connections: settings parsing, the Add/Edit wizard with a scripted Ui, secrets only in the secret store,
// TLS verification off only after a confirmation, the token command (run again on 401), VS Code's proxy
// settings, the selection, and the status-bar text.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readConnections, writeConnections, secretKey, checkConnectionUrl } from '../../client/src/connections/config';
import { proxyOverride } from '../../client/src/connections/proxy';
import { proxyFor } from '../../cmf-client/src/connection';
import { tokenFromOutput, runTokenCommand } from '../../client/src/connections/token-command';
import { addConnection, editConnection, removeConnection, selectConnection } from '../../client/src/commands/connection-commands';
import { connectionView, statusText } from '../../client/src/explorer/present';
import { harness, localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;
const TOKEN = 'tok-7f3a9c1e5b2d-never-in-settings';

describe('cmfPools.connections', () => {
  it('keeps well-formed entries and says why others were dropped', () => {
    const { connections, problems } = readConnections([
      { name: 'prod', url: 'https://cmf.example.com:8080/', auth: 'token', caPath: '/etc/ca.pem' },
      { name: 'prod', url: 'https://other' },
      { url: 'http://x' },
      { name: 'bad', url: 'ftp://x' },
      { name: 'cmd', url: 'http://127.0.0.1:8080', auth: 'command' },
      'nonsense',
    ]);
    assert.deepEqual(connections.map((c) => [c.name, c.url, c.auth]), [
      ['prod', 'https://cmf.example.com:8080', 'token'],
      ['cmd', 'http://127.0.0.1:8080', 'command'],
    ]);
    assert.equal(problems.length, 5);
    assert.match(problems.join('\n'), /already a connection named "prod"/);
    assert.match(problems.join('\n'), /auth is "command" but tokenCommand is not set/);
  });

  it('refuses credentials in the URL (they belong in the secret store)', () => {
    assert.match(checkConnectionUrl('https://user:pw@cmf.example.com')!, /Do not put credentials in the URL/);
    assert.equal(checkConnectionUrl('https://cmf.example.com:8443/prefix'), undefined);
  });

  it('writes only the fields that are set', () => {
    assert.deepEqual(writeConnections([{ name: 'a', url: 'http://a', auth: 'none', caPath: undefined, insecureSkipVerify: false }]), [{ name: 'a', url: 'http://a', auth: 'none' }]);
  });
});

describe('VS Code proxy settings', () => {
  it('http.proxy wins over the environment, with http.noProxy as exceptions; loopback is never proxied (the client decides)', () => {
    const override = proxyOverride({ proxy: 'http://proxy:3128', noProxy: ['.corp.example'] });
    assert.deepEqual(override, {
      httpProxy: 'http://proxy:3128',
      httpsProxy: 'http://proxy:3128',
      noProxy: '.corp.example',
      source: "VS Code's http.proxy setting",
    });
    assert.equal(proxyOverride({}), undefined);
    assert.equal(proxyOverride({ proxy: 'http://proxy:3128', proxySupport: 'off' }), undefined);
    const env = { HTTPS_PROXY: 'http://env-proxy:8080' };
    assert.equal(proxyFor(new URL('https://cmf.example.com'), { proxy: override, env })?.shown, 'http://proxy:3128');
    assert.equal(proxyFor(new URL('https://cmf.example.com'), { proxy: override, env })?.source, "VS Code's http.proxy setting");
    assert.equal(proxyFor(new URL('https://cmf.corp.example'), { proxy: override, env }), undefined);
    for (const local of ['http://localhost:8080', 'http://127.0.0.1:8080', 'https://127.9.8.7', 'http://[::1]:8080', 'http://a.localhost']) {
      assert.equal(proxyFor(new URL(local), { proxy: override, env }), undefined, local);
    }
  });
});

describe('token command', () => {
  it('reads a raw token, a kubectl ExecCredential, or OAuth JSON', () => {
    assert.equal(tokenFromOutput('abc.def.ghi\n'), 'abc.def.ghi');
    assert.equal(tokenFromOutput('Bearer abc'), 'abc');
    assert.equal(tokenFromOutput(JSON.stringify({ kind: 'ExecCredential', status: { token: 'from-exec' } })), 'from-exec');
    assert.equal(tokenFromOutput(JSON.stringify({ access_token: 'from-oauth', expires_in: 300 })), 'from-oauth');
    assert.throws(() => tokenFromOutput('a\nb'), /printed 2 lines/);
    assert.throws(() => tokenFromOutput(''), /printed nothing/);
  });

  it('runs the command with the shell; a failure says so without its output', async () => {
    assert.equal(await runTokenCommand(`node -e "process.stdout.write('tok-from-cmd')"`), 'tok-from-cmd');
    await assert.rejects(runTokenCommand(`node -e "process.stderr.write('login expired'); process.exit(3)"`), /The token command failed \(exit status 3\): login expired/);
    await assert.rejects(runTokenCommand(`node -e "setTimeout(() => {}, 5000)"`, { timeoutMs: 200 }), /did not finish within 0 s/);
  });
});

describe('connections against the local CMF', () => {
  let cmf: Cmf;
  before(async () => {
    cmf = await localCmf({ token: TOKEN });
  });
  after(() => cmf.close());

  it('Add Connection: bearer token in the secret store only; tried before saving; selected after', async () => {
    const h = harness([], { inputs: ['demo', cmf.url, TOKEN], picks: ['Bearer token', 'prod'] });
    const c = await addConnection(h.ctx);
    assert.equal(c?.name, 'demo');
    assert.deepEqual(h.settings.value, [{ name: 'demo', url: cmf.url, auth: 'token', defaultEnvironment: 'prod' }]);
    assert.equal(h.secrets.map.get(secretKey('demo', 'token')), TOKEN);
    assert.deepEqual(h.registry.selection(), { connection: 'demo', environment: 'prod' });
    // The token was asked for with a password box, and never shown or logged.
    assert.equal(h.ui.of('input')[2].password, true);
    const everything = JSON.stringify(h.settings.value) + JSON.stringify(h.ui.shown) + h.log.lines.join('\n') + JSON.stringify([...h.state.map]);
    assert.ok(!everything.includes(TOKEN));
    // The saved connection works, and the requests are logged without the token.
    const envs = await (await h.registry.client('demo')).listEnvironments();
    assert.deepEqual(envs.map((e) => e.name).sort(), ['development', 'prod']);
    assert.ok(h.log.lines.some((l) => /^info \[demo\] GET http:\/\/127\.0\.0\.1:\d+\/cmf\/api\/v1\/environments\?page=0&size=100 → 200 in \d+ ms$/.test(l)), h.log.lines.join('\n'));
    assert.ok(!h.log.lines.join('\n').includes(TOKEN));
  });

  it('Add Connection: cancelling anywhere saves nothing', async () => {
    const h = harness([], { inputs: ['demo', cmf.url, undefined], picks: ['Bearer token'] });
    assert.equal(await addConnection(h.ctx), undefined);
    assert.equal(h.settings.writes, 0);
    assert.equal(h.secrets.map.size, 0);
  });

  it('Add Connection: an unreachable CMF can be saved anyway, with a warning that says why', async () => {
    const h = harness([], { inputs: ['later', 'http://127.0.0.1:9'], picks: ['No authentication'], notify: (_k, _m, a) => (a.includes('Save Anyway') ? 'Save Anyway' : undefined) });
    assert.equal((await addConnection(h.ctx))?.name, 'later');
    assert.match(h.ui.of('warn')[0].message, /^Could not reach CMF with these settings: Connection refused/);
  });

  it('turning TLS verification off needs a confirmation; declining saves nothing', async () => {
    const h = harness([], { inputs: ['risky', 'https://cmf.example.com'], picks: ['Do not verify'], confirm: () => undefined });
    assert.equal(await addConnection(h.ctx), undefined);
    const [c] = h.ui.of('confirm');
    assert.equal(c.message, "Turn off TLS certificate verification for connection 'risky'?");
    assert.deepEqual(c.actions, ['Turn Off Verification']);
    assert.equal(h.settings.writes, 0);

    const ok = harness([], {
      inputs: ['risky', 'https://127.0.0.1:9'],
      picks: ['Do not verify', 'No client certificate', 'No authentication'],
      confirm: (_m, a) => a[0],
      notify: (_k, _m, a) => a[0],
    });
    const saved = await addConnection(ok.ctx);
    assert.equal(saved?.insecureSkipVerify, true);
    const view = connectionView(saved!, true);
    assert.equal(view.contextValue, 'connection.selected.remote.insecure');
    assert.deepEqual(view.decoration, { badge: '!', color: 'list.warningForeground', tooltip: 'TLS certificate verification is off for this connection' });
    assert.deepEqual(statusText(ok.registry), { text: '$(warning) risky / no environment', tooltip: statusText(ok.registry).tooltip, warning: true });
  });

  it('Edit Connection: renaming moves the secrets; an empty token keeps the stored one', async () => {
    const h = harness([{ name: 'demo', url: cmf.url, auth: 'token' }], { inputs: ['renamed', cmf.url, ''], picks: ['Bearer token', 'development'] });
    await h.secrets.store(secretKey('demo', 'token'), TOKEN);
    await h.registry.select('demo');
    assert.equal((await editConnection(h.ctx, 'demo'))?.name, 'renamed');
    assert.equal(h.secrets.map.get(secretKey('renamed', 'token')), TOKEN);
    assert.equal(h.secrets.map.has(secretKey('demo', 'token')), false);
    assert.equal(h.registry.selection()?.connection, 'renamed');
    assert.deepEqual(h.settings.value, [{ name: 'renamed', url: cmf.url, auth: 'token', defaultEnvironment: 'development' }]);
  });

  it('Remove Connection: confirmed, removes settings and secrets; cancel keeps everything', async () => {
    const h = harness([{ name: 'demo', url: cmf.url, auth: 'token' }], { confirm: () => undefined });
    await h.secrets.store(secretKey('demo', 'token'), TOKEN);
    assert.equal(await removeConnection(h.ctx, 'demo'), false);
    assert.equal(h.registry.list().length, 1);
    h.ui.script.confirm = (_m, a) => a[0];
    assert.equal(await removeConnection(h.ctx, 'demo'), true);
    assert.deepEqual(h.settings.value, []);
    assert.equal(h.secrets.map.size, 0);
    assert.match(h.ui.of('confirm')[0].message, /^Remove connection 'demo'\?/);
    assert.match(h.ui.of('confirm')[0].detail, /Nothing on CMF changes/);
  });

  it('a token command runs on first use and again when CMF answers 401', async () => {
    const outputs = ['stale-token', TOKEN];
    let runs = 0;
    const h = harness([{ name: 'cmd', url: cmf.url, auth: 'command', tokenCommand: 'print-token' }]);
    // The registry's own runner is replaced, as a real command would be run by the shell.
    (h.registry as unknown as { opts: { runTokenCommand: (c: string) => Promise<string> } }).opts.runTokenCommand = async (c) => {
      assert.equal(c, 'print-token');
      runs++;
      return outputs.shift()!;
    };
    const envs = await (await h.registry.client('cmd')).listEnvironments();
    assert.equal(envs.length, 2);
    assert.equal(runs, 2);
    assert.ok(h.log.lines.some((l) => l.includes('→ 401')));
    assert.ok(!h.log.lines.join('\n').includes(TOKEN));
  });

  it('Select Connection: picks the connection, then one of its environments', async () => {
    const h = harness([{ name: 'a', url: 'http://127.0.0.1:9' }, { name: 'demo', url: cmf.url, auth: 'token' }], { picks: ['demo', 'prod'] });
    await h.secrets.store(secretKey('demo', 'token'), TOKEN);
    assert.equal(h.registry.selection(), undefined);
    assert.equal(statusText(h.registry).text, '$(plug) CMF: select a connection');
    assert.equal(await selectConnection(h.ctx), true);
    assert.deepEqual(h.registry.selection(), { connection: 'demo', environment: 'prod' });
    assert.equal(statusText(h.registry).text, '$(plug) demo / prod');
  });
});
