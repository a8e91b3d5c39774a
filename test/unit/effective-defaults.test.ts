// The effective pool: the selected environment's computePoolDefaults merged under the file. image-missing
// disappears when the environment supplies an image; rules see the defaults' values; a problem that comes
// from an inherited value lands on the nearest key the file has and says where the value comes from;
// per-entry flinkConfiguration problems of inherited entries are not the file's to fix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateText } from '../engine';

const file = (clusterSpec: Record<string, unknown>, type = 'SHARED') =>
  JSON.stringify({ apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 'p' }, spec: { type, clusterSpec } }, null, 2);
const resources = { jobManager: { resource: { cpu: 1, memory: '1024m' } }, taskManager: { resource: { cpu: 1, memory: '1024m' } } };
const codes = (text: string, defaults?: Record<string, unknown>) =>
  validateText(text, { defaults: defaults ? { clusterSpec: defaults, source: "environment 'dev'" } : undefined }).map((d) => d.code);

describe('effective pool (environment computePoolDefaults under the file)', () => {
  it('image-missing disappears when the environment supplies an image', () => {
    const text = file({ flinkVersion: 'v1_19', ...resources });
    assert.ok(codes(text).includes('image-missing'));
    assert.ok(!codes(text, { image: 'confluentinc/cp-flink-sql:1.19-cp7' }).includes('image-missing'));
    assert.ok(codes(text, { flinkConfiguration: { a: 'b' } }).includes('image-missing'));
  });

  it("rules see the defaults' values, reported on the nearest key the file has, naming the source", () => {
    const text = file({ flinkVersion: 'v1_19', ...resources });
    const ds = validateText(text, { defaults: { clusterSpec: { image: 'confluentinc/cp-flink-sql:1.19-cp5' }, source: "environment 'dev' (connection 'local')" } });
    const old = ds.find((d) => d.code === 'image-too-old')!;
    assert.ok(old, JSON.stringify(ds));
    assert.match(old.message, /\(The value comes from the computePoolDefaults of environment 'dev' \(connection 'local'\); set it in this file to override it\.\)$/);
    const line = text.split('\n').findIndex((l) => l.includes('"clusterSpec"'));
    assert.equal(old.range.start.line, line);
  });

  it("the file wins over the defaults, and the defaults' flinkConfiguration completes the file's", () => {
    const ha = file({ image: 'confluentinc/cp-flink-sql:1.19-cp7', flinkVersion: 'v1_19', ...resources, flinkConfiguration: { 'high-availability.type': 'kubernetes' } });
    assert.ok(codes(ha).includes('ha-incomplete'));
    assert.ok(!codes(ha, { flinkConfiguration: { 'high-availability.storageDir': 's3://b/recovery' } }).includes('ha-incomplete'));
    // A file image wins: no problem from an old default image.
    const own = file({ image: 'confluentinc/cp-flink-sql:1.19-cp7', flinkVersion: 'v1_19', ...resources });
    assert.ok(!codes(own, { image: 'confluentinc/cp-flink-sql:1.19-cp5' }).includes('image-too-old'));
  });

  it("does not report unknown or invalid flinkConfiguration entries that only the defaults carry", () => {
    const text = file({ image: 'confluentinc/cp-flink-sql:1.19-cp7', flinkVersion: 'v1_19', ...resources });
    assert.deepEqual(codes(text, { flinkConfiguration: { 'taskmanager.numberOfTaskSlot': '2', 'execution.checkpointing.interval': 'soon' } }).filter((c) => c.startsWith('flink-config')), []);
    const own = file({ image: 'confluentinc/cp-flink-sql:1.19-cp7', flinkVersion: 'v1_19', ...resources, flinkConfiguration: { 'taskmanager.numberOfTaskSlot': '2' } });
    assert.ok(codes(own, { flinkConfiguration: { x: 'y' } }).includes('flink-config-unknown-key'));
  });

  it('without defaults nothing changes', () => {
    const text = file({ flinkVersion: 'v1_19', ...resources });
    assert.deepEqual(codes(text, undefined), codes(text));
  });
});

describe('effective pool and quick fixes', () => {
  it('a diagnostic about an inherited value carries no fix data (its path is not in the file)', () => {
    const text = JSON.stringify({ apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 'p' }, spec: { type: 'SHARED', clusterSpec: { flinkVersion: 'v1_19', jobManager: { resource: { cpu: 1, memory: '1g' } }, taskManager: { resource: { cpu: 1, memory: '1g' } } } } }, null, 2);
    const [old] = validateText(text, { defaults: { clusterSpec: { image: 'confluentinc/cp-flink-sql:1.19-cp5' } } }).filter((d) => d.code === 'image-too-old');
    assert.equal(old.data, undefined);
  });
});
