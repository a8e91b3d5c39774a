/**
 * YAML over real LSP on stdio (languageId yaml), against the built dist/server.js: diagnostics per document of a
 * multi-document file, completion, hover, a quick fix and the outline; YAML files that are no pools get nothing;
 * YAML syntax errors only when the client says no YAML extension reports them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { parse as parseYaml } from 'yaml';
import { poolText } from '../../language-service/src/index';
import { POOL_DOCUMENT_NOTIFICATION } from '../../server/src/protocol';
import { codeActionsFor, codesOf, completionAt, documentSymbolsOf, hoverAt, startServer, type PoolServer } from './lsp-client';
import { cfkSharedPool, dedicatedPool, sharedPool } from '../pools';

const items = (r: CompletionList | CompletionItem[] | null): CompletionItem[] => (!r ? [] : Array.isArray(r) ? r : r.items);

function positionOf(t: string, needle: string, delta = 0) {
  const i = t.indexOf(needle);
  assert.ok(i >= 0, needle);
  return TextDocument.create('x', 'yaml', 1, t).positionAt(i + delta);
}

/** A CFK manifest: a FlinkEnvironment, then a FlinkComputePool with a forbidden field, then a clean ComputePool. */
function manifest(): string {
  const cfk = cfkSharedPool();
  cfk.spec.clusterSpec.serviceAccount = 'flink';
  cfk.spec.clusterSpec.flinkConfiguration = sharedPool().spec.clusterSpec.flinkConfiguration;
  return [
    'apiVersion: platform.confluent.io/v1beta1\nkind: FlinkEnvironment\nmetadata:\n  name: flink-env1\nspec:\n  kubernetesNamespace: operator\n',
    `# the pool\n${poolText(cfk, 'yaml')}`,
    poolText(sharedPool(), 'yaml'),
  ].join('---\n');
}

describe('YAML over stdio', () => {
  let server: PoolServer;
  let withYamlExtension: PoolServer;
  const isPool = new Map<string, boolean>();
  before(async () => {
    server = await startServer({});
    server.connection.onNotification(POOL_DOCUMENT_NOTIFICATION, (p: { uri: string; isPool: boolean }) => {
      isPool.set(p.uri, p.isPool);
    });
    withYamlExtension = await startServer({}, { initializationOptions: { yamlSyntaxReportedElsewhere: true } });
  });
  after(async () => {
    await server.stop();
    await withYamlExtension.stop();
  });

  it('a multi-document manifest: the pool documents are checked, each problem on its line, with source cmf-pools', async () => {
    const uri = 'file:///work/gitops/flink.yaml';
    const t = manifest();
    const got = server.next(uri);
    server.open(uri, t, 1, 'yaml');
    const p = await got;
    assert.deepEqual(codesOf(p.diagnostics), ['forbidden-field']);
    assert.equal(p.diagnostics[0]!.range.start.line, positionOf(t, 'serviceAccount: flink').line);
    assert.equal(p.diagnostics[0]!.source, 'cmf-pools');
    assert.equal(isPool.get(uri), true);

    const symbols = (await documentSymbolsOf(server, uri))!;
    assert.deepEqual(symbols.map((s) => s.name), ['shared-pool', 'shared-pool']);

    const h = await hoverAt(server, uri, positionOf(t, 'flinkEnvironment: flink-env1', 2));
    assert.match((h!.contents as { value: string }).value, /flinkEnvironment/);
    assert.equal(await hoverAt(server, uri, positionOf(t, 'kubernetesNamespace', 2)), null, 'not in the FlinkEnvironment');
  });

  it('a quick fix edits YAML as YAML: the comment stays, the field goes, the diagnostic clears', async () => {
    const uri = 'file:///work/gitops/fix.yaml';
    const t = manifest();
    const opened = server.next(uri);
    server.open(uri, t, 1, 'yaml');
    const [sa] = (await opened).diagnostics;
    const actions = (await codeActionsFor(server, uri, sa!.range, [sa!]))!;
    assert.deepEqual(actions.map((a) => a.title), ['Remove spec.clusterSpec.serviceAccount']);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, t), actions[0]!.edit!.changes![uri]!);
    assert.ok(fixed.includes('# the pool\n'));
    assert.equal(fixed.split('---\n').length, 3);
    assert.equal(parseYaml(fixed.split('---\n')[1]!).spec.clusterSpec.serviceAccount, undefined);
    const republished = server.next(uri, (x) => x.version === 2);
    server.change(uri, 2, fixed);
    assert.deepEqual((await republished).diagnostics, []);
  });

  it('completes YAML: a clusterSpec key as `key: value`, a Flink option key, an enum value', async () => {
    const uri = 'file:///work/pools/new.pool.yaml';
    const t = poolText(dedicatedPool(), 'yaml').replace('    jobManager:', '    \n    jobManager:');
    const opened = server.next(uri);
    server.open(uri, t, 1, 'yaml');
    await opened;
    const keys = items(await completionAt(server, uri, positionOf(t, '    \n    jobManager:', 4)));
    const mode = keys.find((i) => i.label === 'imagePullPolicy');
    assert.ok(mode, keys.map((i) => i.label).join(', '));
    assert.match((mode.textEdit as { newText: string }).newText, /^imagePullPolicy: /);
    const flink = items(await completionAt(server, uri, positionOf(t, 'execution.checkpointing.interval', 0)));
    assert.ok(flink.some((i) => i.label === 'taskmanager.numberOfTaskSlots'));
    const type = items(await completionAt(server, uri, positionOf(t, 'DEDICATED', 3)));
    assert.deepEqual(type.map((i) => i.label).sort(), ['DEDICATED', 'SHARED']);
  });

  it('a YAML file that is no pool gets nothing: no diagnostics, completion, hover or outline', async () => {
    const uri = 'file:///work/k8s/deployment.yaml';
    const t = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';
    const got = server.next(uri);
    server.open(uri, t, 1, 'yaml');
    assert.deepEqual((await got).diagnostics, []);
    assert.notEqual(isPool.get(uri), true, 'never said to be a pool');
    assert.equal(await completionAt(server, uri, { line: 5, character: 2 }), null);
    assert.equal(await hoverAt(server, uri, { line: 1, character: 2 }), null);
    assert.deepEqual(await documentSymbolsOf(server, uri), []);
  });

  it('YAML syntax errors: reported unless the client says a YAML extension reports them', async () => {
    const uri = 'file:///work/pools/tabs.pool.yaml';
    const t = poolText(sharedPool(), 'yaml').replace('  type: SHARED', '\ttype: SHARED');
    const alone = server.next(uri);
    server.open(uri, t, 1, 'yaml');
    assert.ok(codesOf((await alone).diagnostics).includes('invalid-yaml'));
    const beside = withYamlExtension.next(uri);
    withYamlExtension.open(uri, t, 1, 'yaml');
    assert.ok(!codesOf((await beside).diagnostics).includes('invalid-yaml'));
  });
});
