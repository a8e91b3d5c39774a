/**
 * Pools written in YAML, through the facade as the server and the CLI call it: multi-document files (a CFK GitOps
 * manifest beside other resources), the YAML a person writes (comments, anchors and aliases, flow style,
 * multi-line strings, tabs), flat and nested flinkConfiguration, completion that writes YAML, hover, the outline,
 * and the lint of every pool in a file. (Every rule test also runs on YAML: test/pools.ts's `lint` checks each
 * pool in both formats; every quick fix is checked in YAML block and flow style in code-actions.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SETTINGS, ResolvedSettings, complete, hover, isPool, lint, locateFields, poolText, symbols } from '../../language-service/src/index';
import { yamlScalar } from '../../language-service/src/document/yaml-edit';
import { parseText, validateText } from '../engine';
import { assertSameInYaml, cfkSharedPool, dedicatedPool, sharedPool } from '../pools';

const URI = 'file:///work/flink/pools.yaml';
const yamlDiags = (text: string, opts: { reportSyntaxErrors?: boolean; path?: string } = {}) => validateText(text, { uri: URI, languageId: 'yaml', ...opts });
const at = (d: { code: string; range: { start: { line: number } } }) => `${d.code}@${d.range.start.line + 1}`;

/** A GitOps manifest as CFK users commit it: an environment, two pools (the second with problems), a statement. */
const MANIFEST = `# Flink on CFK: environment, pools and a statement, synced by Argo CD.
apiVersion: platform.confluent.io/v1beta1
kind: FlinkEnvironment
metadata:
  name: flink-env1
  namespace: operator
spec:
  kubernetesNamespace: operator
  cmfRestClassRef:
    name: default
---
apiVersion: platform.confluent.io/v1beta1
kind: FlinkComputePool
metadata:
  name: shared-pool
  namespace: operator
spec:
  type: SHARED
  flinkEnvironment: flink-env1
  clusterSpec:
    flinkVersion: v1_19
    image: confluentinc/cp-flink-sql:1.19-cp8
    flinkConfiguration:
      execution.checkpointing.interval: 10 s
      high-availability.type: kubernetes
      high-availability.storageDir: s3://bucket/shared-pool/recovery
      state.checkpoints.dir: s3://bucket/shared-pool/checkpoints
      state.savepoints.dir: s3://bucket/shared-pool/savepoints
    jobManager: {resource: {memory: 1024m, cpu: 0.5}}
    taskManager: {resource: {memory: 1024m, cpu: 0.5}}
  cmfRestClassRef:
    name: default
    namespace: operator
---
apiVersion: platform.confluent.io/v1beta1
kind: FlinkComputePool
metadata:
  name: etl-pool
  namespace: operator
spec:
  type: DEDICATED
  state: RUNNING
  flinkEnvironment: flink-env1
  clusterSpec:
    flinkVersion: v1_19
    image: confluentinc/cp-flink:1.19.1-cp2
    serviceAccount: flink
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: two
      execution.checkpointing.interval: 10 s
      state.checkpoints.dir: s3://bucket/etl-pool/checkpoints
      state.savepoints.dir: s3://bucket/etl-pool/savepoints
    jobManager:
      resource: {memory: 1024m, cpu: 0.5}
    taskManager:
      resource: {memory: 2048m, cpu: 1}
  cmfRestClassRef:
    name: default
---
apiVersion: platform.confluent.io/v1beta1
kind: FlinkStatement
metadata:
  name: clicks
spec:
  statement: SELECT * FROM clicks
`;

