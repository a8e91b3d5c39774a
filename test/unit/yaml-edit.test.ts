/**
 * Edits of YAML documents: each operation in block and flow style, with comments around, at the end of the file,
 * in the second document of a file, with CRLF line ends and with 2- and 4-space indentation. The result is asserted
 * on its text (everything else byte for byte) and re-read: exactly the intended value, no syntax error. Strings are
 * written so that YAML 1.2 and YAML 1.1 readers read them back as the same strings. What the editor cannot do is
 * not `valid`; nothing throws.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse, stringify } from 'yaml';
import type { DocumentEdit, JsonPath } from '../../language-service/src/document/model';
import { parseYamlFile } from '../../language-service/src/document/yaml';
import { dedicatedPool, sharedPool } from '../pools';

const URI = 'file:///w/pool.yaml';

function read(text: string) {
  return parseYamlFile(TextDocument.create(URI, 'yaml', 1, text));
}

/** The text after the edit `build` of document `index`, and whether the edit is valid. */
function edit(text: string, build: (e: DocumentEdit) => void, index = 0): { text: string; valid: boolean } {
  const file = TextDocument.create(URI, 'yaml', 1, text);
  const e = parseYamlFile(file)[index].edit();
  build(e);
  const change = e.toTextEdit();
  return { text: change ? TextDocument.applyEdits(file, [change]) : text, valid: e.valid };
}

/** The edit is valid, its result is exactly `expected`, which reads with no syntax error (as `value`, when given). */
function expectEdit(text: string, build: (e: DocumentEdit) => void, expected: string, opts: { index?: number; value?: unknown } = {}): void {
  const r = edit(text, build, opts.index);
  assert.equal(r.text, expected);
  assert.equal(r.valid, true, 'valid');
  const doc = read(expected)[opts.index ?? 0];
  assert.deepEqual(doc.syntaxErrors, []);
  if ('value' in opts) assert.deepEqual(doc.value, opts.value);
}

function expectInvalid(text: string, build: (e: DocumentEdit) => void, index = 0): void {
  assert.equal(edit(text, build, index).valid, false);
}

const POOL = `# A pool
apiVersion: cmf.confluent.io/v1  # the API
kind: ComputePool
metadata:
  name: pool   # its name

  labels: {team: data, tier: 'web'}
spec:
  clusterSpec:
    flinkConfiguration:
      # slots
      taskmanager.numberOfTaskSlots: "4"
      execution.checkpointing.interval: 10s # every 10 s
    image: confluentinc/cp-flink-sql:1.19-cp7
    containers:
    - name: main
      args: [--a, --b]
    - name: side   # a sidecar
      image: busybox
`;
const FC = ['spec', 'clusterSpec', 'flinkConfiguration'];
const CONTAINERS = ['spec', 'clusterSpec', 'containers'];

/** POOL with `from` replaced by `to` (each exactly once). */
function pool(...pairs: [string, string][]): string {
  let t = POOL;
  for (const [from, to] of pairs) {
    assert.equal(t.split(from).length, 2, `once: ${from}`);
    t = t.replace(from, to);
  }
  return t;
}

