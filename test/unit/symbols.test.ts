/** Document symbols (the outline) of a pool. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { symbols as documentSymbols } from '../../language-service/src/index';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseText } from '../engine';
import { dedicatedPool, sharedPool, text as layout } from '../pools';

function symbols(text: string): DocumentSymbol[] {
  return documentSymbols(parseText(text, 'file:///work/pools/s.pool.json', 'json', 1));
}

/** name (detail) per symbol, indented by depth. */
function outline(list: DocumentSymbol[], depth = 0): string[] {
  return list.flatMap((s) => [`${'  '.repeat(depth)}${s.name}${s.detail ? ` (${s.detail})` : ''}`, ...outline(s.children ?? [], depth + 1)]);
}

function inside(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function checkRanges(list: DocumentSymbol[], parent?: DocumentSymbol): void {
  for (const s of list) {
    assert.ok(inside(s.selectionRange, s.range), `${s.name}: selection inside range`);
    if (parent) assert.ok(inside(s.range, parent.range), `${s.name} inside ${parent.name}`);
    checkRanges(s.children ?? [], s);
  }
}

describe('document symbols', () => {
  it('the pool by name, its type and state, the clusterSpec sections and each Flink option', () => {
    const list = symbols(layout(sharedPool()));
    assert.deepEqual(outline(list), [
      'shared-pool (SHARED compute pool)',
      '  type (SHARED)',
      '  state (RUNNING)',
      '  clusterSpec (Flink v1_19)',
      '    flinkVersion (v1_19)',
      '    image (confluentinc/cp-flink-sql:1.19-cp7)',
      '    flinkConfiguration (6 options)',
      '      taskmanager.numberOfTaskSlots (4)',
      '      execution.checkpointing.interval (10s)',
      '      high-availability.type (kubernetes)',
      '      high-availability.storageDir (s3://bucket/shared-pool/recovery)',
      '      state.checkpoints.dir (s3://bucket/shared-pool/checkpoints)',
      '      state.savepoints.dir (s3://bucket/shared-pool/savepoints)',
      '    taskManager',
      '      resource (cpu 1 · memory 2048m)',
      '    jobManager',
      '      resource (cpu 1 · memory 1024m)',
    ]);
    assert.equal(list[0]!.kind, SymbolKind.Module);
    checkRanges(list);
    const text = layout(sharedPool());
    const doc = TextDocument.create('u', 'json', 1, text);
    assert.equal(text.slice(doc.offsetAt(list[0]!.selectionRange.start), doc.offsetAt(list[0]!.selectionRange.end)), '"shared-pool"');
  });

  it('pod-template containers and volumes, and nested Flink options flattened', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration = { taskmanager: { numberOfTaskSlots: '4', memory: { 'process.size': '2g' } } };
    p.spec.clusterSpec.podTemplate = {
      spec: {
        initContainers: [{ name: 'fetch', image: 'busybox' }],
        containers: [{ name: 'flink-main-container' }, { image: 'sidecar:1' }],
        volumes: [{ name: 'tls', secret: { secretName: 'tls' } }],
      },
    };
    p.spec.clusterSpec.taskManager.podTemplate = { spec: { volumes: [{ name: 'scratch', emptyDir: {} }] } };
    const lines = outline(symbols(layout(p)));
    for (const want of [
      '      taskmanager.numberOfTaskSlots (4)',
      '      taskmanager.memory.process.size (2g)',
      '      fetch (init container · busybox)',
      '      flink-main-container (container)',
      '      containers[1] (container · sidecar:1)',
      '      tls (volume · secret)',
      '        scratch (volume · emptyDir)',
    ]) {
      assert.ok(lines.includes(want), `${want}\n${lines.join('\n')}`);
    }
    checkRanges(symbols(layout(p)));
  });

  it('follows a broken file, and is empty for a non-object root', () => {
    const broken = layout(dedicatedPool()).replace('"image"', '"image" "x",').slice(0, -40);
    const list = symbols(broken);
    assert.equal(list[0]!.name, 'pool');
    checkRanges(list);
    assert.deepEqual(symbols('[1, 2]'), []);
    assert.deepEqual(symbols(''), []);
    assert.equal(symbols('{}')[0]!.name, 'ComputePool');
  });
});
