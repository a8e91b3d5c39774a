/**
 * YAML re-read after a keystroke (document/yaml-incremental.ts): whatever the edit, parsing the new text from the
 * previous parse gives what a full parse gives, in everything the engine can observe (values with their key order,
 * syntax errors, depth, document spans, the key and value span of every path, the node at every offset, duplicate
 * keys, the edits a quick fix makes, the diagnostics), and in the composed tree and its source tokens too. The fast
 * path is taken for a keystroke in a scalar value, and not where it would be unsafe.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type ParsedNode, isAlias, isCollection, isMap, isPair, isScalar, stringify } from 'yaml';
import { DEFAULT_SETTINGS, type PoolFile, ResolvedSettings, parse, poolText, validate } from '../../language-service/src/index';
import type { JsonPath } from '../../language-service/src/document/model';
import { type YamlDocument, parseYamlFile } from '../../language-service/src/document/yaml';
import { reparseYamlFile } from '../../language-service/src/document/yaml-incremental';
import { largePool, largePoolMidEdit } from '../../bench/documents';
import { dedicatedPool, sharedPool } from '../pools';
import { allPaths } from '../engine';

const URI = 'file:///w/pools.pool.yaml';
const PATH = '/w/pools.pool.yaml'; // matches cmfPools.files: every document is validated as a pool
const SETTINGS = new ResolvedSettings(DEFAULT_SETTINGS);
let version = 0;
const fileOf = (text: string) => TextDocument.create(URI, 'yaml', ++version, text);

// What is compared ------------------------------------------------------------------------------------------------

/** A value with the order of its keys made visible (deepStrictEqual does not look at it). */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v !== null && typeof v === 'object') return Object.keys(v).map((k) => [k, ordered((v as Record<string, unknown>)[k])]);
  return v;
}

const plain = (v: unknown) => (typeof v === 'symbol' ? String(v) : v); // a merge key's value is a new Symbol per parse

/** The composed tree as data: every node's kind, range, scalar value and style, anchor, tag and source token, and all the source tokens. */
function describeTree(d: YamlDocument): unknown {
  const t = d.tree;
  if (!t) return undefined;
  const out: unknown[] = [t.doc.range, t.doc.errors.map((e) => [e.code, e.pos])];
  const stack: unknown[] = [t.doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isPair(n)) {
      const src = n.srcToken;
      out.push(['pair', src ? JSON.stringify([src.start, src.sep]) : null]);
      stack.push(n.value, n.key);
      continue;
    }
    if (!n) {
      out.push(null);
      continue;
    }
    const node = n as ParsedNode;
    const src = node.srcToken;
    const entry: Record<string, unknown> = {
      kind: isScalar(node) ? 'scalar' : isAlias(node) ? 'alias' : isMap(node) ? 'map' : 'seq',
      range: node.range,
      anchor: node.anchor,
      tag: node.tag,
      token: src ? [src.type, src.offset, 'source' in src ? src.source : undefined] : null,
    };
    if (isScalar(node)) Object.assign(entry, { value: plain(node.value), type: node.type, source: node.source, format: node.format, digits: node.minFractionDigits });
    if (isAlias(node)) entry.source = node.source;
    out.push(entry);
    if (isCollection(node)) for (const it of [...(node.items as unknown[])].reverse()) stack.push(it);
  }
  const root = (t.doc.contents as ParsedNode | null)?.srcToken;
  out.push(root ? JSON.stringify(root) : null);
  return out;
}

/** Quick-fix edits at a few paths of a document: each one's text edit and whether it is valid. */
function someEdits(d: YamlDocument): unknown[] {
  const paths = allPaths(d.value).filter((p) => p.length > 0);
  const picked = [paths[0], paths[Math.floor(paths.length / 2)], paths[paths.length - 1]].filter((p): p is JsonPath => !!p);
  const out: unknown[] = [];
  for (const p of picked) {
    const last = p[p.length - 1];
    const edits = [d.edit().set(p, 'edited'), d.edit().set(p, 42), d.edit().remove(p), d.edit().set([...p.slice(0, -1), 'added'], { x: [1, 'two'] })];
    if (typeof last === 'string') edits.push(d.edit().renameKey(p, 'renamed'));
    for (const e of edits) out.push([p, e.toTextEdit(), e.valid]);
  }
  return out;
}