describe('YAML edits: set', () => {
  it('replaces scalars in place, keeping their quotes and the comments around them', () => {
    expectEdit(POOL, (e) => e.set(['metadata', 'name'], 'new-pool'), pool(['name: pool ', 'name: new-pool ']));
    expectEdit(POOL, (e) => e.set([...FC, 'taskmanager.numberOfTaskSlots'], '8'), pool(['"4"', '"8"']));
    expectEdit(POOL, (e) => e.set(['metadata', 'labels', 'tier'], "a'b"), pool(["'web'", "'a''b'"]));
    expectEdit(POOL, (e) => e.set(['metadata', 'labels', 'team'], 'platform'), pool(['team: data', 'team: platform']));
    expectEdit(POOL, (e) => e.set([...FC, 'execution.checkpointing.interval'], 30), pool(['10s #', '30 #']));
    expectEdit(POOL, (e) => e.set([...CONTAINERS, 0, 'args', 1], 'x y'), pool(['[--a, --b]', '[--a, x y]']));
    expectEdit(POOL, (e) => e.set(['metadata', 'name'], 'pool'), POOL, { value: read(POOL)[0].value });
  });

  it('quotes a plain string that would no longer read as that string', () => {
    expectEdit(POOL, (e) => e.set(['metadata', 'name'], 'yes'), pool(['name: pool ', 'name: "yes" ']));
    expectEdit(POOL, (e) => e.set(['metadata', 'labels', 'team'], 'a, b'), pool(['team: data', 'team: "a, b"']));
    expectEdit(POOL, (e) => e.set([...CONTAINERS, 0, 'args', 0], '--c'), pool(['[--a,', '["--c",']));
  });

  it('inserts a missing key after the last entry of its block map, at its indentation, and into a flow map', () => {
    expectEdit(
      POOL,
      (e) => e.set([...FC, 'state.backend.type'], 'rocksdb'),
      pool(['interval: 10s # every 10 s\n', 'interval: 10s # every 10 s\n      state.backend.type: rocksdb\n']),
    );
    expectEdit(POOL, (e) => e.set(['metadata', 'labels', 'env'], 'prod'), pool(["tier: 'web'}", "tier: 'web', env: prod}"]));
    expectEdit(POOL, (e) => e.set(['status'], { phase: 'RUNNING' }), `${POOL}status:\n  phase: RUNNING\n`);
    expectEdit(POOL, (e) => e.set(['metadata', 'namespace'], 'flink'), pool(["tier: 'web'}\n", "tier: 'web'}\n  namespace: flink\n"]));
  });

  it('creates missing parent maps as block maps', () => {
    expectEdit(
      POOL,
      (e) => e.set(['spec', 'clusterSpec', 'jobManager', 'resource', 'cpu'], 1),
      pool(['      image: busybox\n', '      image: busybox\n    jobManager:\n      resource:\n        cpu: 1\n']),
    );
    expectEdit('a:\nb: 1\n', (e) => e.set(['a', 'x', 'z'], true), 'a:\n  x:\n    z: true\nb: 1\n');
    expectEdit('a: ~\n', (e) => e.set(['a', 'x'], 1), 'a:\n  x: 1\n');
    expectEdit('a: null # nothing yet\n', (e) => e.set(['a', 'x'], 1), 'a: # nothing yet\n  x: 1\n');
    expectEdit('a: {}\n', (e) => e.set(['a', 'b'], 1), 'a:\n  b: 1\n', { value: { a: { b: 1 } } });
    expectEdit('a: []\n', (e) => e.set(['a', 0], 'x'), 'a:\n  - x\n', { value: { a: ['x'] } });
    expectEdit('l:\n- a\n', (e) => e.set(['l', 1, 'k'], 'v'), 'l:\n- a\n- k: v\n');
  });

  it('writes objects and arrays in block style at the right indentation, in flow style inside flow collections', () => {
    expectEdit(POOL, (e) => e.set(['kind'], { a: 1, b: [1, { c: 2, d: [] }] }), pool(['kind: ComputePool\n', 'kind:\n  a: 1\n  b:\n  - 1\n  - c: 2\n    d: []\n']));
    expectEdit(POOL, (e) => e.set(['metadata'], { name: 'x' }), pool(['  name: pool   # its name\n\n  labels: {team: data, tier: \'web\'}\n', '  name: x\n']));
    expectEdit(POOL, (e) => e.set(['apiVersion'], { v: 1 }), pool(['apiVersion: cmf.confluent.io/v1  # the API\n', 'apiVersion: # the API\n  v: 1\n']));
    expectEdit(POOL, (e) => e.set(['metadata', 'labels'], { team: ['a', 'b'] }), pool(["{team: data, tier: 'web'}", '{team: [a, b]}']));
    expectEdit(POOL, (e) => e.set(['metadata', 'labels', 'tier'], { x: [1, 'yes'] }), pool(["tier: 'web'}", 'tier: {x: [1, "yes"]}}']));
    expectEdit(
      POOL,
      (e) => e.set([...CONTAINERS, 2], { name: 'third', args: ['x'] }),
      pool(['      image: busybox\n', '      image: busybox\n    - name: third\n      args:\n      - x\n']),
    );
    expectEdit(POOL, (e) => e.set([...CONTAINERS, 1], 'gone'), pool(['    - name: side   # a sidecar\n      image: busybox\n', '    - gone\n']));
    expectEdit(POOL, (e) => e.set([...CONTAINERS, 0, 'args'], ['--x']), pool(['[--a, --b]', '["--x"]']));
    expectEdit('a:\n  - 1\n  - 2\n', (e) => e.set(['a'], { k: 'v' }), 'a:\n  k: v\n');
    expectEdit('a:\n- 1\n- 2\n', (e) => e.set(['a'], { k: 'v' }), 'a:\n  k: v\n', { value: { a: { k: 'v' } } });
    expectEdit('- 1\n- x # c\n', (e) => e.set([1], { k: 'v', l: 2 }), '- 1\n- k: v # c\n  l: 2\n');
    expectEdit('- 1\n-\n', (e) => e.set([1], { k: 'v', l: 2 }), '- 1\n- k: v\n  l: 2\n');
    expectEdit('x: 1\n', (e) => e.set([], { a: [1, 2] }), 'a:\n  - 1\n  - 2\n');
    expectEdit('l:\n- 0\nx: 1\n', (e) => e.set(['x'], { a: [1, 2] }), 'l:\n- 0\nx:\n  a:\n  - 1\n  - 2\n');
  });

  it('replaces block scalars with block scalars at their indentation, and with anything else', () => {
    expectEdit('a: |\n  one\n  two\nb: 1\n', (e) => e.set(['a'], 'three\nfour\n'), 'a: |\n  three\n  four\nb: 1\n');
    expectEdit('a: >\n    one\nb: 1\n', (e) => e.set(['a'], 'single'), 'a: |-\n    single\nb: 1\n');
    expectEdit('a: |\n  one\nb: 1\n', (e) => e.set(['a'], 5), 'a: 5\nb: 1\n');
    expectEdit('a: |\n  one\nb: 1\n', (e) => e.set(['a'], '  indented'), 'a: "  indented"\nb: 1\n');
    expectEdit('m:\n  a: |+\n    x\n\nn: 1\n', (e) => e.set(['m', 'c'], 1), 'm:\n  a: |+\n    x\n\n  c: 1\nn: 1\n', { value: { m: { a: 'x\n\n', c: 1 }, n: 1 } });
  });

  it('writes numbers, booleans and null as YAML reads them', () => {
    const cases: [unknown, string][] = [
      [1, '1'],
      [0.5, '0.5'],
      [-2, '-2'],
      [1e21, '1.0e+21'],
      [1e-7, '1.0e-7'],
      [-0, '-0.0'],
      [NaN, '.nan'],
      [Infinity, '.inf'],
      [-Infinity, '-.inf'],
      [true, 'true'],
      [false, 'false'],
      [null, 'null'],
    ];
    for (const [v, written] of cases) expectEdit('k: x\n', (e) => e.set(['k'], v), `k: ${written}\n`, { value: { k: v } });
  });

  it('overrides a key that a merge brings in with a key of its own, and sets an alias’s place', () => {
    expectEdit('a: &x {k: 1, j: 2}\nb:\n  <<: *x\n', (e) => e.set(['b', 'k'], 5), 'a: &x {k: 1, j: 2}\nb:\n  <<: *x\n  k: 5\n', { value: { a: { k: 1, j: 2 }, b: { k: 5, j: 2 } } });
    expectEdit('a: &x 1\nb: *x\n', (e) => e.set(['b'], 2), 'a: &x 1\nb: 2\n');
    expectEdit('a: &x 1\nb: *x\n', (e) => e.set(['a'], 1), 'a: &x 1\nb: *x\n');
  });

  it('writes the value of an empty document', () => {
    expectEdit('', (e) => e.set(['a', 'b'], 1), 'a:\n  b: 1\n');
    expectEdit('# comment\n', (e) => e.set(['a'], 1), '# comment\na: 1\n');
    expectEdit('---\n', (e) => e.set(['a'], 1), '---\na: 1\n');
    expectEdit('a: 1\n---\n', (e) => e.set(['b'], 2), 'a: 1\n---\nb: 2\n', { index: 1 });
    expectEdit('---\n---\nc: 3\n', (e) => e.set(['b'], 2), '---\nb: 2\n---\nc: 3\n');
  });
});

