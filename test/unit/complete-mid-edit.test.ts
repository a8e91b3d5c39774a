/**
 * Completion mid-edit never proposes a key the object already has. A new key started above an existing one, with no
 * colon or comma yet (`""` on a new line), is a syntax error that the recovering parse gets past by dropping the
 * key after it; the keys are read from the text itself, so the dropped key is not proposed again. VS Code's JSON
 * language service does the same for the schema's properties (checked here too). Every object that has completion:
 * clusterSpec, resources, flinkConfiguration flat and nested, pod templates; in JSON and in YAML.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, TextDocument as JsonLsDocument } from 'vscode-json-languageservice';
import { complete, parse } from '../../language-service/src/index';
import { poolSchema } from '../../language-service/src/schema';

/** The proposals at `|`: labels. */
function labels(src: string, languageId: 'json' | 'yaml'): string[] {
  const offset = src.indexOf('|');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  const doc = TextDocument.create(`file:///work/mid-edit.pool.${languageId}`, languageId, 1, text);
  return complete(parse(doc), doc.positionAt(offset)).items.map((i) => i.label);
}

/** VS Code's JSON language service completing against our schema at `|`. */
async function jsonLanguageService(src: string): Promise<string[]> {
  const ls = getLanguageService({});
  ls.configure({ validate: false, schemas: [{ uri: 'https://cmf-pools.dev/schemas/compute-pool.schema.json', fileMatch: ['*.json'], schema: poolSchema() as never }] });
  const offset = src.indexOf('|');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  const doc = JsonLsDocument.create('file:///work/mid-edit.json', 'json', 1, text);
  const list = await ls.doComplete(doc, doc.positionAt(offset), ls.parseJSONDocument(doc));
  return (list?.items ?? []).map((i) => i.label);
}

const HEAD = '{"apiVersion": "cmf.confluent.io/v1", "kind": "ComputePool", "metadata": {"name": "p"}, "spec": {"type": "DEDICATED", "clusterSpec": {';

interface Case {
  what: string;
  json: string;
  yaml: string;
  /** keys the object has: never proposed */
  present: string[];
  /** keys it has not: proposed */
  missing: string[];
  /** the object is the schema's (not flinkConfiguration): VS Code's JSON service agrees */
  schema: boolean;
}

const CASES: Case[] = [
  {
    what: 'clusterSpec',
    json: `${HEAD}\n  "|"\n  "flinkVersion": "v1_19",\n  "image": "confluentinc/cp-flink-sql:1.19-cp7"\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    "|"\n    flinkVersion: v1_19\n    image: confluentinc/cp-flink-sql:1.19-cp7\n',
    present: ['flinkVersion', 'image'],
    missing: ['jobManager', 'taskManager', 'flinkConfiguration'],
    schema: true,
  },
  {
    what: 'resources',
    json: `${HEAD}\n  "jobManager": {"resource": {\n    "|"\n    "cpu": 1\n  }}\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    jobManager:\n      resource:\n        "|"\n        cpu: 1\n',
    present: ['cpu'],
    missing: ['memory'],
    schema: true,
  },
  {
    what: 'flinkConfiguration, flat',
    json: `${HEAD}\n  "flinkConfiguration": {\n    "|"\n    "taskmanager.numberOfTaskSlots": "4",\n    "execution": {"checkpointing": {"interval": "10 s"}}\n  }\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    flinkConfiguration:\n      "|"\n      taskmanager.numberOfTaskSlots: "4"\n      execution:\n        checkpointing:\n          interval: 10 s\n',
    present: ['taskmanager.numberOfTaskSlots', 'execution.checkpointing.interval'],
    missing: ['parallelism.default', 'execution.checkpointing.mode'],
    schema: false,
  },
  {
    what: 'flinkConfiguration, nested',
    json: `${HEAD}\n  "flinkConfiguration": {\n    "taskmanager": {\n      "|"\n      "numberOfTaskSlots": 4\n    },\n    "taskmanager.memory.process.size": "2g"\n  }\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    flinkConfiguration:\n      taskmanager:\n        "|"\n        numberOfTaskSlots: 4\n      taskmanager.memory.process.size: 2g\n',
    // Labels below a nested group are what follows its prefix.
    present: ['numberOfTaskSlots', 'memory.process.size'],
    missing: ['memory.flink.size'],
    schema: false,
  },
  {
    what: 'a pod template',
    json: `${HEAD}\n  "podTemplate": {\n    "|"\n    "spec": {"containers": [{"name": "flink-main-container"}]}\n  }\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    podTemplate:\n      "|"\n      spec:\n        containers: [{name: flink-main-container}]\n',
    present: ['spec'],
    missing: ['metadata'],
    schema: true,
  },
  {
    what: "a pod template's spec",
    json: `${HEAD}\n  "taskManager": {"podTemplate": {"spec": {\n    "|"\n    "containers": [{"name": "flink-main-container"}],\n    "nodeSelector": {"pool": "flink"}\n  }}}\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    taskManager:\n      podTemplate:\n        spec:\n          "|"\n          containers: [{name: flink-main-container}]\n          nodeSelector:\n            pool: flink\n',
    present: ['containers', 'nodeSelector'],
    missing: ['volumes', 'tolerations'],
    schema: true,
  },
  {
    what: 'a JobManager or TaskManager',
    json: `${HEAD}\n  "taskManager": {\n    "|"\n    "resource": {"cpu": 1, "memory": "1024m"}\n  }\n}}}`,
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  type: DEDICATED\n  clusterSpec:\n    taskManager:\n      "|"\n      resource: {cpu: 1, memory: 1024m}\n',
    present: ['resource'],
    missing: ['podTemplate'],
    schema: true,
  },
  {
    what: 'spec',
    json: '{"apiVersion": "cmf.confluent.io/v1", "kind": "ComputePool", "metadata": {"name": "p"}, "spec": {\n  "|"\n  "type": "DEDICATED"\n}}',
    yaml: 'apiVersion: cmf.confluent.io/v1\nkind: ComputePool\nmetadata: {name: p}\nspec:\n  "|"\n  type: DEDICATED\n',
    present: ['type'],
    missing: ['clusterSpec'],
    schema: true,
  },
  {
    what: 'the document',
    json: '{"apiVersion": "cmf.confluent.io/v1",\n  "|"\n  "kind": "ComputePool", "spec": {"type": "DEDICATED", "clusterSpec": {}}}',
    yaml: 'apiVersion: cmf.confluent.io/v1\n"|"\nkind: ComputePool\nspec: {type: DEDICATED, clusterSpec: {}}\n',
    present: ['apiVersion', 'kind', 'spec'],
    missing: ['metadata'],
    schema: true,
  },
];

