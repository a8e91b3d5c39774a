/**
 * The YAML front end: one document model per YAML document, whose value is what `yaml` reads (aliases, merge keys,
 * the last duplicate winning) and whose spans point at the text that says so, for real pools in block and flow
 * style, hand-written YAML and random documents; multi-document files; syntax errors; hostile nesting and aliases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument, stringify } from 'yaml';
import { JsonDocument } from '../../language-service/src/document/json';
import { type JsonPath, MAX_DEPTH, type Span } from '../../language-service/src/document/model';
import { type YamlDocument, parseYamlFile } from '../../language-service/src/document/yaml';
import { largePool } from '../../bench/documents';
import { dedicatedPool, sharedPool } from '../pools';

const URI = 'file:///w/pool.yaml';

function docs(text: string): YamlDocument[] {
  return parseYamlFile(TextDocument.create(URI, 'yaml', 1, text));
}

function one(text: string): YamlDocument {
  const d = docs(text);
  assert.equal(d.length, 1, 'one document');
  return d[0];
}

const textAt = (text: string, s: Span | undefined): string | undefined => (s ? text.slice(s.offset, s.offset + s.length) : undefined);

function allPaths(v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

function valueAt(v: unknown, p: JsonPath): unknown {
  let cur = v;
  for (const seg of p) cur = (cur as Record<string | number, unknown>)[seg];
  return cur;
}

function inside(d: YamlDocument, s: Span, what: string): void {
  assert.ok(s.offset >= d.span.offset && s.offset + s.length <= d.span.offset + d.span.length, `${what} ${JSON.stringify(s)} inside the document ${JSON.stringify(d.span)}`);
}

/** What yaml reads in `src`, errors or not (the text at a span in a document with errors may be broken too). */
const parse = (src: string): unknown => parseDocument(src, { merge: true, uniqueKeys: false, logLevel: 'silent' }).toJS();

const trailingBreaks = (s: unknown) => (typeof s === 'string' ? s.replace(/\n+$/, '') : s);

/**
 * Every path of the value is located, inside the document, and the text at its spans reads as what the value says:
 * a scalar's text parses to the scalar, a collection's (when it holds no alias or anchor) to the collection, a key's
 * to the key. A value that is an alias is the alias (`*name`). Returns how many paths were checked.
 */
function checkSpans(d: YamlDocument): number {
  const text = d.file.getText();
  if (d.value === undefined) return 0;
  const paths = allPaths(d.value);
  const readText = d.syntaxErrors.length === 0; // a broken document's pieces do not read alone as they do in place
  for (const p of paths) {
    const label = JSON.stringify(p);
    const vs = d.valueSpan(p);
    const ks = d.keySpan(p);
    assert.ok(vs && ks, `located: ${label}`);
    inside(d, vs, `value of ${label}`);
    inside(d, ks, `key of ${label}`);
    const v = valueAt(d.value, p);
    const src = textAt(text, vs)!;
    if (!readText) continue;
    const col = vs.offset - (text.lastIndexOf('\n', vs.offset - 1) + 1);
    if (src.startsWith('*')) assert.match(src, /^\*[^\s,[\]{}]+$/, `an alias at ${label}`);
    else if (typeof v === 'string' && /^[|>]/.test(src)) assert.equal(trailingBreaks(parse(' '.repeat(col) + src)), trailingBreaks(v), `block scalar at ${label}`);
    else if (v === null || typeof v !== 'object') {
      if (src !== '') assert.deepEqual(parse(src), v, `scalar at ${label}: ${JSON.stringify(src)}`);
      else assert.equal(v, null, `an empty value is null at ${label}`);
    } else if (!/[*&!]|<</.test(src)) assert.deepEqual(parse(' '.repeat(col) + src), v, `collection at ${label}`);
    const last = p[p.length - 1];
    if (typeof last === 'string') {
      const k = parse(textAt(text, ks)!);
      if (k === null || typeof k !== 'object') assert.equal(k === null ? '' : String(k), last, `key at ${label}`);
    } else assert.deepEqual(ks, vs, `an element's key span is its value's at ${label}`);
  }
  return paths.length;
}

function examplePools(): { name: string; pool: unknown }[] {
  const dirs = ['examples', 'examples/bad'].map((d) => path.resolve(__dirname, '../..', d));
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.pool.json'))
      .map((f) => ({ name: f, pool: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) })),
  );
}

const POOLS = (): { name: string; pool: unknown }[] => [{ name: 'sharedPool()', pool: sharedPool() }, { name: 'dedicatedPool()', pool: dedicatedPool() }, ...examplePools()];

