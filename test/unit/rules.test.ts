/** Every rule: files that trigger it (with the range on the offending key or value) and near misses that must not. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codes, covered, dedicatedPool, lint, sharedPool, text, type Pool } from '../pools';
import { SUGGESTION_LIMIT } from '../../language-service/src/pool';

function only(pool: Pool, code: string, settings?: Record<string, unknown>) {
  const diags = lint(pool, settings);
  const hits = diags.filter((d) => d.code === code);
  return { diags, hits, text: text(pool) };
}

/** Asserts exactly `n` diagnostics of `code`, each covering `at`; returns them. */
function expectHit(pool: Pool, code: string, at: string | string[], settings?: Record<string, unknown>) {
  const { diags, hits, text: t } = only(pool, code, settings);
  const want = Array.isArray(at) ? at : [at];
  assert.equal(hits.length, want.length, `expected ${want.length} × ${code}, got: ${JSON.stringify(diags.map((d) => [d.code, d.message]))}`);
  hits.forEach((h, i) => {
    assert.equal(covered(t, h), want[i], `${code} range`);
    assert.ok(typeof h.message === 'string' && h.message.length > 20, 'message says what to do');
    assert.equal(h.source, 'cmf-pools');
  });
  return hits;
}

function expectNone(pool: Pool, code: string, settings?: Record<string, unknown>) {
  const { hits } = only(pool, code, settings);
  assert.deepEqual(hits.map((h) => h.message), [], `no ${code}`);
}

describe('clean pools', () => {
  it('the base shared and dedicated pools have no diagnostics', () => {
    assert.deepEqual(codes(lint(sharedPool())), []);
    assert.deepEqual(codes(lint(dedicatedPool())), []);
  });
});

describe('image-missing', () => {
  it('fires on the clusterSpec key when image is absent', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.image;
    const [d] = expectHit(p, 'image-missing', '"clusterSpec"');
    assert.equal(d.severity, 2);
    assert.match(d.message, /computePoolDefaults/);
  });
  it('does not fire when image is set', () => expectNone(dedicatedPool(), 'image-missing'));
});

describe('forbidden-field', () => {
  it('fires on serviceAccount and job', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.serviceAccount = 'flink';
    p.spec.clusterSpec.job = { jarURI: 'local:///x.jar' };
    expectHit(p, 'forbidden-field', ['"serviceAccount"', '"job"']);
  });
  it('does not fire on a serviceAccountName inside a pod template', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.podTemplate = { spec: { serviceAccountName: 'x' } };
    expectNone(p, 'forbidden-field');
  });
});

describe('reserved-volume', () => {
  it('fires on reserved volume names, mount names and mount paths in every pod template', () => {
    const p = sharedPool();
    p.spec.clusterSpec.podTemplate = { spec: { volumes: [{ name: 'statement-plan-volume', emptyDir: {} }] } };
    p.spec.clusterSpec.jobManager.podTemplate = {
      spec: { containers: [{ name: 'flink-main-container', volumeMounts: [{ name: 'statement-encryption-volume', mountPath: '/data' }] }] },
    };
    p.spec.clusterSpec.taskManager.podTemplate = {
      spec: {
        initContainers: [{ name: 'init', volumeMounts: [{ name: 'data', mountPath: '/opt/flink/statement/sub' }] }],
        containers: [{ name: 'flink-main-container', volumeMounts: [{ name: 'secret', mountPath: '/opt/flink/statement-secret/' }] }],
      },
    };
    // In document order: taskManager, jobManager, then clusterSpec.podTemplate.
    const hits = expectHit(p, 'reserved-volume', ['"/opt/flink/statement/sub"', '"/opt/flink/statement-secret/"', '"statement-encryption-volume"', '"statement-plan-volume"']);
    assert.deepEqual(
      hits.map((h) => (h.data as { kind: string }).kind),
      ['mount-path', 'mount-path', 'mount-name', 'volume'],
    );
  });
  it('does not fire on neighbouring names and paths', () => {
    const p = sharedPool();
    p.spec.clusterSpec.taskManager.podTemplate = {
      spec: {
        volumes: [{ name: 'statement-plan-volume-2', emptyDir: {} }],
        containers: [
          { name: 'flink-main-container', volumeMounts: [{ name: 'statement-plan-volume-2', mountPath: '/opt/flink/statements-archive' }, { name: 'x', mountPath: '/opt/flink/statementx' }] },
        ],
      },
    };
    expectNone(p, 'reserved-volume');
  });
});

