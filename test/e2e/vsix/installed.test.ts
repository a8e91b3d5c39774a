/** The installed .vsix: it holds the allow-listed files only, activates, and serves diagnostics. */
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, activationTimeShown, closeAll, codeOf, diagnosticsOn, open, report } from '../suite/harness';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p).map((f) => join(name, f)) : [name];
  });
}

suite('The installed .vsix', () => {
  suiteTeardown(closeAll);

  test('is installed from the package, not from the source tree', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const expected = process.env.CMF_POOLS_E2E_EXTENSIONS_DIR;
    if (expected) assert.ok(ext.extensionPath.startsWith(expected), `${ext.extensionPath} is under ${expected}`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    const files = filesUnder(ext.extensionPath).map((f) => f.split('\\').join('/')).sort();
    // vsce stores README.md and CHANGELOG.md as readme.md and changelog.md, and LICENSE as LICENSE.txt.
    const unexpected = files.filter((f) => !/^(dist\/(extension|server)\.js|schemas\/[^/]+\.json|language-service\/data\/[^/]+\.json|snippets\/[^/]+\.json|images\/.+|package\.json|readme\.md|changelog\.md|license(\.txt)?|\.vsixmanifest)$/i.test(f));
    assert.deepEqual(unexpected, [], `only the allow-list is shipped (shipped: ${files.join(', ')})`);
    const lower = files.map((f) => f.toLowerCase());
    // The Flink option data is read at run time from language-service/data (not bundled).
    const flinkData = ['flink-options-1.19.json', 'flink-options-1.20.json', 'flink-options-2.0.json', 'flink-option-descriptions.json'].map((f) => `language-service/data/${f}`);
    for (const f of ['dist/extension.js', 'dist/server.js', 'schemas/compute-pool.schema.json', ...flinkData, 'package.json', 'readme.md', 'changelog.md', 'license.txt']) assert.ok(lower.includes(f), `${f} is shipped`);
  });

  test('activates on a pool file and reports its problems', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const editor = await open('shared-bad.pool.json');
    await ext.activate();
    if (!wasActive) report('vsix-activation-ms', Math.round(performance.now() - t0));
    const d = await diagnosticsOn(editor.document.uri, (x) => x.length >= 10);
    report('vsix-first-diagnostics-ms', Math.round(performance.now() - t0));
    const shown = await activationTimeShown();
    if (shown !== undefined) report('vsix-activation-ms', shown);
    assert.equal(d.length, 10);
    assert.ok(d.some((x) => codeOf(x) === 'invalid-name'));
    // The suite's test API (the explorer's provider, SecretStorage) exists only in ExtensionMode.Test.
    assert.equal(ext.exports, undefined, 'the installed extension exports nothing');
  });
});