interface CompareOptions {
  /** check nodeAt at every offset (else at every 97th) */
  everyOffset?: boolean;
  /** compare the edits of quick fixes */
  edits?: boolean;
}

/** `incremental` is `full` in every way the engine observes, and in its composed trees. */
function assertSame(incremental: PoolFile, full: PoolFile, what: string, options: CompareOptions = {}): void {
  const text = full.text.getText();
  assert.equal(incremental.documents.length, full.documents.length, `${what}: the number of documents`);
  incremental.documents.forEach((doc, i) => {
    const a = doc as YamlDocument;
    const b = full.documents[i] as YamlDocument;
    const at = `${what}, document ${i}`;
    assert.equal(a.file, incremental.text, `${at}: its file is the new one`);
    assert.equal(a.source, text, `${at}: read from the new text`);
    assert.equal(a.index, b.index);
    assert.deepEqual(a.span, b.span, `${at}: span`);
    assert.deepStrictEqual(ordered(a.value), ordered(b.value), `${at}: value`);
    assert.deepEqual(a.syntaxErrors, b.syntaxErrors, `${at}: syntax errors`);
    assert.equal(a.tooDeepAt, b.tooDeepAt, `${at}: tooDeepAt`);
    const paths = b.value === undefined ? [] : allPaths(b.value);
    for (const p of [...paths, ['nope'], ['spec', 'nope', 0], [0]] as JsonPath[]) {
      assert.deepEqual(a.keySpan(p), b.keySpan(p), `${at}: keySpan ${JSON.stringify(p)}`);
      assert.deepEqual(a.valueSpan(p), b.valueSpan(p), `${at}: valueSpan ${JSON.stringify(p)}`);
    }
    const step = options.everyOffset === false ? 97 : 1;
    for (let o = -1; o <= text.length + 1; o += step) assert.deepEqual(a.nodeAt(o), b.nodeAt(o), `${at}: nodeAt(${o})`);
    assert.deepEqual(a.duplicateKeys, b.duplicateKeys, `${at}: duplicate keys`);
    assert.deepStrictEqual(describeTree(a), describeTree(b), `${at}: the composed tree`);
    if (options.edits && b.value !== undefined && b.tree) assert.deepStrictEqual(someEdits(a), someEdits(b), `${at}: quick-fix edits`);
  });
  assert.deepEqual(validate(incremental, SETTINGS, { path: PATH, reportSyntaxErrors: true }), validate(full, SETTINGS, { path: PATH, reportSyntaxErrors: true }), `${what}: diagnostics`);
}

/** The tree documents of a parse, to tell whether the next parse re-used them. */
const treesOf = (f: PoolFile) => f.documents.map((d) => (d as YamlDocument).tree?.doc);
const reused = (before: unknown[], after: PoolFile) => treesOf(after).some((t, i) => t !== undefined && t === before[i]);

/**
 * Parses `after` from a parse of `before` through the facade, as the language server does, and checks it against a
 * full parse. Returns whether the fast path was taken, and the parse (for the next edit of a chain).
 */
function step(previous: PoolFile, after: string, what: string, options: CompareOptions = {}): { fast: boolean; parsed: PoolFile } {
  const before = treesOf(previous);
  const f = fileOf(after);
  const parsed = parse(f, previous);
  assertSame(parsed, parse(f), what, options);
  return { fast: reused(before, parsed), parsed };
}

// The texts -------------------------------------------------------------------------------------------------------

