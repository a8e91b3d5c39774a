/**
 * JSON that does not parse, re-read after a keystroke (document/json-incremental.ts): whatever the edit, reading the
 * new text from the previous parse gives what a full parse gives, in everything the engine can observe (the value
 * with its key order and prototypes, syntax errors, the key and value span of every path, the node at every offset,
 * the tree, the edits a quick fix makes, the diagnostics). The fast path is taken for a keystroke in a string or a
 * number of a broken pool, and not where it would be unsafe.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Node } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type PoolFile, ResolvedSettings, parse, validate } from '../../language-service/src/index';
import type { JsonDocument } from '../../language-service/src/document/json';
import type { JsonPath } from '../../language-service/src/document/model';
import { largePoolMidEdit, unknownKeysPool } from '../../bench/documents';
import { TOKENS, seedDocuments } from '../fuzz/corpus';
import { allPaths } from '../engine';

const URI = 'file:///w/pool.pool.json';
const PATH = '/w/pool.pool.json'; // matches cmfPools.files: validated as a pool whatever it says
const SETTINGS = new ResolvedSettings(DEFAULT_SETTINGS);
let version = 0;
const fileOf = (text: string) => TextDocument.create(URI, 'json', ++version, text);
const docOf = (f: PoolFile) => f.documents[0] as JsonDocument;

/** A value with the order of its keys and its prototypes made visible (deepStrictEqual sees prototypes only). */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v !== null && typeof v === 'object') return [Object.getPrototypeOf(v) === null, Object.keys(v).map((k) => [k, ordered((v as Record<string, unknown>)[k])])];
  return v;
}

/** jsonc-parser's tree as data: every node's type, offset, length, colon and value, and its parent links. */
function describeTree(n: Node | undefined, parent?: Node): unknown {
  if (!n) return undefined;
  assert.equal(n.parent, parent, 'parent link');
  return [n.type, n.offset, n.length, n.colonOffset, n.value, n.children?.map((c) => describeTree(c, n))];
}

/** Quick-fix edits at a few paths: each one's text edit and whether it is valid. */
function someEdits(d: JsonDocument): unknown[] {
  const paths = allPaths(d.value).filter((p) => p.length > 0);
  const picked = [paths[0], paths[Math.floor(paths.length / 2)], paths[paths.length - 1]].filter((p): p is JsonPath => !!p);
  const out: unknown[] = [];
  for (const p of picked) {
    const last = p[p.length - 1];
    const edits = [d.edit().set(p, 'edited'), d.edit().remove(p)];
    if (typeof last === 'string') edits.push(d.edit().renameKey(p, 'renamed'));
    for (const e of edits) out.push([p, e.toTextEdit(), e.valid]);
  }
  return out;
}

/** `incremental` is `full` in every way the engine observes (nodeAt at every `step`th offset). */
function assertSame(incremental: PoolFile, full: PoolFile, what: string, step = 1): void {
  const a = docOf(incremental);
  const b = docOf(full);
  const text = full.text.getText();
  assert.equal(a.source, text, `${what}: read from the new text`);
  assert.deepStrictEqual(ordered(a.value), ordered(b.value), `${what}: value`);
  assert.deepEqual(a.syntaxErrors, b.syntaxErrors, `${what}: syntax errors`);
  assert.equal(a.tooDeepAt, b.tooDeepAt, `${what}: tooDeepAt`);
  assert.deepStrictEqual(describeTree(a.tree()), describeTree(b.tree()), `${what}: tree`);
  const paths = b.value === undefined ? [] : allPaths(b.value);
  for (const p of [...paths, ['nope'], ['spec', 'nope', 0], [0]] as JsonPath[]) {
    assert.deepEqual(a.keySpan(p), b.keySpan(p), `${what}: keySpan ${JSON.stringify(p)}`);
    assert.deepEqual(a.valueSpan(p), b.valueSpan(p), `${what}: valueSpan ${JSON.stringify(p)}`);
  }
  for (let o = -1; o <= text.length + 1; o += step) assert.deepEqual(a.nodeAt(o), b.nodeAt(o), `${what}: nodeAt(${o})`);
  if (b.value !== undefined) assert.deepStrictEqual(someEdits(a), someEdits(b), `${what}: quick-fix edits`);
  assert.deepEqual(validate(incremental, SETTINGS, { path: PATH, reportSyntaxErrors: true }), validate(full, SETTINGS, { path: PATH, reportSyntaxErrors: true }), `${what}: diagnostics`);
}