describe('multi-document YAML: a CFK manifest', () => {
  it('checks each pool, leaves the other documents alone, and every range points into its own document', () => {
    const ds = yamlDiags(MANIFEST);
    const lines = MANIFEST.split('\n');
    const lineOf = (s: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(s)) + 1;
    const etl = lineOf('name: etl-pool');
    assert.deepEqual(ds.map(at).sort(), [
      `flink-config-invalid-value@${lineOf('numberOfTaskSlots: two')}`,
      `forbidden-field@${lineOf('serviceAccount: flink')}`,
      `image-not-cp-flink-sql@${lineOf('image: confluentinc/cp-flink:1.19.1-cp2')}`,
      `state-on-dedicated@${lineOf('state: RUNNING', etl)}`,
    ].sort());
    for (const d of ds) assert.ok(d.range.start.line + 1 > etl, `${d.code} is in the etl-pool document`);
    assert.ok(ds.every((d) => d.source === 'cmf-pools'));
  });

  it('lint: the file is a pool file, with its pools in order, each at the line its document starts', () => {
    const r = lint(MANIFEST, { path: '/work/flink/pools.yaml' });
    assert.equal(r.isPool, true);
    assert.equal(r.language, 'yaml');
    const starts = MANIFEST.split('\n').flatMap((l, i, all) => (l === 'kind: FlinkComputePool' && all[i - 1]!.startsWith('apiVersion') ? [i - 1] : []));
    assert.deepEqual(r.pools.map((p) => [p.name, p.kind, p.line]), [
      ['shared-pool', 'FlinkComputePool', starts[0]],
      ['etl-pool', 'FlinkComputePool', starts[1]],
    ]);
    assert.deepEqual(r.pools[0]!.errors, []);
    assert.equal(r.pools[1]!.errors.length, 4);
  });

  it('the outline has one symbol per pool; hover knows the CFK fields in any document', () => {
    const file = parseText(MANIFEST, URI, 'yaml');
    assert.deepEqual(symbols(file).map((s) => s.name), ['shared-pool', 'etl-pool']);
    const lines = MANIFEST.split('\n');
    const line = lines.findIndex((l, i) => i > 32 && l.includes('flinkEnvironment:'));
    const h = hover(file, { line, character: 4 });
    assert.match(JSON.stringify(h?.contents), /flinkEnvironment/);
  });

  it('a YAML file of other resources is not a pool file: nothing is reported', () => {
    const other = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: yes\n---\nkind: Service\n';
    assert.deepEqual(yamlDiags(other), []);
    assert.equal(isPool(parseText(other, URI, 'yaml'), new ResolvedSettings(DEFAULT_SETTINGS), '/work/k8s/web.yaml'), false);
    // In a pool file, the documents that are no pools get no completion, hover or outline.
    const file = parseText(MANIFEST, URI, 'yaml');
    const envLine = MANIFEST.split('\n').indexOf('  kubernetesNamespace: operator');
    assert.deepEqual(complete(file, { line: envLine, character: 2 }).items, []);
    assert.equal(hover(file, { line: envLine, character: 4 }), null);
  });

  it('a *.pool.yaml file is a pool file by its name: each document is checked as a pool', () => {
    const text = `${poolText(sharedPool(), 'yaml')}---\n${poolText(dedicatedPool(), 'yaml')}`;
    const r = lint(text, { path: '/work/two.pool.yaml' });
    assert.deepEqual(r.pools.map((p) => p.name), ['shared-pool', 'pool']);
  });
});