/** A pool written by hand, as people write Kubernetes YAML: comments, anchors, aliases, merge keys, block scalars, quoted and dotted keys. */
const HANDWRITTEN = `# A compute pool, by hand
apiVersion: cmf.confluent.io/v1   # CMF's API
kind: ComputePool
metadata:
  name: 'hand-pool'
  labels: {team: "data", tier: web}
x-defaults:
  resources: &res
    cpu: 1.0      # a whole core
    memory: 2048m
  tm: &tm
    <<: *res
    memory: 4096m
spec:
  type: SHARED
  clusterSpec:
    flinkVersion: v1_19
    image: confluentinc/cp-flink-sql:1.19-cp7
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: "4"
      "execution.checkpointing.interval": 10s
      'state.backend.type': rocksdb
    taskManager:
      resource: *tm
    jobManager:
      resource:
        <<: *res
        cpu: 0.5
    podTemplate:
      metadata:
        annotations:
          description: |
            A pool for the web team.
            Two lines.
          folded: >-
            folded
            text
      spec:
        containers:
        - name: flink-main-container
          args: ["--verbose", '--x']
          env:
          - {name: A, value: "1"}
          - name: B
            value: yes   # a string in YAML 1.2
numbers: {1: one, 2.5: two-and-a-half, true: yes, ~: nothing, 0x10: sixteen}
`;