/** A CFK FlinkComputePool: its spec.clusterSpec completes as CMF's does. */
const CFK_HEAD = 'apiVersion: platform.confluent.io/v1beta1\nkind: FlinkComputePool\nmetadata: {name: p, namespace: operator}\nspec:\n  type: DEDICATED\n  flinkEnvironment: env1\n  clusterSpec:\n';
const CFK_CASES: { what: string; yaml: string; present: string[]; missing: string[] }[] = [
  { what: 'clusterSpec', yaml: `${CFK_HEAD}    "|"\n    flinkVersion: v1_19\n    image: confluentinc/cp-flink-sql:1.19-cp7\n`, present: ['flinkVersion', 'image'], missing: ['jobManager', 'flinkConfiguration'] },
  { what: 'resources', yaml: `${CFK_HEAD}    jobManager:\n      resource:\n        "|"\n        cpu: 1\n`, present: ['cpu'], missing: ['memory'] },
  {
    what: 'flinkConfiguration',
    yaml: `${CFK_HEAD}    flinkConfiguration:\n      "|"\n      taskmanager.numberOfTaskSlots: "4"\n`,
    present: ['taskmanager.numberOfTaskSlots'],
    missing: ['execution.checkpointing.interval'],
  },
];

describe('completion mid-edit: keys already written are not proposed again', () => {
  for (const c of CFK_CASES) {
    it(`a CFK FlinkComputePool's ${c.what}, yaml: "" typed above an existing key`, () => {
      const got = labels(c.yaml, 'yaml');
      for (const k of c.present) assert.ok(!got.includes(k), `${k} is written already: ${got.slice(0, 40).join(', ')}`);
      for (const k of c.missing) assert.ok(got.includes(k), `${k} is missing, so proposed: ${got.slice(0, 40).join(', ')}`);
    });
  }
  for (const c of CASES) {
    for (const format of ['json', 'yaml'] as const) {
      it(`${c.what}, ${format}: "" typed above an existing key, no colon or comma yet`, () => {
        const got = labels(format === 'json' ? c.json : c.yaml, format);
        for (const k of c.present) assert.ok(!got.includes(k), `${k} is written already: ${got.slice(0, 40).join(', ')}`);
        for (const k of c.missing) assert.ok(got.includes(k), `${k} is missing, so proposed: ${got.slice(0, 40).join(', ')}`);
      });
    }
    it(`${c.what}, yaml: the cursor on a new line of the map's indentation, which reads without a syntax error (the keys come from the parse)`, () => {
      const src = c.yaml.replace('"|"', '|');
      const offset = src.indexOf('|');
      const text = src.slice(0, offset) + src.slice(offset + 1);
      const parsed = parse(TextDocument.create('file:///work/blank.pool.yaml', 'yaml', 1, text));
      assert.deepEqual(parsed.documents.flatMap((d) => d.syntaxErrors), [], 'the document reads without a syntax error');
      const got = labels(src, 'yaml');
      for (const k of c.present) assert.ok(!got.includes(k), `${k} is written already: ${got.slice(0, 40).join(', ')}`);
      for (const k of c.missing) assert.ok(got.includes(k), `${k} is missing, so proposed: ${got.slice(0, 40).join(', ')}`);
    });
    it(`${c.what}, json: the key typed without its quotes closed, or after an existing key with no comma`, () => {
      for (const src of [c.json.replace('"|"', '"|'), c.json.replace('"|"', '|')]) {
        const got = labels(src, 'json');
        for (const k of c.present) assert.ok(!got.includes(k), `${k}: ${got.slice(0, 40).join(', ')}`);
      }
    });
    if (c.schema) {
      it(`${c.what}: VS Code's JSON language service proposes the same missing keys, and none of the present ones`, async () => {
        const theirs = await jsonLanguageService(c.json);
        const ours = labels(c.json, 'json');
        for (const k of c.present) assert.ok(!theirs.includes(k), `theirs: ${theirs.join(', ')}`);
        for (const k of c.missing) assert.ok(theirs.includes(k) && ours.includes(k), k);
      });
    }
  }

  it('the key being edited is proposed (it is being replaced), its neighbours are not', () => {
    const src = `${HEAD}\n  "flinkConfiguration": {\n    "taskmanager.numberOfTaskSl|"\n    "parallelism.default": "2"\n  }\n}}}`;
    const got = labels(src, 'json');
    assert.ok(got.includes('taskmanager.numberOfTaskSlots'));
    assert.ok(!got.includes('parallelism.default'));
  });
});