describe('YAML edits: remove', () => {
  it('removes a block entry with its line, its trailing comment, its nested block value and the comments in it', () => {
    expectEdit(POOL, (e) => e.remove([...FC, 'execution.checkpointing.interval']), pool(['      execution.checkpointing.interval: 10s # every 10 s\n', '']));
    expectEdit(POOL, (e) => e.remove([...FC, 'taskmanager.numberOfTaskSlots']), pool(['      taskmanager.numberOfTaskSlots: "4"\n', '']));
    expectEdit(POOL, (e) => e.remove(['metadata']), pool(['metadata:\n  name: pool   # its name\n\n  labels: {team: data, tier: \'web\'}\n', '']));
    expectEdit(POOL, (e) => e.remove(['spec', 'clusterSpec', 'flinkConfiguration']), pool(['    flinkConfiguration:\n      # slots\n      taskmanager.numberOfTaskSlots: "4"\n      execution.checkpointing.interval: 10s # every 10 s\n', '']));
    expectEdit('a:\n  b: 1\n  # about b\nc: 2\n', (e) => e.remove(['a']), 'c: 2\n');
    expectEdit('a: 1\nb: 2', (e) => e.remove(['b']), 'a: 1');
    expectEdit('a: 1\r\nb: 2', (e) => e.remove(['b']), 'a: 1');
  });

  it('removes block sequence items, also compact ones', () => {
    expectEdit(POOL, (e) => e.remove([...CONTAINERS, 0]), pool(['    - name: main\n      args: [--a, --b]\n', '']));
    expectEdit(POOL, (e) => e.remove([...CONTAINERS, 1]), pool(['    - name: side   # a sidecar\n      image: busybox\n', '']));
    expectEdit(POOL, (e) => e.remove([...CONTAINERS, 0, 'name']), pool(['    - name: main\n      args:', '    - args:']));
    expectEdit(POOL, (e) => e.remove([...CONTAINERS, 1, 'image']), pool(['      image: busybox\n', '']));
    expectEdit('- - a\n  - b\n- c\n', (e) => e.remove([0, 0]), '- - b\n- c\n');
  });

  it('removes flow items with their commas', () => {
    expectEdit(POOL, (e) => e.remove(['metadata', 'labels', 'team']), pool(['{team: data, tier', '{tier']));
    expectEdit(POOL, (e) => e.remove(['metadata', 'labels', 'tier']), pool([", tier: 'web'}", '}']));
    expectEdit(POOL, (e) => e.remove([...CONTAINERS, 0, 'args', 0]), pool(['[--a, --b]', '[--b]']));
    expectEdit('a: [1, 2, 3]\n', (e) => e.remove(['a', 1]), 'a: [1, 3]\n');
    expectEdit('a: {x: 1, y: 2, z: 3}\n', (e) => e.remove(['a', 'y']), 'a: {x: 1, z: 3}\n');
  });

  it('leaves an emptied map as {} and an emptied sequence as []', () => {
    expectEdit(
      POOL,
      (e) => e.remove([...FC, 'taskmanager.numberOfTaskSlots']).remove([...FC, 'execution.checkpointing.interval']),
      pool(['    flinkConfiguration:\n      # slots\n      taskmanager.numberOfTaskSlots: "4"\n      execution.checkpointing.interval: 10s # every 10 s\n', '    flinkConfiguration: {} # slots\n']),
    );
    expectEdit(POOL, (e) => e.remove(['metadata', 'labels', 'team']).remove(['metadata', 'labels', 'tier']), pool(["{team: data, tier: 'web'}", '{}']));
    expectEdit('a: 1\n', (e) => e.remove(['a']), '{}\n', { value: {} });
    expectEdit('l:\n  - x\nm: 1\n', (e) => e.remove(['l', 0]), 'l: []\nm: 1\n');
    expectEdit('- a: 1\n', (e) => e.remove([0, 'a']), '- {}\n');
  });

  it('removes every key of that name, so no earlier duplicate shows through', () => {
    expectEdit('a: 1\nb: 2\na: 3\n', (e) => e.remove(['a']), 'b: 2\n', { value: { b: 2 } });
  });

  it('does nothing for a path that is not there', () => {
    const r = edit(POOL, (e) => e.remove(['spec', 'nope']).remove([...CONTAINERS, 9]).renameKey(['nope'], 'x'));
    assert.equal(r.text, POOL);
    assert.equal(r.valid, true);
    const file = TextDocument.create(URI, 'yaml', 1, POOL);
    assert.equal(parseYamlFile(file)[0].edit().remove(['nope']).toTextEdit(), undefined);
  });
});

