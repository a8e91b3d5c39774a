/** The language server over real LSP on stdio: what it publishes for pools and for other JSON. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codesOf, startServer, type PoolServer } from './lsp-client';
import { dedicatedPool, sharedPool, text } from '../pools';
import { poolText } from '../../language-service/src/index';

describe('language server over stdio', () => {
  let server: PoolServer;
  before(async () => {
    server = await startServer({});
  });
  after(async () => server.stop());

  const bad = () => {
    const p = sharedPool();
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    p.spec.clusterSpec.serviceAccount = 'flink';
    p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlot'] = '4';
    return p;
  };

  it('publishes CMF diagnostics for a bad pool, with codes and lines', async () => {
    const uri = 'file:///work/pools/bad.json';
    const t = text(bad());
    const got = server.next(uri);
    server.open(uri, t);
    const p = await got;
    assert.equal(p.version, 1);
    assert.deepEqual(codesOf(p.diagnostics), ['flink-config-unknown-key', 'forbidden-field', 'image-too-old']);
    const lines = t.split('\n');
    const image = p.diagnostics.find((d) => d.code === 'image-too-old')!;
    assert.match(lines[image.range.start.line], /"image"/);
    const sa = p.diagnostics.find((d) => d.code === 'forbidden-field')!;
    assert.match(lines[sa.range.start.line], /"serviceAccount"/);
  });

  it('reads a document that starts with a byte order mark as if it had none, at the positions of its text', async () => {
    const uri = 'file:///work/pools/bom.json';
    const t = text(bad());
    const got = server.next(uri);
    server.open(uri, '\ufeff' + t);
    const p = await got;
    assert.deepEqual(codesOf(p.diagnostics), ['flink-config-unknown-key', 'forbidden-field', 'image-too-old']);
    const lines = t.split('\n');
    for (const d of p.diagnostics) assert.ok(d.range.start.line > 0, 'nothing on the first line (no invalid-json at 1:1)');
    const sa = p.diagnostics.find((d) => d.code === 'forbidden-field')!;
    assert.equal(lines[sa.range.start.line].slice(sa.range.start.character, sa.range.end.character), '"serviceAccount"');
  });

  it("checks pools for the connected CMF's version when the client sends it, else for cmfPools.cmfVersion", async () => {
    const uri = 'file:///work/pools/flink-23.json';
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    p.spec.clusterSpec.flinkConfiguration = { 'execution.checkpointing.interval': '10s', 'execution.checkpointing.dir': 's3://b/c', 'execution.checkpointing.savepoint-dir': 's3://b/s' };
    let got = server.next(uri);
    server.open(uri, text(p));
    assert.deepEqual(codesOf((await got).diagnostics), [], 'the newest CMF known runs Flink 2.3');
    got = server.next(uri);
    void server.connection.sendNotification('cmfPools/environmentDefaults', { defaults: { cmfVersion: '2.4.1', source: "environment 'dev' (connection 'c')" } });
    const on24 = (await got).diagnostics;
    assert.deepEqual(codesOf(on24), ['flink-version-unsupported']);
    assert.match(String(on24[0]!.message), /^CMF 2\.4\.1 \(the connected CMF\) does not run statements on Flink 2\.3/);
    got = server.next(uri);
    void server.connection.sendNotification('cmfPools/environmentDefaults', { defaults: null });
    assert.deepEqual(codesOf((await got).diagnostics), []);
    server.close(uri);
  });

  it("checks pools, JSON and YAML, over the selected environment's computePoolDefaults: what they supply is not reported", async () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.jobManager.resource.memory;
    p.spec.clusterSpec.flinkConfiguration = {};
    const want = ['insert-needs-checkpointing', 'resource-memory-missing', 'stateless-stop-resume'];
    for (const [uri, body, languageId] of [['file:///work/pools/bare.pool.json', text(p), 'json'], ['file:///work/pools/bare.pool.yaml', poolText(p, 'yaml'), 'yaml']] as const) {
      let got = server.next(uri);
      server.open(uri, body, 1, languageId);
      assert.deepEqual(codesOf((await got).diagnostics), want, `${languageId}: alone`);
      got = server.next(uri);
      const clusterSpec = {
        jobManager: { resource: { memory: '2048m' } },
        flinkConfiguration: { 'execution.checkpointing.interval': '30 s', 'state.checkpoints.dir': 's3://env/cp', 'state.savepoints.dir': 's3://env/sp' },
      };
      void server.connection.sendNotification('cmfPools/environmentDefaults', { defaults: { clusterSpec, source: "environment 'dev' (connection 'c')" } });
      assert.deepEqual(codesOf((await got).diagnostics), [], `${languageId}: the environment supplies them`);
      got = server.next(uri);
      void server.connection.sendNotification('cmfPools/environmentDefaults', { defaults: null });
      assert.deepEqual(codesOf((await got).diagnostics), want, `${languageId}: no environment selected`);
      server.close(uri);
    }
  });

  it('publishes nothing of ours for package.json', async () => {
    const uri = 'file:///work/package.json';
    const got = server.next(uri);
    server.open(uri, JSON.stringify({ name: 'x', version: '1.0.0', kind: 'Library', spec: { type: 'BIG' } }, null, 2));
    assert.deepEqual((await got).diagnostics, []);
  });

  it('validates *.pool.json files even before they say kind: ComputePool', async () => {
    const uri = 'file:///work/pools/new.pool.json';
    const got = server.next(uri);
    server.open(uri, '{\n  "apiVersion": "cmf.confluent.io/v1"\n}\n');
    const p = await got;
    assert.ok(codesOf(p.diagnostics).includes('schema/required'));
  });

  it('follows edits: the newest version is what gets published, and fixing clears it', async () => {
    const uri = 'file:///work/pools/edit.json';
    let got = server.next(uri);
    server.open(uri, text(bad()));
    assert.equal((await got).diagnostics.length, 3);
    got = server.next(uri, (p) => p.version === 5);
    for (let v = 2; v <= 5; v++) server.change(uri, v, text(v === 5 ? sharedPool() : bad()));
    const last = await got;
    assert.deepEqual(last.diagnostics, []);
    // A stale version is never published after a newer one.
    const versions = server.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = 'file:///work/pools/closing.json';
    let got = server.next(uri);
    server.open(uri, text(bad()));
    assert.ok((await got).diagnostics.length > 0);
    got = server.next(uri);
    server.close(uri);
    assert.deepEqual((await got).diagnostics, []);
  });

  it('re-validates open documents when settings change', async () => {
    const uri = 'file:///work/pools/settings.json';
    const p = dedicatedPool();
    p.spec.state = 'RUNNING';
    let got = server.next(uri);
    server.open(uri, text(p));
    assert.deepEqual(codesOf((await got).diagnostics), ['state-on-dedicated']);
    server.settings = { rules: { 'state-on-dedicated': 'off' } };
    got = server.next(uri);
    void server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await got).diagnostics, []);
    server.settings = {};
  });

  it('keeps answering after hostile text: 10,000-deep nesting, binary, a non-object root', async () => {
    const deep = 'file:///work/pools/deep.pool.json';
    let got = server.next(deep);
    server.open(deep, '['.repeat(10000) + ']'.repeat(10000));
    assert.deepEqual(codesOf((await got).diagnostics), ['too-deep']);
    const binary = 'file:///work/pools/binary.pool.json';
    got = server.next(binary);
    server.open(binary, '\u0000\u0001\uFFFD{"kind":\u0007');
    await got;
    const arr = 'file:///work/pools/array.pool.json';
    got = server.next(arr);
    server.open(arr, '[1, 2, 3]');
    assert.deepEqual(codesOf((await got).diagnostics), ['schema/type']);
    // Still alive and correct:
    const uri = 'file:///work/pools/after.json';
    got = server.next(uri);
    server.open(uri, text(bad()));
    assert.equal((await got).diagnostics.length, 3);
    assert.equal(server.process.exitCode, null);
  });
});
