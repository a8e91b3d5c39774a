/** The snippets expand, with their default placeholder values, to pools without errors or warnings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateText } from '../engine';
import { dedicatedPool, lint, sharedPool, text } from '../pools';

/** Expands VS Code snippet syntax with each placeholder's default: ${1:x} -> x, ${2|A,B|} -> A, $1 -> the value of 1. */
function expand(body: string): string {
  const values = new Map<string, string>();
  let out = body;
  for (let guard = 0; guard < 20 && /\$\{\d+[:|]/.test(out); guard++) {
    out = out.replace(/\$\{(\d+):([^${}]*)\}/g, (_, n: string, v: string) => (values.set(n, v), v));
    out = out.replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_, n: string, v: string) => (values.set(n, v), v));
    out = out.replace(/\$(\d+)/g, (m, n: string) => values.get(n) ?? m);
  }
  return out.replace(/\$(\d+)/g, (_, n: string) => values.get(n) ?? '');
}

describe('snippets', () => {
  const file = path.resolve(__dirname, '../../snippets/compute-pool.code-snippets.json');
  const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { prefix: string; body: string[]; isFileTemplate?: boolean }>;
  it('are declared in package.json: JSON ones for json and jsonc, YAML ones for yaml', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.snippets.map((s: { language: string; path: string }) => `${s.language} ${s.path}`).sort(), [
      'json ./snippets/compute-pool.code-snippets.json',
      'jsonc ./snippets/compute-pool.code-snippets.json',
      'yaml ./snippets/compute-pool-yaml.code-snippets.json',
    ]);
  });
  it('offer what the authoring issue lists: dedicated, shared, shared standalone, HA block, pod template with a volume', () => {
    assert.deepEqual(Object.values(snippets).map((s) => s.prefix).sort(), [
      'cmf-dedicated-pool',
      'cmf-ha',
      'cmf-pod-template-volume',
      'cmf-shared-pool',
      'cmf-shared-standalone-pool',
    ]);
  });
  for (const [name, s] of Object.entries(snippets)) {
    if (!s.isFileTemplate) continue;
    it(`${name} expands to a clean pool`, () => {
      const text = expand(s.body.join('\n'));
      assert.doesNotMatch(text, /\$\{|\$\d/);
      const diags = lint(text).filter((d) => (d.severity ?? 1) <= 2);
      assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), []);
      assert.match(text, /"kind": "ComputePool"/);
    });
  }
  // Fragments go inside a pool: each is expanded where it belongs, in both pool types, and the pool stays clean.
  const places: Record<string, string> = { 'cmf-ha': '"flinkConfiguration": {', 'cmf-pod-template-volume': '"clusterSpec": {' };
  for (const [name, s] of Object.entries(snippets)) {
    if (s.isFileTemplate) continue;
    it(`${name} expands to a clean part of a pool`, () => {
      const at = places[s.prefix];
      assert.ok(at, `where ${s.prefix} goes is known to this test`);
      const fragment = expand(s.body.join('\n'));
      assert.doesNotMatch(fragment, /\$\{|\$\d/);
      for (const pool of [sharedPool(), dedicatedPool()]) {
        if (s.prefix === 'cmf-ha') {
          delete pool.spec.clusterSpec.flinkConfiguration['high-availability.type'];
          delete pool.spec.clusterSpec.flinkConfiguration['high-availability.storageDir'];
          delete pool.spec.clusterSpec.flinkConfiguration['state.checkpoints.dir']; // the snippet has its own
        }
        const base = text(pool);
        const i = base.indexOf(at) + at.length;
        const combined = base.slice(0, i) + '\n' + fragment + ',' + base.slice(i);
        JSON.parse(combined);
        const diags = lint(combined).filter((d) => (d.severity ?? 1) <= 2);
        assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), [], pool.spec.type);
      }
    });
  }
});

describe('YAML snippets', () => {
  const file = path.resolve(__dirname, '../../snippets/compute-pool-yaml.code-snippets.json');
  const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { prefix: string; body: string[]; isFileTemplate?: boolean }>;
  it('offer the JSON file templates in YAML, and a CFK FlinkComputePool', () => {
    assert.deepEqual(Object.values(snippets).map((s) => s.prefix).sort(), ['cmf-cfk-pool', 'cmf-dedicated-pool', 'cmf-shared-pool']);
  });
  for (const [name, s] of Object.entries(snippets)) {
    it(`${name} expands to a clean pool, the same as its JSON twin`, () => {
      const text = expand(s.body.join('\n'));
      assert.doesNotMatch(text, /\$\{|\$\d/);
      const diags = validateText(text, { languageId: 'yaml', uri: 'file:///p.pool.yaml', reportSyntaxErrors: true }).filter((d) => (d.severity ?? 1) <= 2);
      assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), []);
      const value = parseYaml(text);
      assert.match(value.kind, /^(ComputePool|FlinkComputePool)$/);
      const twin = Object.values(JSON.parse(readFileSync(path.resolve(__dirname, '../../snippets/compute-pool.code-snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>).find((j) => j.prefix === s.prefix);
      if (twin) assert.deepEqual(value, JSON.parse(expand(twin.body.join('\n'))), 'the YAML template is the JSON one');
    });
  }
});
