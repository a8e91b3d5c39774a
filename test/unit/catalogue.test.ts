/** The rule catalogue comes from the rule modules: the README's table, `lint --help`, and the severities. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, lint, ruleListing } from '../../language-service/src/index';
import { RULES } from '../../language-service/src/rules';
import type { Rule } from '../../language-service/src/rules/rule';
import { withCatalogue } from '../../scripts/readme-catalogue';
import { LINT_HELP } from '../../cli/src/main';

describe('rule catalogue', () => {
  it("the README's table is the one the rule modules make (npm run data writes it)", () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    assert.equal(withCatalogue(readme), readme);
    for (const { code, severity } of catalogue()) assert.ok(readme.includes(`| \`${code}\` | ${severity} |`), code);
  });

  it('every code is declared by exactly one module, and lint --help lists it with its default severity', () => {
    const seen = new Map<string, number>();
    for (const rule of RULES as readonly Rule[]) for (const code of Object.keys(rule.codes)) seen.set(code, (seen.get(code) ?? 0) + 1);
    assert.deepEqual([...seen].filter(([, n]) => n > 1), []);
    assert.deepEqual(catalogue().map((r) => r.code), [...seen.keys()]);
    for (const { code, severity } of catalogue()) assert.ok(LINT_HELP.includes(`  ${code} (${severity})\n`), code);
  });

  it('every fix builder belongs to a code of its module', () => {
    for (const rule of RULES as readonly Rule[]) {
      for (const code of Object.keys(rule.fixes ?? {})) assert.ok(code in rule.codes || (code.startsWith('schema/') && 'schema/<keyword>' in rule.codes), code);
    }
  });

  it('the rule listing (SARIF\'s rules) names every code, schema/<keyword> as one code per keyword the schemas use', () => {
    const listed = ruleListing();
    const codes = listed.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const { code, severity, summary } of catalogue()) {
      const entry = listed.find((r) => r.code === code);
      if (code === 'schema/<keyword>') assert.equal(entry, undefined);
      else assert.deepEqual(entry && { severity: entry.severity, summary: entry.summary }, { severity, summary }, code);
    }
    const schemaCodes = codes.filter((c) => c.startsWith('schema/') && c !== 'schema/additionalProperties');
    for (const c of ['schema/required', 'schema/type', 'schema/enum', 'schema/pattern']) assert.ok(schemaCodes.includes(c), c);
    // Every schema code a broken pool gets is listed (a wrong type, enum, pattern, minimum, missing properties, a CFK pool).
    const reported = new Set<string>();
    const broken = [
      { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: { name: 7 }, spec: { type: 'BIG', clusterSpec: { taskManager: { replicas: -1 } } } },
      { apiVersion: 'cmf.confluent.io/v1', kind: 'ComputePool', metadata: {}, spec: { clusterSpec: { podTemplate: { spec: { containers: [{}] } } } } },
      { apiVersion: 'platform.confluent.io/v1beta1', kind: 'FlinkComputePool', metadata: { name: '' }, spec: { type: 'SHARED', flinkEnvironment: 3, clusterSpec: 'x' } },
    ];
    for (const pool of broken) for (const d of lint(JSON.stringify(pool, null, 2)).diagnostics) if (d.code.startsWith('schema/')) reported.add(d.code);
    assert.ok(reported.size >= 4, [...reported].join(', '));
    for (const code of reported) assert.ok(codes.includes(code), code);
  });
});
