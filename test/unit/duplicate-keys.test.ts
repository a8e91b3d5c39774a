/**
 * duplicate-key: every occurrence of a key but the last (the one JSON.parse, YAML and CMF keep) is reported, in JSON
 * and YAML, at any depth; near misses are not; the quick fix removes the overridden key in every layout (2 and 4
 * spaces, tabs, CRLF; YAML block and flow) and leaves the pool's value as it was.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { parse as parseYaml } from 'yaml';
import { codeActions } from '../../language-service/src/index';
import { parseText, validateText } from '../engine';
import { dedicatedPool } from '../pools';

const JSON_URI = 'file:///work/pools/dup.pool.json';
const YAML_URI = 'file:///work/pools/dup.pool.yaml';

/** The dedicated pool with `flinkVersion` written twice (an old value first) and a Flink option written twice. */
function jsonWithDuplicates(indent: number | string, eol = '\n'): string {
  const p = dedicatedPool();
  p.spec.clusterSpec.flinkConfiguration['taskmanager.numberOfTaskSlots'] = '4';
  let t = JSON.stringify(p, null, indent);
  const pad = (n: number) => (typeof indent === 'number' ? ' '.repeat(indent * n) : indent.repeat(n));
  t = t.replace(`${pad(3)}"flinkVersion": "v1_19",`, `${pad(3)}"flinkVersion": "v1_18",\n${pad(3)}"flinkVersion": "v1_19",`);
  t = t.replace(`${pad(4)}"taskmanager.numberOfTaskSlots": "4"`, `${pad(4)}"taskmanager.numberOfTaskSlots": "2",\n${pad(4)}"taskmanager.numberOfTaskSlots": "4"`);
  return (t + '\n').replace(/\n/g, eol);
}

const YAML_BLOCK = `# a pool with keys written twice
apiVersion: cmf.confluent.io/v1
kind: ComputePool
metadata:
  name: pool
spec:
  type: DEDICATED
  clusterSpec:
    flinkVersion: v1_18 # an old value
    flinkVersion: v1_19
    image: confluentinc/cp-flink-sql:1.19-cp7
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: "2"
      execution.checkpointing.interval: 10s
      taskmanager.numberOfTaskSlots: "4"
    taskManager: { resource: { cpu: 1, memory: 1024m } }
    jobManager: { resource: { cpu: 0.5, memory: 1024m, cpu: 1 } }
# the end
`;

const YAML_FLOW = `{apiVersion: cmf.confluent.io/v1, kind: ComputePool, metadata: {name: pool}, spec: {type: DEDICATED, clusterSpec: {flinkVersion: v1_18, flinkVersion: v1_19, image: "confluentinc/cp-flink-sql:1.19-cp7", flinkConfiguration: {taskmanager.numberOfTaskSlots: "2", execution.checkpointing.interval: 10s, taskmanager.numberOfTaskSlots: "4"}, taskManager: {resource: {cpu: 1, memory: 1024m}}, jobManager: {resource: {cpu: 0.5, memory: 1024m, cpu: 1}}}}}\n`;

function duplicates(text: string, languageId = 'json', uri = JSON_URI) {
  return validateText(text, { languageId, uri }).filter((d) => d.code === 'duplicate-key');
}

function covered(text: string, d: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }): string {
  const doc = TextDocument.create('x', 'json', 0, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

function apply(text: string, uri: string, languageId: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, languageId, 1, text), edits);
}

