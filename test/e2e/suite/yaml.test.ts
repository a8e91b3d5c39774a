/** Pools in YAML in the real editor: a YAML pool file and a multi-document CFK manifest, their problems, a completion and quick fixes. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticsOn, open, positionOf, sleep, summary, waitFor } from './harness';

const ANALYTICS = ['image-too-old@11', 'forbidden-field@12', 'insert-needs-checkpointing@13', 'stateless-stop-resume@13', 'flink-config-invalid-value@14'].sort();
/**
 * gitops/flink.yaml: a FlinkEnvironment (nothing), the sandbox pool (no HA: a hint here; no checkpointing interval nor
 * state directories: infos), the etl pool (two errors, the same infos), a statement (nothing).
 */
const MANIFEST = ['ha-recommended@25', 'insert-needs-checkpointing@25', 'stateless-stop-resume@25', 'state-on-dedicated@43', 'insert-needs-checkpointing@45', 'stateless-stop-resume@45', 'forbidden-field@48'].sort();

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

suite('Pools in YAML', () => {
  teardown(closeAll);
  suiteTeardown(closeAll);

  test('a YAML pool file shows its problems at their lines', async () => {
    const editor = await open('yaml/analytics.pool.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    const d = await diagnosticsOn(editor.document.uri, (x) => x.length >= ANALYTICS.length);
    assert.deepEqual(summary(d), ANALYTICS);
    assert.equal(editor.document.getText(d.find((x) => codeOf(x) === 'flink-config-invalid-value')!.range), 'four');
  });

  test('a multi-document CFK manifest: the pool documents are checked, the others are not', async () => {
    const editor = await open('gitops/flink.yaml');
    const d = await diagnosticsOn(editor.document.uri, (x) => x.length >= MANIFEST.length);
    assert.deepEqual(summary(d), MANIFEST);
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, positionOf(editor.document, 'kubernetesNamespace', 2));
    assert.ok(!hover.some((h) => h.contents.some((c) => /cmf/i.test(typeof c === 'string' ? c : c.value))), 'no hover of ours in the FlinkEnvironment');
  });

  test('completion writes YAML: accepting a clusterSpec key writes `key: `', async () => {
    const editor = await open('yaml/analytics.pool.yaml');
    const doc = editor.document;
    const at = positionOf(doc, '    flinkConfiguration:');
    await editor.edit((e) => e.insert(at, '    mo\n'));
    const cursor = new vscode.Position(at.line, 6);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, cursor);
    const labels = list.items.map(labelOf);
    assert.ok(labels.includes('mode'), `mode is proposed (${labels.join(', ')})`);
    assert.ok(!labels.includes('serviceAccount') && !labels.includes('image'), 'not a field CMF manages, nor one the file has');
    editor.selection = new vscode.Selection(cursor, cursor);
    await waitFor('the suggestion to be accepted', async () => {
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await sleep(300);
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      return /^ {4}mode: /.test(doc.lineAt(cursor.line).text) ? true : undefined;
    }, 15_000);
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('a quick fix edits YAML as YAML: serviceAccount goes, the comments stay, its problem goes', async () => {
    const editor = await open('yaml/analytics.pool.yaml');
    const doc = editor.document;
    const before = await diagnosticsOn(doc.uri, (d) => d.some((x) => codeOf(x) === 'forbidden-field'));
    const sa = before.find((x) => codeOf(x) === 'forbidden-field')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, sa.range, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((a) => a.title === 'Remove spec.clusterSpec.serviceAccount' && a.edit);
    assert.ok(remove, `offered: ${actions.map((a) => a.title).join('; ')}`);
    assert.ok(await vscode.workspace.applyEdit(remove.edit!));
    assert.ok(!doc.getText().includes('serviceAccount'));
    assert.ok(doc.getText().startsWith("# The analytics team's shared pool, in YAML.\n"));
    assert.match(doc.getText(), /# too old for a shared pool\n {4}flinkConfiguration:/);
    const after = await diagnosticsOn(doc.uri, (d) => !d.some((x) => codeOf(x) === 'forbidden-field'));
    assert.deepEqual(summary(after), ['flink-config-invalid-value@13', 'image-too-old@11', 'insert-needs-checkpointing@12', 'stateless-stop-resume@12']);
  });

  test('in the manifest, the preferred fix at the cursor removes the etl pool\'s job block', async () => {
    const editor = await open('gitops/flink.yaml');
    const doc = editor.document;
    await diagnosticsOn(doc.uri, (d) => d.some((x) => codeOf(x) === 'forbidden-field'));
    const at = positionOf(doc, '    job:', 5);
    editor.selection = new vscode.Selection(at, at);
    await waitFor('the fix to be applied', async () => {
      await vscode.commands.executeCommand('editor.action.autoFix');
      await sleep(300);
      return doc.getText().includes('jarURI') ? undefined : true;
    }, 15_000);
    assert.equal(doc.getText().split('\n---\n').length, 4, 'still four documents');
    const after = await diagnosticsOn(doc.uri, (d) => !d.some((x) => codeOf(x) === 'forbidden-field'));
    assert.deepEqual(summary(after), MANIFEST.filter((c) => !c.startsWith('forbidden-field')));
  });
});