describe('image rules', () => {
  const withImage = (image: string, base = sharedPool()) => {
    base.spec.clusterSpec.image = image;
    return base;
  };
  it('image-not-cp-flink-sql for known Flink images', () => {
    for (const image of ['flink:1.19', 'apache/flink:1.19.1-java17', 'confluentinc/cp-flink:1.19.1-cp1', 'docker.io/library/flink:1.19', 'registry.example.com/apache/flink:1.19']) {
      const [d] = expectHit(withImage(image), 'image-not-cp-flink-sql', JSON.stringify(image));
      assert.equal(d.severity, 1);
      assert.match(d.message, /cp-flink-sql:1\.19-cp11/);
    }
  });
  it('image-unverified for other images, silenced by cmfPools.allowedImages', () => {
    expectHit(withImage('registry.example.com/team/sql-runner:3'), 'image-unverified', '"registry.example.com/team/sql-runner:3"');
    expectNone(withImage('registry.example.com/team/sql-runner:3'), 'image-unverified', { allowedImages: ['registry.example.com/team/*:*'] });
  });
  it('cp-flink-sql under any registry prefix, tag or digest is fine', () => {
    for (const image of ['confluentinc/cp-flink-sql:1.19-cp7', 'mirror.example.com:5000/confluentinc/cp-flink-sql:1.19-cp8-arm64', 'confluentinc/cp-flink-sql@sha256:abc', 'confluentinc/cp-flink-sql']) {
      const diags = lint(withImage(image)).filter((d) => String(d.code).startsWith('image'));
      assert.deepEqual(codes(diags), [], image);
    }
  });
  it('shared-image-too-old below 1.19-cp7 on SHARED pools only', () => {
    for (const image of ['confluentinc/cp-flink-sql:1.19-cp5', 'confluentinc/cp-flink-sql:1.19-cp1', 'r.example.com/confluentinc/cp-flink-sql:1.19-cp2-arm64']) {
      const [d] = expectHit(withImage(image), 'shared-image-too-old', JSON.stringify(image));
      assert.equal(d.severity, 1);
    }
    expectNone(withImage('confluentinc/cp-flink-sql:1.19-cp5', dedicatedPool()), 'shared-image-too-old');
    expectNone(withImage('confluentinc/cp-flink-sql:1.19-cp7'), 'shared-image-too-old');
    expectNone(withImage('confluentinc/cp-flink-sql:1.19-cp10'), 'shared-image-too-old');
    const p = withImage('confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    assert.deepEqual(codes(lint(p).filter((d) => String(d.code).startsWith('image') || d.code === 'shared-image-too-old')), []);
  });
  it('image-flink-version-mismatch when the tag and flinkVersion differ', () => {
    const p = withImage('confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
    const [d] = expectHit(p, 'image-flink-version-mismatch', '"confluentinc/cp-flink-sql:2.3-cmf2.5-cp1"');
    assert.match(d.message, /v2_3/);
    const q = sharedPool();
    q.spec.clusterSpec.flinkVersion = 'v2_3';
    expectHit(q, 'image-flink-version-mismatch', '"confluentinc/cp-flink-sql:1.19-cp7"');
    expectNone(sharedPool(), 'image-flink-version-mismatch');
  });
});

describe('shared and dedicated differences', () => {
  it('state-on-dedicated is an error on the state key', () => {
    const p = dedicatedPool();
    p.spec.state = 'RUNNING';
    const [d] = expectHit(p, 'state-on-dedicated', '"state"');
    assert.equal(d.severity, 1);
    expectNone(sharedPool(), 'state-on-dedicated');
  });
  it('mode-on-dedicated is a warning on the mode key', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.mode = 'native';
    expectHit(p, 'mode-on-dedicated', '"mode"');
    const s = sharedPool();
    s.spec.clusterSpec.mode = 'standalone';
    expectNone(s, 'mode-on-dedicated');
  });
  it('replicas-ignored-native on SHARED pools in native mode only', () => {
    const p = sharedPool();
    p.spec.clusterSpec.taskManager.replicas = 3;
    expectHit(p, 'replicas-ignored-native', '"replicas"');
    p.spec.clusterSpec.mode = 'native';
    expectHit(p, 'replicas-ignored-native', '"replicas"');
    p.spec.clusterSpec.mode = 'standalone';
    expectNone(p, 'replicas-ignored-native');
    const d = dedicatedPool();
    d.spec.clusterSpec.taskManager.replicas = 3;
    expectNone(d, 'replicas-ignored-native');
  });
});

describe('invalid-resource', () => {
  it('accepts what the operator accepts', () => {
    for (const memory of ['1024m', '2g', '2048mb', '2048 MB', '2Gi', '1.5g', '1G', '512Mi']) {
      const p = dedicatedPool();
      p.spec.clusterSpec.taskManager.resource.memory = memory;
      p.spec.clusterSpec.taskManager.resource.ephemeralStorage = '10Gi';
      expectNone(p, 'invalid-resource');
    }
  });
  it('rejects memory, cpu and ephemeralStorage it cannot parse, on the value', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.taskManager.resource.memory = 'lots';
    p.spec.clusterSpec.jobManager.resource.cpu = 0;
    p.spec.clusterSpec.jobManager.resource.ephemeralStorage = '10 gigs';
    expectHit(p, 'invalid-resource', ['"lots"', '0', '"10 gigs"']);
    const q = dedicatedPool();
    q.spec.clusterSpec.jobManager.resource.cpu = -1;
    q.spec.clusterSpec.taskManager.resource.memory = '1024x';
    assert.equal(lint(q).filter((d) => d.code === 'invalid-resource').length, 2);
  });
});

