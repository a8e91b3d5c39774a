/**
 * The image grammar (cmf-model/src/images.ts) on every tag form issue 12 lists and FIELD-NOTES shows: 1.19-cp7,
 * 1.19-cp8-arm64, 2.3-cmf2.5-cp1, 2.1.1-cp1-java21, digests, and registry mirrors with ports; then the rules that
 * read it: a tag whose Flink line differs from flinkVersion, and a line the configured CMF does not run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageKind, parseImageRef, parseImageTag } from '../../cmf-model/src/images';
import { dedicatedPool, lint } from '../pools';

describe('image references and tags', () => {
  it('splits registry (with a port), repository, tag and digest as Docker does', () => {
    assert.deepEqual(parseImageRef('confluentinc/cp-flink-sql:1.19-cp7'), { registry: undefined, repository: 'confluentinc/cp-flink-sql', tag: '1.19-cp7', digest: undefined });
    assert.deepEqual(parseImageRef('mirror.example.com:5000/mirror/confluentinc/cp-flink-sql:1.19-cp8-arm64'), {
      registry: 'mirror.example.com:5000',
      repository: 'mirror/confluentinc/cp-flink-sql',
      tag: '1.19-cp8-arm64',
      digest: undefined,
    });
    assert.deepEqual(parseImageRef('localhost:5000/cp-flink-sql@sha256:4f1e2d3c'), { registry: 'localhost:5000', repository: 'cp-flink-sql', tag: undefined, digest: 'sha256:4f1e2d3c' });
    assert.deepEqual(parseImageRef('confluentinc/cp-flink-sql:1.19-cp7@sha256:abc'), { registry: undefined, repository: 'confluentinc/cp-flink-sql', tag: '1.19-cp7', digest: 'sha256:abc' });
    // A port is not a tag: the colon before the last slash belongs to the registry.
    assert.equal(parseImageRef('registry:5000/confluentinc/cp-flink-sql').tag, undefined);
    for (const image of ['mirror.example.com:5000/mirror/confluentinc/cp-flink-sql:1.19-cp8', 'registry.example.com/cp-flink-sql:1.19-cp7', 'confluentinc/cp-flink-sql@sha256:abc']) {
      assert.equal(imageKind(parseImageRef(image)), 'cp-flink-sql', image);
    }
    assert.equal(imageKind(parseImageRef('confluentinc/cp-flink:2.1.1-cp1-java21')), 'other-flink');
    assert.equal(imageKind(parseImageRef('isotope-cp-flink-sql:local')), 'unknown');
  });

  it('reads every Confluent tag form: line, patch, build, CMF line, arm64, Java', () => {
    assert.deepEqual(parseImageTag('1.19-cp7'), { flink: '1.19', patch: undefined, build: 7, cmf: undefined, arm64: false, java: undefined });
    assert.deepEqual(parseImageTag('1.19-cp8-arm64'), { flink: '1.19', patch: undefined, build: 8, cmf: undefined, arm64: true, java: undefined });
    assert.deepEqual(parseImageTag('2.3-cmf2.5-cp1'), { flink: '2.3', patch: undefined, build: 1, cmf: '2.5', arm64: false, java: undefined });
    assert.deepEqual(parseImageTag('2.1.1-cp1-java21'), { flink: '2.1', patch: 1, build: 1, cmf: undefined, arm64: false, java: 21 });
    assert.deepEqual(parseImageTag('1.19.1-cp2'), { flink: '1.19', patch: 1, build: 2, cmf: undefined, arm64: false, java: undefined });
    for (const tag of [undefined, 'latest', '1.19', 'cp7', '1.19-cp', '1.19-cp7-x86', 'v1.19-cp7']) assert.equal(parseImageTag(tag), undefined, String(tag));
  });
});

describe('the rules that read tags', () => {
  const pool = (flinkVersion: string, image: string) => {
    const p = dedicatedPool();
    p.spec.clusterSpec.flinkVersion = flinkVersion;
    p.spec.clusterSpec.image = image;
    return p;
  };
  const codes = (flinkVersion: string, image: string, cmfVersion?: string) => lint(pool(flinkVersion, image), cmfVersion ? { cmfVersion } : {}).map((d) => d.code);

  it('image-flink-version-mismatch: a tag of another Flink line than flinkVersion, in every form', () => {
    for (const image of ['confluentinc/cp-flink-sql:1.19-cp8-arm64', 'mirror.example.com:5000/confluentinc/cp-flink-sql:1.19-cp9', 'confluentinc/cp-flink-sql:1.19-cp7@sha256:4f1e2d3c']) {
      assert.ok(codes('v2_3', image).includes('image-flink-version-mismatch'), image);
      assert.ok(!codes('v1_19', image).includes('image-flink-version-mismatch'), `near miss: ${image}`);
    }
    assert.ok(codes('v1_19', 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1').includes('image-flink-version-mismatch'));
    assert.ok(!codes('v2_3', 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1').includes('image-flink-version-mismatch'));
    // A digest alone names no version: nothing to compare.
    assert.ok(!codes('v2_3', 'confluentinc/cp-flink-sql@sha256:abc').includes('image-flink-version-mismatch'));
  });

  it('flink-version-unsupported: a Flink line the configured CMF does not run', () => {
    assert.ok(codes('v2_3', 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1', '2.4').includes('flink-version-unsupported'), 'Flink 2.3 on CMF 2.4');
    assert.ok(!codes('v2_3', 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1', '2.5').includes('flink-version-unsupported'), 'Flink 2.3 on CMF 2.5');
    assert.ok(!codes('v1_19', 'confluentinc/cp-flink-sql:1.19-cp7', '2.3').includes('flink-version-unsupported'));
  });
});