describe('YAML edits: renameKey', () => {
  it('replaces only the key’s text, keeping its quotes, the value and the comments', () => {
    expectEdit(POOL, (e) => e.renameKey([...FC, 'taskmanager.numberOfTaskSlots'], 'taskmanager.slots'), pool(['taskmanager.numberOfTaskSlots:', 'taskmanager.slots:']));
    expectEdit(POOL, (e) => e.renameKey([...FC, 'execution.checkpointing.interval'], 'yes'), pool(['execution.checkpointing.interval: 10s', '"yes": 10s']));
    expectEdit(POOL, (e) => e.renameKey(['metadata', 'labels', 'tier'], 'level'), pool(['tier:', 'level:']));
    expectEdit('"a.b": 1\n\'c\': 2\n', (e) => e.renameKey(['a.b'], 'x.y').renameKey(['c'], 'd'), '"x.y": 1\n\'d\': 2\n');
    expectEdit('{a: 1, b: 2}\n', (e) => e.renameKey(['a'], 'c, d'), '{"c, d": 1, b: 2}\n', { value: { 'c, d': 1, b: 2 } });
  });

  it('chains with other steps, as the Flink key fixes do', () => {
    expectEdit(
      POOL,
      (e) => e.remove([...FC, 'taskmanager.numberOfTaskSlots']).set([...FC, 'taskmanager.numberOfTaskSlots.new'], '4'),
      pool(['      taskmanager.numberOfTaskSlots: "4"\n      execution.checkpointing.interval: 10s # every 10 s\n', '      execution.checkpointing.interval: 10s # every 10 s\n      taskmanager.numberOfTaskSlots.new: "4"\n']),
    );
  });
});