describe('YAML front end: values and spans', () => {
  it('reads real pools written as YAML, block and flow, 2 and 4 spaces, with every path located as the JSON front end locates it', () => {
    for (const { name, pool } of POOLS()) {
      const json = new JsonDocument(TextDocument.create('file:///w/pool.json', 'json', 1, JSON.stringify(pool, null, 2)));
      const layouts = { block: stringify(pool), 'block, 4 spaces': stringify(pool, { indent: 4 }), flow: stringify(pool, { collectionStyle: 'flow' }) };
      for (const [layout, text] of Object.entries(layouts)) {
        const d = one(text);
        assert.deepEqual(d.value, pool, `${name}, ${layout}`);
        assert.deepEqual(d.syntaxErrors, []);
        assert.equal(checkSpans(d), allPaths(pool).length);
        for (const p of allPaths(pool)) {
          assert.ok(json.keySpan(p) && json.valueSpan(p), `JSON locates ${JSON.stringify(p)}`);
          assert.ok(d.keySpan(p) && d.valueSpan(p), `YAML locates ${JSON.stringify(p)}`);
        }
        for (const missing of [['spec', 'nope'], ['metadata', 0], ['spec', 'clusterSpec', 'flinkConfiguration', 'taskmanager'], ['kind', 'x']] as JsonPath[]) {
          assert.equal(d.keySpan(missing), undefined);
          assert.equal(d.valueSpan(missing), undefined);
          assert.equal(json.valueSpan(missing), undefined);
        }
      }
    }
  });

  it('is the JSON front end on JSON text, which is YAML: the same spans for every path and the same node at every offset', () => {
    const p = sharedPool();
    p.metadata.annotations = { 'a"b': 'quote', 'c\\': 'backslash', é: 'unicode', 'x\ny': 'newline' };
    p.spec.clusterSpec.taskManager.podTemplate = { spec: { containers: [{ name: 'x', args: ['a', '"', '\\', '[', '{', '', null, true, 1.5] }, { name: 'y' }] } };
    for (const text of [JSON.stringify(p, null, 2), JSON.stringify(p), JSON.stringify(p, null, 4).replace(/\n/g, '\r\n')]) {
      const json = new JsonDocument(TextDocument.create('file:///w/pool.json', 'json', 1, text));
      const d = one(text);
      assert.deepEqual(d.value, p);
      for (const path of allPaths(p)) {
        assert.deepEqual(d.keySpan(path), json.keySpan(path), `key ${JSON.stringify(path)}`);
        assert.deepEqual(d.valueSpan(path), json.valueSpan(path), `value ${JSON.stringify(path)}`);
      }
      for (let o = 0; o <= text.length; o++) assert.deepEqual(d.nodeAt(o), json.nodeAt(o), `nodeAt(${o}) ${JSON.stringify(text.slice(o - 5, o + 5))}`);
    }
  });

  it('locates hand-written YAML: comments, anchors, aliases, merge keys, block scalars, quoted, dotted and non-string keys', () => {
    const d = one(HANDWRITTEN);
    const text = HANDWRITTEN;
    assert.deepEqual(d.syntaxErrors, []);
    const v = d.value as any;
    assert.deepEqual(v.spec.clusterSpec.taskManager.resource, { cpu: 1, memory: '4096m' }, 'an alias of a map with a merge key');
    assert.deepEqual(v.spec.clusterSpec.jobManager.resource, { cpu: 0.5, memory: '2048m' }, 'a merge with an override');
    assert.equal(v.spec.clusterSpec.podTemplate.metadata.annotations.description, 'A pool for the web team.\nTwo lines.\n');
    assert.equal(v.spec.clusterSpec.podTemplate.metadata.annotations.folded, 'folded text');
    assert.equal(v.spec.clusterSpec.podTemplate.spec.containers[0].env[1].value, 'yes', 'YAML 1.2 core: yes is a string');
    assert.deepEqual(v.numbers, { '1': 'one', '2.5': 'two-and-a-half', true: 'yes', '': 'nothing', '16': 'sixteen' });
    assert.ok(checkSpans(d) > 50);

    const at = (s: Span | undefined) => textAt(text, s);
    const CS = ['spec', 'clusterSpec'];
    // Spans are the node's text only: no anchor, no trailing comment or blank lines.
    assert.equal(at(d.valueSpan(['apiVersion'])), 'cmf.confluent.io/v1');
    assert.equal(at(d.valueSpan(['x-defaults', 'resources'])), 'cpu: 1.0      # a whole core\n    memory: 2048m');
    assert.equal(at(d.valueSpan(['x-defaults', 'resources', 'cpu'])), '1.0');
    assert.equal(at(d.valueSpan([...CS, 'podTemplate', 'metadata', 'annotations', 'description'])), '|\n            A pool for the web team.\n            Two lines.');
    // An alias: the value is the alias; below it, the anchored node.
    assert.equal(at(d.valueSpan([...CS, 'taskManager', 'resource'])), '*tm');
    const tmMemory = d.valueSpan([...CS, 'taskManager', 'resource', 'memory'])!;
    assert.equal(at(tmMemory), '4096m');
    assert.ok(tmMemory.offset < text.indexOf('spec:'), 'in the anchored map');
    // A merged key: at its definition in the merged map; an overriding key: where it is written.
    const cpu = d.keySpan([...CS, 'taskManager', 'resource', 'cpu'])!;
    assert.equal(cpu.offset, text.indexOf('cpu: 1.0'), 'merged from &res');
    assert.equal(d.keySpan([...CS, 'jobManager', 'resource', 'memory'])!.offset, text.indexOf('memory: 2048m'));
    assert.equal(d.keySpan([...CS, 'jobManager', 'resource', 'cpu'])!.offset, text.indexOf('cpu: 0.5'));
    // Quoted and dotted keys, keys that are numbers or booleans in YAML.
    const FC = [...CS, 'flinkConfiguration'];
    assert.equal(at(d.keySpan([...FC, 'taskmanager.numberOfTaskSlots'])), 'taskmanager.numberOfTaskSlots');
    assert.equal(at(d.keySpan([...FC, 'execution.checkpointing.interval'])), '"execution.checkpointing.interval"');
    assert.equal(at(d.keySpan([...FC, 'state.backend.type'])), "'state.backend.type'");
    assert.equal(at(d.valueSpan([...FC, 'taskmanager.numberOfTaskSlots'])), '"4"');
    assert.equal(at(d.keySpan(['numbers', '1'])), '1');
    assert.equal(at(d.keySpan(['numbers', '16'])), '0x10');
    assert.equal(at(d.keySpan(['numbers', 'true'])), 'true');
    assert.equal(at(d.keySpan(['numbers', ''])), '~');
    assert.equal(d.keySpan(['numbers', 1]), undefined, 'an index is no key');
    // Elements: key span is the value; flow and block.
    const C0 = [...CS, 'podTemplate', 'spec', 'containers', 0];
    assert.equal(at(d.keySpan([...C0, 'args', 1])), "'--x'");
    assert.equal(at(d.valueSpan([...C0, 'env', 0])), '{name: A, value: "1"}');
    assert.equal(at(d.valueSpan([...C0, 'env', 1])), 'name: B\n            value: yes');
    assert.equal(at(d.valueSpan([])), text.slice(text.indexOf('apiVersion'), text.length - 1));
    assert.deepEqual(d.keySpan([]), d.valueSpan([]));
  });

  it('reads scalars as YAML 1.2 core does, and tags without YAML 1.1 types', () => {
    const d = one('a: yes\nb: on\nc: 0x10\nd: 010\ne: 1e3\nf: .5\ng: ~\nh: 2001-12-14\ni: !!binary aGk=\nj: !!set {x, y}\nk: !!str 12\nl: !!int "12"\nm: -.inf\nn: 0o17\no: Null\n');
    const v = d.value as Record<string, unknown>;
    assert.deepEqual(v, { a: 'yes', b: 'on', c: 16, d: 10, e: 1000, f: 0.5, g: null, h: '2001-12-14', i: 'aGk=', j: { x: null, y: null }, k: '12', l: 12, m: -Infinity, n: 15, o: null });
    assert.equal(textAt(d.file.getText(), d.valueSpan(['k'])), '12', 'the span is the scalar, not its tag');
  });

  it('reads collection keys as toJS names them, and locates them', () => {
    const text = '? [a, b]\n: c\n? {x: 1}\n: d\n';
    const d = one(text);
    const keys = Object.keys(d.value as object);
    assert.equal(keys.length, 2);
    assert.equal(textAt(text, d.keySpan([keys[0]])), '[a, b]');
    assert.equal(textAt(text, d.valueSpan([keys[0]])), 'c');
    assert.equal(textAt(text, d.keySpan([keys[1]])), '{x: 1}');
  });

  it('lets the last of duplicate keys win, as JSON.parse does, and lists the others in duplicateKeys', () => {
    const text = 'a: 1\nb: {c: 1, c: 2, d: 3}\na: 2\nm: &m {k: 1}\nn:\n  <<: *m\n  k: 2\n';
    const d = one(text);
    assert.deepEqual(d.value, { a: 2, b: { c: 2, d: 3 }, m: { k: 1 }, n: { k: 2 } });
    assert.deepEqual(d.syntaxErrors, [], 'duplicates are no syntax error');
    assert.equal(d.valueSpan(['a'])!.offset, text.indexOf('2\nm'));
    assert.equal(d.keySpan(['b', 'c'])!.offset, text.indexOf('c: 2'));
    assert.deepEqual(d.duplicateKeys, [{ offset: 0, length: 1, key: 'a' }, { offset: text.indexOf('c: 1'), length: 1, key: 'c' }], 'a key overriding a merged one is no duplicate');
    assert.deepEqual(one('a: 1\nb: 2\n').duplicateKeys, []);
    assert.deepEqual(one('').duplicateKeys, []);
  });
});