/** A pool as people write it: comments, anchors, aliases, a merge, flow collections, quoting, block and multi-line scalars, numbers in every notation, a duplicate key. */
const HANDWRITTEN = `# A compute pool, by hand
apiVersion: cmf.confluent.io/v1   # CMF's API
kind: ComputePool
metadata:
  name: 'hand-pool'
  labels: {team: "data", tier: web, count: 3}
x-defaults:
  resources: &res
    cpu: 1.0      # a whole core
    memory: 2048m
spec:
  type: SHARED
  clusterSpec:
    flinkVersion: v1_19
    image: "confluentinc/cp-flink-sql:1.19-cp7"
    flinkConfiguration:
      taskmanager.numberOfTaskSlots: "4"
      'state.backend.type': rocksdb
      execution.checkpointing.interval: 10s
    taskManager:
      resource: *res
    jobManager:
      resource:
        <<: *res
        cpu: 0.5
    podTemplate:
      metadata:
        annotations:
          description: |
            Two
            lines.
          plain: a plain
            multi-line scalar
          quoted: "a quoted
            multi-line scalar"
          tagged: !!str 12
      spec:
        containers:
        - name: flink-main-container
          args: ["--verbose", '--x', 3, true]
          env:
          - {name: A, value: "1"}
          - name: B
            value: yes   # a string in YAML 1.2
        tolerations: [ {key: a, value: b}, [x, y] ]
numbers: {a: 1, b: 0x1F, c: 1e3, d: .inf, e: ~, f: 1.50, g: -2, h: 0o17}
dupes: {k: 1, k: 2}
`;

const EXAMPLES = ['examples/shared.pool.json', 'examples/dedicated.pool.json', 'examples/bad/shared-bad.pool.json'];
const OTHERS = 'kind: ConfigMap # not a pool\ndata: {a: 1, b: "x", c: [1, 2]}\n';
const LIST = '- item 1\n- 2\n- {k: v}\n...\n';

/** Files of one or several documents, in block and flow style, LF and CRLF, with a later document broken or in YAML 1.1. */
function texts(): { name: string; text: string }[] {
  const shared = sharedPool();
  const dedicated = dedicatedPool();
  return [
    { name: 'handwritten', text: HANDWRITTEN },
    { name: 'shared, block', text: poolText(shared, 'yaml') },
    { name: 'dedicated, block, 4 spaces', text: stringify(dedicated, { indent: 4 }) },
    { name: 'shared, flow', text: stringify(shared, { collectionStyle: 'flow' }) },
    { name: 'three documents', text: `${OTHERS}---\n${HANDWRITTEN}---\n${LIST}---\nlast: {x: 1}\n` },
    { name: 'CRLF', text: `${OTHERS}---\n${poolText(shared, 'yaml')}`.replace(/\n/g, '\r\n') },
    { name: 'a broken document after', text: `${poolText(dedicated, 'yaml')}---\nbroken: [1, 2\nnext: 3\n---\nb: &x [1, *x]\n` },
    { name: 'YAML 1.1 after', text: `${poolText(shared, 'yaml')}---\n%YAML 1.1\n---\nflag: yes\n` },
    { name: 'the examples, one document each', text: EXAMPLES.map((f) => poolText(JSON.parse(readFileSync(path.resolve(__dirname, '../..', f), 'utf8')), 'yaml')).join('---\n') },
  ];
}

/** Every scalar of a file's documents (keys too), where it stands in the text. */
function scalarsOf(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const d of parseYamlFile(fileOf(text))) {
    const stack: unknown[] = d.tree ? [d.tree.doc.contents] : [];
    while (stack.length) {
      const n = stack.pop();
      if (isPair(n)) stack.push(n.key, n.value);
      else if (isCollection(n)) stack.push(...(n.items as unknown[]));
      else if (isScalar(n)) {
        const [start, end] = (n as ParsedNode).range;
        if (end > start) out.push({ start, end });
      }
    }
  }
  return out;
}

// The edits -------------------------------------------------------------------------------------------------------

