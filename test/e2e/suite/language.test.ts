/** Completion, hover and quick fixes, asked of the real editor (the same commands its UI runs). */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticsOn, open, positionOf, screenshot, sleep, summary, waitFor } from './harness';

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

async function completionsAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

suite('Completion, hover and quick fixes', () => {
  teardown(closeAll);
  suiteTeardown(closeAll);

  test('completion at a clusterSpec key proposes what is missing, and never a field CMF manages', async () => {
    const editor = await open('shared.pool.json');
    const doc = editor.document;
    const after = positionOf(doc, '"clusterSpec": {', '"clusterSpec": {'.length);
    await editor.edit((e) => e.insert(after, '\n      "'));
    const items = await completionsAt(doc.uri, new vscode.Position(after.line + 1, 7));
    const keys = items.filter((i) => i.kind === vscode.CompletionItemKind.Property).map(labelOf);
    for (const k of ['mode', 'podTemplate', 'imagePullPolicy']) assert.ok(keys.includes(k), `"${k}" is proposed (got ${keys.join(', ')})`);
    assert.ok(!keys.includes('image'), 'image is in the file already');
    // Mid-edit: the new key has no colon or comma yet, so the parse drops flinkVersion below it; it is in the file,
    // and is not proposed again (issue 12).
    assert.ok(!keys.includes('flinkVersion'), 'flinkVersion, the key right below, is in the file already');
    assert.ok(!keys.includes('serviceAccount') && !keys.includes('job'), 'CMF manages serviceAccount and job');
  });

  test('completion at a Flink option key proposes the version\'s options, and accepting one writes it', async () => {
    const editor = await open('shared.pool.json');
    const doc = editor.document;
    const after = positionOf(doc, '"flinkConfiguration": {', '"flinkConfiguration": {'.length);
    await editor.edit((e) => e.insert(after, '\n        "taskmanager.memory.process.si'));
    const cursor = new vscode.Position(after.line + 1, '        "taskmanager.memory.process.si'.length);
    const items = await completionsAt(doc.uri, cursor);
    const proc = items.find((i) => labelOf(i) === 'taskmanager.memory.process.size');
    assert.ok(proc, `taskmanager.memory.process.size is proposed (${items.length} items)`);
    assert.match(String(proc.detail), /MemorySize/);
    // Through the suggest widget, as a user would: trigger it and accept the first proposal.
    editor.selection = new vscode.Selection(cursor, cursor);
    await waitFor('the suggestion to be accepted', async () => {
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await sleep(300);
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      return doc.lineAt(cursor.line).text.includes('"taskmanager.memory.process.size":') ? true : undefined;
    }, 15_000);
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('hover on image explains the rule that the image breaks', async () => {
    const editor = await open('shared-bad.pool.json');
    const doc = editor.document;
    await diagnosticsOn(doc.uri, (d) => d.some((x) => codeOf(x) === 'image-too-old'));
    const onKey = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '"image"', 2)));
    assert.match(onKey, /confluentinc\/cp-flink-sql/, 'the key: what the image must be');
    const value = positionOf(doc, '"confluentinc/cp-flink-sql:1.19-cp5"', 5);
    const onValue = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, value));
    assert.match(onValue, /image-too-old/, 'the value: the rule it breaks');
    assert.match(onValue, /1\.19-cp7|cp7/, 'and what the rule asks for');
    assert.match(onValue, /Quick fix/i, 'and the fix on offer');
    // For the README: the hover as the editor shows it.
    editor.selection = new vscode.Selection(value, value);
    editor.revealRange(new vscode.Range(value, value), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(1200);
    await screenshot('pool-hover');
  });

  test('a quick fix from the code action provider renames an unknown Flink key, and its problem goes', async () => {
    const editor = await open('shared-bad.pool.json');
    const doc = editor.document;
    const before = await diagnosticsOn(doc.uri, (d) => d.some((x) => codeOf(x) === 'flink-config-unknown-key'));
    const unknown = before.find((x) => codeOf(x) === 'flink-config-unknown-key')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, unknown.range, vscode.CodeActionKind.QuickFix.value);
    const rename = actions.find((a) => a.title.includes('taskmanager.numberOfTaskSlots') && a.edit);
    assert.ok(rename, `a fix renames the key (offered: ${actions.map((a) => a.title).join('; ')})`);
    assert.ok(await vscode.workspace.applyEdit(rename.edit!));
    assert.match(doc.getText(), /"taskmanager\.numberOfTaskSlots": "4"/);
    const after = await diagnosticsOn(doc.uri, (d) => !d.some((x) => codeOf(x) === 'flink-config-unknown-key'));
    assert.deepEqual(summary(after), summary(before.filter((x) => x !== unknown)));
  });

  test('the preferred quick fix at the cursor (editor.action.autoFix) removes serviceAccount', async () => {
    const editor = await open('shared-bad.pool.json');
    const doc = editor.document;
    await diagnosticsOn(doc.uri, (d) => d.some((x) => codeOf(x) === 'forbidden-field'));
    const at = positionOf(doc, '"serviceAccount"', 3);
    editor.selection = new vscode.Selection(at, at);
    await waitFor('the fix to be applied', async () => {
      await vscode.commands.executeCommand('editor.action.autoFix');
      await sleep(300);
      return doc.getText().includes('serviceAccount') ? undefined : true;
    }, 15_000);
    JSON.parse(doc.getText()); // still JSON
    await diagnosticsOn(doc.uri, (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'forbidden-field'));
  });
});
