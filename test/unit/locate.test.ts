/** The tree-free locator agrees with jsonc-parser's tree on every key and value of real and random JSON. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { Locator } from '../../language-service/src/document/locate';
import { keyOrValueNode, nodeAt, nodeAtInTree } from '../../language-service/src/document/json';
import type { JsonPath } from '../../language-service/src/document/model';
import { sharedPool, text } from '../pools';

/** Every path in a tree. */
function paths(node: Node, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(at);
  if (node.type === 'object') for (const p of node.children ?? []) paths(p.children![1], [...at, p.children![0].value as string], out);
  if (node.type === 'array') (node.children ?? []).forEach((c, i) => paths(c, [...at, i], out));
  return out;
}

function agree(source: string): void {
  const root = parseTree(source)!;
  const locator = new Locator(source);
  for (const path of paths(root)) {
    // With duplicate keys, both pick the last one (as JSON.parse does).
    const key = keyOrValueNode(root, path)!;
    const value = nodeAt(root, path)!;
    assert.deepEqual(locator.key(path), { offset: key.offset, length: key.length }, `key ${JSON.stringify(path)}`);
    assert.deepEqual(locator.value(path), { offset: value.offset, length: value.length }, `value ${JSON.stringify(path)}`);
  }
  assert.equal(locator.value(['no', 'such', 'path']), undefined);
}

describe('Locator', () => {
  it('agrees with the tree on a pool, pretty and minified', () => {
    const p = sharedPool();
    p.metadata.annotations = { 'a"b': 'quote', 'c\\\\': 'backslash', 'é': 'unicode', '\u00e9\\n': 'escaped' };
    p.spec.clusterSpec.taskManager.podTemplate = { spec: { containers: [{ name: 'x', args: ['a', '"', '\\', '[', '{'] }, { name: 'y' }] } };
    agree(text(p));
    agree(JSON.stringify(p));
    agree('{"a": 1, "a": {"b": [1, {"c": null}]}}');
  });
  it('agrees with the tree on random JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => agree(JSON.stringify(v, null, pretty ? 2 : undefined))), { numRuns: 500, seed: 11 });
  });

  /** At every offset (and one past the end), the locator finds what the tree finds. */
  function sameNodes(source: string): void {
    const root = parseTree(source)!;
    const locator = new Locator(source);
    for (let offset = 0; offset <= source.length + 1; offset++) {
      assert.deepEqual(locator.nodeAt(offset), nodeAtInTree(root, offset), `at ${offset} of ${JSON.stringify(source)}`);
    }
  }

  it('finds the key or value under an offset as the tree does: pools, duplicates, escapes, space around everything', () => {
    const p = sharedPool();
    p.metadata.annotations = { 'a"b': 'quote', 'c\\\\': 'backslash', 'é': 'unicode' };
    p.spec.clusterSpec.taskManager.podTemplate = { spec: { containers: [{ name: 'x', args: ['a', '"', '\\', '[', '{', [], {}] }, { name: 'y' }] } };
    sameNodes(text(p));
    sameNodes(JSON.stringify(p));
    sameNodes(' \n {"a" : 1 , "a" :{"b":[1, {"c" :null} ,-0.5e3]} , "d":"\\u00e9\\"x"}\t\n');
    for (const scalar of ['1', ' "s" ', 'true', 'null', '[]', '{}', ' [ ] ']) sameNodes(scalar);
  });

  it('finds the key or value under an offset as the tree does, on random JSON', () => {
    const layouts = [undefined, 2, '\t'] as const;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(...layouts), (v, layout) => sameNodes(JSON.stringify(v, null, layout))),
      { numRuns: 300, seed: 14 },
    );
  });
});
