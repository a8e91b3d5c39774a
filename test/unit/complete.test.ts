/** Completion on the language service: `|` in the text marks the cursor. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemTag, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { ResolvedSettings, complete, normalizeSettings, parse, resolveCompletion, type CompleteOptions } from '../../language-service/src/index';
import { snippetToPlain } from '../../language-service/src/complete';
import { optionSetFor } from '../../language-service/src/flink/options';
import { COMMON_OPTIONS } from '../../language-service/src/flink/common';
import { dedicatedPool, lint, sharedPool, type Pool } from '../pools';

const URI = 'file:///work/pools/c.pool.json';

function at(src: string, options?: CompleteOptions) {
  const offset = src.indexOf('|');
  assert.ok(offset >= 0, 'the text marks the cursor with |');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  const doc = TextDocument.create(URI, 'json', 1, text);
  const list = complete(parse(doc), doc.positionAt(offset), options);
  // As VS Code orders them (before filtering): by sortText, else label, in code unit order.
  const items = [...list.items].sort((a, b) => {
    const x = a.sortText ?? a.label;
    const y = b.sortText ?? b.label;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return {
    text,
    items,
    labels: items.map((i) => i.label),
    item(label: string): CompletionItem {
      const i = items.find((x) => x.label === label);
      assert.ok(i, `no item ${label} in ${items.map((x) => x.label).slice(0, 30).join(', ')}`);
      return i;
    },
    /** The text after accepting `label`, placeholders at their defaults. */
    apply(label: string): string {
      const i = this.item(label);
      const edits = [i.textEdit as TextEdit, ...(i.additionalTextEdits ?? [])].map((e) => ({ ...e, newText: snippetToPlain(e.newText) }));
      return TextDocument.applyEdits(doc, edits);
    },
  };
}

/** A pool laid out by JSON.stringify, with `|` put where `marker` (a unique string in the text) is. */
function poolWith(pool: Pool, marker: string, replacement: string): string {
  const text = JSON.stringify(pool, null, 2);
  assert.ok(text.includes(marker), marker);
  return text.replace(marker, replacement);
}