describe('YAML front end: multi-document files', () => {
  const FILE = 'kind: ConfigMap\ndata: {a: 1}\n---\n# the pool\napiVersion: cmf.confluent.io/v1\nkind: ComputePool\n---\n- a list\n...\n---\n';

  it('gives one document per ---, in order, each span where it stands and each path in its own document', () => {
    const ds = docs(FILE);
    assert.deepEqual(
      ds.map((d) => d.value),
      [{ kind: 'ConfigMap', data: { a: 1 } }, { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool' }, ['a list'], undefined],
    );
    assert.deepEqual(
      ds.map((d) => textAt(FILE, d.span)),
      ['kind: ConfigMap\ndata: {a: 1}', '---\n# the pool\napiVersion: cmf.confluent.io/v1\nkind: ComputePool', '---\n- a list\n...', '---\n'],
    );
    ds.forEach((d, i) => {
      assert.equal(d.index, i);
      assert.equal(d.format, 'yaml');
      checkSpans(d);
    });
    assert.equal(ds[1].keySpan(['kind'])!.offset, FILE.indexOf('kind: ComputePool'));
    assert.equal(ds[0].keySpan(['kind'])!.offset, 0);
    assert.equal(ds[1].nodeAt(0), undefined, 'an offset of another document');
    assert.deepEqual(ds[1].nodeAt(FILE.indexOf('ComputePool'))?.path, ['kind']);
    // Every offset of the file belongs to exactly one document (ends count, as documentAt reads them).
    for (let o = 0; o <= FILE.length; o++) {
      const holders = ds.filter((d) => o >= d.span.offset && o <= d.span.offset + d.span.length);
      assert.equal(holders.length, 1, `offset ${o}`);
    }
  });

  it('reads an empty file, a file of comments and empty documents as empty documents', () => {
    for (const text of ['', '   \n', '# only a comment\n# and another', '---', '---\n# a comment\n']) {
      const d = one(text);
      assert.equal(d.value, undefined, JSON.stringify(text));
      assert.deepEqual(d.span, { offset: 0, length: text.length });
      assert.deepEqual(d.syntaxErrors, []);
      assert.equal(d.valueSpan([]), undefined);
      assert.equal(d.keySpan(['a']), undefined);
      for (let o = 0; o <= text.length; o++) assert.equal(d.nodeAt(o), undefined);
    }
    assert.deepEqual(
      docs('---\n---\n---\n').map((d) => [d.value, d.span]),
      [
        [undefined, { offset: 0, length: 3 }],
        [undefined, { offset: 4, length: 3 }],
        [undefined, { offset: 8, length: 4 }],
      ],
    );
    assert.deepEqual(one('null').value, null, 'a null is a value');
  });

  it('reads files starting with ---, with content on the --- line, with directives and with ... ends', () => {
    assert.deepEqual(one('---\na: 1\n').value, { a: 1 });
    const inline = one('--- {a: 1}\n');
    assert.deepEqual(inline.value, { a: 1 });
    assert.equal(textAt('--- {a: 1}\n', inline.valueSpan([])), '{a: 1}');
    const text = '%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n...\nc: 3\n';
    const ds = docs(text);
    assert.deepEqual(
      ds.map((d) => d.value),
      [{ a: 1 }, { b: 2 }, { c: 3 }],
    );
    assert.equal(ds[1].span.offset, text.indexOf('%YAML', 1), 'a document starts at its directives');
    assert.equal(textAt(text, ds[2].span), 'c: 3\n');
    ds.forEach((d) => assert.deepEqual(d.syntaxErrors, []));
  });

  it('keeps reading the documents after one that goes too deep, and after one with errors', () => {
    const text = 'a: 1\n---\n' + '['.repeat(5000) + '\n---\nb: 2\n---\nc: [1\n---\nd: 4\n';
    const ds = docs(text);
    assert.equal(ds.length, 5);
    assert.deepEqual(ds[0].value, { a: 1 });
    assert.equal(ds[1].tooDeepAt, text.indexOf('[') + MAX_DEPTH);
    assert.equal(ds[1].value, undefined);
    assert.deepEqual(ds[2].value, { b: 2 });
    assert.equal(ds[2].keySpan(['b'])!.offset, text.indexOf('b: 2'));
    assert.ok(ds[3].syntaxErrors.length > 0);
    assert.deepEqual(ds[4].value, { d: 4 });
    assert.equal(ds[4].keySpan(['d'])!.offset, text.indexOf('d: 4'));
  });
});

describe('YAML front end: syntax errors', () => {
  const cases: { name: string; text: string; at: string; value: unknown }[] = [
    { name: 'a tab as indentation', text: 'a:\n\tb: 1\nc: 2\n', at: '\tb', value: { a: null, b: 1, c: 2 } },
    { name: 'bad indentation', text: 'a:\n  b: 1\n c: 2\n', at: ' c: 2', value: { a: { b: 1 }, c: 2 } },
    { name: 'an unclosed [', text: 'a: [1, 2\nb: 3\n', at: 'b: 3', value: { a: [1, 2], b: 3 } },
    { name: 'an unclosed {', text: 'a: {x: 1\nb: 3\n', at: 'b: 3', value: { a: { x: 1 }, b: 3 } },
    { name: 'an unterminated double quote', text: 'a: 1\nb: "abc\n', at: '', value: { a: 1, b: 'abc' } },
    { name: "an unterminated single quote", text: "a: 1\nb: 'abc", at: '', value: { a: 1, b: 'ab' } },
    { name: 'a mapping in a compact mapping', text: 'a: b: c\nd: 1\n', at: 'b: c', value: { a: { b: 'c', d: 1 } } },
  ];
  for (const c of cases) {
    it(`reports ${c.name} where it is, and reads the rest`, () => {
      const d = one(c.text);
      assert.ok(d.syntaxErrors.length > 0, 'a syntax problem');
      for (const e of d.syntaxErrors) {
        assert.match(e.message, /^Invalid YAML: .+\.$/);
        assert.ok(e.offset >= 0 && e.offset + e.length <= c.text.length, 'inside the file');
      }
      if (c.at) assert.equal(d.syntaxErrors[0].offset, c.text.indexOf(c.at), `at ${JSON.stringify(c.at)}: ${JSON.stringify(d.syntaxErrors)}`);
      assert.deepEqual(d.value, c.value);
      checkSpans(d);
    });
  }

  it('says tabs in plain words', () => {
    assert.match(one('a:\n\tb: 1\n').syntaxErrors[0].message, /^Invalid YAML: tabs are not allowed as indentation/);
  });

  it('reads a pool in the middle of an edit as far as it goes', () => {
    const text = stringify(sharedPool()).replace('flinkVersion: v1_19', 'flinkVersion: [v1_19');
    const d = one(text);
    assert.ok(d.syntaxErrors.length > 0);
    const v = d.value as any;
    assert.equal(v.kind, 'ComputePool');
    assert.equal(v.metadata.name, 'shared-pool');
    assert.equal(textAt(text, d.keySpan(['kind'])), 'kind');
  });

  it('reports aliases toJS cannot read, reading them as null: no anchor, a cycle, a merge of a scalar', () => {
    const d = one('a: *nope\nb: &x [1, *x]\nc:\n  <<: 1\n  k: v\nd: &y {q: 1}\ne:\n  <<: [*y, 2]\n');
    assert.deepEqual(d.value, { a: null, b: [1, null], c: { k: 'v' }, d: { q: 1 }, e: { q: 1 } });
    assert.deepEqual(
      d.syntaxErrors.map((e) => e.message),
      [
        'Invalid YAML: the alias *nope has no anchor &nope before it.',
        'Invalid YAML: the alias *x is inside the node it refers to.',
        'Invalid YAML: a merge key (<<) takes a map, an alias of a map, or a list of them.',
        'Invalid YAML: a merge key (<<) takes a map, an alias of a map, or a list of them.',
      ],
    );
    assert.equal(d.syntaxErrors[0].offset, 3);
    assert.deepEqual(d.keySpan(['e', 'q'])!.offset, 'a: *nope\nb: &x [1, *x]\nc:\n  <<: 1\n  k: v\nd: &y {'.length);
  });
});

describe('YAML front end: hostile documents', () => {
  const quick = (f: () => void, ms = 3000) => {
    const t0 = performance.now();
    f();
    assert.ok(performance.now() - t0 < ms, `under ${ms} ms`);
  };

  it('stops at MAX_DEPTH, where the JSON front end does, for 10,000 levels of flow, block and compact nesting, closed or not', () => {
    const block = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
    const texts = {
      'flow sequences': '['.repeat(10_000) + ']'.repeat(10_000),
      'unclosed flow sequences': '['.repeat(10_000),
      'flow maps': '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000),
      'block maps': block(10_000, (i) => ' '.repeat(i) + 'a:'),
      'block sequences': block(10_000, (i) => ' '.repeat(i) + '-'),
      'compact sequences': '- '.repeat(10_000) + 'x',
      'maps in sequences': block(5_000, (i) => ' '.repeat(2 * i) + '- a:'),
    };
    for (const [name, text] of Object.entries(texts)) {
      quick(() => {
        const ds = docs(text);
        assert.equal(ds.length, 1, name);
        assert.ok(ds[0].tooDeepAt !== undefined && ds[0].tooDeepAt > 0, `${name}: too deep`);
        assert.equal(ds[0].value, undefined);
        assert.deepEqual(ds[0].syntaxErrors, []);
        assert.equal(ds[0].valueSpan([]), undefined);
        assert.equal(ds[0].nodeAt(ds[0].tooDeepAt!), undefined);
        assert.equal(ds[0].edit().set(['a'], 1).valid, false);
      });
    }
    for (const text of ['['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH), '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1), '{"a":'.repeat(MAX_DEPTH + 1) + '1' + '}'.repeat(MAX_DEPTH + 1)]) {
      const json = new JsonDocument(TextDocument.create('file:///w/deep.json', 'json', 1, text));
      assert.equal(one(text).tooDeepAt, json.tooDeepAt);
    }
    const deepBlock = (n: number) => block(n, (i) => ' '.repeat(i) + 'a:') + ' 1\n';
    assert.equal(one(deepBlock(MAX_DEPTH)).tooDeepAt, undefined);
    assert.equal(one(deepBlock(MAX_DEPTH + 1)).tooDeepAt, deepBlock(MAX_DEPTH + 1).lastIndexOf('a:'));
  });

  it('counts nesting through aliases, and cuts alias expansion (billion laughs) with a syntax problem', () => {
    let chain = `a0: &a0 ${'['.repeat(200)}${']'.repeat(200)}\n`;
    for (let i = 1; i < 60; i++) chain += `a${i}: &a${i} ${'['.repeat(100)}*a${i - 1}${']'.repeat(100)}\n`;
    quick(() => {
      const d = one(chain);
      assert.equal(d.tooDeepAt, chain.indexOf('*a0'), 'at the first alias that makes it too deep');
      assert.equal(d.value, undefined);
    });
    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const p = String.fromCharCode(96 + i);
      const n = String.fromCharCode(97 + i);
      lol.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    quick(() => {
      const d = one(lol.join('\n'));
      assert.equal(d.value, undefined);
      assert.equal(d.tooDeepAt, undefined);
      assert.deepEqual(
        d.syntaxErrors.map((e) => e.message),
        ['Invalid YAML: the aliases expand into too much data (more than 100 expansions).'],
      );
      assert.equal(textAt(lol.join('\n'), d.valueSpan(['j', 0, 0, 0])), '*g', 'the tree is still there, and a lookup follows one path only');
    });
    assert.deepEqual(one('a: &a [1, 2]\nb: [*a, *a, *a]\n').value, { a: [1, 2], b: [[1, 2], [1, 2], [1, 2]] }, 'a few aliases are fine');
  });

  it('reads 5 MB and a 200,000-character line', () => {
    const big = Array.from({ length: 60_000 }, (_, i) => `note-${i}: ${'x'.repeat(60)}`).join('\n');
    quick(() => {
      const d = one(`metadata:\n  annotations:\n${big.replace(/^/gm, '    ')}\n`);
      assert.equal(Object.keys((d.value as any).metadata.annotations).length, 60_000);
      assert.equal(d.valueSpan(['metadata', 'annotations', 'note-59999'])!.length, 60);
    }, 20_000);
    quick(() => assert.equal((one(`a: ${'y'.repeat(200_000)}`).value as any).a.length, 200_000));
  });
});

describe('YAML front end: nodeAt', () => {
  const TEXT = 'a: &x foo   # c\nb: {c: 1, d: [1, 2]}\nm:\n  <<: {k: 1}\n  n: *x\n  1: x\n  "q": [a,\n    b]\n';
  const d = one(TEXT);
  const nodeAt = (needle: string, delta = 0) => d.nodeAt(TEXT.indexOf(needle) + delta);

  it('finds keys and values, block and flow, with the JSON front end’s contract', () => {
    assert.deepEqual(nodeAt('a:'), { path: ['a'], isKey: true, span: { offset: 0, length: 1 }, container: false });
    assert.deepEqual(nodeAt('a:', 1), { path: ['a'], isKey: true, span: { offset: 0, length: 1 }, container: false }, 'the end of a key counts');
    assert.equal(nodeAt('a:', 2), undefined, 'between the key and the value');
    assert.deepEqual(nodeAt('foo'), { path: ['a'], isKey: false, span: { offset: TEXT.indexOf('foo'), length: 3 }, container: false, scalar: 'foo' });
    assert.equal(nodeAt('&x'), undefined, 'on an anchor');
    assert.equal(nodeAt('# c'), undefined, 'in a comment');
    assert.deepEqual(nodeAt('d: ['), { path: ['b', 'd'], isKey: true, span: { offset: TEXT.indexOf('d: ['), length: 1 }, container: true });
    assert.deepEqual(nodeAt('2]')?.scalar, 2);
    assert.deepEqual(nodeAt('2]')?.path, ['b', 'd', 1]);
    assert.deepEqual(nodeAt('{c'), { path: ['b'], isKey: false, span: { offset: TEXT.indexOf('{c'), length: 17 }, container: true }, 'on a brace');
    assert.deepEqual(nodeAt('[1, 2]', 6)?.path, ['b', 'd'], 'just after the closing bracket');
    assert.deepEqual(nodeAt('[1, 2]', 7)?.path, ['b'], 'just after the closing brace');
    assert.equal(nodeAt('c: 1', 5), undefined, 'between members of a flow map');
    assert.deepEqual(nodeAt('1: x')?.path, ['m', '1'], 'a number key');
    assert.deepEqual(nodeAt('"q"'), { path: ['m', 'q'], isKey: true, span: { offset: TEXT.indexOf('"q"'), length: 3 }, container: true });
    assert.deepEqual(nodeAt('b]')?.path, ['m', 'q', 1], 'a flow sequence over two lines');
    assert.equal(nodeAt('  n:'), undefined, 'the indentation of a block map');
  });

  it('on an alias: the alias, with its target’s value; in a merged map: the keys it brings in', () => {
    assert.deepEqual(nodeAt('*x'), { path: ['m', 'n'], isKey: false, span: { offset: TEXT.indexOf('*x'), length: 2 }, container: false, scalar: 'foo' });
    assert.deepEqual(nodeAt('k: 1'), { path: ['m', 'k'], isKey: true, span: { offset: TEXT.indexOf('k: 1'), length: 1 }, container: false });
    assert.equal(nodeAt('<<'), undefined, 'the merge key itself');
    const aliased = one('a: &m {x: 1}\nb: *m\n');
    assert.deepEqual(aliased.nodeAt(17), { path: ['b'], isKey: false, span: { offset: 16, length: 2 }, container: true });
  });

  it('never answers outside its document, and its spans are in it', () => {
    const text = 'a: 1\n---\nb: [2, 3]\n';
    const [first, second] = docs(text);
    for (let o = 0; o <= text.length; o++) {
      const [a, b] = [first.nodeAt(o), second.nodeAt(o)];
      assert.ok(!(a && b), `offset ${o} in one document`);
      if (a) inside(first, a.span, 'node');
      if (b) inside(second, b.span, 'node');
    }
    assert.equal(first.nodeAt(-1), undefined);
    assert.equal(second.nodeAt(text.length + 10), undefined);
  });
});

describe('YAML front end: performance', () => {
  it('reads the 300 KiB pool as YAML and locates all its paths in about the time yaml itself takes to parse it', () => {
    const pool = JSON.parse(largePool());
    const text = stringify(pool);
    const file = TextDocument.create(URI, 'yaml', 1, text);
    const paths = allPaths(pool);
    const time = (f: () => void) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    time(() => parseYamlFile(file)); // warm up
    const parseMs = time(() => parseYamlFile(file));
    const d = parseYamlFile(file)[0];
    const lookupMs = time(() => {
      for (const p of paths) assert.ok(d.keySpan(p) && d.valueSpan(p));
    });
    assert.deepEqual(d.value, pool);
    assert.ok(parseMs < 3000, `parse ${parseMs} ms`);
    assert.ok(lookupMs < 1000, `${paths.length} lookups in ${lookupMs} ms`);
  });
});

// Fuzzing -------------------------------------------------------------------------------------------------------

/** Everything a feature may ask a document, checked to stay inside the file and its document. */
function exercise(text: string): void {
  const ds = docs(text);
  assert.ok(ds.length >= 1);
  let previousEnd = 0;
  for (const d of ds) {
    assert.ok(d.span.offset >= previousEnd && d.span.offset + d.span.length <= text.length, 'documents in order, inside the file');
    previousEnd = d.span.offset + d.span.length;
    for (const e of d.syntaxErrors) {
      assert.ok(e.offset >= 0 && e.offset + e.length <= text.length);
      assert.match(e.message, /^Invalid YAML: /);
    }
    if (d.tooDeepAt !== undefined) assert.equal(d.value, undefined);
    for (const p of d.value === undefined ? [] : allPaths(d.value).slice(0, 300)) {
      const ks = d.keySpan(p);
      const vs = d.valueSpan(p);
      assert.ok(ks && vs, `located ${JSON.stringify(p)}`);
      inside(d, ks, 'key');
      inside(d, vs, 'value');
    }
    for (const k of d.duplicateKeys) inside(d, k, 'duplicate key');
    const step = Math.max(1, Math.floor(text.length / 200));
    for (let o = 0; o <= text.length; o += step) {
      const n = d.nodeAt(o);
      if (n) inside(d, n.span, 'node');
    }
  }
}

const TOKENS = ['- ', ': ', ':', '\n', '\r\n', '  ', '    ', '[', ']', '{', '}', ', ', '"', "'", '&a ', '*a', '&b ', '*b', '<<: ', '|', '|-', '>', '# c', '---', '...', '? ', '!!str ', '!t ', '%YAML 1.2', '\t', 'key', 'x', '1', 'yes', '~', '\\', '@', '`'];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));

