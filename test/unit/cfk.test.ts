/** Confluent for Kubernetes' FlinkComputePool: detected by kind and apiVersion, checked with CMF's rules and CFK's own. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, ResolvedSettings, complete, hover, isPool, parse, symbols } from '../../language-service/src/index';
import { validateText } from '../engine';
import { cfkSharedPool, text as layout } from '../pools';

const codes = (pool: Record<string, any>) => validateText(layout(pool)).map((d) => d.code);

describe('FlinkComputePool (Confluent for Kubernetes)', () => {
  it('is a pool by its kind and a platform.confluent.io apiVersion, and nothing else is', () => {
    const settings = new ResolvedSettings(DEFAULT_SETTINGS);
    const file = (v: unknown) => parse(TextDocument.create('file:///w/k.json', 'json', 1, JSON.stringify(v)));
    assert.equal(isPool(file(cfkSharedPool()), settings, '/w/k.json'), true);
    assert.equal(isPool(file({ ...cfkSharedPool(), apiVersion: 'example.com/v1' }), settings, '/w/k.json'), false);
    assert.equal(isPool(file({ apiVersion: 'platform.confluent.io/v1beta1', kind: 'FlinkEnvironment', metadata: { name: 'e' } }), settings, '/w/k.pool.json'), false, 'another kind in a *.pool.json');
  });

  it("Confluent's example is clean but for advice: high availability, checkpointing for INSERT INTO, state across stop and resume", () => {
    // The example sets the checkpointing interval on its statements instead (flink/sql/sql/statement.yaml): infos only.
    const ds = validateText(layout(cfkSharedPool()));
    assert.deepEqual(ds.map((d) => d.code), ['ha-recommended', 'insert-needs-checkpointing', 'stateless-stop-resume']);
    assert.ok(ds.every((d) => d.severity === 3));
  });

  it('spec.flinkEnvironment is required; cmfRestClassRef has a name', () => {
    const p = cfkSharedPool();
    delete p.spec.flinkEnvironment;
    p.spec.cmfRestClassRef = { namespace: 'operator' };
    const ds = validateText(layout(p)).filter((d) => d.code === 'schema/required');
    assert.deepEqual(ds.map((d) => d.message).sort(), ['spec is missing the required property "flinkEnvironment".', 'spec.cmfRestClassRef is missing the required property "name".']);
  });

  it('spec.state on a DEDICATED pool: the rule says that CFK rejects it too', () => {
    const p = cfkSharedPool();
    p.spec.type = 'DEDICATED';
    const d = validateText(layout(p)).find((x) => x.code === 'state-on-dedicated');
    assert.match(d!.message, /CFK's FlinkComputePool CRD rejects it on a DEDICATED pool \(a CEL validation rule\)/);
  });

  it('every rule of CMF applies to its clusterSpec', () => {
    const p = cfkSharedPool();
    p.metadata.name = 'Shared_Pool';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:1.19-cp5';
    p.spec.clusterSpec.serviceAccount = 'flink';
    p.spec.clusterSpec.flinkConfiguration = { 'taskmanager.numberOfTaskSlot': '4' };
    p.spec.clusterSpec.taskManager.replica = 2;
    const got = codes(p);
    for (const c of ['invalid-name', 'image-too-old', 'forbidden-field', 'flink-config-unknown-key', 'schema/additionalProperties']) assert.ok(got.includes(c), `${c} in ${got.join(', ')}`);
  });

  it('and the rules from the field too: pod envelope, memory, a Flink line CMF does not run, secrets, duplicate keys', () => {
    const p = cfkSharedPool();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1', kind: 'Pod' };
    p.spec.clusterSpec.jobManager.podTemplate = { kind: 'Pod' };
    delete p.spec.clusterSpec.taskManager.resource.memory;
    p.spec.clusterSpec.flinkVersion = 'v2_1';
    p.spec.clusterSpec.flinkConfiguration = { 's3.secret-key': 'k' };
    const text = layout(p).replace('"type": "SHARED",', '"type": "DEDICATED",\n    "type": "SHARED",');
    const got = validateText(text).map((d) => d.code);
    for (const c of ['pod-template-envelope', 'component-pod-template-envelope', 'resource-memory-missing', 'flink-version-unsupported', 'flink-config-secret', 'duplicate-key', 'insert-needs-checkpointing', 'stateless-stop-resume']) {
      assert.ok(got.includes(c), `${c} in ${got.join(', ')}`);
    }
    assert.ok(!got.includes('schema/additionalProperties'), 'the envelope is reported once, by its own rule');
  });

  it('status is set by CFK and resourceVersion by Kubernetes', () => {
    const p = cfkSharedPool();
    p.status = { cfkInternalState: 'CREATED', cmfSync: { status: 'Created' } };
    p.metadata.resourceVersion = '4711';
    const ds = validateText(layout(p)).filter((d) => d.code === 'server-managed-field');
    assert.deepEqual(ds.map((d) => d.message.split(';')[0]).sort(), ['metadata.resourceVersion is set by Kubernetes', 'status is set by CFK']);
  });

  it('hover and completion know the CFK fields; the outline says what it is', () => {
    const text = layout(cfkSharedPool());
    const doc = TextDocument.create('file:///w/k.json', 'json', 1, text);
    const file = parse(doc);
    const h = hover(file, doc.positionAt(text.indexOf('"flinkEnvironment"') + 2));
    assert.match(JSON.stringify(h?.contents), /The CMF environment the pool belongs to/);
    const p = cfkSharedPool();
    delete p.spec.cmfRestClassRef;
    const t2 = layout(p).replace('"flinkEnvironment": "flink-env1",', '"flinkEnvironment": "flink-env1",\n    "",');
    const d2 = TextDocument.create('file:///w/k.json', 'json', 1, t2);
    const at = t2.indexOf('"",') + 1;
    const labels = complete(parse(d2), d2.positionAt(at)).items.map((i) => i.label);
    assert.ok(labels.includes('cmfRestClassRef'), labels.join(', '));
    assert.ok(!labels.includes('flinkEnvironment') && !labels.includes('status'), labels.join(', '));
    assert.match(symbols(file)[0]!.detail ?? '', /SHARED compute pool \(FlinkComputePool, synced by CFK\)/);
  });
});
