/**
 * The extension's first look at a document (cmf-model's mightHoldPool, which decides whether to start the language
 * server) never says no to a document the engine takes for a pool, for any text, path and cmfPools.files.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POOL_FILES, mightHoldPool } from '../../cmf-model/src/files';
import { ResolvedSettings, isPool, normalizeSettings, poolText } from '../../language-service/src/index';
import { parseText } from '../engine';
import { dedicatedPool, sharedPool, text } from '../pools';

const kindSpellings = ['ComputePool', 'Compute\\u0050ool', '\\u0043omputePool', 'FlinkComputePool', 'computepool', 'Pool'];
const texts = fc.oneof(
  fc.constant(text(sharedPool())),
  fc.constant(JSON.stringify(dedicatedPool())),
  fc.constantFrom(...kindSpellings).map((k) => `{"apiVersion": "cmf.confluent.io/v1", "kind": "${k}", "metadata": {"name": "p"}}`),
  fc.constantFrom(...kindSpellings).map((k) => `{"spec": {"kind": "${k}"}}`),
  fc.json(),
  fc.string(),
);
const paths = fc.oneof(
  fc.constantFrom('/w/a.pool.json', '/w/sub/b.pool.json', '/w/c.json', '/w/pools/d.json', 'C:\\w\\e.pool.json', '/w/f.POOL.JSON', '/Untitled-1', '/w/x.pool.json.bak'),
  fc.string().map((s) => `/w/${s}.json`),
);
const files = fc.oneof(fc.constant([...DEFAULT_POOL_FILES]), fc.constantFrom(['pools/*.json'], ['**/*.json'], ['**/pools/**'], [], ['*.pool.json']));

/** YAML: the kind in every spelling YAML has (escapes, a line break escaped away, tags, aliases, flow style), among other documents. */
const yamlKinds = [
  'ComputePool',
  '"Compute\\u0050ool"',
  '"Compute\\U00000050ool"',
  '"Compute\\x50ool"',
  '"Compute\\\n  Pool"',
  "'ComputePool'",
  '!!str ComputePool',
  '>-\n  ComputePool',
  'FlinkComputePool',
  'Pool',
];
const yamlTexts = fc.oneof(
  fc.constant(poolText(sharedPool(), 'yaml')),
  fc.constant(`apiVersion: v1\nkind: ConfigMap\n---\n${poolText(dedicatedPool(), 'yaml')}`),
  fc.constantFrom(...yamlKinds).map((k) => `apiVersion: cmf.confluent.io/v1\nkind: ${k}\nmetadata: {name: p}\n`),
  fc.constantFrom(...yamlKinds).map((k) => `x: &k ${k}\n---\n{apiVersion: platform.confluent.io/v1beta1, kind: ${k.includes('\n') ? 'ComputePool' : k}}\n`),
  fc.string(),
);
const yamlPaths = fc.oneof(fc.constantFrom('/w/a.pool.yaml', '/w/b.pool.yml', '/w/c.yaml', '/w/gitops/flink.yml', '/w/d.POOL.YAML'), fc.string().map((s) => `/w/${s}.yaml`));

describe("the extension's first look at a document", () => {
  it('never misses a YAML document the engine takes for a pool', () => {
    fc.assert(
      fc.property(yamlTexts, yamlPaths, files, (t, path, globs) => {
        const settings = new ResolvedSettings(normalizeSettings({ files: globs }));
        if (isPool(parseText(t, `file://${path}`, 'yaml'), settings, path)) assert.ok(mightHoldPool(path, t, globs), `engine: pool; first look: no (${path}, ${JSON.stringify(globs)}):\n${t}`);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('never misses a document the engine takes for a pool', () => {
    fc.assert(
      fc.property(texts, paths, files, (t, path, globs) => {
        const settings = new ResolvedSettings(normalizeSettings({ files: globs }));
        if (isPool(parseText(t), settings, path)) assert.ok(mightHoldPool(path, t, globs), `engine: pool; first look: no (${path}, ${JSON.stringify(globs)})`);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('registers no schema with VS Code\'s JSON support or Red Hat\'s YAML extension, which would report our problems twice', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    assert.equal(pkg.contributes.jsonValidation, undefined);
    assert.equal(pkg.contributes.yamlValidation, undefined);
    assert.ok(!JSON.stringify(pkg.contributes).includes('yaml.schemas'));
  });

  it('says no to ordinary JSON and YAML files, so their windows start no language server', () => {
    assert.equal(mightHoldPool('/w/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n', DEFAULT_POOL_FILES), false);
    assert.equal(mightHoldPool('/w/package.json', JSON.stringify({ name: 'x', version: '1.0.0' }), DEFAULT_POOL_FILES), false);
    assert.equal(mightHoldPool('/w/tsconfig.json', '{"compilerOptions": {}}', DEFAULT_POOL_FILES), false);
    assert.equal(mightHoldPool('/w/a.pool.json', '{}', DEFAULT_POOL_FILES), true);
  });
});