describe('completion: property names from the schema', () => {
  it('at the top level: the four properties, never status', () => {
    const c = at('{|}');
    assert.deepEqual(c.labels, ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(JSON.parse(c.apply('kind')).kind, 'ComputePool');
  });

  it('in clusterSpec: only properties not yet present, with descriptions; never serviceAccount or job', () => {
    const src = poolWith(dedicatedPool(), '"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      |');
    const c = at(src);
    assert.ok(!c.labels.includes('flinkVersion') && !c.labels.includes('image') && !c.labels.includes('taskManager'));
    assert.ok(c.labels.includes('podTemplate') && c.labels.includes('imagePullPolicy') && c.labels.includes('restartNonce'));
    assert.ok(!c.labels.includes('serviceAccount') && !c.labels.includes('job'));
    const doc = c.item('podTemplate').documentation as { kind: string; value: string };
    assert.equal(doc.kind, 'markdown');
    assert.match(doc.value, /JobManager and TaskManager/);
  });

  it('inserts "name": with a value of the right shape, and a comma before the next property', () => {
    const src = poolWith(dedicatedPool(), '"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      |');
    const c = at(src);
    for (const label of ['podTemplate', 'imagePullPolicy', 'restartNonce', 'ingress']) {
      const after = c.apply(label);
      JSON.parse(after); // the comma after it is there
      assert.ok(label in JSON.parse(after).spec.clusterSpec, label);
    }
    assert.equal(JSON.parse(c.apply('restartNonce')).spec.clusterSpec.restartNonce, 0);
    assert.deepEqual(JSON.parse(c.apply('podTemplate')).spec.clusterSpec.podTemplate, {});
    assert.match((c.item('imagePullPolicy').textEdit as TextEdit).newText, /^"imagePullPolicy": "\$1",$/);
    assert.equal(c.item('imagePullPolicy').command?.command, 'editor.action.triggerSuggest');
  });

  it('a single default snippet fills the value: jobManager gets its resource', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.jobManager;
    const c = at(poolWith(p, '"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      |'));
    assert.deepEqual(JSON.parse(c.apply('jobManager')).spec.clusterSpec.jobManager, { resource: { cpu: 1, memory: '1024m' } });
  });

  it('a new image property starts with the newest build for flinkVersion', () => {
    const p = dedicatedPool();
    delete p.spec.clusterSpec.image;
    p.spec.clusterSpec.flinkVersion = 'v2_3';
    const c = at(poolWith(p, '"flinkVersion": "v2_3",', '"flinkVersion": "v2_3",\n      |'));
    assert.equal(JSON.parse(c.apply('image')).spec.clusterSpec.image, 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
  });

  it('metadata offers name, labels and annotations, never the server-set fields', () => {
    const c = at('{"kind": "ComputePool", "metadata": {|}}');
    assert.deepEqual(c.labels, ['name', 'labels', 'annotations']);
  });

  it('SHARED-only properties only where they apply', () => {
    const dedicated = at('{"kind": "ComputePool", "spec": {"type": "DEDICATED", |}}');
    assert.deepEqual(dedicated.labels, ['clusterSpec']);
    const shared = at('{"kind": "ComputePool", "spec": {"type": "SHARED", |}}');
    assert.deepEqual(shared.labels, ['state', 'clusterSpec']);
    const dedicatedSpec = at('{"kind": "ComputePool", "spec": {"type": "DEDICATED", "clusterSpec": {|}}}');
    assert.ok(!dedicatedSpec.labels.includes('mode'));
    const native = at('{"kind": "ComputePool", "spec": {"type": "SHARED", "clusterSpec": {"taskManager": {|}}}}');
    assert.deepEqual(native.labels, ['resource', 'podTemplate']);
    const standalone = at('{"kind": "ComputePool", "spec": {"type": "SHARED", "clusterSpec": {"mode": "standalone", "taskManager": {|}}}}');
    assert.deepEqual(standalone.labels, ['resource', 'replicas', 'podTemplate']);
  });

  it('inside the pod template: Kubernetes container fields', () => {
    const c = at('{"kind": "ComputePool", "spec": {"clusterSpec": {"podTemplate": {"spec": {"containers": [{"name": "x", |}]}}}}}');
    assert.ok(c.labels.includes('volumeMounts') && c.labels.includes('env') && !c.labels.includes('name'));
  });

  it('plain text for clients without snippets', () => {
    const c = at('{"kind": "ComputePool", "spec": {"type": "SHARED", |}}', { snippets: false });
    for (const i of c.items) assert.doesNotMatch((i.textEdit as TextEdit).newText, /\$/, i.label);
    assert.equal(c.items[0]!.insertTextFormat, 1);
  });
});

describe('completion: values', () => {
  it('spec.type: DEDICATED and SHARED with what each means', () => {
    const c = at('{"kind": "ComputePool", "spec": {"type": "|"}}');
    assert.deepEqual(c.labels, ['"DEDICATED"', '"SHARED"']);
    assert.match((c.item('"SHARED"').documentation as { value: string }).value, /session cluster/);
    assert.equal(JSON.parse(c.apply('"SHARED"')).spec.type, 'SHARED');
  });

  it('state and mode values on a SHARED pool only', () => {
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"type": "SHARED", "state": "|"}}').labels, ['"RUNNING"', '"SUSPENDED"']);
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"type": "DEDICATED", "state": "|"}}').labels, []);
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"type": "SHARED", "clusterSpec": {"mode": "|"}}}').labels, ['"native"', '"standalone"']);
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"type": "DEDICATED", "clusterSpec": {"mode": "|"}}}').labels, []);
  });

  it('flinkVersion: the versions with a cp-flink-sql build first, the deprecated ones marked', () => {
    const c = at('{"kind": "ComputePool", "spec": {"clusterSpec": {"image": "confluentinc/cp-flink-sql:1.19-cp7", "flinkVersion": "|"}}}');
    assert.deepEqual(c.labels.slice(0, 2), ['"v2_3"', '"v1_19"']);
    assert.equal(c.item('"v1_19"').preselect, true, 'the image\'s line is preselected');
    assert.deepEqual(c.item('"v1_15"').tags, [CompletionItemTag.Deprecated]);
    assert.equal(c.item('"v2_0"').tags, undefined);
  });

  it('image: builds that match flinkVersion', () => {
    const images = (version: string | undefined, current = '') =>
      at(`{"kind": "ComputePool", "spec": {"clusterSpec": {${version ? `"flinkVersion": "${version}", ` : ''}"image": "${current}|"}}}`).labels.map((l) => JSON.parse(l) as string);
    const v119 = images('v1_19');
    assert.equal(v119[0], 'confluentinc/cp-flink-sql:1.19-cp11');
    assert.ok(v119.includes('confluentinc/cp-flink-sql:1.19-cp7'));
    assert.ok(v119.every((i) => i.includes(':1.19-')));
    const v23 = images('v2_3');
    assert.equal(v23[0], 'confluentinc/cp-flink-sql:2.3-cmf2.5-cp1');
    assert.ok(v23.every((i) => i.includes(':2.3-')));
    assert.equal(images('v1_19', 'registry.example.com/confluentinc/cp-flink-sql:1.19-cp5')[0], 'registry.example.com/confluentinc/cp-flink-sql:1.19-cp11');
    assert.equal(images('v1_19', 'confluentinc/cp-flink-sql:1.19-cp8-arm64')[0], 'confluentinc/cp-flink-sql:1.19-cp11-arm64');
    // No flinkVersion (or one without a build): every line, each saying which flinkVersion it needs.
    const any = images(undefined);
    assert.ok(any.some((i) => i.includes(':1.19-')) && any.some((i) => i.includes(':2.3-')));
    const v120 = at('{"kind": "ComputePool", "spec": {"clusterSpec": {"flinkVersion": "v1_20", "image": "|"}}}');
    assert.match((v120.items[0]!.documentation as { value: string }).value, /set flinkVersion to v1_19/);
  });

  it('image: the builds the CMF version is known to run (cmfPools.cmfVersion, or the connected CMF\'s, which wins)', () => {
    const src = '{"kind": "ComputePool", "spec": {"type": "DEDICATED", "clusterSpec": {"flinkVersion": "v1_19", "image": "|"}}}';
    const images = (options: CompleteOptions) => at(src, options).labels.map((l) => JSON.parse(l) as string);
    const on23 = { settings: new ResolvedSettings(normalizeSettings({ cmfVersion: '2.3' })) };
    assert.deepEqual(images(on23), ['confluentinc/cp-flink-sql:1.19-cp8', 'confluentinc/cp-flink-sql:1.19-cp7']);
    assert.deepEqual(images({ ...on23, cmfVersion: '2.4.2' }), ['confluentinc/cp-flink-sql:1.19-cp11', 'confluentinc/cp-flink-sql:1.19-cp7']);
    // Before CMF 2.3 no floor is known: the newest build that ran there only.
    assert.deepEqual(images({ settings: new ResolvedSettings(normalizeSettings({ cmfVersion: '2.2' })) }), ['confluentinc/cp-flink-sql:1.19-cp5']);
    // A Flink line the CMF version does not run: only the lines it runs, each saying which flinkVersion it needs.
    const v23 = at('{"kind": "ComputePool", "spec": {"clusterSpec": {"flinkVersion": "v2_3", "image": "|"}}}', { cmfVersion: '2.4' });
    assert.ok(v23.labels.every((l) => l.includes(':1.19-')), v23.labels.join(', '));
    assert.match((v23.items[0]!.documentation as { value: string }).value, /CMF 2\.4 does not run Flink 2\.3: with this image, set flinkVersion to v1_19/);
  });

  it('typical memory, cpu and ephemeral storage values', () => {
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"clusterSpec": {"taskManager": {"resource": {"memory": "|"}}}}}').labels, ['"1024m"', '"2048m"', '"4096m"', '"8192m"']);
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"clusterSpec": {"jobManager": {"resource": {"cpu": |}}}}}').labels, ['0.5', '1', '2', '4']);
    assert.ok(at('{"kind": "ComputePool", "spec": {"clusterSpec": {"jobManager": {"resource": {"ephemeralStorage": "|"}}}}}').labels.includes('"10Gi"'));
  });

  it('imagePullPolicy enum; the schema\'s snippets for an empty value; whole pools in an empty file', () => {
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"clusterSpec": {"imagePullPolicy": "|"}}}').labels, ['"Always"', '"IfNotPresent"', '"Never"']);
    const cs = at('{"kind": "ComputePool", "spec": {"clusterSpec": |}}');
    assert.ok(cs.labels.includes('Flink 1.19 cluster'));
    assert.equal(JSON.parse(cs.apply('Flink 1.19 cluster')).spec.clusterSpec.flinkVersion, 'v1_19');
    const empty = at('|');
    assert.deepEqual(empty.labels, ['Dedicated compute pool', 'Shared compute pool']);
    assert.deepEqual(lint(empty.apply('Shared compute pool')).filter((d) => d.severity === 1), []);
  });
});