function mutations(seed: string) {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), s: fc.oneof(fc.string(), fc.constantFrom(...TOKENS)) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let t = seed;
    for (const e of edits) {
      const at = e.at % (t.length + 1);
      if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
      else if (e.kind === 'insert') t = t.slice(0, at) + e.s + t.slice(at);
      else t = t.slice(0, at);
    }
    return t;
  });
}

describe('YAML front end: fuzzing', () => {
  it('never throws and stays inside the file on random text, YAML-ish token soup and mutated pools', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), exercise), { numRuns: 300, seed: 1 });
    fc.assert(fc.property(tokenSoup, exercise), { numRuns: 1500, seed: 2 });
    for (const [i, seed] of [stringify(sharedPool()), stringify(dedicatedPool(), { collectionStyle: 'flow' }), HANDWRITTEN, `a: 1\n---\n${HANDWRITTEN}`].entries()) {
      fc.assert(fc.property(mutations(seed), exercise), { numRuns: 400, seed: 10 + i });
    }
  });

  it('locates what toJS reads in the odd documents fuzzing found', () => {
    const found = [
      '&a <<: - *a', // an alias of a merge key is an ordinary key, 'Symbol(<<)'
      '&b <<: &b - *b', // a dropped merge source keeps its anchor for the aliases after it
      '<<: >- *b\n---', // yaml leaves an empty key at the next document's ---
      '<<: :\n|', // a merged map with a null key and an '' key: 'null' and ''
      '<<: : - !!str ',
      "'ersion: x   # c\n  resource:\n    <<: *res        cpu: 0.5\n", // a merged map whose key is a map: '[object Object]'
    ];
    for (const text of found) exercise(text);
    assert.deepEqual(Object.keys(one('<<: :\n|').value as object).sort(), ['', 'null']);
  });

  it('reads any JSON value that yaml writes, block or flow, back as it was, with every path located at text that says so', () => {
    // yaml.stringify writes a "<<" key plain, which a reader of merge keys (this one) takes for a merge.
    const value = fc
      .jsonValue({ maxDepth: 4 })
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !JSON.stringify(v).includes('"<<"'));
    fc.assert(
      fc.property(value, fc.constantFrom('block', 'flow'), (v, style) => {
        const text = stringify(v, style === 'flow' ? { collectionStyle: 'flow' } : {});
        const d = one(text);
        assert.deepEqual(d.value, v);
        checkSpans(d);
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
