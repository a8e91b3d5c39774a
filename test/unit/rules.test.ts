/** Every rule: files that trigger it (with the range on the offending key or value) and near misses that must not. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isPlainCredential } from '../../language-service/src/rules/secrets';
import { SUGGESTION_LIMIT } from '../../language-service/src/pool';
import { validateText } from '../engine';
import { cfkSharedPool, codes, covered, dedicatedPool, lint, sharedPool, text, type Pool } from '../pools';

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
  it('image-too-old below the floor of the CMF version, on every pool type (default: the newest CMF known)', () => {
    for (const image of ['confluentinc/cp-flink-sql:1.19-cp5', 'confluentinc/cp-flink-sql:1.19-cp1', 'r.example.com/confluentinc/cp-flink-sql:1.19-cp2-arm64', 'confluentinc/cp-flink-sql:1.19-cp6@sha256:0123abcd']) {
      for (const base of [sharedPool(), dedicatedPool()]) {
        const [d] = expectHit(withImage(image, base), 'image-too-old', JSON.stringify(image));
        assert.equal(d.severity, 1);
        assert.match(d.message, /^On CMF 2\.5 \(the newest CMF these rules know; set cmfPools\.cmfVersion to yours\), statements need confluentinc\/cp-flink-sql 1\.19-cp7 or newer/);
        assert.match(d.message, /statements fail while their plan loads \("A key format 'key\.format' requires/);
      }
    }
    for (const image of ['confluentinc/cp-flink-sql:1.19-cp7', 'confluentinc/cp-flink-sql:1.19-cp10', 'confluentinc/cp-flink-sql:1.19-cp8-arm64', 'confluentinc/cp-flink-sql@sha256:abc']) {
      expectNone(withImage(image), 'image-too-old');
      expectNone(withImage(image, dedicatedPool()), 'image-too-old');
    }
    const p = withImage('confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    assert.deepEqual(codes(lint(p).filter((d) => String(d.code).startsWith('image') || String(d.code).startsWith('flink-version'))), []);
  });

  it('image-too-old says where the documentation and the field disagree: a DEDICATED floor is seen on CMF 2.3 and 2.4, assumed on 2.5', () => {
    const dedicated = withImage('confluentinc/cp-flink-sql:1.19-cp5', dedicatedPool());
    const [d25] = expectHit(dedicated, 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"');
    assert.match(d25.message, /documentation names the cp7 floor for SHARED pools only; deployments on CMF 2\.3 and 2\.4 show it for DEDICATED pools too \(assumed for CMF 2\.5/);
    const [d24] = expectHit(dedicated, 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"', { cmfVersion: '2.4.1' });
    assert.match(d24.message, /^On CMF 2\.4\.1 \(cmfPools\.cmfVersion\)/);
    assert.match(d24.message, /DEDICATED pools too\.$/);
    const [shared] = expectHit(withImage('confluentinc/cp-flink-sql:1.19-cp5'), 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"');
    assert.doesNotMatch(shared.message, /SHARED pools only/);
  });

  it('image-too-old follows cmfPools.cmfVersion: no floor known before CMF 2.3, where 1.19-cp5 ran', () => {
    for (const cmfVersion of ['2.2', '2.2.9', '2.0']) expectNone(withImage('confluentinc/cp-flink-sql:1.19-cp5', dedicatedPool()), 'image-too-old', { cmfVersion });
    for (const cmfVersion of ['2.3', '2.3.1', 'v2.4.2', '2.5.0']) expectHit(withImage('confluentinc/cp-flink-sql:1.19-cp5', dedicatedPool()), 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"', { cmfVersion });
    // A version newer than the table is checked as the newest one known, and says so.
    const [d] = expectHit(withImage('confluentinc/cp-flink-sql:1.19-cp5'), 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"', { cmfVersion: '2.7' });
    assert.match(d.message, /^On CMF 2\.7 \(cmfPools\.cmfVersion, checked as CMF 2\.5, the nearest version these rules know\)/);
    // Not a version: ignored, the default applies.
    expectHit(withImage('confluentinc/cp-flink-sql:1.19-cp5'), 'image-too-old', '"confluentinc/cp-flink-sql:1.19-cp5"', { cmfVersion: 'latest' });
  });

  it('image-too-old: a severity set for its old name, shared-image-too-old, still applies; the new name wins', () => {
    const p = withImage('confluentinc/cp-flink-sql:1.19-cp5');
    assert.deepEqual(lint(p, { rules: { 'shared-image-too-old': 'warning' } }).filter((d) => d.code === 'image-too-old').map((d) => d.severity), [2]);
    assert.deepEqual(lint(p, { rules: { 'shared-image-too-old': 'off' } }).filter((d) => d.code === 'image-too-old'), []);
    assert.deepEqual(lint(p, { rules: { 'shared-image-too-old': 'off', 'image-too-old': 'hint' } }).filter((d) => d.code === 'image-too-old').map((d) => d.severity), [4]);
  });

  it('flink-version-unsupported: a Flink line the CMF version does not run, on flinkVersion or on the image', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    expectNone(p, 'flink-version-unsupported');
    const [d] = expectHit(p, 'flink-version-unsupported', '"v2_3"', { cmfVersion: '2.4' });
    assert.equal(d.severity, 2);
    assert.match(d.message, /CMF 2\.4 \(cmfPools\.cmfVersion\) does not run statements on Flink 2\.3 .*CMF 2\.4 runs Flink 1\.19; Flink 2\.3 needs CMF 2\.5 or newer\./);
    for (const v of ['v1_18', 'v1_20', 'v2_0', 'v2_1', 'v2_2']) {
      const q = dedicatedPool();
      q.spec.clusterSpec.flinkVersion = v;
      const [u] = expectHit(q, 'flink-version-unsupported', JSON.stringify(v));
      assert.match(u.message, /no CMF version these rules know runs Flink/);
    }
    // The image's own line, when flinkVersion says another one.
    const r = withImage('confluentinc/cp-flink-sql:2.3-cmf2.5-cp1', dedicatedPool());
    expectHit(r, 'flink-version-unsupported', '"confluentinc/cp-flink-sql:2.3-cmf2.5-cp1"', { cmfVersion: '2.4' });
    expectNone(r, 'flink-version-unsupported');
  });

  it('reads every tag form people use: arm64, cmf builds, patch releases with a Java version, digests, mirrors with ports', () => {
    const cases: [string, string, string[]][] = [
      ['v1_19', 'confluentinc/cp-flink-sql:1.19-cp8-arm64', []],
      ['v1_19', 'mirror.example.com:5000/confluentinc/cp-flink-sql:1.19-cp9', []],
      ['v1_19', 'localhost:5000/cp-flink-sql:1.19-cp10', []],
      ['v1_19', 'confluentinc/cp-flink-sql:1.19-cp7@sha256:4f1e2d3c', []],
      ['v2_3', 'registry.example.com:443/flink/cp-flink-sql:2.3-cmf2.5-cp1', []],
      ['v1_19', 'mirror.example.com:5000/confluentinc/cp-flink-sql:2.1.1-cp1-java21', ['flink-version-unsupported', 'image-flink-version-mismatch']],
      ['v2_1', 'confluentinc/cp-flink:2.1.2-cp1-java21', ['flink-version-unsupported', 'image-not-cp-flink-sql']],
      ['v1_19', 'isotope-cp-flink-sql:local', ['image-unverified']],
    ];
    for (const [flinkVersion, image, want] of cases) {
      const p = withImage(image, dedicatedPool());
      p.spec.clusterSpec.flinkVersion = flinkVersion;
      const got = lint(p).filter((d) => d.code.startsWith('image') || d.code.startsWith('flink-version'));
      assert.deepEqual(codes(got), want, `${flinkVersion} ${image}: ${JSON.stringify(got.map((d) => d.message))}`);
    }
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

describe('pod template envelope', () => {
  it('pod-template-envelope (error) on apiVersion and kind of clusterSpec.podTemplate, in CMF\'s words; no schema warning besides', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'flink-main-container' }] } };
    const hits = expectHit(p, 'pod-template-envelope', ['"apiVersion"', '"kind"']);
    assert.ok(hits.every((h) => h.severity === 1));
    assert.match(hits[0]!.message, /CMF rejects the pool with "'podTemplate' contains unexpected field\(s\): \{apiVersion=v1, kind=Pod\}"/);
    expectNone(p, 'schema/additionalProperties');
    expectNone(p, 'component-pod-template-envelope');
  });

  it('component-pod-template-envelope (warning) in jobManager and taskManager templates, saying CMF\'s behaviour there is unknown', () => {
    const p = sharedPool();
    p.spec.clusterSpec.jobManager.podTemplate = { kind: 'Pod', metadata: { labels: { a: 'b' } } };
    p.spec.clusterSpec.taskManager.podTemplate = { apiVersion: 'v1' };
    const hits = expectHit(p, 'component-pod-template-envelope', ['"apiVersion"', '"kind"']);
    assert.ok(hits.every((h) => h.severity === 2));
    assert.match(hits[1]!.message, /whether it checks clusterSpec\.jobManager\.podTemplate the same way is not known/);
    expectNone(p, 'pod-template-envelope');
    expectNone(p, 'schema/additionalProperties');
  });

  it('near misses: apiVersion and kind elsewhere (the pool itself, a container, metadata labels) are no envelope', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.podTemplate = { metadata: { labels: { kind: 'Pod', apiVersion: 'v1' } }, spec: { containers: [{ name: 'flink-main-container', env: [{ name: 'kind', value: 'Pod' }] }] } };
    expectNone(p, 'pod-template-envelope');
    expectNone(p, 'component-pod-template-envelope');
  });

  it('a CFK FlinkComputePool gets it on its clusterSpec too', () => {
    const p = cfkSharedPool();
    p.spec.clusterSpec.podTemplate = { apiVersion: 'v1', kind: 'Pod' };
    expectHit(p, 'pod-template-envelope', ['"apiVersion"', '"kind"']);
  });
});

describe('resource-memory-missing', () => {
  it('a warning on the deepest key the file has: resource, the component, or clusterSpec', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.jobManager.resource.memory;
    const [d] = expectHit(p, 'resource-memory-missing', '"resource"');
    assert.equal(d.severity, 2);
    assert.match(d.message, /jobManager\.resource\.memory is not set: the Flink operator rejects a deployment without it \("JobManager resource memory must be defined using spec\.jobManager\.resource\.memory"\), so every statement on this pool fails to deploy, unless the environment's computePoolDefaults supply it/);
    const q = sharedPool();
    delete q.spec.clusterSpec.taskManager;
    const [s] = expectHit(q, 'resource-memory-missing', '"clusterSpec"');
    assert.match(s.message, /session cluster never starts/);
    const r = dedicatedPool();
    r.spec.clusterSpec.taskManager = { replicas: 1 };
    expectHit(r, 'resource-memory-missing', '"taskManager"');
  });

  it('not when memory is set, nor when the environment\'s computePoolDefaults supply it; a malformed shape is the schema\'s', () => {
    expectNone(dedicatedPool(), 'resource-memory-missing');
    const p = dedicatedPool();
    delete p.spec.clusterSpec.jobManager.resource.memory;
    const t = text(p);
    assert.deepEqual(validateText(t, { defaults: { clusterSpec: { jobManager: { resource: { memory: '2g' } } } } }).filter((d) => d.code === 'resource-memory-missing'), []);
    const withOther = validateText(t, { defaults: { clusterSpec: { taskManager: { resource: { memory: '2g' } } } } }).filter((d) => d.code === 'resource-memory-missing');
    assert.equal(withOther.length, 1);
    assert.match(withOther[0]!.message, /is not set, in this file or in the environment's computePoolDefaults:/);
    const q = dedicatedPool();
    q.spec.clusterSpec.jobManager.resource = 'big';
    expectNone(q, 'resource-memory-missing');
  });
});

describe('insert-needs-checkpointing', () => {
  it('an info on flinkConfiguration (or clusterSpec) when no interval is set, quoting CMF\'s refusal', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.flinkConfiguration['execution.checkpointing.interval'];
    const [d] = expectHit(p, 'insert-needs-checkpointing', '"flinkConfiguration"');
    assert.equal(d.severity, 3);
    assert.match(d.message, /CMF refuses every INSERT INTO statement on it that does not set its own \("Flink deployment requires checkpointing to be enabled for INSERT INTO queries\. Please set 'execution\.checkpointing\.interval' in the Flink configuration of the Statement or ComputePool\."\); SELECT still runs/);
    const q = dedicatedPool();
    delete q.spec.clusterSpec.flinkConfiguration;
    expectHit(q, 'insert-needs-checkpointing', '"clusterSpec"');
  });

  it('not when the pool sets it, flat or nested, or the environment\'s defaults do', () => {
    expectNone(dedicatedPool(), 'insert-needs-checkpointing');
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkConfiguration = { execution: { checkpointing: { interval: '1 min' } }, 'state.checkpoints.dir': 's3://b/c', 'state.savepoints.dir': 's3://b/s' };
    expectNone(p, 'insert-needs-checkpointing');
    delete p.spec.clusterSpec.flinkConfiguration.execution;
    assert.deepEqual(validateText(text(p), { defaults: { clusterSpec: { flinkConfiguration: { 'execution.checkpointing.interval': '30s' } } } }).map((d) => d.code), []);
  });
});

describe('stateless-stop-resume', () => {
  it('an info when the pool lacks either directory, naming what is missing; on SHARED pools, that last-state is not supported', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    const [d] = expectHit(p, 'stateless-stop-resume', '"flinkConfiguration"');
    assert.equal(d.severity, 3);
    assert.match(d.message, /has no state\.savepoints\.dir, so its statements restart without state when they are stopped and resumed: their upgrade mode defaults to "stateless"/);
    assert.doesNotMatch(d.message, /last-state/);
    const s = sharedPool();
    delete s.spec.clusterSpec.flinkConfiguration['state.checkpoints.dir'];
    delete s.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    const [e] = expectHit(s, 'stateless-stop-resume', '"flinkConfiguration"');
    assert.match(e.message, /no state\.checkpoints\.dir and no state\.savepoints\.dir/);
    assert.match(e.message, /On a SHARED pool, the "last-state" upgrade mode is not supported either\./);
  });

  it('not with both directories, under their Flink 1.x or 2.x names, in the file or the environment\'s defaults', () => {
    expectNone(dedicatedPool(), 'stateless-stop-resume');
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    p.spec.clusterSpec.image = 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1';
    p.spec.clusterSpec.flinkConfiguration = { 'execution.checkpointing.interval': '10s', 'execution.checkpointing.dir': 's3://b/c', 'execution.checkpointing.savepoint-dir': 's3://b/s' };
    expectNone(p, 'stateless-stop-resume');
    const q = dedicatedPool();
    delete q.spec.clusterSpec.flinkConfiguration['state.savepoints.dir'];
    assert.deepEqual(validateText(text(q), { defaults: { clusterSpec: { flinkConfiguration: { 'state.savepoints.dir': 's3://b/s' } } } }).map((d) => d.code), []);
  });
});

describe('flink-config-secret', () => {
  const withConfig = (config: Record<string, unknown>) => {
    const p = dedicatedPool();
    Object.assign(p.spec.clusterSpec.flinkConfiguration, config);
    return p;
  };

  it('a warning on each credential in plain text, never repeating the value', () => {
    const secrets: Record<string, unknown> = {
      's3.access-key': 'AKIAEXAMPLE',
      's3.secret-key': 'wJalrXUtnFEMI-sEcReT',
      'fs.s3a.secret.key': 'sEcReT-2',
      'security.ssl.rest.keystore-password': 'p4ss-w0rd',
      'metrics.reporter.influxdb.password': 'influx-pw',
      'properties.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="jaas-pw";',
      'fs.azure.account.key.acct.blob.core.windows.net': 'azure-key',
      'gcs.auth.token': 't0k3n',
    };
    const hits = expectHit(withConfig(secrets), 'flink-config-secret', Object.keys(secrets).map((k) => JSON.stringify(k)));
    for (const h of hits) {
      assert.equal(h.severity, 2);
      for (const v of Object.values(secrets)) assert.ok(!h.message.includes(String(v)), `the value is not repeated: ${h.message}`);
      assert.match(h.message, /anyone who may read compute pools in CMF can read it/);
      assert.match(h.message, /env\[\]\.valueFrom\.secretKeyRef/);
    }
  });

  it('nested keys too', () => {
    expectHit(withConfig({ s3: { 'secret-key': 'x1' } }), 'flink-config-secret', '"secret-key"');
  });

  it('near misses: options about secrets that are no credentials, placeholders, empty values, a JAAS config without a password', () => {
    expectNone(
      withConfig({
        'kubernetes.secrets': 'kafka-tls:/opt/tls',
        'kubernetes.env.secretKeyRef': 'env:S3_KEY,secret:s3,key:key',
        'security.delegation.tokens.enabled': 'false',
        'kubernetes.container.image.pull-secrets': 'regcred',
        's3.secret-key': '${S3_SECRET_KEY}',
        's3.access-key': '',
        'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
        'security.ssl.rest.keystore': '/opt/keystore.jks',
      }),
      'flink-config-secret',
    );
  });

  it("among Flink's own options, only its password options have credential names", () => {
    const flagged = new Set<string>();
    for (const v of ['1.19', '1.20', '2.0']) {
      const data = JSON.parse(readFileSync(require.resolve(`../../language-service/data/flink-options-${v}.json`), 'utf8')) as { options: { k: string }[] };
      for (const o of data.options) if (isPlainCredential(o.k, 'x')) flagged.add(o.k);
    }
    assert.deepEqual([...flagged].sort(), [
      'metrics.reporter.influxdb.password',
      'security.ssl.internal.key-password',
      'security.ssl.internal.keystore-password',
      'security.ssl.internal.truststore-password',
      'security.ssl.rest.key-password',
      'security.ssl.rest.keystore-password',
      'security.ssl.rest.truststore-password',
    ]);
  });
});