describe('completion: flinkConfiguration', () => {
  const config = (entries: string, version = 'v1_19') =>
    `{"kind": "ComputePool", "metadata": {"name": "p"}, "spec": {"type": "SHARED", "clusterSpec": {"flinkVersion": "${version}", "flinkConfiguration": {${entries}}}}}`;

  it('every option of the pool\'s Flink version, the common ones first, each with type and default', () => {
    const c = at(config('"|"'));
    const set = optionSetFor('v1_19');
    assert.ok(c.items.length > 500, `${c.items.length} options`);
    assert.equal(c.items.length, set.options.length);
    const common = COMMON_OPTIONS.filter((k) => set.get(k));
    assert.deepEqual(c.labels.slice(0, common.length), common);
    for (const k of ['taskmanager.numberOfTaskSlots', 'execution.checkpointing.interval', 'state.backend.type', 'restart-strategy.type', 'high-availability.type']) {
      assert.ok(c.labels.indexOf(k) < common.length, k);
    }
    assert.equal(c.item('execution.checkpointing.timeout').detail, 'Duration · default 10 min');
    assert.equal(c.item('execution.checkpointing.interval').detail, 'Duration · no default');
    const resolved = resolveCompletion(c.item('execution.checkpointing.timeout'));
    assert.match((resolved.documentation as { value: string }).value, /maximum time that a checkpoint may take/);
    assert.match((resolved.documentation as { value: string }).value, /flink-docs-release-1\.19\/docs\/deployment\/config/);
  });

  it('with the client\'s list defaults, each item carries only its text', () => {
    const src = config('"|"');
    const offset = src.indexOf('|');
    const text = src.slice(0, offset) + src.slice(offset + 1);
    const doc = TextDocument.create(URI, 'json', 1, text);
    const list = complete(parse(doc), doc.positionAt(offset), { itemDefaults: ['editRange', 'insertTextFormat', 'data'] });
    assert.deepEqual(list.itemDefaults?.editRange, { start: doc.positionAt(offset - 1), end: doc.positionAt(offset + 1) });
    assert.equal(list.itemDefaults?.insertTextFormat, 2);
    assert.deepEqual(list.itemDefaults?.data, { flinkPrefix: '', flinkVersion: 'v1_19' });
    const item = list.items.find((i) => i.label === 'execution.checkpointing.timeout')!;
    assert.deepEqual(Object.keys(item).sort(), ['command', 'detail', 'filterText', 'kind', 'label', 'labelDetails', 'sortText', 'textEditText']);
    // The client puts the list's data on the item before resolving it.
    const resolved = resolveCompletion({ ...item, data: list.itemDefaults!.data });
    assert.match((resolved.documentation as { value: string }).value, /`Duration` · default `10 min`/);
    const plain = complete(parse(doc), doc.positionAt(offset), { itemDefaults: ['editRange', 'insertTextFormat', 'data'] });
    assert.ok(JSON.stringify(plain).length < JSON.stringify(complete(parse(doc), doc.positionAt(offset))).length * 0.85);
  });

  it('every common option exists in at least one Flink version', () => {
    for (const k of COMMON_OPTIONS) assert.ok(['v1_19', 'v1_20', 'v2_0'].some((v) => optionSetFor(v).get(k)), k);
  });

  it('never a deprecated key, and not the keys already set', () => {
    const c = at(config('"taskmanager.numberOfTaskSlots": "4", "|"'));
    const deprecated = Object.keys(optionSetFor('v1_19').deprecatedKeyIndex);
    assert.ok(deprecated.length > 10);
    for (const k of deprecated) assert.ok(!c.labels.includes(k), k);
    assert.ok(!c.labels.includes('taskmanager.numberOfTaskSlots'));
    assert.ok(c.labels.includes('execution.checkpointing.interval'));
  });

  it('a deprecated key typed in full is offered, marked, after its replacement', () => {
    const c = at(config('"state.backend|"'));
    assert.deepEqual(c.labels.slice(0, 2), ['state.backend', 'state.backend.type']);
    assert.deepEqual(c.item('state.backend').tags, [CompletionItemTag.Deprecated]);
    assert.equal(c.item('state.backend.type').preselect, true);
  });

  it('follows the Flink version: 2.x keys for a v2_3 pool', () => {
    assert.ok(at(config('"|"', 'v2_3')).labels.includes('execution.checkpointing.dir'));
    assert.ok(!at(config('"|"', 'v1_19')).labels.includes('execution.checkpointing.dir'));
    assert.ok(!at(config('"|"', 'v2_3')).labels.includes('state.checkpoints.dir'));
  });

  it('inserts "key": "" and asks for the value; templated keys are snippets', () => {
    const c = at(config('"|"'));
    assert.equal((c.item('execution.checkpointing.mode').textEdit as TextEdit).newText, '"execution.checkpointing.mode": "$1"');
    assert.equal(c.item('execution.checkpointing.mode').command?.command, 'editor.action.triggerSuggest');
    assert.equal((c.item('metrics.reporter.<name>.factory.class').textEdit as TextEdit).newText, '"metrics.reporter.${1:name}.factory.class": "$2"');
    const after = JSON.parse(c.apply('taskmanager.numberOfTaskSlots'));
    assert.equal(after.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'], '');
  });

  it('in a nested group, the rest of the key', () => {
    const c = at(config('"taskmanager": {"|"}'));
    assert.equal(c.labels[0], 'numberOfTaskSlots');
    assert.ok(c.labels.every((l) => !l.startsWith('taskmanager.')));
  });

  it('values that fit the option\'s type', () => {
    assert.deepEqual(at(config('"execution.checkpointing.mode": "|"')).labels, ['"EXACTLY_ONCE"', '"AT_LEAST_ONCE"']);
    assert.deepEqual(at(config('"rest.flamegraph.enabled": "|"')).labels, ['"false"', '"true"']);
    assert.deepEqual(at(config('"execution.checkpointing.interval": "|"')).labels, ['"10 s"', '"30 s"', '"1 min"', '"10 min"']);
    const timeout = at(config('"execution.checkpointing.timeout": "|"'));
    assert.equal(timeout.labels[0], '"10 min"');
    assert.match(timeout.items[0]!.detail ?? '', /default/);
    assert.ok(at(config('"taskmanager.memory.process.size": "|"')).labels.includes('"2 gb"'));
    assert.equal(at(config('"high-availability.type": "|"')).labels[0], '"kubernetes"');
    assert.equal(at(config('"high-availability.storageDir": "|"')).labels[0], '"s3://your-bucket/p/recovery"');
    assert.ok(at(config('"state.backend.type": "|"', 'v2_3')).labels.includes('"forst"'));
    assert.ok(!at(config('"state.backend.type": "|"')).labels.includes('"forst"'));
    // A deprecated key's values are its replacement's.
    assert.ok(at(config('"state.backend": "|"')).labels.includes('"rocksdb"'));
  });
});

describe('completion mid-edit', () => {
  it('an open quote on a key: the range ends at the cursor', () => {
    const src = poolWith(dedicatedPool(), '"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      "imag|');
    const c = at(src);
    assert.ok(c.labels.includes('imagePullPolicy'));
    const edit = c.item('imagePullPolicy').textEdit as TextEdit;
    assert.equal(edit.range.end.character - edit.range.start.character, '"imag'.length);
    assert.match(c.apply('imagePullPolicy'), /"imagePullPolicy": "",\n/);
    JSON.parse(c.apply('imagePullPolicy'));
  });

  it('an open quote on a value', () => {
    const c = at('{"kind": "ComputePool", "spec": {"type": "SH|\n}}');
    assert.deepEqual(JSON.parse(c.apply('"SHARED"')).spec, { type: 'SHARED' });
  });

  it('a missing comma before: accepting the item adds it', () => {
    const src = poolWith(dedicatedPool(), '"flinkVersion": "v1_19",', '"flinkVersion": "v1_19",\n      "mode": "native"\n      |');
    const c = at(src);
    assert.ok(c.items.every((i) => i.additionalTextEdits?.[0]?.newText === ','));
    const fixed = JSON.parse(c.apply('imagePullPolicy'));
    assert.equal(fixed.spec.clusterSpec.mode, 'native');
    assert.ok('imagePullPolicy' in fixed.spec.clusterSpec);
  });

  it('a key typed after a value without a comma', () => {
    const c = at('{"kind": "ComputePool", "spec": {"type": "SHARED"\n "cl|"}}');
    assert.deepEqual(c.labels, ['state', 'clusterSpec']);
    assert.deepEqual(JSON.parse(c.apply('clusterSpec')).spec.clusterSpec, {});
  });

  it('a key whose colon is already there: only the key is replaced', () => {
    const c = at('{"kind": "ComputePool", "spec": {"typ|": "SHARED"}}');
    assert.equal((c.item('type').textEdit as TextEdit).newText, '"type"');
    assert.deepEqual(JSON.parse(c.apply('type')).spec, { type: 'SHARED' });
  });

  it('right after a colon (its trigger character), the value gets a space', () => {
    const c = at('{"kind": "ComputePool", "spec": {"type":|}}');
    assert.equal(c.apply('"SHARED"'), '{"kind": "ComputePool", "spec": {"type": "SHARED"}}');
  });

  it('an unquoted word as a value, and a Flink key with no value yet', () => {
    assert.equal(JSON.parse(at('{"kind": "ComputePool", "spec": {"type": SHA|}}').apply('"SHARED"')).spec.type, 'SHARED');
    const c = at('{"kind": "ComputePool", "spec": {"clusterSpec": {"flinkConfiguration": {"execution.checkpointing.int|\n}}}}');
    assert.ok(c.labels.includes('execution.checkpointing.interval'));
  });

  it('nothing right after a closing quote, and nothing in a document too deep to read', () => {
    assert.deepEqual(at('{"kind": "ComputePool", "spec": {"type": "SHARED"|}}').labels, []);
    assert.deepEqual(at('['.repeat(300) + '|' + ']'.repeat(300)).labels, []);
  });

  it('every completion in a pool with comments, at every offset, answers without throwing', () => {
    const text = `// a pool\n${JSON.stringify(sharedPool(), null, 2).replace('"spec": {', '"spec": { /* inline */')}`;
    for (let i = 0; i <= text.length; i += 3) at(text.slice(0, i) + '|' + text.slice(i));
  });
});