describe('invalid-name', () => {
  it('rejects names the operator rejects', () => {
    for (const name of ['Pool', 'my_pool', '1pool', 'pool-', '-pool', 'pool.one']) {
      const p = dedicatedPool();
      p.metadata.name = name;
      expectHit(p, 'invalid-name', JSON.stringify(name));
    }
  });
  it('limits SHARED pool names to 45 characters, not dedicated ones', () => {
    const long = 'a'.repeat(46);
    const s = sharedPool();
    s.metadata.name = long;
    expectHit(s, 'invalid-name', JSON.stringify(long));
    s.metadata.name = 'a'.repeat(45);
    expectNone(s, 'invalid-name');
    const d = dedicatedPool();
    d.metadata.name = long;
    expectNone(d, 'invalid-name');
  });
  it('accepts ordinary names', () => {
    for (const name of ['p', 'pool-1', 'a1b2']) {
      const p = dedicatedPool();
      p.metadata.name = name;
      expectNone(p, 'invalid-name');
    }
  });
});

describe('server-managed-field', () => {
  it('fires on status, uid and timestamps', () => {
    const p = dedicatedPool();
    p.metadata.uid = 'abc';
    p.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    p.metadata.updateTimestamp = '2026-01-01T00:00:00Z';
    p.status = { phase: 'DEDICATED' };
    expectHit(p, 'server-managed-field', ['"uid"', '"creationTimestamp"', '"updateTimestamp"', '"status"']);
    assert.deepEqual(
      lint(p).filter((d) => d.code === 'server-managed-field').map((d) => (d.data as { path: string[] }).path.join('.')),
      ['metadata.uid', 'metadata.creationTimestamp', 'metadata.updateTimestamp', 'status'],
    );
  });
  it('does not fire on labels and annotations', () => {
    const p = dedicatedPool();
    p.metadata.labels = { team: 'a' };
    p.metadata.annotations = { uid: 'x' };
    expectNone(p, 'server-managed-field');
  });
});