/** Parses `after` from `previous` as the language server does, checks it against a full parse; whether the fast path was taken. */
function step(previous: PoolFile, after: string, what: string, nodeAtStep = 1): { fast: boolean; parsed: PoolFile } {
  const before = docOf(previous);
  const oldText = before.source;
  const oldTree = before.syntaxErrors.length ? before.tree() : undefined;
  const f = fileOf(after);
  const parsed = parse(f, previous);
  assertSame(parsed, parse(fileOf(after)), what, nodeAtStep);
  const fast = oldTree !== undefined && docOf(parsed).tree() === oldTree;
  // The previous version's document still reads its own text (it builds its tree again).
  if (fast) assert.deepStrictEqual(describeTree(before.tree()), describeTree(docOf(parse(fileOf(oldText))).tree()), `${what}: the previous version`);
  return { fast, parsed };
}

const edit = (text: string, at: number, remove: number, insert: string) => text.slice(0, at) + insert + text.slice(at + remove);

describe('JSON mid-edit re-read after a keystroke: the same as a full parse', () => {
  it('typing the rest of a key half typed, and a number toggled, in the 300 KiB pool mid-edit: the fast path, every time', () => {
    const m = largePoolMidEdit('json');
    let previous = parse(fileOf(m.text));
    let text = m.text;
    let cursor = m.offset;
    for (const c of 'anager.network.detailed-metrics') {
      text = edit(text, cursor++, 0, c);
      const r = step(previous, text, `typed ${c}`, 211);
      assert.ok(r.fast, `typing ${c} in the key is re-read`);
      previous = r.parsed;
    }
    const cpu = text.indexOf('"cpu": 1') + 7;
    for (const c of ['2', '1', '25', '1']) {
      text = edit(text, cpu, text[cpu + 1] === '5' ? 2 : 1, c);
      const r = step(previous, text, `cpu ${c}`, 211);
      assert.ok(r.fast, `cpu ${c} is re-read`);
      previous = r.parsed;
    }
    // Typing a key the object has already (the misspelled one, taskmanager.numberOfTaskSlot): a full parse.
    const typo = edit(text, m.offset, cursor - m.offset, 'anager.numberOfTaskSlot');
    assert.equal(step(parse(fileOf(text)), typo, 'a key the object has').fast, false);
    // Closing the key's quote changes its token: a full parse.
    text = edit(text, cursor, 0, '"');
    assert.equal(step(previous, text, 'closing quote', 211).fast, false);
  });

  it('a key of a broken pool renamed among 20,000, and a value in an array', () => {
    const broken = unknownKeysPool('json', 2_000).replace(/\n\s*}\s*$/, '\n'); // the last brace missing
    let previous = parse(fileOf(broken));
    const at = broken.indexOf('"table.setting-1002"') + 8;
    let r = step(previous, edit(broken, at, 1, 'x'), 'rename a key', 97);
    assert.ok(r.fast);
    previous = r.parsed;
    const text = r.parsed.text.getText();
    // Renamed to a key its object already has: duplicates are left to a full parse.
    const dup = text.indexOf('"table.setting-1002"'.replace('-1002', '-1012'));
    r = step(previous, edit(text, dup + 18, 1, '2'), 'rename to a key taken', 97);
    assert.equal(r.fast, false);
  });

  it('where it is not taken: text that was JSON, a token whose kind changes, an edit over two tokens, the only error on the token', () => {
    const valid = '{"a": "xy", "b": [1, 2]}';
    assert.equal(step(parse(fileOf(valid)), edit(valid, 8, 0, 'z'), 'was JSON').fast, false);
    const broken = '{"a": "xy", "b": [1, 2], "c" }';
    assert.equal(step(parse(fileOf(broken)), edit(broken, 8, 0, 'z'), 'in a string').fast, true);
    assert.equal(step(parse(fileOf(broken)), edit(broken, 18, 1, '1e'), 'number to a bad number').fast, false);
    assert.equal(step(parse(fileOf(broken)), edit(broken, 18, 1, 'x'), 'number to a symbol').fast, false);
    assert.equal(step(parse(fileOf(broken)), edit(broken, 8, 4, ''), 'over two tokens').fast, false);
    assert.equal(step(parse(fileOf(broken)), edit(broken, 21, 0, '-'), 'a sign before a number').fast, true);
    // Two numbers with nothing between them (an error): a change at the second one's first character may join them.
    const joined = '{"b": [1-2]}';
    assert.equal(step(parse(fileOf(joined)), edit(joined, 8, 1, '3'), 'a sign between two numbers').fast, false);
    // An unterminated string, and the brace it left out: typing in it is re-read.
    const open = '{"a": "xy';
    assert.equal(step(parse(fileOf(open)), edit(open, 8, 0, 'z'), 'in an unterminated string').fast, true);
    // A tab in a string is the only error: a later keystroke might make JSON of it, so none is re-read.
    const tab = '{"a": "x\ty"}';
    assert.equal(step(parse(fileOf(tab)), edit(tab, 7, 1, 'z'), 'the only error on the token').fast, false);
    // A later duplicate key hides this value.
    const dup = '{"a": 1, "a": 2, "b" }';
    assert.equal(step(parse(fileOf(dup)), edit(dup, 6, 1, '3'), 'hidden by a duplicate').fast, false);
    assert.equal(step(parse(fileOf(dup)), edit(dup, 14, 1, '3'), 'the duplicate that wins').fast, true);
  });

  const seeds = seedDocuments().filter((t) => t.length < 20_000);
  // A broken seed: something cut out of it, so the text does not parse.
  const brokenSeed = fc.tuple(fc.nat(seeds.length - 1), fc.nat(), fc.nat(3)).map(([i, at, cut]) => {
    const s = seeds[i]!;
    const p = at % s.length;
    return s.slice(0, p) + s.slice(p + 1 + cut);
  });
  // Keystrokes: mostly in or next to a string or number (the fast path's cases), some anywhere.
  const keystroke = fc.tuple(fc.nat(), fc.boolean(), fc.nat(2), fc.constantFrom('a', 'Z', '0', '9', '.', '-', 'e', ' ', '"', '\\', ',', ':', '}', ']', '{', '\n', 'é', ...TOKENS));
  it('gives a full parse’s result on random keystroke chains in broken pools', () => {
    let fast = 0;
    let all = 0;
    fc.assert(
      fc.property(brokenSeed, fc.array(keystroke, { minLength: 1, maxLength: 8 }), (start, keys) => {
        let previous = parse(fileOf(start));
        let text = start;
        for (const [at, nearToken, remove, insert] of keys) {
          let p = at % (text.length + 1);
          if (nearToken) {
            // Move to the next digit or quote-enclosed letter: inside a token.
            const m = /[0-9]|"[a-z]/g;
            m.lastIndex = p;
            const hit = m.exec(text);
            if (hit) p = hit.index + 1;
          }
          text = edit(text, p, remove, insert);
          const r = step(previous, text, `edit at ${p}: ${JSON.stringify(insert)}`, 7);
          all++;
          if (r.fast) fast++;
          previous = r.parsed;
        }
      }),
      { numRuns: 300, seed: 14 },
    );
    assert.ok(fast > all / 10, `the fast path is taken often enough to be tested (${fast} of ${all})`);
  });
});
