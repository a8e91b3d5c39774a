/** Opening pool files in the editor: activation, the problems we promise (codes and lines), and silence elsewhere. */
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, activationTimeShown, closeAll, codeOf, diagnosticsOn, open, ours, report, screenshot, sleep, summary } from './harness';

/** The README's tour: the dozen problems of examples/bad/shared-bad.pool.json, as `code@line`. */
const SHARED_BAD = [
  'invalid-name@5',
  'image-too-old@11',
  'forbidden-field@12',
  'stateless-stop-resume@13',
  'flink-config-unknown-key@14',
  'flink-config-invalid-value@15',
  'ha-incomplete@16',
  'flink-config-secret@17',
  'replicas-ignored-native@20',
  'invalid-resource@21',
  'reserved-volume@27',
  'schema/additionalProperties@35',
].sort();

suite('Diagnostics in the editor', () => {
  suiteTeardown(closeAll);

  test('opening a pool file activates the extension and shows the expected problems', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const editor = await open('shared-bad.pool.json');
    await ext.activate(); // the activation that opening the file started: resolves when it has finished
    const activated = performance.now();
    const diagnostics = await diagnosticsOn(editor.document.uri, (d) => d.length >= SHARED_BAD.length);
    const firstDiagnostics = performance.now();
    if (!wasActive) report('activation-ms', Math.round(activated - t0));
    report('first-diagnostics-ms', Math.round(firstDiagnostics - t0));
    const shown = await activationTimeShown();
    if (shown !== undefined) report('activation-ms', shown);
    assert.ok(ext.isActive);
    assert.deepEqual(summary(diagnostics), SHARED_BAD);
    const name = diagnostics.find((d) => codeOf(d) === 'invalid-name');
    assert.equal(name?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(name.range), '"Shared_Pool"', 'the range is on the value, not line 0');
    // For the README: the pool with its problems listed under it.
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    editor.selection = new vscode.Selection(name.range.start, name.range.start);
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    await sleep(500);
    await screenshot('pool-diagnostics');
  });

  test('a file whose kind is ComputePool is checked whatever its name', async () => {
    const editor = await open('teams/analytics.json');
    const d = await diagnosticsOn(editor.document.uri);
    assert.deepEqual(summary(d), ['flink-version-unsupported@11', 'image-not-cp-flink-sql@12', 'insert-needs-checkpointing@13', 'state-on-dedicated@9', 'stateless-stop-resume@13']);
  });

  test('workspace settings set severities (cmfPools.rules: ha-recommended = hint)', async () => {
    const editor = await open('teams/reporting.pool.json');
    const all = await diagnosticsOn(editor.document.uri);
    assert.deepEqual(summary(all), ['ha-recommended@13', 'insert-needs-checkpointing@13', 'stateless-stop-resume@13']);
    const d = all.find((x) => codeOf(x) === 'ha-recommended')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Hint);
    assert.equal(all.find((x) => codeOf(x) === 'insert-needs-checkpointing')!.severity, vscode.DiagnosticSeverity.Information);
  });

  test('problems follow edits: fixing the name clears invalid-name and nothing else', async () => {
    const editor = await open('shared-bad.pool.json');
    const uri = editor.document.uri;
    await diagnosticsOn(uri, (d) => d.length === SHARED_BAD.length);
    const at = editor.document.getText().indexOf('"Shared_Pool"');
    const ok = await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + '"Shared_Pool"'.length)), '"shared-pool"'));
    assert.ok(ok);
    const after = await diagnosticsOn(uri, (d) => d.length === SHARED_BAD.length - 1);
    assert.deepEqual(summary(after), SHARED_BAD.filter((c) => !c.startsWith('invalid-name')));
  });

  test('a clean pool has no problems, and a package.json gets none of ours', async () => {
    const pkg = await open('package.json');
    assert.equal(pkg.document.languageId, 'json');
    const clean = await open('dedicated.pool.json');
    const uri = clean.document.uri;
    // A problem made in the clean pool after package.json was opened: once it is reported, the
    // server has handled package.json too (it answers in order), so "none" is an answer, not "not yet".
    const at = clean.document.getText().indexOf('"dedicated-pool"');
    await clean.edit((e) => e.replace(new vscode.Range(clean.document.positionAt(at), clean.document.positionAt(at + 16)), '"Dedicated_Pool"'));
    assert.deepEqual(summary(await diagnosticsOn(uri)), ['invalid-name@5']);
    assert.deepEqual(ours(pkg.document.uri), []);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnosticsOn(uri, (d) => d.length === 0);
  });
});