describe('flinkConfiguration', () => {
  const withConfig = (config: Record<string, unknown>, base = dedicatedPool()) => {
    base.spec.clusterSpec.flinkConfiguration = config;
    return base;
  };
  it('flink-config-unknown-key with a did-you-mean', () => {
    const [d] = expectHit(withConfig({ 'taskmanager.numberOfTaskSlot': '4' }), 'flink-config-unknown-key', '"taskmanager.numberOfTaskSlot"');
    assert.match(d.message, /taskmanager\.numberOfTaskSlots/);
    assert.deepEqual((d.data as { suggestions: string[] }).suggestions.slice(0, 1), ['taskmanager.numberOfTaskSlots']);
  });
  it(`did-you-mean for the first ${SUGGESTION_LIMIT} unknown keys of a pool; the others say how many were left without one`, () => {
    const config: Record<string, string> = { 'execution.checkpointing.intervall': '10 s' };
    for (let i = 0; i < SUGGESTION_LIMIT + 50; i++) config[`custom.setting-${i}`] = 'x';
    config['taskmanager.numberOfTaskSlot'] = '4';
    const hits = lint(withConfig(config)).filter((d) => d.code === 'flink-config-unknown-key');
    assert.equal(hits.length, SUGGESTION_LIMIT + 52);
    const first = hits.find((d) => d.message.includes('"execution.checkpointing.intervall"'))!;
    assert.match(first.message, /Did you mean "execution\.checkpointing\.interval"\?/);
    // A near miss past the limit is reported, without a suggestion, saying why and how many keys are in its case.
    const last = hits.find((d) => d.message.includes('"taskmanager.numberOfTaskSlot"'))!;
    assert.doesNotMatch(last.message, /Did you mean/);
    assert.match(last.message, /this pool has 152 unknown keys, "did you mean" is looked up for the first 100, and 52 are left without a suggestion/);
    assert.deepEqual((last.data as { suggestions: string[] }).suggestions, []);
    assert.equal(hits.filter((d) => /left without a suggestion/.test(d.message)).length, 52);
  });
  it('knows templated and plugin keys', () => {
    expectNone(
      withConfig({ 'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory', 's3.access-key': 'x', 'kubernetes.operator.periodic.savepoint.interval': '1h' }),
      'flink-config-unknown-key',
    );
  });
  it('says which data it checked when the pool runs a version we have no data for', () => {
    const p = withConfig({ 'no.such.option': 'x' });
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    const [d] = expectHit(p, 'flink-config-unknown-key', '"no.such.option"');
    assert.match(d.message, /2\.0/);
    assert.match(d.message, /2\.3/);
  });
  it('flattens nested objects and non-string scalars', () => {
    expectNone(withConfig({ taskmanager: { numberOfTaskSlots: 4 } }), 'flink-config-unknown-key');
    expectNone(withConfig({ taskmanager: { numberOfTaskSlots: 4 } }), 'flink-config-invalid-value');
    const [d] = expectHit(withConfig({ taskmanager: { numberOfTaskSlot: 4 } }), 'flink-config-unknown-key', '"numberOfTaskSlot"');
    assert.match(d.message, /"taskmanager\.numberOfTaskSlot"/);
    expectHit(withConfig({ taskmanager: { numberOfTaskSlots: 'four' } }), 'flink-config-invalid-value', '"four"');
  });
  it('flink-config-deprecated-key names the replacement', () => {
    const [d] = expectHit(withConfig({ 'akka.ask.timeout': '10 s' }), 'flink-config-deprecated-key', '"akka.ask.timeout"');
    assert.match(d.message, /pekko\.ask\.timeout/);
    expectNone(withConfig({ 'pekko.ask.timeout': '10 s' }), 'flink-config-deprecated-key');
  });
  it('flink-config-invalid-value checks values the way Flink parses them', () => {
    const bad = { 'execution.checkpointing.interval': 'ten seconds', 'taskmanager.numberOfTaskSlots': '4.5', 'taskmanager.memory.process.size': 'big', 'pipeline.object-reuse': 'yes' };
    const hits = expectHit(withConfig(bad), 'flink-config-invalid-value', ['"ten seconds"', '"4.5"', '"big"', '"yes"']);
    assert.ok(hits.every((h) => h.severity === 1));
    expectNone(
      withConfig({ 'execution.checkpointing.interval': '10 sec', 'taskmanager.numberOfTaskSlots': 4, 'taskmanager.memory.process.size': '2g', 'pipeline.object-reuse': 'TRUE' }),
      'flink-config-invalid-value',
    );
  });
  it('ha-incomplete when the HA type is set without a storage dir', () => {
    expectHit(withConfig({ 'high-availability.type': 'kubernetes' }), 'ha-incomplete', '"high-availability.type"');
    expectNone(withConfig({ 'high-availability.type': 'NONE' }), 'ha-incomplete');
    expectNone(withConfig({ 'high-availability.type': 'kubernetes', 'high-availability.storageDir': 's3://b/r' }), 'ha-incomplete');
  });
  it('ha-recommended (info) for SHARED pools without Kubernetes HA, on flinkConfiguration', () => {
    const p = sharedPool();
    p.spec.clusterSpec.flinkConfiguration = { 'taskmanager.numberOfTaskSlots': '4' };
    const [d] = expectHit(p, 'ha-recommended', '"flinkConfiguration"');
    assert.equal(d.severity, 3);
    const q = sharedPool();
    delete q.spec.clusterSpec.flinkConfiguration;
    expectHit(q, 'ha-recommended', '"clusterSpec"');
    expectNone(dedicatedPool(), 'ha-recommended');
    expectNone(sharedPool(), 'ha-recommended');
  });
});

