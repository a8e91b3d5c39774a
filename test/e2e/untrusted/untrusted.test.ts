/** In a workspace the user has not trusted, pool files are still checked, and its connection settings are ignored. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { CmfPoolsTestApi } from '../../../client/src/extension';
import type { ExplorerNode } from '../../../client/src/explorer/model';
import { EXTENSION_ID, closeAll, codeOf, diagnosticsOn, open, screenshot, sleep, summary, waitFor } from '../suite/harness';

/** The connection the launcher writes into the user settings of this run. */
const FROM_USER = 'from-user-settings';

suite('An untrusted workspace', () => {
  suiteTeardown(closeAll);

  test('is untrusted, and the extension runs in it', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'workspace trust is on and this folder is not trusted');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await open('reporting.pool.json');
    await ext.activate();
    assert.ok(ext.isActive);
  });

  test('pool files are still validated, with the workspace\'s severities', async () => {
    const bad = await open('analytics.pool.json');
    assert.deepEqual(summary(await diagnosticsOn(bad.document.uri)), ['flink-version-unsupported@11', 'image-not-cp-flink-sql@12', 'insert-needs-checkpointing@13', 'state-on-dedicated@9', 'stateless-stop-resume@13']);
    const hinted = await open('reporting.pool.json');
    const all = await diagnosticsOn(hinted.document.uri);
    assert.deepEqual(summary(all), ['ha-recommended@13', 'insert-needs-checkpointing@13', 'stateless-stop-resume@13']);
    const d = all.find((x) => codeOf(x) === 'ha-recommended')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Hint, 'cmfPools.rules is not a restricted setting');
  });

  test('cmfPools.connections from the workspace is ignored; the user\'s own connection is used', async () => {
    const names = (vscode.workspace.getConfiguration('cmfPools').get<{ name?: string }[]>('connections') ?? []).map((c) => c.name);
    assert.deepEqual(names, [FROM_USER], 'VS Code gives the extension the user setting only');
    const api = vscode.extensions.getExtension<CmfPoolsTestApi | undefined>(EXTENSION_ID)!.exports;
    assert.ok(api, 'the test API (ExtensionMode.Test)');
    // What the view itself asks for when it is shown: the roots it renders.
    const provider = api.explorer.getChildren.bind(api.explorer);
    let shown: ExplorerNode[] | undefined;
    api.explorer.getChildren = async (node?: ExplorerNode) => {
      const list = await provider(node);
      if (!node) shown = list;
      return list;
    };
    try {
      await vscode.commands.executeCommand('workbench.view.extension.cmfPools');
      const roots = await waitFor('the explorer to show its connections', () => shown);
      assert.deepEqual(roots.map((n) => String(api.explorer.getTreeItem(n).label)), [FROM_USER], 'the explorer lists the user\'s connection only');
      await sleep(1000);
      await screenshot('untrusted-explorer');
    } finally {
      api.explorer.getChildren = provider;
    }
  });
});