describe('YAML as people write it', () => {
  const base = sharedPool();

  it('comments, anchors and aliases, merge keys, flow style and multi-line strings read as the JSON pool does', () => {
    const text = `# shared pool
apiVersion: cmf.confluent.io/v1   # CMF's resource
kind: ComputePool
metadata: {name: shared-pool}
spec:
  type: SHARED
  state: RUNNING
  clusterSpec:
    flinkVersion: v1_19
    image: >-
      confluentinc/cp-flink-sql:1.19-cp7
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: "4"
      execution.checkpointing.interval: 10s
      high-availability.type: kubernetes
      high-availability.storageDir: 's3://bucket/shared-pool/recovery'
      state.checkpoints.dir: s3://bucket/shared-pool/checkpoints
      state.savepoints.dir: s3://bucket/shared-pool/savepoints
    taskManager:
      resource: &res {cpu: 1.0, memory: 2048m}
    jobManager:
      resource:
        <<: *res
        memory: 1024m
`;
    assert.deepEqual(parseYaml(text, { merge: true }), base);
    assert.deepEqual(yamlDiags(text, { reportSyntaxErrors: true }), []);
    // The same problem is found through the alias, on the aliased value.
    const broken = text.replace('{cpu: 1.0, memory: 2048m}', '{cpu: 1.0, memory: 2048}');
    const ds = yamlDiags(broken);
    assert.ok(ds.length > 0 && ds.every((d) => d.range.start.line === 19), JSON.stringify(ds.map(at)));
  });

  it('YAML syntax errors (a tab as indentation) are reported with reportSyntaxErrors, as the CLI does, and not otherwise', () => {
    const text = poolText(base, 'yaml').replace('  type: SHARED', '\ttype: SHARED');
    const withSyntax = yamlDiags(text, { reportSyntaxErrors: true });
    assert.ok(withSyntax.some((d) => d.code === 'invalid-yaml' && /tab/i.test(d.message)), JSON.stringify(withSyntax.map((d) => d.message)));
    assert.ok(!yamlDiags(text).some((d) => d.code === 'invalid-yaml'));
    assert.ok(lint(text, { path: 'p.pool.yaml' }).pool.errors.some((d) => d.code === 'invalid-yaml'), 'lint (the CLI) reports it');
  });

  it('flinkConfiguration flat and nested: the same diagnostics at the value in both', () => {
    const flat = poolText(base, 'yaml').replace('taskmanager.numberOfTaskSlots: "4"', 'taskmanager.numberOfTaskSlots: four');
    const nested = poolText(base, 'yaml').replace('taskmanager.numberOfTaskSlots: "4"', 'taskmanager:\n          numberOfTaskSlots: four');
    const [f] = yamlDiags(flat);
    const [n] = yamlDiags(nested);
    assert.equal(f?.code, 'flink-config-invalid-value');
    assert.equal(n?.code, 'flink-config-invalid-value');
    assert.equal(f!.message, n!.message);
    assert.match(nested.split('\n')[n!.range.start.line]!, /numberOfTaskSlots: four/);
    // A number where JSON has a string: the same as "4".
    assert.deepEqual(yamlDiags(poolText(base, 'yaml').replace('taskmanager.numberOfTaskSlots: "4"', 'taskmanager: {numberOfTaskSlots: 4}')), []);
  });

  it('a CFK pool in YAML has the same diagnostics as in JSON, at the corresponding lines', () => {
    const p = cfkSharedPool();
    p.spec.clusterSpec.serviceAccount = 'flink';
    p.status = { cmfSync: { status: 'Created' } };
    const json = JSON.stringify(p, null, 2);
    const yaml = poolText(p, 'yaml');
    assertSameInYaml(json, validateText(json), yaml, yamlDiags(yaml));
  });

  it('locateFields finds the field CMF names in the YAML document that starts at the given line', () => {
    const line = MANIFEST.split('\n').findIndex((l, i, all) => l === 'apiVersion: platform.confluent.io/v1beta1' && all[i + 3] === '  name: etl-pool');
    const problems = locateFields(MANIFEST, ['spec.clusterSpec.serviceAccount must not be set'], { languageId: 'yaml', line });
    assert.equal(problems.length, 1);
    assert.match(MANIFEST.split('\n')[problems[0]!.range.start.line]!, /serviceAccount: flink/);
  });
});

/**
 * Completion at `|` in YAML, applied without snippets as VS Code inserts text: the lines after the first get the
 * current line's indentation, and their leading tabs become the editor's indentation (two spaces here).
 */
function completeYaml(text: string, label: string): { text: string; inserted: string; items: CompletionItem[] } {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const file = parseText(clean, URI, 'yaml');
  const list = complete(file, file.text.positionAt(offset), { snippets: false });
  const item = list.items.find((i) => i.label === label);
  assert.ok(item, `no "${label}" in ${list.items.map((i) => i.label).slice(0, 30).join(', ')}`);
  const edit = item.textEdit as TextEdit;
  const lineIndent = /^[ ]*/.exec(clean.slice(clean.lastIndexOf('\n', offset - 1) + 1))![0];
  const newText = edit.newText.replace(/\n(\t*)/g, (_, tabs: string) => `\n${lineIndent}${'  '.repeat(tabs.length)}`);
  const edits = [{ ...edit, newText }, ...(item.additionalTextEdits ?? [])];
  return { text: TextDocument.applyEdits(TextDocument.create(URI, 'yaml', 1, clean), edits), inserted: edit.newText, items: list.items };
}