describe('settings', () => {
  it('cmfPools.rules changes severities and turns rules off', () => {
    const p = dedicatedPool();
    p.spec.state = 'RUNNING';
    p.spec.clusterSpec.image = 'example.com/x:1';
    const diags = lint(p, { rules: { 'state-on-dedicated': 'hint', 'image-unverified': 'off' } });
    assert.deepEqual(diags.map((d) => [d.code, d.severity]), [['state-on-dedicated', 4]]);
  });
  it('schema/* sets every schema code', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.imagePullPolicy = 'Sometimes';
    assert.deepEqual(lint(p, { rules: { 'schema/*': 'off' } }), []);
    assert.equal(lint(p)[0].code, 'schema/enum');
  });
});

describe('schema diagnostics', () => {
  it('one readable message per problem, on the key for unknown or missing properties and on the value otherwise', () => {
    const p = dedicatedPool();
    p.apiVersion = 'cmf.confluent.io/v2';
    delete p.spec.type;
    p.spec.clusterSpec.jobManager.resource.cpu = '1';
    p.spec.clusterSpec.flinkConfiguration = { 'pipeline.name': ['x'] };
    p.spec.clusterSpec.taskManager.podTemplate = { spec: { containers: [{ name: 'flink-main-container', volumeMount: [] }] } };
    const t = text(p);
    const diags = lint(p).filter((d) => d.code.startsWith('schema/'));
    assert.deepEqual(
      diags.map((d) => [d.code, covered(t, d)]),
      [
        ['schema/enum', '"cmf.confluent.io/v2"'],
        ['schema/required', '"spec"'],
        ['schema/anyOf', '<multi-line>'], // the array value, pretty-printed over lines
        ['schema/additionalProperties', '"volumeMount"'],
        ['schema/type', '"1"'],
      ],
    );
    const byCode = new Map(diags.map((d) => [d.code, d.message]));
    assert.equal(byCode.get('schema/enum'), 'apiVersion must be "cmf.confluent.io/v1" (it is the string "cmf.confluent.io/v2").');
    assert.equal(byCode.get('schema/required'), 'spec is missing the required property "type".');
    assert.match(byCode.get('schema/anyOf')!, /flinkConfiguration\["pipeline\.name"\] must be a string, a number, a boolean or an object \(it is an array\)/);
    assert.match(byCode.get('schema/additionalProperties')!, /Did you mean "volumeMounts"\?/);
    assert.equal(diags.find((d) => d.code === 'schema/additionalProperties')!.severity, 2);
    assert.equal(byCode.get('schema/type'), 'spec.clusterSpec.jobManager.resource.cpu must be a number (it is the string "1").');
  });
  it('reports on the root only when the root is the problem', () => {
    const diags = lint('{"kind": "ComputePool", "spec": {"type": "SHARED", "clusterSpec": {}}}');
    const missing = diags.filter((d) => d.code === 'schema/required');
    assert.deepEqual(missing.map((d) => [d.message, d.range.start.character]), [
      ['The pool is missing the required property "apiVersion".', 0],
      ['The pool is missing the required property "metadata".', 0],
    ]);
  });
});
