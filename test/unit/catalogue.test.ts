/** The rule catalogue comes from the rule modules: the README's table, `lint --help`, and the severities. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue } from '../../language-service/src/index';
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
});
