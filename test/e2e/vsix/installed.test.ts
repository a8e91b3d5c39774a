/**
 * The installed .vsix: it holds the allow-listed files only (the local CMF's product build among them, its
 * test build not), activates, serves diagnostics, and runs its local CMF in a process of its own.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, activationTimeShown, closeAll, codeOf, diagnosticsOn, open, report } from '../suite/harness';

/** Processes whose parent is `parent` and whose command line holds `needle`: pid and command line. */
function childProcesses(parent: number, needle: string): { pid: number; args: string }[] {
  if (existsSync('/proc/self/stat')) {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim();
          return ppid === parent && args.includes(needle) ? [{ pid: Number(d), args }] : [];
        } catch {
          return []; // it ended while we looked
        }
      });
  }
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .flatMap((m) => (m && Number(m[2]) === parent && m[3].includes(needle) ? [{ pid: Number(m[1]), args: m[3] }] : []));
}

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
    const unexpected = files.filter((f) => !/^(dist\/(extension|language-client|undici|lsp-protocol|server|local-cmf)\.js|dist\/(language-client|undici|lsp-protocol|server|local-cmf)\.js\.br|dist\/data\/[^/]+\.json\.br|snippets\/[^/]+\.json|images\/.+|package\.json|readme\.md|changelog\.md|license(\.txt)?|\.vsixmanifest)$/i.test(f));
    assert.deepEqual(unexpected, [], `only the allow-list is shipped (shipped: ${files.join(', ')})`);
    const lower = files.map((f) => f.toLowerCase());
    // The schema and the Flink option data are read at run time, brotli-compressed, from dist/data (not bundled).
    const data = ['compute-pool.schema.json', 'flink-compute-pool.schema.json', 'flink-options-1.19.json', 'flink-options-1.20.json', 'flink-options-2.0.json', 'flink-option-descriptions.json'].map((f) => `dist/data/${f}.br`);
    // The three largest bundles are packed (scripts/build.mjs): a loader, and the code brotli-compressed beside it.
    const packed = ['language-client', 'undici', 'server'].map((b) => `dist/${b}.js.br`);
    const snippets = ['snippets/compute-pool.code-snippets.json', 'snippets/compute-pool-yaml.code-snippets.json'];
    for (const f of ['dist/extension.js', 'dist/language-client.js', 'dist/undici.js', 'dist/lsp-protocol.js', 'dist/server.js', 'dist/local-cmf.js', ...packed, ...data, ...snippets, 'package.json', 'readme.md', 'changelog.md', 'license.txt']) assert.ok(lower.includes(f), `${f} is shipped`);
  });

  test('activates on a pool file and reports its problems', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const editor = await open('shared-bad.pool.json');
    await ext.activate();
    if (!wasActive) report('vsix-activation-ms', Math.round(performance.now() - t0));
    const d = await diagnosticsOn(editor.document.uri, (x) => x.length >= 12);
    report('vsix-first-diagnostics-ms', Math.round(performance.now() - t0));
    const shown = await activationTimeShown();
    if (shown !== undefined) report('vsix-activation-ms', shown);
    assert.equal(d.length, 12, 'the dozen problems of the README\'s tour');
    assert.ok(d.some((x) => codeOf(x) === 'invalid-name'));
    assert.ok(d.some((x) => codeOf(x) === 'flink-config-secret'), 'a rule from the field');
    // The suite's test API (the explorer's provider, SecretStorage) exists only in ExtensionMode.Test.
    assert.equal(ext.exports, undefined, 'the installed extension exports nothing');
  });

  test('Try with a local CMF runs the shipped dist/local-cmf.js as a child process; Stop ends it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const script = join(ext.extensionPath, 'dist', 'local-cmf.js');
    assert.deepEqual(childProcesses(process.pid, script), [], 'none yet');
    await vscode.commands.executeCommand('cmfPools.tryLocalCmf');
    // The extension host (this process: the suite's extension and the installed one share it) forked it.
    const [child] = childProcesses(process.pid, script);
    assert.ok(child, `a child of the extension host runs ${script}`);
    assert.match(child.args, /local-cmf\.js --port 0 --host 127\.0\.0\.1 --seed demo$/);
    await vscode.commands.executeCommand('cmfPools.stopLocalCmf');
    assert.deepEqual(childProcesses(process.pid, script), [], 'Stop ended it');
  });
});