describe('YAML edits: layouts', () => {
  it('edits a pool written in flow style in flow style', () => {
    const text = stringify(sharedPool(), { collectionStyle: 'flow' });
    const cs = ['spec', 'clusterSpec'];
    for (const build of [
      (e: DocumentEdit) => e.set([...cs, 'image'], 'confluentinc/cp-flink-sql:1.20-cp7'),
      (e: DocumentEdit) => e.set([...cs, 'flinkConfiguration', 'state.backend.type'], 'rocksdb'),
      (e: DocumentEdit) => e.set([...cs, 'podTemplate', 'spec', 'containers'], [{ name: 'x' }]),
      (e: DocumentEdit) => e.remove([...cs, 'flinkConfiguration', 'taskmanager.numberOfTaskSlots']),
      (e: DocumentEdit) => e.remove(['kind']),
      (e: DocumentEdit) => e.remove(['spec']),
      (e: DocumentEdit) => e.renameKey([...cs, 'flinkVersion'], 'version'),
    ]) {
      const r = edit(text, build);
      assert.equal(r.valid, true);
      assert.ok(!/\n\s*-\s/.test(r.text) && !/:\n\s+\w/.test(r.text.replace(text, '')), 'nothing in block style');
      assert.equal(read(r.text)[0].syntaxErrors.length, 0);
    }
    const r = edit(text, (e) => e.set([...cs, 'podTemplate', 'spec', 'containers'], [{ name: 'x' }]));
    assert.ok(r.text.includes('podTemplate: {spec: {containers: [{name: x}]}}'), r.text);
  });

  it('edits flow collections in flow style, on one line or several', () => {
    const FLOW = '{apiVersion: v1, metadata: {name: p, labels: {a: "1"}}, spec: {args: [x, y], n: 1}}\n';
    expectEdit(FLOW, (e) => e.set(['metadata', 'name'], 'yes'), FLOW.replace('name: p', 'name: "yes"'));
    expectEdit(FLOW, (e) => e.set(['metadata', 'labels', 'a'], '2'), FLOW.replace('a: "1"', 'a: "2"'));
    expectEdit(FLOW, (e) => e.set(['metadata', 'labels', 'b'], 'c d'), FLOW.replace('a: "1"}', 'a: "1", b: c d}'));
    expectEdit(FLOW, (e) => e.set(['spec', 'jobManager', 'resource', 'cpu'], 1), FLOW.replace('n: 1}', 'n: 1, jobManager: {resource: {cpu: 1}}}'));
    expectEdit(FLOW, (e) => e.set(['spec', 'args', 2], 'a,b'), FLOW.replace('[x, y]', '[x, y, "a,b"]'));
    expectEdit(FLOW, (e) => e.set(['spec', 'args'], [{ k: [] }]), FLOW.replace('[x, y]', '[{k: []}]'));
    expectEdit(FLOW, (e) => e.remove(['apiVersion']), FLOW.replace('apiVersion: v1, ', ''));
    expectEdit(FLOW, (e) => e.remove(['metadata']), FLOW.replace(', metadata: {name: p, labels: {a: "1"}}', ''));
    expectEdit(FLOW, (e) => e.remove(['spec']), FLOW.replace(', spec: {args: [x, y], n: 1}', ''));
    expectEdit(FLOW, (e) => e.remove(['spec', 'args', 0]), FLOW.replace('[x, y]', '[y]'));
    expectEdit(FLOW, (e) => e.remove(['spec', 'args', 1]).remove(['spec', 'args', 0]), FLOW.replace('[x, y]', '[]'));
    expectEdit(FLOW, (e) => e.remove(['metadata', 'labels', 'a']), FLOW.replace('{a: "1"}', '{}'));
    expectEdit(FLOW, (e) => e.renameKey(['spec', 'n'], 'count'), FLOW.replace('n: 1', 'count: 1'));
    const lines = '{\n  a: 1,\n  b: [\n    x,\n    y\n  ]\n}\n';
    expectEdit(lines, (e) => e.set(['c'], 2), '{\n  a: 1,\n  b: [\n    x,\n    y\n  ], c: 2\n}\n');
    expectEdit(lines, (e) => e.remove(['a']), '{\n  b: [\n    x,\n    y\n  ]\n}\n');
    expectEdit(lines, (e) => e.remove(['b', 1]), '{\n  a: 1,\n  b: [\n    x\n  ]\n}\n');
  });

  it('edits at the very end of a file, with and without a last line break', () => {
    expectEdit('a: 1', (e) => e.set(['b'], 2), 'a: 1\nb: 2');
    expectEdit('a: 1\n', (e) => e.set(['b'], 2), 'a: 1\nb: 2\n');
    expectEdit('a:\n  b: 1', (e) => e.set(['a', 'c'], { d: 1 }), 'a:\n  b: 1\n  c:\n    d: 1');
    expectEdit('a: 1\nb:\n  c: 2', (e) => e.remove(['b']), 'a: 1');
    expectEdit('a: 1\nb: [1, 2]', (e) => e.set(['b', 2], 3), 'a: 1\nb: [1, 2, 3]');
    expectEdit('a: 1\nb: x', (e) => e.renameKey(['b'], 'c'), 'a: 1\nc: x');
    expectEdit('l:\n- 1', (e) => e.set(['l', 1], 2), 'l:\n- 1\n- 2');
    expectEdit('a: 1 # last', (e) => e.set([], 5), '5');
  });

  it('edits the second document of a file, leaving the others as they were', () => {
    const text = 'kind: ConfigMap\ndata:\n  a: 1\n---\n# the pool\nkind: ComputePool\nmetadata:\n  name: p\n---\nkind: Other\n';
    expectEdit(text, (e) => e.set(['metadata', 'labels'], { a: 'b' }), text.replace('  name: p\n', '  name: p\n  labels:\n    a: b\n'), { index: 1 });
    expectEdit(text, (e) => e.remove(['metadata']), text.replace('metadata:\n  name: p\n', ''), { index: 1 });
    expectEdit(text, (e) => e.renameKey(['kind'], 'type'), text.replace('kind: ComputePool', 'type: ComputePool'), { index: 1 });
    expectEdit(text, (e) => e.set(['kind'], 'Pool'), text.replace('kind: ComputePool', 'kind: Pool'), { index: 1 });
    expectEdit(text, (e) => e.set(['data', 'b'], 2), text.replace('  a: 1\n', '  a: 1\n  b: 2\n'), { index: 0 });
    expectEdit(text, (e) => e.set(['z'], 1), `${text}z: 1\n`, { index: 2 });
    expectEdit(text.replace(/\n$/, ''), (e) => e.set(['z'], 1), `${text}z: 1`, { index: 2 });
  });

  it('keeps CRLF line ends', () => {
    const crlf = POOL.replace(/\n/g, '\r\n');
    const builds = [
      (e: DocumentEdit) => e.set([...FC, 'a.b'], 'c'),
      (e: DocumentEdit) => e.set(['spec', 'x', 'y'], [1, { z: 2 }]),
      (e: DocumentEdit) => e.remove([...CONTAINERS, 0]),
      (e: DocumentEdit) => e.remove(['metadata']),
      (e: DocumentEdit) => e.set(['kind'], { a: 1 }),
      (e: DocumentEdit) => e.remove([...FC, 'taskmanager.numberOfTaskSlots']).remove([...FC, 'execution.checkpointing.interval']),
    ];
    for (const build of builds) {
      const r = edit(crlf, build);
      const lf = edit(POOL, build);
      assert.equal(r.valid, true);
      assert.equal(r.text, lf.text.replace(/\n/g, '\r\n'), 'the same edit, with CRLF');
    }
  });

  it('indents with the document’s step: 2 or 4 spaces, sequences indented or not', () => {
    const four = 'spec:\n    clusterSpec:\n        image: x\n        args:\n            - a\n';
    expectEdit(four, (e) => e.set(['spec', 'clusterSpec', 'flinkConfiguration', 'a'], '1'), four + '        flinkConfiguration:\n            a: "1"\n');
    expectEdit(four, (e) => e.set(['spec', 'jobManager'], { args: ['b'] }), four + '    jobManager:\n        args:\n            - b\n');
    const two = stringify(dedicatedPool());
    const r = edit(two, (e) => e.set(['spec', 'clusterSpec', 'podTemplate', 'spec', 'containers'], [{ name: 'x', args: ['z'] }]));
    assert.ok(r.text.endsWith('    podTemplate:\n      spec:\n        containers:\n          - name: x\n            args:\n              - z\n'), r.text);
    const four4 = stringify(dedicatedPool(), { indent: 4 });
    const r4 = edit(four4, (e) => e.set(['spec', 'clusterSpec', 'podTemplate', 'spec'], { a: { b: 1 } }));
    assert.ok(r4.text.endsWith('        podTemplate:\n            spec:\n                a:\n                    b: 1\n'), r4.text);
  });
});