/** What a keystroke types: mostly what goes into values, and everything that would make it something else. */
const TYPED = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '0', '1', '7', '9', '.', '-', '_', '/', 'x', 'm', 'Gi') },
  { weight: 2, arbitrary: fc.constantFrom('true', 'null', 'yes', '~', '0x1F', '0o7', '1e3', '.inf', '-.5', '1.50', '12', '<<', 'é', '😀') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(' ', ':', ': ', ' #', '#', ',', '[', ']', '{', '}', "'", "''", '"', '\\"', '\\', '\\q', '&a ', '*a', '!', '!!str ', '|', '>', '%', '@', '`', '?', '- ', '---', '\t', '\n', '\r\n', '\n  more'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

const apply = (text: string, e: Edit) => text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);

/** An edit inside a scalar of `text` (a key or a value): typing, deleting, or replacing part of it. */
function scalarEdit(text: string) {
  const scalars = scalarsOf(text);
  return fc.record({ which: fc.nat(), at: fc.nat(), remove: fc.nat(), insert: fc.oneof(TYPED, fc.constant('')) }).map(({ which, at, remove, insert }): Edit => {
    const s = scalars[which % scalars.length]!;
    const from = s.start + (at % (s.end - s.start + 1));
    return { at: from, remove: remove % (s.end - from + 1), insert: insert || (remove % (s.end - from + 1) === 0 ? 'x' : '') };
  });
}

/** An edit anywhere in `text`. */
function anyEdit(text: string) {
  return fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 6 }), insert: fc.oneof(TYPED, fc.constant('')) }).map(({ at, remove, insert }): Edit => ({ at: at % (text.length + 1), remove, insert }));
}

// The tests -------------------------------------------------------------------------------------------------------

describe('YAML re-read after a keystroke: the same as a full parse', () => {
  it('for random edits inside scalars (keys and values) of real pools, hand-written YAML and multi-document files, most of them on the fast path', () => {
    let fast = 0;
    let runs = 0;
    for (const [i, { name, text }] of texts().entries()) {
      fc.assert(
        fc.property(scalarEdit(text), (e) => {
          const r = step(parse(fileOf(text)), apply(text, e), `${name}, ${JSON.stringify(e)}`, { edits: runs % 5 === 0 });
          runs++;
          if (r.fast) fast++;
        }),
        { numRuns: 60, seed: 100 + i },
      );
    }
    // A third of the edits are in keys, and a good part of the rest type something a scalar cannot hold.
    assert.ok(fast > runs * 0.25, `${fast} of ${runs} edits on the fast path`);
  });

  it('for random edits anywhere, which mostly fall back', () => {
    for (const [i, { name, text }] of texts().entries()) {
      fc.assert(
        fc.property(anyEdit(text), (e) => {
          step(parse(fileOf(text)), apply(text, e), `${name}, ${JSON.stringify(e)}`);
        }),
        { numRuns: 40, seed: 200 + i },
      );
    }
  });

  it('for random edits inside scalars and chains of them in documents with syntax errors (pools mid-edit), many on the fast path', () => {
    const shared = poolText(sharedPool(), 'yaml');
    const broken = [
      { name: 'the 185 KiB pool mid-edit', text: largePoolMidEdit('yaml').text, runs: 12 },
      { name: 'a key half typed', text: shared.replace(/^( *)(cpu: .*)$/m, '$1$2\n$1taskm'), runs: 60 },
      { name: 'a quote left open', text: shared.replace(/^( *)name: (.*)$/m, '$1name: "$2'), runs: 60 },
      { name: 'a flow sequence left open', text: shared.replace(/^( *)memory: (.*)$/m, '$1memory: [$2'), runs: 60 },
      { name: 'a bad indent', text: shared.replace(/^( *)(image: .*)$/m, '$1 $2'), runs: 60 },
    ];
    let fast = 0;
    let runs = 0;
    for (const [i, { name, text, runs: numRuns }] of broken.entries()) {
      assert.ok(parse(fileOf(text)).documents.some((d) => d.syntaxErrors.length > 0), `${name} has syntax errors`);
      fc.assert(
        fc.property(fc.array(scalarEdit(text), { minLength: 1, maxLength: 3 }), (edits) => {
          let current = text;
          let parsed = parse(fileOf(current));
          for (const e of edits) {
            if (e.at > current.length) break;
            current = apply(current, e);
            const r = step(parsed, current, `${name}, ${JSON.stringify(edits)}`, { everyOffset: text.length < 10_000, edits: runs % 7 === 0 && text.length < 10_000 });
            runs++;
            if (r.fast) fast++;
            parsed = r.parsed;
          }
        }),
        { numRuns, seed: 400 + i },
      );
    }
    assert.ok(fast > runs * 0.2, `${fast} of ${runs} edits on the fast path`);
  });

  it('for chains of edits, each parsed from the parse before it, fast or not', () => {
    let fast = 0;
    for (const [i, { name, text }] of texts().entries()) {
      const chain = fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat(), fc.nat(), TYPED), { minLength: 2, maxLength: 8 });
      fc.assert(
        fc.property(chain, (steps) => {
          let current = text;
          let parsed = parse(fileOf(current));
          for (const [inScalar, which, at, remove, insert] of steps) {
            const scalars = scalarsOf(current);
            let e: Edit;
            if (inScalar && scalars.length) {
              const s = scalars[which % scalars.length]!;
              const from = s.start + (at % (s.end - s.start + 1));
              e = { at: from, remove: remove % Math.min(3, s.end - from + 1), insert };
            } else e = { at: at % (current.length + 1), remove: remove % 4, insert };
            current = apply(current, e);
            const r = step(parsed, current, `${name}, chain ${JSON.stringify(steps)}`, { everyOffset: false });
            if (r.fast) fast++;
            parsed = r.parsed;
          }
        }),
        { numRuns: 15, seed: 300 + i },
      );
    }
    assert.ok(fast > 0);
  });

  it('for the benchmark keystroke in the 185 KiB pool, typed back and forth, on the fast path every time', () => {
    const text = poolText(JSON.parse(largePool()), 'yaml');
    const at = text.indexOf('cpu: 1') + 5;
    let parsed = parse(fileOf(text));
    for (const typed of ['2', '1', '25', '2.5', '"2"']) {
      const r = step(parsed, text.slice(0, at) + typed + text.slice(at + 1), `typed ${typed}`, { everyOffset: false });
      assert.equal(r.fast, typed !== '"2"', `typed ${typed}`);
      parsed = r.parsed;
    }
    const d = parsed.documents[0]!;
    assert.equal((d.value as any).spec.clusterSpec.taskManager.resource.cpu, '2', 'a quoted 2 is a string');
  });
});

