/** Completion, hover, quick fixes and the outline over real LSP on stdio, against the built dist/server.js. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-protocol';
import { codeActionsFor, codesOf, completionAt, documentSymbolsOf, hoverAt, resolveCompletionItem, startServer, type PoolServer } from './lsp-client';
import { dedicatedPool, sharedPool, text } from '../pools';

function items(r: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

function positionOf(t: string, needle: string, delta = 0) {
  const doc = TextDocument.create('x', 'json', 1, t);
  const i = t.indexOf(needle);
  assert.ok(i >= 0, needle);
  return doc.positionAt(i + delta);
}

describe('authoring over stdio', () => {
  let server: PoolServer;
  let snippets: PoolServer;
  before(async () => {
    server = await startServer({});
    // What VS Code's language client announces for completion.
    snippets = await startServer({}, {
      capabilities: {
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true },
            completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
          },
        },
      },
    });
  });
  after(async () => {
    await server.stop();
    await snippets.stop();
  });

  it('announces completion (with resolve), hover, quick fixes and document symbols', () => {
    const c = server.capabilities;
    assert.equal(c.completionProvider?.resolveProvider, true);
    assert.deepEqual(c.completionProvider?.triggerCharacters, ['"', ':']);
    assert.equal(c.hoverProvider, true);
    assert.deepEqual((c.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix']);
    assert.ok(c.documentSymbolProvider);
  });

  it('completes clusterSpec keys, Flink option keys (resolved with their docs) and enum values', async () => {
    const uri = 'file:///work/pools/complete.pool.json';
    const t = text(sharedPool()).replace('"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      "",').replace('"4",', '"4",\n        "",');
    const opened = snippets.next(uri);
    snippets.open(uri, t);
    await opened;
    const keys = items(await completionAt(snippets, uri, positionOf(t, '"",', 1)));
    assert.ok(keys.some((i) => i.label === 'podTemplate'));
    assert.ok(!keys.some((i) => i.label === 'image' || i.label === 'serviceAccount'));
    const flinkPos = positionOf(t, '"",', 1);
    const second = positionOf(t.slice(t.indexOf('"",') + 3), '"",', 1);
    const flinkList = (await completionAt(snippets, uri, { line: flinkPos.line + second.line, character: second.character })) as CompletionList;
    const flink = items(flinkList);
    assert.ok(flink.length > 500);
    const interval = flink.find((i) => i.label === 'execution.checkpointing.timeout')!;
    assert.equal(interval.documentation, undefined, 'documentation comes with resolve');
    // The client applies the list's defaults (range, format, data) to each item.
    assert.equal(flinkList.itemDefaults?.insertTextFormat, 2);
    assert.ok(flinkList.itemDefaults?.editRange);
    const resolved = await resolveCompletionItem(snippets, { ...interval, data: interval.data ?? flinkList.itemDefaults?.data });
    assert.match((resolved.documentation as { value: string }).value, /checkpoint/);
    assert.equal(interval.textEditText, '"execution.checkpointing.timeout": "$1"', 'the comma after it is there already');
    const state = items(await completionAt(snippets, uri, positionOf(t, '"RUNNING"', 1)));
    assert.deepEqual(state.map((i) => i.label).sort(), ['"RUNNING"', '"SUSPENDED"']);
  });

  it('completes mid-edit and, without snippet support, in plain text', async () => {
    const uri = 'file:///work/pools/mid-edit.pool.json';
    const t = text(dedicatedPool());
    const opened = server.next(uri);
    server.open(uri, t);
    await opened;
    const broken = t.replace('"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      "imag');
    const published = server.next(uri, (p) => p.version === 2);
    server.change(uri, 2, broken);
    await published;
    const got = items(await completionAt(server, uri, positionOf(broken, '"imag\n', 5)));
    const item = got.find((i) => i.label === 'imagePullPolicy')!;
    assert.ok(item);
    assert.equal((item.textEdit as TextEdit).newText, '"imagePullPolicy": "",');
  });

  it('hovers with the schema description and the rule behind a diagnostic', async () => {
    const uri = 'file:///work/pools/hover.pool.json';
    const p = sharedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    const t = text(p);
    const opened = server.next(uri);
    server.open(uri, t);
    await opened;
    const h = await hoverAt(server, uri, positionOf(t, '1.19-cp5'));
    const value = (h!.contents as { value: string }).value;
    assert.match(value, /\*\*image\*\*/);
    assert.match(value, /image-too-old/);
    assert.match(value, /Quick fix: \*Use confluentinc\/cp-flink-sql:1\.19-cp11\*/);
  });

  it('offers quick fixes for published diagnostics; applying one clears it', async () => {
    const uri = 'file:///work/pools/fix.pool.json';
    const p = dedicatedPool();
    p.spec.clusterSpec.serviceAccount = 'flink';
    p.spec.state = 'RUNNING';
    const t = text(p);
    const opened = server.next(uri);
    server.open(uri, t);
    const { diagnostics } = await opened;
    assert.deepEqual(codesOf(diagnostics), ['forbidden-field', 'state-on-dedicated']);
    const sa = diagnostics.find((d) => d.code === 'forbidden-field')!;
    const actions = (await codeActionsFor(server, uri, sa.range, [sa]))!;
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [['Remove spec.clusterSpec.serviceAccount', 'quickfix', true]]);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'json', 1, t), actions[0]!.edit!.changes![uri]!);
    const republished = server.next(uri, (x) => x.version === 2);
    server.change(uri, 2, fixed);
    assert.deepEqual(codesOf((await republished).diagnostics), ['state-on-dedicated']);
    // Asked only for refactorings, the server has none.
    assert.deepEqual(await codeActionsFor(server, uri, sa.range, [sa], ['refactor']), []);
  });

  it('outlines a pool', async () => {
    const uri = 'file:///work/pools/outline.pool.json';
    const opened = server.next(uri);
    server.open(uri, text(sharedPool()));
    await opened;
    const symbols = (await documentSymbolsOf(server, uri))!;
    assert.equal(symbols[0]!.name, 'shared-pool');
    const clusterSpec = symbols[0]!.children!.find((s) => s.name === 'clusterSpec')!;
    const config = clusterSpec.children!.find((s) => s.name === 'flinkConfiguration')!;
    assert.deepEqual(config.children!.map((s) => s.name), [
      'taskmanager.numberOfTaskSlots',
      'execution.checkpointing.interval',
      'high-availability.type',
      'high-availability.storageDir',
      'state.checkpoints.dir',
      'state.savepoints.dir',
    ]);
  });

  it('leaves other JSON alone and answers requests for unknown documents', async () => {
    const uri = 'file:///work/package.json';
    const t = JSON.stringify({ name: 'x', version: '1.0.0' }, null, 2);
    const opened = server.next(uri);
    server.open(uri, t);
    await opened;
    assert.equal(await completionAt(server, uri, { line: 1, character: 3 }), null);
    assert.equal(await hoverAt(server, uri, { line: 1, character: 3 }), null);
    assert.deepEqual(await documentSymbolsOf(server, uri), []);
    const missing = 'file:///work/pools/never-opened.pool.json';
    assert.equal(await completionAt(server, missing, { line: 0, character: 0 }), null);
    assert.deepEqual(await codeActionsFor(server, missing, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    // A position far outside the document, and diagnostics with nonsense data: answered, not thrown.
    const pool = 'file:///work/pools/outline.pool.json';
    assert.ok(Array.isArray(items(await completionAt(server, pool, { line: 10_000, character: 99 }))));
    const nonsense = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'reserved-volume', source: 'cmf-pools', data: { path: [{}], kind: 42 } };
    assert.deepEqual(await codeActionsFor(server, pool, nonsense.range, [nonsense as never]), []);
    assert.equal(server.process.exitCode, null);
  });
});