describe('YAML edits: strings written for YAML 1.2 and 1.1 readers', () => {
  const QUOTED = ['yes', 'no', 'on', 'off', 'y', 'N', 'Yes', 'TRUE', '~', 'null', 'Null', 'true', '0x10', '1e3', '010', '0o17', '.5', '1_000', '12:30', '+1', '-1', '.inf', '.NaN', '2001-12-14', '2001-12-14 21:59:43.10 -5', '=', '<<', '*x', '&y', '!t', '%p', '@a', '`b', '|c', '>d', '{e', '[f', ']g', '}h', ',i', '#c', '-g', '?h', ':i', 'a: b', 'a #b', 'a:', '', 'two\nlines', ' lead', 'trail ', '"q', "'s", 'tab\there', '\u0007bell', '\u0085', '...', '---'];
  const PLAIN = ['plain-ok', 'a.b', 's3://bucket/x', 'é', '10s', '2048m', 'v1_19', 'a#b', 'a:b', "it's", 'a "b"', 'confluentinc/cp-flink-sql:1.19-cp7', 'high-availability.type', '😀'];

  const readsBack = (text: string, pick: (v: any) => unknown, s: string, what: string) => {
    assert.equal(pick(parse(text)), s, `${what}: YAML 1.2 reads ${JSON.stringify(s)} back from ${JSON.stringify(text)}`);
    assert.equal(pick(parse(text, { version: '1.1' })), s, `${what}: YAML 1.1 reads ${JSON.stringify(s)} back from ${JSON.stringify(text)}`);
  };

  it('quotes what would read as something else, as a value, in a flow collection and as a key', () => {
    for (const s of QUOTED) {
      const value = edit('k: old\n', (e) => e.set(['k'], s));
      assert.equal(value.valid, true, JSON.stringify(s));
      assert.ok(/^k: ["']/.test(value.text), `quoted: ${value.text}`);
      readsBack(value.text, (v) => v.k, s, 'a value');
      const flow = edit('k: [old, x]\n', (e) => e.set(['k', 0], s));
      assert.equal(flow.valid, true);
      readsBack(flow.text, (v) => v.k[0], s, 'in a flow sequence');
      const key = edit('k: 1\n', (e) => e.set([s], 2));
      assert.equal(key.valid, true, `key ${JSON.stringify(s)}`);
      readsBack(key.text, (v) => v[s], 2 as never, 'a key');
    }
  });

  it('writes plain what reads back the same', () => {
    for (const s of PLAIN) {
      expectEdit('k: old\n', (e) => e.set(['k'], s), `k: ${s}\n`, { value: { k: s } });
      readsBack(`k: ${s}\n`, (v) => v.k, s, 'plain');
    }
    expectEdit('k: [old]\n', (e) => e.set(['k', 0], 'a:b'), 'k: ["a:b"]\n', { value: { k: ['a:b'] } });
  });

  it('writes newlines and unprintable characters escaped in double quotes', () => {
    expectEdit('k: old\n', (e) => e.set(['k'], 'two\nlines'), 'k: "two\\nlines"\n');
    expectEdit("k: 'old'\n", (e) => e.set(['k'], 'a\u0007b\\'), 'k: "a\\u0007b\\\\"\n');
    expectEdit('k: old\n', (e) => e.set(['k'], '\ud800'), 'k: "\\ud800"\n', { value: { k: '\ud800' } });
  });
});

describe('YAML edits: what is not done', () => {
  it('does not write through an alias, into a merged map, or below a scalar', () => {
    expectInvalid('a: &x {b: 1}\nc: *x\n', (e) => e.set(['c', 'b'], 2));
    expectInvalid('a: &x 1\nb: *x\n', (e) => e.set(['a'], 2));
    expectInvalid('a: &x {k: 1}\nb:\n  <<: *x\n', (e) => e.remove(['b', 'k']));
    expectInvalid('a: &x {k: 1}\nb:\n  <<: *x\n', (e) => e.renameKey(['b', 'k'], 'j'));
    expectInvalid('a: &x {k: {l: 1}}\nb:\n  <<: *x\n', (e) => e.set(['b', 'k', 'l'], 2));
    expectInvalid('a: 1\n', (e) => e.set(['a', 'b'], 2));
    expectInvalid('a: [1]\n', (e) => e.set(['a', 5], 2));
    expectInvalid('a: [1]\n', (e) => e.set(['a', 'x'], 2));
    expectInvalid('a: 1\n', (e) => e.remove([]));
    expectInvalid('a: 1\n', (e) => e.set(['b'], BigInt(1)));
    expectInvalid(`${'['.repeat(300)}${']'.repeat(300)}`, (e) => e.set([0], 1));
  });

  it('is not valid when the result would not read cleanly, or not as intended', () => {
    expectInvalid('a: 1\n', (e) => e.set(['k'.repeat(2000)], 1)); // an implicit key longer than YAML allows
    expectInvalid('a: 1\nb: 2\na: 3\n', (e) => e.renameKey(['a'], 'b')); // the earlier a shows through
    expectInvalid('a: 1\n', (e) => e.set(['b'], 1).set(['b', 'c'], 2)); // the second step fails: everything fails
  });

  it('keeps a document’s existing syntax errors, adding none', () => {
    const broken = 'a: [1, 2\nb: 3\n';
    const r = edit(broken, (e) => e.set(['b'], 4));
    assert.equal(r.valid, true);
    assert.equal(r.text, 'a: [1, 2\nb: 4\n');
  });
});

describe('YAML edits: pools and fuzzing', () => {
  /** The value after the same steps, done in JavaScript. */
  function model(v: unknown, steps: Step[]): unknown {
    const root = structuredClone(v);
    const parent = (r: any, p: JsonPath) => p.slice(0, -1).reduce((o, k) => o?.[k], r);
    let out: any = root;
    for (const s of steps) {
      if (s.op === 'set') {
        if (s.path.length === 0) out = structuredClone(s.value);
        else {
          out ??= typeof s.path[0] === 'number' ? [] : {};
          let cur = out;
          s.path.slice(0, -1).forEach((k, i) => (cur = cur[k] ??= typeof s.path[i + 1] === 'number' ? [] : {}));
          cur[s.path[s.path.length - 1]] = structuredClone(s.value);
        }
      } else if (s.op === 'remove') {
        if (s.path.length === 0 || !valueExists(out, s.path)) continue;
        const p = parent(out, s.path);
        const last = s.path[s.path.length - 1];
        if (Array.isArray(p)) p.splice(last as number, 1);
        else if (p) delete p[last];
      } else {
        const p = parent(out, s.path);
        const last = s.path[s.path.length - 1] as string;
        if (valueExists(out, s.path) && !Array.isArray(p) && typeof last === 'string') {
          const v2 = p[last];
          delete p[last];
          p[s.newKey] = v2;
        }
      }
    }
    return out;
  }
  type Step = { op: 'set'; path: JsonPath; value: unknown } | { op: 'remove'; path: JsonPath } | { op: 'rename'; path: JsonPath; newKey: string };
  const apply = (e: DocumentEdit, steps: Step[]) => {
    for (const s of steps) {
      if (s.op === 'set') e.set(s.path, s.value);
      else if (s.op === 'remove') e.remove(s.path);
      else e.renameKey(s.path, s.newKey);
    }
  };

  it('makes the engine’s kinds of fixes to real pools, in every layout', () => {
    const cs = ['spec', 'clusterSpec'];
    const fixes: Step[][] = [
      [{ op: 'set', path: [...cs, 'image'], value: 'confluentinc/cp-flink-sql:1.20-cp7' }],
      [{ op: 'set', path: [...cs, 'flinkVersion'], value: 'v1_20' }, { op: 'set', path: [...cs, 'image'], value: 'confluentinc/cp-flink-sql:1.20-cp7' }],
      [{ op: 'set', path: ['metadata', 'name'], value: 'my-pool' }],
      [{ op: 'remove', path: [...cs, 'flinkConfiguration', 'execution.checkpointing.interval'] }],
      [{ op: 'rename', path: [...cs, 'flinkConfiguration', 'execution.checkpointing.interval'], newKey: 'execution.checkpointing.every' }],
      [{ op: 'set', path: [...cs, 'flinkConfiguration', 'high-availability.type'], value: 'kubernetes' }, { op: 'set', path: [...cs, 'flinkConfiguration', 'high-availability.storageDir'], value: 's3://b/x' }],
      [{ op: 'set', path: [...cs, 'mode'], value: 'standalone' }],
      [{ op: 'remove', path: ['spec', 'state'] }],
      [{ op: 'set', path: [...cs, 'podTemplate', 'spec', 'containers', 0, 'volumeMounts', 0], value: { name: 'v', mountPath: '/opt/x' } }],
      [{ op: 'remove', path: [...cs, 'taskManager'] }, { op: 'set', path: [...cs, 'taskManager', 'resource', 'cpu'], value: 2 }],
    ];
    for (const p of [sharedPool(), dedicatedPool()]) {
      for (const text of [stringify(p), stringify(p, { indent: 4 }), stringify(p, { collectionStyle: 'flow' }), stringify(p).replace(/\n/g, '\r\n'), `# a comment\n${stringify(p).replace(/\n/, ' # first\n')}`, `other: doc\n---\n${stringify(p)}`]) {
        const index = text.startsWith('other') ? 1 : 0;
        for (const steps of fixes) {
          const r = edit(text, (e) => apply(e, steps), index);
          const expected = model(p, steps);
          assert.equal(r.valid, true, `${JSON.stringify(steps)} on\n${text}\n->\n${r.text}`);
          const after = read(r.text)[index];
          assert.deepEqual(after.value, expected);
          assert.deepEqual(after.syntaxErrors, []);
        }
      }
    }
  });

  function valueExists(v: any, p: JsonPath): boolean {
    let cur = v;
    for (const k of p) {
      const there = Array.isArray(cur) ? typeof k === 'number' && k < cur.length : cur !== null && typeof cur === 'object' && typeof k === 'string' && Object.prototype.hasOwnProperty.call(cur, k);
      if (!there) return false;
      cur = cur[k];
    }
    return true;
  }

  const key = fc.constantFrom('a', 'b', 'name', 'x.y', 'yes', '1', 'spec', 'k k', '');
  const pathArb = fc.array(fc.oneof(key, fc.nat({ max: 3 })), { maxLength: 4 });
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('yes', 'a: b', '#c', '*x', '', 'two\nlines'));
  const valueArb = fc.oneof(scalar, fc.dictionary(key, scalar, { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 }));
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('set' as const), path: pathArb, value: valueArb }),
    fc.record({ op: fc.constant('remove' as const), path: pathArb }),
    fc.record({ op: fc.constant('rename' as const), path: pathArb, newKey: key }),
  );

  it('never throws, and a valid edit reads back as the steps done in JavaScript, the other documents untouched', () => {
    const docsArb = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(JSON.parse(JSON.stringify(v)))),
      fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(JSON.parse(JSON.stringify(v)), { collectionStyle: 'flow' })),
      fc.constantFrom(POOL, stringify(sharedPool()), 'a: &x {k: 1}\nb:\n  <<: *x\n  l: [1, 2]\n', 'a: |\n  x\nb: {c: [1, {d: 2}]}\n', ''),
    );
    let valid = 0;
    fc.assert(
      fc.property(docsArb, fc.array(stepArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (doc, steps, second) => {
        const text = second ? `first: 1\n---\n${doc}` : doc;
        const index = second ? 1 : 0;
        const before = read(text);
        const r = edit(text, (e) => apply(e, steps), index);
        if (!r.valid) return;
        valid++;
        const after = read(r.text);
        assert.equal(after.length, before.length);
        if (second) assert.equal(r.text.slice(0, 'first: 1\n---'.length), 'first: 1\n---');
        const had = before[index].syntaxErrors.map((e) => e.message);
        for (const e of after[index].syntaxErrors) {
          assert.ok(had.includes(e.message), `no new syntax error: ${e.message}`);
          had.splice(had.indexOf(e.message), 1);
        }
        const expected = model(before[index].value, steps);
        assert.deepEqual(after[index].value, expected, `${JSON.stringify(steps)}\n${text}\n->\n${r.text}`);
      }),
      { numRuns: 1500, seed: 7 },
    );
    assert.ok(valid > 300, `${valid} valid edits`);
  });

  it('never throws on broken and random documents', () => {
    const soup = fc.array(fc.constantFrom('- ', ': ', '\n', '  ', '[', ']', '{', '}', ', ', '"', "'", '&a ', '*a', '<<: ', '|', '# c', '---', '? ', 'a', 'b', '1', '\t', '\r\n'), { maxLength: 40 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.oneof(soup, fc.string({ maxLength: 60 })), fc.array(stepArb, { minLength: 1, maxLength: 3 }), (text, steps) => {
        for (const d of read(text)) {
          const e = d.edit();
          apply(e, steps);
          assert.equal(typeof e.valid, 'boolean');
          e.toTextEdit();
        }
      }),
      { numRuns: 1500, seed: 8 },
    );
  });
});