describe('completion writes YAML', () => {
  it('a string value is plain only where YAML 1.2 and 1.1 both read it back as that string', () => {
    for (const s of ['yes', 'no', 'on', 'off', 'true', 'null', '~', '4', '0x10', '0o17', '1e3', '.5', '*x', '&a', '!t', '- a', 'a: b', 'a #b', '2024-01-01', '', ' x']) {
      const written = yamlScalar(s);
      assert.match(written, /^"/, `${JSON.stringify(s)} is quoted (${written})`);
      assert.equal(parseYaml(`k: ${written}`).k, s);
      assert.equal(parseYaml(`k: ${written}`, { version: '1.1' }).k, s);
    }
    for (const s of ['hashmap', 's3://bucket/x', '10s', 'confluentinc/cp-flink-sql:1.19-cp7', 'kubernetes', '1024m']) assert.equal(yamlScalar(s), s, `${s} stays plain`);
  });

  const pool = poolText(dedicatedPool(), 'yaml');

  it('a key of clusterSpec with an object value: `key:` and the block below it', () => {
    const text = pool.replace('    jobManager:', '    |\n    jobManager:').replace(/ {4}taskManager:\n(?: {6}.*\n)+/, '');
    const { text: done, inserted } = completeYaml(text, 'taskManager');
    assert.match(inserted, /^taskManager:\n\tresource:\n\t\t/, 'a block below the key, indented with tabs that VS Code turns into the editor\'s indentation');
    const value = parseYaml(done);
    assert.deepEqual(Object.keys(value.spec.clusterSpec.taskManager), ['resource']);
    assert.deepEqual(yamlDiags(done, { reportSyntaxErrors: true }).filter((d) => d.severity === 1), []);
  });

  it('a Flink option key under flinkConfiguration, and its value quoted where a plain scalar would change meaning', () => {
    const key = completeYaml(pool.replace('      execution.checkpointing.interval: 10s', '      execution.checkpointing.interval: 10s\n      pipeline.object-re|'), 'pipeline.object-reuse');
    assert.match(key.text, /\n {6}pipeline\.object-reuse: \n/);
    const value = completeYaml(pool.replace('      execution.checkpointing.interval: 10s', '      execution.checkpointing.interval: 10s\n      pipeline.object-reuse: |'), 'true');
    assert.match(value.text, /pipeline\.object-reuse: "true"\n/);
    assert.equal(parseYaml(value.text).spec.clusterSpec.flinkConfiguration['pipeline.object-reuse'], 'true');
  });

  it('an enum value replaces what is typed; an image fits the flinkVersion', () => {
    const t = completeYaml(pool.replace('type: DEDICATED', 'type: DED|'), 'DEDICATED');
    assert.match(t.text, /\n {2}type: DEDICATED\n/);
    const img = completeYaml(pool.replace('image: confluentinc/cp-flink-sql:1.19-cp7', 'image: |'), 'confluentinc/cp-flink-sql:1.19-cp7');
    assert.equal(parseYaml(img.text).spec.clusterSpec.image, 'confluentinc/cp-flink-sql:1.19-cp7');
  });

  it('keys already present are not proposed; in a comment, a flow map or a block scalar nothing is', () => {
    const shared = sharedPool();
    delete shared.spec.state;
    const { items, text: withState } = completeYaml(poolText(shared, 'yaml').replace('  type: SHARED', '  type: SHARED\n  |'), 'state');
    assert.ok(!items.some((i) => i.label === 'type' || i.label === 'clusterSpec'));
    assert.match(withState, /\n {2}state: \n/);
    const none = (t: string) => {
      const offset = t.indexOf('|');
      const clean = t.slice(0, offset) + t.slice(offset + 1);
      const file = parseText(clean, URI, 'yaml');
      return complete(file, file.text.positionAt(offset)).items;
    };
    assert.deepEqual(none(pool.replace('kind: ComputePool', 'kind: ComputePool # a |comment')), []);
    assert.deepEqual(none(pool.replace('name: pool', 'name: pool\n  labels: {te|}')), []);
  });

  it('in the second document of a file, the keys of that document', () => {
    const text = `${MANIFEST.split('---\n').slice(0, 2).join('---\n')}---\napiVersion: platform.confluent.io/v1beta1\nkind: FlinkComputePool\nmetadata:\n  name: x\nspec:\n  |\n`;
    const { items } = completeYaml(text, 'flinkEnvironment');
    assert.ok(items.some((i) => i.label === 'cmfRestClassRef'));
  });
});