describe('YAML re-read after a keystroke: when the fast path is taken', () => {
  /** The documents re-read from a parse of `before`, or undefined when a full parse is needed; checked against a full parse. */
  function reread(before: string, after: string): YamlDocument[] | undefined {
    const previous = parseYamlFile(fileOf(before));
    const f = fileOf(after);
    const docs = reparseYamlFile(previous, f);
    if (docs) assertSame({ text: f, documents: docs }, parse(f), `${JSON.stringify(before)} -> ${JSON.stringify(after)}`, { edits: true });
    return docs;
  }
  const fast = (before: string, after: string) => assert.ok(reread(before, after), `fast: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  const slow = (before: string, after: string) => assert.equal(reread(before, after), undefined, `full parse: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);

  it('takes it for a keystroke in a plain, single- or double-quoted value, in block or flow style, resolved as YAML 1.2 core does', () => {
    fast('a:\n  cpu: 1\n  b: 2\n', 'a:\n  cpu: 2\n  b: 2\n');
    fast('a:\n  cpu: 1\n  b: 2\n', 'a:\n  cpu: 1x\n  b: 2\n');
    fast('a:\n  cpu: 1\n  b: 2\n', 'a:\n  cpu: 1.50\n  b: 2\n');
    fast('a: 1 # a comment\nb: 2\n', 'a: 0x1F # a comment\nb: 2\n');
    fast('a: no\n', 'a: yes\n');
    fast('a: tru\n', 'a: true\n');
    fast('a: nul\n', 'a: null\n');
    fast("a: 'it'\n", "a: 'it''s'\n");
    fast('a: "x"\n', 'a: "x\\ty"\n');
    fast('a: [1, 2, 3]\nb: {c: d, e: f}\n', 'a: [1, 25, 3]\nb: {c: d, e: f}\n');
    fast('a: [1, 2, 3]\nb: {c: d, e: f}\n', 'a: [1, 2, 3]\nb: {c: d, e: fg}\n');
    fast('- a\n- b: 1\n  c: x\n', '- a\n- b: 1\n  c: xy\n');
    fast('a: x\r\nb: y\r\n', 'a: xz\r\nb: y\r\n');
    fast('a: -1\n', 'a: -12\n');
    fast('a: [x,\n  y]\n', 'a: [x,\n  yz]\n'); // one line of a flow collection on several
    fast('a: x\n', 'a: x\n'); // nothing changed
  });

  it('takes it in any document of a file, moving the documents after it', () => {
    fast('a: 1\n---\nb: 2\n---\nc: [3]\n', 'a: 10\n---\nb: 2\n---\nc: [3]\n');
    fast('a: 1\n---\nb: 2\n---\nc: [3]\n', 'a: 1\n---\nb: 234\n---\nc: [3]\n');
    fast('a: 1\n---\nb: 2\n---\nc: [3]\n', 'a: 1\n---\nb: 2\n---\nc: [4]\n');
    fast('a: 1\n---\nb: [1, 2\n---\nc: &x [1, *x]\n', 'a: 12\n---\nb: [1, 2\n---\nc: &x [1, *x]\n'); // later documents with errors
    fast('a: [\n---\nb: 2\n', 'a: [\n---\nb: 3\n'); // an earlier document with errors
  });

  it('does not take it where the scalar is not a value of its own: a key, an alias, an anchor, a tag, a merge, a duplicate', () => {
    slow('cpu: 1\n', 'cpux: 1\n');
    slow('? [a, b]\n: 1\n', '? [a, bc]\n: 1\n');
    slow('a: &x 1\nb: *x\n', 'a: &x 2\nb: *x\n');
    slow('a: &x {c: 1}\nb: *x\n', 'a: &x {c: 2}\nb: *x\n');
    slow('a: &x\n  c: 1\nb: *x\n', 'a: &x\n  c: 2\nb: *x\n');
    slow('a: !!str 1\n', 'a: !!str 2\n');
    slow('a: !t {c: 1}\n', 'a: !t {c: 2}\n');
    slow('a:\n  <<: {c: 1}\n  d: 2\n', 'a:\n  <<: {c: 2}\n  d: 2\n');
    slow('a:\n  <<: [{c: 1}]\n', 'a:\n  <<: [{c: 2}]\n');
    slow('a: 1\na: 2\n', 'a: 3\na: 2\n');
    slow('a: 1\na: 1\n', 'a: 3\na: 1\n'); // the value at the path is the same, but not this scalar's
    slow('a: {b: x}\na: {b: x}\n', 'a: {b: y}\na: {b: x}\n');
  });

  it('does not take it for block scalars, scalars on several lines, empty values and whole-document scalars', () => {
    slow('a: |\n  x\nb: 1\n', 'a: |\n  xy\nb: 1\n');
    slow('a: >\n  x\nb: 1\n', 'a: >\n  xy\nb: 1\n');
    slow('a: x\n  y\nb: 1\n', 'a: xz\n  y\nb: 1\n');
    slow('a: "x\n  y"\nb: 1\n', 'a: "xz\n  y"\nb: 1\n');
    slow('a:\nb: 1\n', 'a: 2\nb: 1\n');
    slow('a: \nb: 1\n', 'a: 2\nb: 1\n');
    slow('plain\n', 'plainer\n');
    slow('"quoted"\n', '"quotes"\n');
  });

  it('does not take it when the new text is not one scalar of the same style', () => {
    const cases: [string, string][] = [
      ['a: x\n', 'a: x: y\n'],
      ['a: x\n', 'a: x:\n'],
      ['a: x\n', 'a: x #c\n'],
      ['a: x\n', 'a:  x\n'],
      ['a: x\n', 'a: x \n'],
      ['a: x\n', 'a: x\n  b\n'],
      ['a: x\n', 'a: - x\n'],
      ['a: x\n', 'a: &x\n'],
      ['a: x\n', 'a: *x\n'],
      ['a: x\n', 'a: !x\n'],
      ['a: x\n', 'a: |x\n'],
      ['a: x\n', 'a: %x\n'],
      ['a: x\n', 'a: @x\n'],
      ['a: x\n', 'a: "x"\n'],
      ['a: x\n', 'a: \n'],
      ['a: x\n', 'a: x\tb\n'],
      ['a: [x, y]\n', 'a: [x, y,z]\n'],
      ['a: [x, y]\n', 'a: [x, y]z]\n'],
      ['a: {b: x}\n', 'a: {b: x}y}\n'],
      ['a: "x"\n', 'a: "x"y"\n'],
      ['a: "x"\n', 'a: "x\\"\n'],
      ['a: "x"\n', 'a: "\\q"\n'],
      ["a: 'x'\n", "a: 'x'y'\n"],
      ["a: 'x'\n", "a: x'\n"],
      ['a: "x"\n', 'a: "x\n'],
      ['a: x\n', 'a: ---\n'],
    ];
    for (const [before, after] of cases) slow(before, after);
  });

  it('does not take it near a syntax error or in a flow collection of a broken document, nor from another YAML version, nor from a parse used already', () => {
    slow('a: [1\nb: 2\n', 'a: [1\nb: 3\n'); // in a flow collection left open
    slow('a:\n  b: [1, 2\n  c: x\n', 'a:\n  b: [1, 2\n  c: y\n');
    slow('a: 1\nb: 2\ntaskm\nc: 3\n', 'a: 1\nb: 3\ntaskm\nc: 3\n'); // the line before a key half typed
    slow('a: 1\ntaskm\nc: 3\n', 'a: 1\ntaskm\nc: 4\n'); // the line after
    fast('a: 1\nb: 2\nc: 3\ntaskm\n', 'a: 2\nb: 2\nc: 3\ntaskm\n'); // two lines away
    fast('a: 1\nb: [2\n', 'a: 2\nb: [2\n'); // the error is at the end
    slow('%YAML 1.1\n---\na: x\n', '%YAML 1.1\n---\na: yes\n');
    const previous = parseYamlFile(fileOf('a: 1\n'));
    assert.ok(reparseYamlFile(previous, fileOf('a: 2\n')));
    assert.equal(reparseYamlFile(previous, fileOf('a: 3\n')), undefined, 'consumed');
    const unchanged = parseYamlFile(fileOf('a: 1\n'));
    assert.ok(reparseYamlFile(unchanged, fileOf('a: 1\n')));
    assert.equal(reparseYamlFile(unchanged, fileOf('a: 1\n')), undefined, 'consumed, even by a version that did not change');
    const other = parseYamlFile(TextDocument.create('file:///w/other.yaml', 'yaml', 1, 'a: 1\n'));
    assert.equal(reparseYamlFile(other, fileOf('a: 2\n')), undefined, 'another file');
    assert.equal(reparseYamlFile(parse(TextDocument.create(URI, 'json', 1, '{"a": 1}')).documents, fileOf('a: 2\n')), undefined, 'a JSON parse');
  });

  it('the facade parses JSON as it always did, and YAML from a JSON parse in full', () => {
    const json = parse(TextDocument.create(URI, 'json', 1, '{"a": 1}'));
    const again = parse(TextDocument.create(URI, 'json', 2, '{"a": 2}'), json);
    assert.deepEqual(again.documents[0]!.value, { a: 2 });
    assert.equal(again.documents[0]!.format, 'json');
    const yaml = parse(fileOf('a: 2\n'), again);
    assert.deepEqual(yaml.documents[0]!.value, { a: 2 });
  });
});