describe('renaming a key is known valid without reading the file again only where reading it agrees', () => {
  const NAMES = [
    'taskmanager.numberOfTaskSlots', 'renamed', 'a.b-c_d', 'é', 'x'.repeat(1100), 'a b', 'x: y', 'x:', 'a #c', '#c', '-x', '- x', '-1',
    'true', 'null', '~', '1', '0x1F', '1e3', "'q'", '"q"', '[a]', '{a}', 'a,b', '', ' key', 'key ', '<<', '&a', '*a', '!t', '%x', '@x', '?', '---',
    'cpu', 'memory', 'name', 'kind', 'x', 'y', 'z', 'a', 'b', 'line\nbreak', 'tab\tbed',
  ];
  /** The same rename as a second step, after a step that changes nothing: `valid` then reads the result. */
  const byReading = (doc: ReturnType<typeof read>[number], path: JsonPath, name: string) => doc.edit().remove(['no such key, here or anywhere']).renameKey(path, name);
  const keyPaths = (v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] => {
    if (Array.isArray(v)) v.forEach((x, i) => keyPaths(x, [...at, i], out));
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([...at, k]);
        keyPaths((v as Record<string, unknown>)[k], [...at, k], out);
      }
    }
    return out;
  };
  const shared = stringify(sharedPool());
  const texts = [
    shared,
    shared.replace(/^( *)(cpu: .*)$/m, '$1$2\n$1taskm'), // a key half typed
    shared.replace(/^( *)name: (.*)$/m, '$1name: "$2'), // a quote left open
    stringify(sharedPool(), { collectionStyle: 'flow' }),
    'base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n  z: 3\ndup:\n  a: 1\n  a: 2\n  b: 3\n',
    'same:\n  x: 1\n  y: 2\n  z: 1\n  a: [1]\n  b: [1]\nother:\n  x: {a: 1}\n  y: {a: 1}\n', // renamed onto a key that holds the same, or not
  ];
  it('gives the answer reading the result gives, for random keys and names in valid and broken pools', () => {
    let fast = 0;
    for (const text of texts) {
      const doc = read(text)[0]!;
      const paths = keyPaths(doc.value);
      fc.assert(
        fc.property(fc.nat(paths.length - 1), fc.constantFrom(...NAMES), (i, name) => {
          const path = paths[i]!;
          const quick = doc.edit().renameKey(path, name);
          const slow = byReading(doc, path, name);
          assert.deepEqual(quick.toTextEdit(), slow.toTextEdit(), `edit ${JSON.stringify(path)} -> ${JSON.stringify(name)}`);
          assert.equal(quick.valid, slow.valid, `${JSON.stringify(path)} -> ${JSON.stringify(name)}`);
          if (quick.valid && (quick as unknown as { renamed?: unknown }).renamed) fast++;
        }),
        { numRuns: 150, seed: 12 },
      );
    }
    assert.ok(fast > 50, `${fast} renames known valid without reading the result`);
  });
});
