/**
 * The CMF explorer and the pool commands in the real editor, against a local CMF that this suite starts
 * in a process of its own: the test build, dist/test/local-cmf.js --test-controls (loopback, random port,
 * demo data, a bearer token required on every request, the test controls included). The suite drives its
 * controls over HTTP under /__test__/, with the token, as any other client would. Last, Try with a local
 * CMF starts the product build, dist/local-cmf.js, which has no test controls.
 *
 * The user is played by the test (prompts.ts): it adds a connection through the Add Connection wizard,
 * answers the confirmations, and reads the explorer through the tree provider and view that VS Code
 * renders (the extension returns them from activate() only in ExtensionMode.Test). What the view itself
 * fetched is recorded, so "the explorer shows" means the rendered tree asked for it and got it.
 *
 * Runs last: once a connection is selected, pool files are validated against its environment's defaults.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { CmfPoolsTestApi } from '../../../client/src/extension';
import type { ExplorerNode } from '../../../client/src/explorer/model';
import { secretKey } from '../../../client/src/connections/config';
import { forkLocalCmf, stopLocalCmfProcess, type LocalCmfProcess } from '../../../client/src/commands/local-cmf';
import { EXTENSION_ID, closeAll, open, out, screenshot, sleep, waitFor, workspaceFile } from './harness';
import { withPrompts } from './prompts';

/** The token the local CMF requires. The launcher passes it in, and greps everything the run wrote for it afterwards. */
const TOKEN = process.env.CMF_POOLS_E2E_TOKEN ?? `cmf-pools-e2e-token-${randomBytes(16).toString('hex')}`;
const CONNECTION = 'e2e-cmf';
const DEV = 'development';
const PROD = 'prod';

let cmf: LocalCmfProcess;
let api: CmfPoolsTestApi;
let provider: CmfPoolsTestApi['explorer']['getChildren'];
/** What the view asked the provider for, by parent node id ('' for the roots), and got: the rendered tree. */
const rendered = new Map<string, ExplorerNode[]>();
/** When the view last asked the provider for anything. */
let lastFetch = 0;

/** A request to the local CMF's REST API, as another user (or the `confluent` CLI) would send it. */
function rest(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: any }> {
  return request(`${cmf.url}/cmf/api/v1${path}`, method, body, token);
}

/** A request to the local CMF's test controls (`/__test__/...`; they want the token too). */
function control(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: any }> {
  return request(`${cmf.url}/__test__${path}`, method, body, token);
}