describe('duplicate-key', () => {
  it('JSON: a warning on every occurrence but the last, on its key, at any depth', () => {
    const t = jsonWithDuplicates(2);
    const ds = duplicates(t);
    assert.deepEqual(ds.map((d) => covered(t, d)), ['"flinkVersion"', '"taskmanager.numberOfTaskSlots"']);
    assert.ok(ds.every((d) => d.severity === 2));
    assert.match(ds[0]!.message, /"flinkVersion" is set again later in this object, and only the last one counts/);
    // The value named is the key, never the value (a value may be a secret).
    assert.doesNotMatch(ds[1]!.message, /"2"/);
    // Three times: the first two are reported.
    const three = t.replace('"flinkVersion": "v1_18",', '"flinkVersion": "v1_17",\n      "flinkVersion": "v1_18",');
    assert.equal(duplicates(three).filter((d) => d.message.includes('flinkVersion')).length, 2);
  });

  it('JSON with a syntax error or a comment (the recovering parse) finds them too', () => {
    const t = jsonWithDuplicates(2).replace(/\n$/, '\n// a comment\n');
    assert.deepEqual(duplicates(t).map((d) => covered(t, d)), ['"flinkVersion"', '"taskmanager.numberOfTaskSlots"']);
  });

  it('YAML, block and flow: the same, and in a flow map inside a block one', () => {
    for (const t of [YAML_BLOCK, YAML_FLOW]) {
      const ds = duplicates(t, 'yaml', YAML_URI);
      assert.deepEqual(ds.map((d) => covered(t, d)), ['flinkVersion', 'taskmanager.numberOfTaskSlots', 'cpu']);
    }
  });

  it('near misses: the same key in different objects, a flat and a nested spelling of one option, escapes that differ, YAML merges', () => {
    const p = dedicatedPool();
    p.spec.clusterSpec.jobManager.resource.cpu = 1;
    p.spec.clusterSpec.taskManager.resource.cpu = 1;
    p.metadata.labels = { name: 'pool' };
    assert.deepEqual(duplicates(JSON.stringify(p, null, 2)), []);
    const nested = JSON.stringify(p, null, 2).replace('"execution.checkpointing.interval": "10s"', '"execution.checkpointing.interval": "10s", "execution": {"checkpointing": {"timeout": "1 min"}}');
    assert.deepEqual(duplicates(nested), []);
    assert.deepEqual(duplicates('{"kind": "ComputePool", "a\\u0062": 1, "ac": 2}'), []);
    const merged = 'kind: ComputePool\nbase: &b {cpu: 1}\nspec:\n  <<: *b\n  cpu: 2\n';
    assert.deepEqual(duplicates(merged, 'yaml', YAML_URI), []);
  });

  it('JSON escapes: "a\\u0062" and "ab" are the same key', () => {
    const t = '{"kind": "ComputePool", "a\\u0062": 1, "ab": 2}';
    assert.deepEqual(duplicates(t).map((d) => covered(t, d)), ['"a\\u0062"']);
  });

  it('the quick fix removes the overridden key in 2 and 4 spaces, tabs and CRLF, keeping the layout and the value', () => {
    for (const [indent, eol] of [[2, '\n'], [4, '\n'], ['\t', '\n'], [2, '\r\n']] as const) {
      const t = jsonWithDuplicates(indent, eol);
      const before = duplicates(t);
      for (const d of before) {
        const actions = codeActions(parseText(t, JSON_URI, 'json', 1), [d]);
        assert.deepEqual(actions.map((a) => a.title), [`Remove this "${(d.data as { key: string }).key}" (the later one is the one CMF keeps)`]);
        assert.equal(actions[0]!.isPreferred, true);
        const fixed = apply(t, JSON_URI, 'json', actions[0]!.edit!.changes![JSON_URI] as TextEdit[]);
        assert.deepEqual(JSON.parse(fixed), JSON.parse(t), 'the value CMF reads is unchanged');
        assert.equal(duplicates(fixed).length, before.length - 1);
        // The layout is kept: the fixed text is the file without that one line.
        const line = t.split(eol)[d.range.start.line]!;
        assert.equal(fixed, t.replace(line + eol, ''), `indent ${JSON.stringify(indent)} ${JSON.stringify(eol)}`);
      }
    }
  });

  it('the quick fix in YAML, block (comments kept) and flow', () => {
    for (const t of [YAML_BLOCK, YAML_FLOW]) {
      const before = duplicates(t, 'yaml', YAML_URI);
      for (const d of before) {
        const [action] = codeActions(parseText(t, YAML_URI, 'yaml', 1), [d]);
        assert.ok(action, `a fix for ${covered(t, d)}`);
        const fixed = apply(t, YAML_URI, 'yaml', action.edit!.changes![YAML_URI] as TextEdit[]);
        assert.deepEqual(parseYaml(fixed, { uniqueKeys: false }), parseYaml(t, { uniqueKeys: false }), fixed);
        assert.equal(duplicates(fixed, 'yaml', YAML_URI).length, before.length - 1, fixed);
        if (t === YAML_BLOCK) assert.ok(fixed.startsWith('# a pool with keys written twice\n') && fixed.endsWith('# the end\n'));
      }
    }
  });

  it('no fix once the document changed under the diagnostic', () => {
    const t = jsonWithDuplicates(2);
    const [d] = duplicates(t);
    const clean = JSON.stringify(dedicatedPool(), null, 2);
    assert.deepEqual(codeActions(parseText(clean, JSON_URI, 'json', 2), [d!]), []);
  });
});