async function request(url: string, method: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

const item = (node: ExplorerNode) => api.explorer.getTreeItem(node);
const labelOf = (node: ExplorerNode) => String(item(node).label);

/** `label: description [icon]`, as the tree shows a node. */
function row(node: ExplorerNode): string {
  const i = item(node);
  const icon = i.iconPath instanceof vscode.ThemeIcon ? i.iconPath.id : '?';
  return `${String(i.label)}: ${i.description ?? ''} [${icon}]`;
}

async function child(parent: ExplorerNode | undefined, label: string): Promise<ExplorerNode> {
  const list = await provider(parent);
  const found = list.find((n) => labelOf(n) === label);
  assert.ok(found, `"${label}" is in the tree under ${parent ? labelOf(parent) : 'the root'} (there: ${list.map(labelOf).join(', ')})`);
  return found;
}

const connectionNode = () => child(undefined, CONNECTION);
const environmentNode = async (env: string) => child(await connectionNode(), env);
const poolNode = async (env: string, pool: string) => child(await environmentNode(env), pool);

/** Waits until the view has fetched the children of `parent` and they satisfy `ok`; returns their rows. */
function renderedUnder(parent: ExplorerNode, what: string, ok: (rows: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
  return waitFor(`the explorer to show ${what} (it shows: ${(rendered.get(parent.id) ?? []).map(row).join(' | ') || 'nothing yet'})`, () => {
    const nodes = rendered.get(parent.id);
    const rows = nodes?.map(row);
    return rows && ok(rows) ? rows : undefined;
  }, timeoutMs);
}

const hasRow = (rows: string[], r: string) => rows.includes(r);

suite('The CMF explorer and pool commands, against a local CMF', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<CmfPoolsTestApi | undefined>(EXTENSION_ID);
    assert.ok(ext);
    const exported = await ext.activate();
    assert.ok(exported, 'activate() returns the test API in ExtensionMode.Test');
    api = exported;
    provider = api.explorer.getChildren.bind(api.explorer);
    api.explorer.getChildren = async (node?: ExplorerNode) => {
      const list = await provider(node);
      rendered.set(node?.id ?? '', list);
      lastFetch = Date.now();
      return list;
    };
    // The test build, beside the extension's own dist/local-cmf.js. The token goes in through its
    // environment (--token-env), never its command line.
    const script = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'test', 'local-cmf.js');
    const args = ['--port', '0', '--host', '127.0.0.1', '--seed', 'demo', '--phase-delay-ms', '300', '--token-env', 'CMF_POOLS_E2E_LOCAL_CMF_TOKEN', '--test-controls', '--quiet'];
    cmf = await forkLocalCmf(script, args, { env: { CMF_POOLS_E2E_LOCAL_CMF_TOKEN: TOKEN }, timeoutMs: 30_000 });
    out(`    (local CMF ${script} on ${cmf.url}, process ${cmf.child.pid}, bearer token required)`);
    assert.equal((await control('POST', '/settle', {}, null)).status, 401, 'the test controls want the token');
    assert.equal((await control('POST', '/settle', {})).status, 204, 'the test build answers its controls');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.extension.cmfPools');
    await waitFor('the CMF explorer to be visible', () => (api.view.visible ? true : undefined));
  });

  suiteTeardown(async () => {
    await closeAll();
    if (api) api.explorer.getChildren = provider;
    if (cmf) await stopLocalCmfProcess(cmf);
  });

  test('a token entered for a connection lands in SecretStorage and not in settings', async () => {
    const unauthenticated = await rest('GET', '/environments', undefined, null);
    assert.equal(unauthenticated.status, 401, 'the local CMF refuses requests without the token');
    await withPrompts(
      [
        { kind: 'input', match: /A name for this connection$/, answer: CONNECTION },
        { kind: 'input', match: /CMF's URL$/, answer: cmf.url },
        { kind: 'pick', match: /: Authentication$/, answer: 'Bearer token' },
        { kind: 'input', match: /Bearer token \(kept in the secret store, never in settings\)$/, answer: TOKEN },
        { kind: 'pick', match: /Default environment/, answer: DEV },
        { kind: 'info', match: /added and selected/ },
      ],
      async (p) => {
        await vscode.commands.executeCommand('cmfPools.addConnection');
        p.assertNoUnexpected();
        const [asked] = p.find('input', /Bearer token/);
        assert.ok(asked?.password, 'the token is typed into a password box');
        const [envs] = p.find('pick', /Default environment/);
        assert.deepEqual(envs.choices, ['No default environment', DEV, PROD], 'the wizard listed the environments with the token');
        await p.waitFor('info', new RegExp(`^Connection '${CONNECTION}' added and selected\\.$`));
      },
    );

    assert.equal(await api.secrets.get(secretKey(CONNECTION, 'token')), TOKEN, 'the token is in the SecretStorage of the extension');
    const setting = vscode.workspace.getConfiguration('cmfPools').inspect<Record<string, unknown>[]>('connections');
    assert.deepEqual(
      setting?.globalValue?.find((c) => c.name === CONNECTION),
      { name: CONNECTION, url: cmf.url, auth: 'token', defaultEnvironment: DEV },
      'the user setting holds the connection without a secret',
    );
    assert.ok(!JSON.stringify(setting).includes(TOKEN), 'no scope of cmfPools.connections holds the token');
    // On disk: code-server keeps the user's settings in User/settings.json and the remote machine's in
    // Machine/settings.json, where VS Code writes a machine-scoped setting such as this one.
    const userData = process.env.CMF_POOLS_E2E_USER_DATA_DIR;
    const files = [workspaceFile('.vscode/settings.json').fsPath, ...(userData ? ['User', 'Machine'].map((d) => join(userData, d, 'settings.json')) : [])].filter((f) => existsSync(f));
    for (const f of files) assert.ok(!readFileSync(f, 'utf8').includes(TOKEN), `${f} does not hold the token`);
    if (userData) assert.ok(files.some((f) => readFileSync(f, 'utf8').includes(`"name": "${CONNECTION}"`)), `the connection was written to a settings file (${files.join(', ')})`);
  });

  test('the explorer shows connection → environments → pools with their phases', async () => {
    const conn = await connectionNode();
    assert.equal(row(conn), `${CONNECTION}: ${new URL(cmf.url).host} [plug]`);
    assert.match(String(item(conn).contextValue), /^connection\.selected\.remote\.verified$/);
    // The selected connection and environment are expanded, so the view fetches them by itself.
    const devEnv = await environmentNode(DEV);
    assert.deepEqual(await renderedUnder(conn, 'both environments', (r) => r.length === 2), [`${DEV}: selected [layers-active]`, `${PROD}:  [layers]`]);
    assert.deepEqual(await renderedUnder(devEnv, "development's pools", (r) => r.length === 2), ['interactive: SHARED · RUNNING [pass-filled]', 'sandbox: SHARED · SUSPENDED [debug-pause]']);
    const prodEnv = await environmentNode(PROD);
    await api.view.reveal(prodEnv, { expand: true, select: false, focus: false });
    assert.deepEqual(await renderedUnder(prodEnv, "prod's pools", (r) => r.length === 2), ['analytics: SHARED · RUNNING [pass-filled]', 'orders-etl: DEDICATED [server-process]']);
    const interactive = await poolNode(DEV, 'interactive');
    await api.view.reveal(interactive, { expand: true, select: false, focus: false });
    assert.deepEqual(await renderedUnder(interactive, "interactive's statements", (r) => r.length === 3), [
      'clicks-per-minute: RUNNING [play-circle]',
      'create-clicks-sink: COMPLETED [check]',
      'customer-join: FAILED [error]',
    ]);
    assert.match(String(item(interactive).contextValue), /^pool\.shared\.state-running\.phase-running$/);
  });

  test('refresh reflects a pool created behind the explorer\'s back', async () => {
    const prodEnv = await environmentNode(PROD);
    await renderedUnder(prodEnv, "prod's pools", (r) => r.length === 2);
    // Let what the previous test started settle (a settings change reaches the extension a little later).
    await waitFor('the explorer to be quiet for a second', () => (Date.now() - lastFetch > 1000 ? true : undefined), 15_000);
    const created = await rest('POST', `/environments/${PROD}/compute-pools`, {
      apiVersion: 'cmf.confluent.io/v1',
      kind: 'ComputePool',
      metadata: { name: 'reporting' },
      spec: { type: 'DEDICATED', clusterSpec: { flinkVersion: 'v1_19', image: 'confluentinc/cp-flink-sql:1.19-cp11' } },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    // And a pool that fails meanwhile (a test control: CMF itself would report it so).
    const failed = await control('PUT', `/environments/${PROD}/compute-pools/analytics/phase`, { phase: 'FAILED', message: 'JobManager lost' });
    assert.equal(failed.status, 200, JSON.stringify(failed.body));
    await sleep(1000);
    assert.ok(!(rendered.get(prodEnv.id) ?? []).map(labelOf).includes('reporting'), 'nothing told the explorer yet');
    assert.ok((rendered.get(prodEnv.id) ?? []).map(row).includes('analytics: SHARED · RUNNING [pass-filled]'), 'nor of the failure');
    await vscode.commands.executeCommand('cmfPools.refresh');
    assert.deepEqual(await renderedUnder(prodEnv, 'the new pool and the failure after a refresh', (r) => r.some((x) => x.startsWith('reporting:')) && r.some((x) => x.includes('FAILED'))), [
      'analytics: SHARED · FAILED [error]',
      'orders-etl: DEDICATED [server-process]',
      'reporting: DEDICATED [server-process]',
    ]);
    // Back to RUNNING for what follows (the README's screenshot shows prod's pools too).
    assert.equal((await control('PUT', `/environments/${PROD}/compute-pools/analytics/phase`, { phase: 'RUNNING' })).status, 200);
    await vscode.commands.executeCommand('cmfPools.refresh');
    await renderedUnder(prodEnv, 'analytics RUNNING again', (r) => r.includes('analytics: SHARED · RUNNING [pass-filled]'));
  });

  test('Deploy creates a pool', async () => {
    const devEnv = await environmentNode(DEV);
    assert.equal((await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`)).status, 404);
    await open('shared.pool.json');
    await withPrompts([{ kind: 'info', match: /is RUNNING\.$/ }], async (p) => {
      await vscode.commands.executeCommand('cmfPools.deployPool');
      p.assertNoUnexpected(); // a new pool replaces nothing, so it is created without a confirmation
      await p.waitFor('info', /^Compute pool 'shared-pool' \(development, e2e-cmf\) is RUNNING\.$/);
      assert.deepEqual(p.find('error', /./), [], 'no error');
    });
    const live = await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`);
    assert.equal(live.status, 200);
    assert.equal(live.body.status.phase, 'RUNNING');
    assert.equal(live.body.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'], '4');
    await renderedUnder(devEnv, 'the deployed pool', (r) => hasRow(r, 'shared-pool: SHARED · RUNNING [pass-filled]'));

    // For the README: the explorer with its pools beside the pool file (its CodeLens says it is deployed).
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await api.view.reveal(await poolNode(DEV, 'shared-pool'), { select: false, focus: false });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await sleep(1500);
    await screenshot('explorer');
  });

  test('a second deploy of a changed file shows the diff and, once confirmed, updates the pool', async () => {
    const editor = await open('shared.pool.json');
    const doc = editor.document;
    const from = doc.getText().indexOf('"taskmanager.numberOfTaskSlots": "4"');
    assert.ok(from > 0);
    await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(from), doc.positionAt(from + '"taskmanager.numberOfTaskSlots": "4"'.length)), '"taskmanager.numberOfTaskSlots": "8"'));
    let diffShown: vscode.TabInputTextDiff | undefined;
    await withPrompts(
      [
        {
          kind: 'warning',
          match: /^Update compute pool 'shared-pool' in environment 'development' on connection 'e2e-cmf'\?$/,
          answer: () => {
            const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
            diffShown = input instanceof vscode.TabInputTextDiff ? input : undefined;
            return 'Update';
          },
        },
        { kind: 'info', match: /is RUNNING\.$/ },
      ],
      async (p) => {
        await vscode.commands.executeCommand('cmfPools.deployPool');
        p.assertNoUnexpected();
        const [confirm] = p.find('warning', /^Update compute pool/);
        assert.ok(confirm?.modal, 'the update is confirmed in a modal dialog');
        assert.match(confirm.detail ?? '', /Changes: spec\.clusterSpec\.flinkConfiguration\.taskmanager\.numberOfTaskSlots\./);
        await p.waitFor('info', /^Compute pool 'shared-pool' \(development, e2e-cmf\) is RUNNING\.$/);
      },
    );
    assert.ok(diffShown, 'a diff editor was in front while the confirmation was asked');
    const [live, file] = await Promise.all([vscode.workspace.openTextDocument(diffShown.original), vscode.workspace.openTextDocument(diffShown.modified)]);
    assert.equal(diffShown.original.scheme, 'cmf-pools-diff');
    assert.match(live.getText(), /"taskmanager\.numberOfTaskSlots": "4"/, 'the left side is the live pool');
    assert.match(file.getText(), /"taskmanager\.numberOfTaskSlots": "8"/, 'the right side is the file');
    const updated = await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`);
    assert.equal(updated.body.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'], '8', 'CMF has the new value');
    assert.equal(updated.body.status.phase, 'RUNNING');
    await closeAll();
  });

  test('a CFK manifest: a read-only CodeLens says CFK syncs the pool the connection has, none for the one it has not', async () => {
    const editor = await open('gitops/flink.yaml');
    const doc = editor.document;
    const sandboxLine = doc.getText().split('\n').indexOf('kind: FlinkComputePool') - 1;
    const lenses = await waitFor('the CFK lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l.some((x) => x.command?.title.includes('Synced by CFK')) ? l : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`),
      [`${sandboxLine}: $(check) Synced by CFK · in sync with ${DEV} (${CONNECTION}) · SUSPENDED`],
      'the sandbox pool is in CMF as the manifest says; the etl pool is not in CMF, so it gets no lens',
    );
    assert.deepEqual(lenses.map((l) => l.command?.command), ['cmfPools.compareWithDeployed'], 'no Deploy: CFK owns the pool');
    await withPrompts([{ kind: 'error', match: /is a Confluent for Kubernetes FlinkComputePool/ }], async (p) => {
      await vscode.commands.executeCommand('cmfPools.deployPool', doc.uri, 0);
      p.assertNoUnexpected();
      assert.equal(p.find('error', /CFK owns that pool/).length, 1);
    });
    await closeAll();
  });

  test('a YAML pool deploys, and Compare shows the live pool in YAML beside the file', async () => {
    await open('yaml/batch.pool.yaml');
    await withPrompts([{ kind: 'info', match: /^Compute pool 'batch' / }], async (p) => {
      await vscode.commands.executeCommand('cmfPools.deployPool');
      p.assertNoUnexpected();
      await p.waitFor('info', /^Compute pool 'batch' \(development, e2e-cmf\) is /);
      assert.deepEqual(p.find('error', /./), [], 'no error');
    });
    const live = await rest('GET', `/environments/${DEV}/compute-pools/batch`);
    assert.equal(live.status, 200);
    assert.equal(live.body.spec.clusterSpec.flinkConfiguration['execution.checkpointing.interval'], '30s');
    await vscode.commands.executeCommand('cmfPools.compareWithDeployed');
    const input = await waitFor('the diff editor', () => {
      const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return i instanceof vscode.TabInputTextDiff ? i : undefined;
    });
    const left = await vscode.workspace.openTextDocument(input.original);
    assert.match(left.getText(), /^apiVersion: cmf\.confluent\.io\/v1\nkind: ComputePool\n/, 'the live side is YAML');
    assert.ok(!/status:|uid:/.test(left.getText()), 'without what CMF sets');
    assert.equal(input.modified.path, workspaceFile('yaml/batch.pool.yaml').path, 'the right side is the file itself');
    await closeAll();
    // The development environment as the tests after this one expect it.
    assert.equal((await rest('DELETE', `/environments/${DEV}/compute-pools/batch?force=true`)).status, 204);
    await vscode.commands.executeCommand('cmfPools.refresh');
  });

  test('Suspend and Resume change the phase', async () => {
    const devEnv = await environmentNode(DEV);
    const pool = await poolNode(DEV, 'shared-pool');
    await withPrompts(
      [
        { kind: 'warning', match: /^Suspend compute pool 'shared-pool' in environment 'development' on connection 'e2e-cmf'\?$/, answer: 'Suspend' },
        { kind: 'info', match: /is SUSPENDED\.$/ },
      ],
      async (p) => {
        await vscode.commands.executeCommand('cmfPools.suspendPool', pool);
        p.assertNoUnexpected();
        await p.waitFor('info', /^Compute pool 'shared-pool' \(development, e2e-cmf\) is SUSPENDED\.$/);
      },
    );
    assert.equal((await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`)).body.status.phase, 'SUSPENDED');
    await renderedUnder(devEnv, 'the suspended pool', (r) => hasRow(r, 'shared-pool: SHARED · SUSPENDED [debug-pause]'));
    assert.match(String(item(pool).contextValue), /\bstate-suspended\.phase-suspended\b/);

    await withPrompts(
      [
        { kind: 'warning', match: /^Resume compute pool 'shared-pool' in environment 'development' on connection 'e2e-cmf'\?$/, answer: 'Resume' },
        { kind: 'info', match: /is RUNNING\.$/ },
      ],
      async (p) => {
        await vscode.commands.executeCommand('cmfPools.resumePool', pool);
        p.assertNoUnexpected();
        await p.waitFor('info', /^Compute pool 'shared-pool' \(development, e2e-cmf\) is RUNNING\.$/);
      },
    );
    assert.equal((await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`)).body.status.phase, 'RUNNING');
    await renderedUnder(devEnv, 'the resumed pool', (r) => hasRow(r, 'shared-pool: SHARED · RUNNING [pass-filled]'));
  });

  test('the Flink web UI forward answers on loopback with the connection\'s credentials added', async () => {
    const path = `/environments/${DEV}/compute-pools/interactive/flink-web-ui/`;
    assert.equal((await rest('GET', path, undefined, null)).status, 401, 'CMF wants the token for the web UI too');
    const pool = await poolNode(DEV, 'interactive');
    const url = await withPrompts([], async (p) => {
      await vscode.commands.executeCommand('cmfPools.openFlinkWebUi', pool);
      p.assertNoUnexpected();
      assert.deepEqual(p.find('error', /./), [], 'no error');
      assert.equal(p.opened.length, 1, 'one URL was opened in the browser');
      return p.opened[0];
    });
    const u = new URL(url);
    assert.equal(u.protocol, 'http:');
    assert.equal(u.hostname, '127.0.0.1', 'the forward listens on loopback');
    assert.notEqual(u.port, new URL(cmf.url).port);
    assert.match(u.pathname, /^\/[\w-]{20,}\/$/, 'under a random path');
    assert.ok(!url.includes(TOKEN), 'the URL carries no token');
    const page = await fetch(url);
    const html = await page.text();
    assert.equal(page.status, 200, html);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html, /Apache Flink Web Dashboard/);
    assert.match(html, /clicks-per-minute/, "the stub page lists the pool's statements");
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal((await fetch(`${u.origin}/`)).status, 404, 'nothing outside the random path');
    assert.equal((await fetch(`${u.origin}${u.pathname}`, { method: 'POST' })).status, 405, 'reads only');
  });

  test('Delete of a pool in use is refused, naming the blocking statement; Force Delete too', async () => {
    const pool = await poolNode(DEV, 'interactive');
    for (const command of ['cmfPools.deletePool', 'cmfPools.forceDeletePool']) {
      await withPrompts([{ kind: 'error', match: /cannot be deleted/ }], async (p) => {
        await vscode.commands.executeCommand(command, pool);
        p.assertNoUnexpected(); // no confirmation is offered for a delete that cannot happen
        const [refused] = p.find('error', /cannot be deleted/);
        assert.ok(refused, `${command} says why it is refused`);
        assert.match(refused.message, /^Compute pool 'interactive' in environment 'development' on connection 'e2e-cmf' cannot be deleted/);
        assert.match(refused.message, /statements use it: clicks-per-minute \(RUNNING\)\./);
        assert.deepEqual(refused.choices, ['Reveal Statements']);
      });
    }
    assert.equal((await rest('GET', `/environments/${DEV}/compute-pools/interactive`)).status, 200, 'the pool is still there');
  });

  test('Force Delete removes a pool', async () => {
    const devEnv = await environmentNode(DEV);
    const pool = await poolNode(DEV, 'shared-pool');
    await withPrompts(
      [
        { kind: 'warning', match: /^Force Delete compute pool 'shared-pool' in environment 'development' on connection 'e2e-cmf'\?$/, answer: 'Force Delete' },
        { kind: 'info', match: /./ },
      ],
      async (p) => {
        await vscode.commands.executeCommand('cmfPools.forceDeletePool', pool);
        p.assertNoUnexpected();
        const [confirm] = p.find('warning', /^Force Delete/);
        assert.ok(confirm.modal);
        assert.match(confirm.detail ?? '', /metadata only/);
      },
    );
    assert.equal((await rest('GET', `/environments/${DEV}/compute-pools/shared-pool`)).status, 404, 'CMF no longer has it');
    await renderedUnder(devEnv, 'the pools without the deleted one', (r) => r.length === 2 && !r.some((x) => x.startsWith('shared-pool:')));
  });

  test('Remove Connection takes its token out of SecretStorage', async () => {
    const conn = await connectionNode();
    await withPrompts([{ kind: 'warning', match: new RegExp(`^Remove connection '${CONNECTION}'\\?$`), answer: 'Remove' }], async (p) => {
      await vscode.commands.executeCommand('cmfPools.removeConnection', conn);
      p.assertNoUnexpected();
    });
    assert.equal(await api.secrets.get(secretKey(CONNECTION, 'token')), undefined);
    const setting = vscode.workspace.getConfiguration('cmfPools').inspect<Record<string, unknown>[]>('connections');
    assert.ok(!(setting?.globalValue ?? []).some((c) => c.name === CONNECTION));
    await waitFor('the explorer to drop the connection', async () => ((await provider(undefined)).some((n) => labelOf(n) === CONNECTION) ? undefined : true));
  });

  test('Try with a local CMF runs the product build in a process of its own, without test controls; Stop ends it', async () => {
    const started = await withPrompts([{ kind: 'info', match: /^The local CMF is running on / }], async (p) => {
      await vscode.commands.executeCommand('cmfPools.tryLocalCmf');
      p.assertNoUnexpected();
      assert.deepEqual(p.find('error', /./), [], 'no error');
      return p.waitFor('info', /^The local CMF is running on /);
    });
    const url = /running on (http:\/\/127\.0\.0\.1:\d+) /.exec(started.message)?.[1];
    assert.ok(url, started.message);
    assert.notEqual(new URL(url).port, new URL(cmf.url).port, 'not the suite\'s local CMF');
    const local = await waitFor('the explorer to show the local CMF', async () => (await provider(undefined)).find((n) => labelOf(n) === 'local CMF'));
    assert.match(String(item(local).contextValue), /^connection\.selected\.local\b/);
    const envs = await fetch(`${url}/cmf/api/v1/environments`);
    assert.equal(envs.status, 200, 'it answers, without a token');
    assert.deepEqual(((await envs.json()) as { items: { name: string }[] }).items.map((e) => e.name).sort(), [DEV, PROD]);
    const controls = await fetch(`${url}/__test__/settle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(controls.status, 404, 'the product build has no test controls');
    await controls.text();

    await withPrompts([], async (p) => {
      await vscode.commands.executeCommand('cmfPools.stopLocalCmf');
      p.assertNoUnexpected();
    });
    await assert.rejects(fetch(`${url}/cmf/api/v1/environments`), 'nothing listens there after Stop');
    await waitFor('the explorer to drop the local CMF', async () => ((await provider(undefined)).some((n) => labelOf(n) === 'local CMF') ? undefined : true));
  });
});
